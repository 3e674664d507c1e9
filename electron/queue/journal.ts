// The journal: every coupon operation, written durably with its request number before the
// first attempt, then every attempt and the outcome appended. It is the queue's only source
// of truth: after a crash, what is here (and only that) is resent — with the same number.
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { openJournalDatabase, type JournalDatabase, type OpenOptions } from './database';
import { buildBody, ENDPOINT_OF, laneOf, newRequestNo, type OperationRequest, type OperationStatus } from './operation';
import { toAttemptRecord, toOperationRecord, type AttemptAction, type AttemptRecord, type AttemptRow, type OperationRecord, type OperationRow } from './records';

export interface EnqueueInput {
  request: OperationRequest;
  /** Owner of the coupon, when known: lets an unknown outcome be reconciled by querying the coupon. */
  openid?: string;
  appid?: string;
  shiftId?: string;
  tillId?: string;
  /** The till's order a use or an order link belongs to. */
  orderId?: string;
  cashierId?: string;
  training?: boolean;
  offlineAccepted?: boolean;
  granted?: boolean;
  orderAmountFen?: number;
  discountFen?: number;
  /** Caller's idempotency key: enqueueing the same ref twice returns the first operation. */
  clientRef?: string;
  note?: string;
  /** First attempt not before this instant (default: now). */
  notBefore?: number;
}

/** What the drainer writes after an attempt: the operation's new state and the attempt itself. */
export interface OperationUpdate {
  status: OperationStatus;
  attempts: number;
  nextAttemptAt: number;
  lastOutcome: string | null;
  lastHttpStatus: number | null;
  lastCode: string | null;
  lastMessage: string | null;
  lastRequestId: string | null;
  result: unknown;
  resolution: string | null;
  resolvedAt: number | null;
}

export interface AttemptEntry {
  action: AttemptAction;
  startedAt: number;
  finishedAt: number;
  outcome: string;
  httpStatus?: number | null;
  code?: string | null;
  message?: string | null;
  requestId?: string | null;
  actor?: string | null;
}

export interface JournalWrite {
  id: number;
  update?: OperationUpdate;
  attempt?: AttemptEntry;
}

export interface ListFilter {
  status?: OperationStatus | readonly OperationStatus[];
  shiftId?: string;
  couponCode?: string;
  orderId?: string;
  limit?: number;
  /** Only rows with id greater than this (paging by id). */
  afterId?: number;
}

export class JournalError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CLIENT_REF_CONFLICT' | 'NOT_PARKED' | 'NOTHING_TO_ACKNOWLEDGE',
    message: string,
  ) {
    super(message);
    this.name = 'JournalError';
  }
}

const MAX_MESSAGE = 500;
const clip = (s: string | null | undefined): string | null => (s == null ? null : s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s);

export class Journal {
  readonly db: JournalDatabase;
  readonly #clock: () => number;
  readonly #insert: Statement;
  readonly #byId: Statement;
  readonly #byOpId: Statement;
  readonly #byClientRef: Statement;
  readonly #update: Statement;
  readonly #insertAttempt: Statement;
  readonly #commit: (writes: readonly JournalWrite[], now: number) => number;

