// The back office's journal: every change a manager asks of WeChat Pay (a stock, its budget or
// texts, uploaded codes, the notify URL, an image, a subsidy) is written durably with its request
// number before the first attempt, and every attempt is appended. A retry — after a timeout, a
// restart, or the same form sent twice — resends the stored request with the stored number, so
// WeChat Pay applies it once (docs/wechatpay/busifavor.md#request-numbers).
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { getEndpoint, RequestParamError, validateRequest, type EndpointId } from '../../shared/busifavor';
import type { BackofficeKind, BackofficeStatus } from '../../shared/contract/backoffice';
import type { JournalDatabase } from './database';
import { requestNoWithLetter } from './operation';

export const BACKOFFICE_ENDPOINT: Record<BackofficeKind, EndpointId> = {
  stock_create: 'stocks.create',
  stock_modify: 'stocks.modify',
  stock_budget: 'stocks.budget',
  codes_upload: 'couponCodes.upload',
  code_delete: 'couponCodes.delete',
  callbacks_set: 'callbacks.set',
  image_upload: 'media.imageUpload',
  subsidy_pay: 'subsidy.pay.create',
};

/** Letters of the coupon queue's numbers are U A D R X; these never collide with them. */
const LETTER: Partial<Record<BackofficeKind, string>> = { stock_create: 'C', stock_modify: 'M', stock_budget: 'B', codes_upload: 'K', code_delete: 'L', subsidy_pay: 'S' };

/** A request as the client sends it: path parameters, query and body (an upload's body is its meta). */
export interface JournaledRequest {
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

export type Summary = Record<string, string | number | boolean | null>;

export interface BackofficeRecord {
  id: number;
  opId: string;
  clientRef: string | null;
  kind: BackofficeKind;
  endpoint: EndpointId;
  stockId: string | null;
  requestNo: string | null;
  /** The exact parts sent on every attempt, number included. */
  request: JournaledRequest;
  summary: Summary;
  managerId: string;
  training: boolean;
  status: BackofficeStatus;
  attempts: number;
  lastOutcome: string | null;
  lastHttpStatus: number | null;
  lastCode: string | null;
  lastMessage: string | null;
  lastRequestId: string | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
}

interface Row {
  id: number;
  op_id: string;
  client_ref: string | null;
  kind: BackofficeKind;
  endpoint: EndpointId;
  stock_id: string | null;
  request_no: string | null;
  request: string;
  summary: string;
  manager_id: string;
  training: number;
  status: BackofficeStatus;
  attempts: number;
  last_outcome: string | null;
  last_http_status: number | null;
  last_code: string | null;
  last_message: string | null;
  last_request_id: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
}

const toRecord = (r: Row): BackofficeRecord => ({
  id: r.id,
  opId: r.op_id,
  clientRef: r.client_ref,
  kind: r.kind,
  endpoint: r.endpoint,
  stockId: r.stock_id,
  requestNo: r.request_no,
  request: JSON.parse(r.request) as JournaledRequest,
  summary: JSON.parse(r.summary) as Summary,
  managerId: r.manager_id,
  training: r.training === 1,
  status: r.status,
  attempts: r.attempts,
  lastOutcome: r.last_outcome,
  lastHttpStatus: r.last_http_status,
  lastCode: r.last_code,
  lastMessage: r.last_message,
  lastRequestId: r.last_request_id,
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  resolvedAt: r.resolved_at,
});

/**
 * The parts with the request number where the endpoint takes it (body, or the query for a code
 * deletion), validated by the endpoint's strict schema: a bad request throws RequestParamError
 * and nothing is written or sent.
 */
export function withRequestNo(kind: BackofficeKind, parts: JournaledRequest, requestNo: string | null): JournaledRequest {
  const def = getEndpoint(BACKOFFICE_ENDPOINT[kind]);
  const out: JournaledRequest = { ...parts };
  if (requestNo !== null && def.idempotencyKey) {
    if (def.idempotencyIn === 'query') out.query = { ...parts.query, [def.idempotencyKey]: requestNo };
    else out.body = { ...parts.body, [def.idempotencyKey]: requestNo };
  }
  const checked = validateRequest(def, { path: out.path, query: out.query, body: out.body });
  if (!checked.ok) throw new RequestParamError(checked.error);
  return {
    ...(out.path ? { path: out.path } : {}),
    ...(out.query ? { query: checked.value.query as Record<string, unknown> } : {}),
    ...(out.body ? { body: checked.value.body as Record<string, unknown> } : {}),
  };
}

export interface WriteInput {
  kind: BackofficeKind;
  stockId?: string | null;
  parts: JournaledRequest;
  summary: Summary;
  managerId: string;
  training: boolean;
  /** The screen's id for one filled-in form: sending it again finds the first operation. */
  clientRef?: string;
}

export interface AttemptWrite {
  startedAt: number;
  finishedAt: number;
  outcome: string;
  httpStatus: number | null;
  code: string | null;
  message: string | null;
  requestId: string | null;
  actor: string;
  status: BackofficeStatus;
  result?: unknown;
  /** A created stock's id, known once WeChat answered. */
  stockId?: string;
}

export interface BackofficeFilter {
  kind?: BackofficeKind;
  stockId?: string;
  status?: BackofficeStatus;
  limit?: number;
}

export class BackofficeJournal {
  readonly #db: JournalDatabase;
  readonly #clock: () => number;
  readonly #insert: Statement;
  readonly #byOpId: Statement;
  readonly #byClientRef: Statement;

  constructor(db: JournalDatabase, clock: () => number = Date.now) {
    this.#db = db;
    this.#clock = clock;
    this.#insert = db.prepare(`
      INSERT INTO backoffice_operations (op_id, client_ref, kind, endpoint, stock_id, request_no, request, summary, manager_id, training, status, created_at, updated_at)
      VALUES (@op_id, @client_ref, @kind, @endpoint, @stock_id, @request_no, @request, @summary, @manager_id, @training, 'pending', @now, @now)`);
    this.#byOpId = db.prepare('SELECT * FROM backoffice_operations WHERE op_id = ?');
    this.#byClientRef = db.prepare('SELECT * FROM backoffice_operations WHERE client_ref = ?');
  }

  /**
   * Writes the operation (one fsync'd transaction) with its request number, made here once.
   * With a client reference seen before, returns that operation instead of writing another.
   */
  write(input: WriteInput): { operation: BackofficeRecord; created: boolean } {
    if (input.clientRef !== undefined) {
      const seen = this.#byClientRef.get(input.clientRef) as Row | undefined;
      if (seen) return { operation: this.#same(seen, input), created: false };
    }
    const now = this.#clock();
    const letter = LETTER[input.kind];
    for (let tries = 0; ; tries++) {
      const requestNo = letter === undefined ? null : requestNoWithLetter(letter, now);
      const parts = withRequestNo(input.kind, input.parts, requestNo);
      const opId = randomUUID();
      try {
        this.#insert.run({
          op_id: opId,
          client_ref: input.clientRef ?? null,
          kind: input.kind,
          endpoint: BACKOFFICE_ENDPOINT[input.kind],
          stock_id: input.stockId ?? null,
          request_no: requestNo,
          request: JSON.stringify(parts),
          summary: JSON.stringify(input.summary),
          manager_id: input.managerId,
          training: input.training ? 1 : 0,
          now,
        });
        return { operation: this.get(opId) as BackofficeRecord, created: true };
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE' || tries >= 3) throw err;
        const raced = input.clientRef === undefined ? undefined : (this.#byClientRef.get(input.clientRef) as Row | undefined);
        if (raced) return { operation: this.#same(raced, input), created: false };
      }
    }
  }

  #same(row: Row, input: WriteInput): BackofficeRecord {
    if (row.kind !== input.kind) throw new Error(`client reference ${input.clientRef} already names a ${row.kind}`);
    return toRecord(row);
  }

  /** Appends an attempt and the operation's new state, only while it is still pending (another process may have settled it). */
  recordAttempt(opId: string, a: AttemptWrite): BackofficeRecord {
    const now = this.#clock();
    this.#db
      .transaction(() => {
        const row = this.#byOpId.get(opId) as Row | undefined;
        if (!row) throw new Error(`no back-office operation ${opId}`);
        if (row.status !== 'pending') return;
        this.#db
          .prepare(
            `INSERT INTO backoffice_attempts (operation_id, started_at, finished_at, outcome, http_status, wechat_code, wechat_message, request_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(row.id, a.startedAt, a.finishedAt, a.outcome, a.httpStatus, a.code, a.message?.slice(0, 500) ?? null, a.requestId, a.actor);
        this.#db
          .prepare(
            `UPDATE backoffice_operations SET status = @status, attempts = attempts + 1, last_outcome = @outcome, last_http_status = @http, last_code = @code,
               last_message = @message, last_request_id = @request_id, result = COALESCE(@result, result), stock_id = COALESCE(@stock_id, stock_id),
               updated_at = @now, resolved_at = CASE WHEN @status = 'pending' THEN NULL ELSE @now END
             WHERE id = @id AND status = 'pending'`,
          )
          .run({
            id: row.id,
            status: a.status,
            outcome: a.outcome,
            http: a.httpStatus,
            code: a.code,
            message: a.message?.slice(0, 500) ?? null,
            request_id: a.requestId,
            result: a.result === undefined || a.result === null ? null : JSON.stringify(a.result),
            stock_id: a.stockId ?? null,
            now,
          });
      })
      .immediate();
    return this.get(opId) as BackofficeRecord;
  }

  get(opId: string): BackofficeRecord | undefined {
    const row = this.#byOpId.get(opId) as Row | undefined;
    return row && toRecord(row);
  }

  /** Newest first: the audit trail. */
  list(filter: BackofficeFilter = {}): BackofficeRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['kind', filter.kind],
      ['stock_id', filter.stockId],
      ['status', filter.status],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const sql = `SELECT * FROM backoffice_operations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...params, filter.limit ?? 200) as Row[]).map(toRecord);
  }

  attempts(opId: string): { startedAt: number; outcome: string; httpStatus: number | null; code: string | null; requestId: string | null; actor: string }[] {
    return (
      this.#db.prepare('SELECT a.* FROM backoffice_attempts a JOIN backoffice_operations o ON o.id = a.operation_id WHERE o.op_id = ? ORDER BY a.id').all(opId) as {
        started_at: number;
        outcome: string;
        http_status: number | null;
        wechat_code: string | null;
        request_id: string | null;
        actor: string;
      }[]
    ).map((a) => ({ startedAt: a.started_at, outcome: a.outcome, httpStatus: a.http_status, code: a.wechat_code, requestId: a.request_id, actor: a.actor }));
  }

  /** Stocks created in this back office (succeeded creations), oldest first. */
  createdStockIds(): string[] {
    return (
      this.#db.prepare("SELECT stock_id FROM backoffice_operations WHERE kind = 'stock_create' AND status = 'succeeded' AND stock_id IS NOT NULL ORDER BY id").all() as {
        stock_id: string;
      }[]
    ).map((r) => r.stock_id);
  }
}