  constructor(db: JournalDatabase, options: { clock?: () => number } = {}) {
    this.db = db;
    this.#clock = options.clock ?? Date.now;
    this.#insert = db.prepare(`
      INSERT INTO operations (op_id, client_ref, kind, endpoint, lane, coupon_code, stock_id, openid, appid, request_no, body,
        out_trade_no, order_id, shift_id, till_id, cashier_id, training, offline_accepted, granted, order_amount_fen, discount_fen,
        status, attempts, next_attempt_at, created_at, updated_at, note)
      VALUES (@op_id, @client_ref, @kind, @endpoint, @lane, @coupon_code, @stock_id, @openid, @appid, @request_no, @body,
        @out_trade_no, @order_id, @shift_id, @till_id, @cashier_id, @training, @offline_accepted, @granted, @order_amount_fen, @discount_fen,
        'pending', 0, @next_attempt_at, @now, @now, @note)`);
    this.#byId = db.prepare('SELECT * FROM operations WHERE id = ?');
    this.#byOpId = db.prepare('SELECT * FROM operations WHERE op_id = ?');
    this.#byClientRef = db.prepare('SELECT * FROM operations WHERE client_ref = ?');
    // Guarded by status: the drainer only ever writes operations it found pending, and must
    // never overwrite what a manager (possibly in another process) decided meanwhile.
    this.#update = db.prepare(`
      UPDATE operations SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at,
        last_outcome = @last_outcome, last_http_status = @last_http_status, last_code = @last_code,
        last_message = @last_message, last_request_id = @last_request_id, result = @result,
        resolution = @resolution, resolved_at = @resolved_at, updated_at = @now
      WHERE id = @id AND status = 'pending'`);
    this.#insertAttempt = db.prepare(`
      INSERT INTO attempts (operation_id, action, started_at, finished_at, outcome, http_status, wechat_code, wechat_message, request_id, actor)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#commit = db.transaction((writes: readonly JournalWrite[], now: number) => {
      let changed = 0;
      for (const w of writes) {
        if (w.update) {
          const u = w.update;
          changed += this.#update.run({
            id: w.id,
            status: u.status,
            attempts: u.attempts,
            next_attempt_at: u.nextAttemptAt,
            last_outcome: u.lastOutcome,
            last_http_status: u.lastHttpStatus,
            last_code: u.lastCode,
            last_message: clip(u.lastMessage),
            last_request_id: u.lastRequestId,
            result: u.result === undefined || u.result === null ? null : JSON.stringify(u.result),
            resolution: u.resolution,
            resolved_at: u.resolvedAt,
            now,
          }).changes;
        }
        if (w.attempt) this.#appendAttempt(w.id, w.attempt);
      }
      return changed;
    });
  }

  static open(dataDir: string, options: OpenOptions & { clock?: () => number } = {}): Journal {
    return new Journal(openJournalDatabase(dataDir, options), options.clock ? { clock: options.clock } : {});
  }

  now(): number {
    return this.#clock();
  }

  /**
   * Writes a new operation durably (one fsync'd transaction) and returns it. Its request
   * number is made here, once. With a `clientRef` seen before, returns that operation instead.
   */
  enqueue(input: EnqueueInput): { operation: OperationRecord; created: boolean } {
    const now = this.#clock();
    const request = input.request;
    if (input.clientRef !== undefined) {
      const existing = this.#byClientRef.get(input.clientRef) as OperationRow | undefined;
      if (existing) return { operation: this.#sameRequest(existing, input), created: false };
    }
    const appid = input.appid ?? (request.kind === 'use' ? request.appid : undefined);
    const openid = input.openid ?? (request.kind === 'use' ? request.openid : undefined);
    const values = (requestNo: string) => ({
      op_id: randomUUID(),
      client_ref: input.clientRef ?? null,
      kind: request.kind,
      endpoint: ENDPOINT_OF[request.kind],
      lane: laneOf(request.coupon_code),
      coupon_code: request.coupon_code,
      stock_id: request.stock_id ?? null,
      openid: openid ?? null,
      appid: appid ?? null,
      request_no: requestNo,
      body: JSON.stringify(buildBody(request, requestNo)),
      out_trade_no: request.kind === 'associate' || request.kind === 'disassociate' ? request.out_trade_no : null,
      order_id: input.orderId ?? null,
      shift_id: input.shiftId ?? null,
      till_id: input.tillId ?? null,
      cashier_id: input.cashierId ?? null,
      training: input.training ? 1 : 0,
      offline_accepted: input.offlineAccepted ? 1 : 0,
      granted: input.granted ? 1 : 0,
      order_amount_fen: input.orderAmountFen ?? null,
      discount_fen: input.discountFen ?? null,
      next_attempt_at: input.notBefore ?? now,
      now,
      note: input.note ?? null,
    });
    // buildBody validates inside values(): a bad request throws before anything is written.
    let info: { lastInsertRowid: number | bigint } | undefined;
    for (let tries = 0; !info; tries++) {
      try {
        info = this.#insert.run(values(newRequestNo(request.kind, now)));
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE' || tries >= 3) throw err;
        // Another process enqueued the same client reference first: that one stands.
        const raced = input.clientRef === undefined ? undefined : (this.#byClientRef.get(input.clientRef) as OperationRow | undefined);
        if (raced) return { operation: this.#sameRequest(raced, input), created: false };
        // Otherwise two request numbers collided: draw a new one (nothing was written).
      }
    }
    const row = this.#byId.get(info.lastInsertRowid) as OperationRow;
    return { operation: toOperationRecord(row), created: true };
  }

  /**
   * Writes several operations in one transaction, in order (an order link, then the use it
   * precedes): either all of them are on disk before anything is sent, or none is.
   */
  enqueueAll(inputs: readonly EnqueueInput[]): { operation: OperationRecord; created: boolean }[] {
    return this.db.transaction(() => inputs.map((input) => this.enqueue(input))).immediate();
  }

  #sameRequest(existing: OperationRow, input: EnqueueInput): OperationRecord {
    if (existing.kind !== input.request.kind || existing.coupon_code !== input.request.coupon_code) {
      throw new JournalError('CLIENT_REF_CONFLICT', `client reference ${input.clientRef} already belongs to a different operation`);
    }
    return toOperationRecord(existing);
  }

  /** Applies a batch of attempt results in one transaction; returns how many operations changed. */
  commit(writes: readonly JournalWrite[]): number {
    if (writes.length === 0) return 0;
    return this.#commit(writes, this.#clock());
  }

  #appendAttempt(id: number, a: AttemptEntry): void {
    this.#insertAttempt.run(id, a.action, a.startedAt, a.finishedAt, a.outcome, a.httpStatus ?? null, a.code ?? null, clip(a.message), a.requestId ?? null, a.actor ?? null);
  }

  get(opId: string): OperationRecord | undefined {
    const row = this.#byOpId.get(opId) as OperationRow | undefined;
    return row && toOperationRecord(row);
  }

  getById(id: number): OperationRecord | undefined {
    const row = this.#byId.get(id) as OperationRow | undefined;
    return row && toOperationRecord(row);
  }

  byClientRef(ref: string): OperationRecord | undefined {
    const row = this.#byClientRef.get(ref) as OperationRow | undefined;
    return row && toOperationRecord(row);
  }

  /** Pending and parked operations, oldest first: what the drainer loads on start. */
  openOperations(): OperationRecord[] {
    return (this.db.prepare("SELECT * FROM operations WHERE status IN ('pending', 'parked') ORDER BY id").all() as OperationRow[]).map(toOperationRecord);
  }

  list(filter: ListFilter = {}): OperationRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status !== undefined) {
      const statuses = typeof filter.status === 'string' ? [filter.status] : [...filter.status];
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (filter.shiftId !== undefined) {
      where.push('shift_id = ?');
      params.push(filter.shiftId);
    }
    if (filter.couponCode !== undefined) {
      where.push('coupon_code = ?');
      params.push(filter.couponCode);
    }
    if (filter.orderId !== undefined) {
      where.push('order_id = ?');
      params.push(filter.orderId);
    }
    if (filter.afterId !== undefined) {
      where.push('id > ?');
      params.push(filter.afterId);
    }
    const sql = `SELECT * FROM operations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id${filter.limit !== undefined ? ' LIMIT ?' : ''}`;
    if (filter.limit !== undefined) params.push(filter.limit);
    return (this.db.prepare(sql).all(...params) as OperationRow[]).map(toOperationRecord);
  }

  /** Refused by WeChat Pay with nobody watching: a manager must retry or acknowledge each. */
  parked(): OperationRecord[] {
    return this.list({ status: 'parked' });
  }

  attempts(opId: string): AttemptRecord[] {
    const rows = this.db.prepare('SELECT a.*, o.op_id FROM attempts a JOIN operations o ON o.id = a.operation_id WHERE o.op_id = ? ORDER BY a.id').all(opId) as AttemptRow[];
    return rows.map(toAttemptRecord);
  }

  countByStatus(): Record<OperationStatus, number> {
    const out: Record<OperationStatus, number> = { pending: 0, succeeded: 0, refused: 0, parked: 0, acknowledged: 0 };
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM operations GROUP BY status').all() as { status: OperationStatus; n: number }[]) out[r.status] = r.n;
    return out;
  }

  totalOperations(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n;
  }

  /** Records the cashier's decision after a live attempt (accepted offline, benefit granted). */
  markGranted(opId: string, flags: { offlineAccepted: boolean; granted: boolean }): OperationRecord {
    const info = this.db
      .prepare('UPDATE operations SET offline_accepted = ?, granted = ?, updated_at = ? WHERE op_id = ?')
      .run(flags.offlineAccepted ? 1 : 0, flags.granted ? 1 : 0, this.#clock(), opId);
    if (info.changes === 0) throw new JournalError('NOT_FOUND', `no operation ${opId}`);
    return this.#mustGet(opId);
  }

  /** Manager: send a parked operation again — with its original request number. */
  retry(opId: string, actor: string): OperationRecord {
    const now = this.#clock();
    this.db
      .transaction(() => {
        const row = this.#byOpId.get(opId) as OperationRow | undefined;
        if (!row) throw new JournalError('NOT_FOUND', `no operation ${opId}`);
        if (row.status !== 'parked') throw new JournalError('NOT_PARKED', `operation ${opId} is ${row.status}, only a parked operation can be retried`);
        this.db.prepare("UPDATE operations SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE id = ?").run(now, now, row.id);
        this.#appendAttempt(row.id, { action: 'manager_retry', startedAt: now, finishedAt: now, outcome: 'retry', actor });
      })
      .immediate();
    return this.#mustGet(opId);
  }

  /**
   * Manager: a parked operation becomes final (`acknowledged`), unblocking its coupon. A
   * pending one stays in the queue — it may already have happened at WeChat Pay and must
   * still be confirmed — but is marked as seen, which is what closing a shift asks for.
   */
  acknowledge(opId: string, actor: string, note?: string): OperationRecord {
    const now = this.#clock();
    this.db
      .transaction(() => {
        const row = this.#byOpId.get(opId) as OperationRow | undefined;
        if (!row) throw new JournalError('NOT_FOUND', `no operation ${opId}`);
        if (row.status === 'parked') {
          this.db
            .prepare(
              "UPDATE operations SET status = 'acknowledged', resolution = 'acknowledged', resolved_at = ?, acknowledged_by = ?, acknowledged_at = ?, note = COALESCE(?, note), updated_at = ? WHERE id = ?",
            )
            .run(now, actor, now, note ?? null, now, row.id);
        } else if (row.status === 'pending') {
          this.db
            .prepare('UPDATE operations SET acknowledged_by = ?, acknowledged_at = ?, note = COALESCE(?, note), updated_at = ? WHERE id = ?')
            .run(actor, now, note ?? null, now, row.id);
        } else {
          throw new JournalError('NOTHING_TO_ACKNOWLEDGE', `operation ${opId} is ${row.status}: nothing to acknowledge`);
        }
        this.#appendAttempt(row.id, { action: 'manager_ack', startedAt: now, finishedAt: now, outcome: 'acknowledged', actor, message: note ?? null });
      })
      .immediate();
    return this.#mustGet(opId);
  }

  #mustGet(opId: string): OperationRecord {
    const op = this.get(opId);
    if (!op) throw new JournalError('NOT_FOUND', `no operation ${opId}`);
    return op;
  }

  /** Makes every waiting pending operation due now (connectivity came back). */
  makeDueNow(): number {
    const now = this.#clock();
    return this.db.prepare("UPDATE operations SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?").run(now, now).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
