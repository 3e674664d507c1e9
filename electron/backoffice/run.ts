// One attempt at a back-office operation already in the journal: send its stored request with
// its stored number, classify the answer, append it. Unknown outcomes (timeout, network, 5xx,
// an answer that failed verification) leave it pending, to be resent with the same number.
import { RequestParamError, type EndpointId } from '../../shared/busifavor';
import type { Refusal } from '../../shared/refusals/refusal';
import { isUnreadableSuccess, type BusifavorClient } from '../busifavor';
import type { BackofficeJournal, BackofficeRecord } from '../queue/backoffice-journal';
import { WechatPayError, type ImageUploadInput } from '../wechatpay';

export interface RunDeps {
  journal: BackofficeJournal;
  client: Pick<BusifavorClient, 'call'>;
  clock: () => number;
}

/** What became of an operation while the manager waited. */
export interface RunOutcome {
  status: 'succeeded' | 'pending' | 'refused';
  operation: BackofficeRecord;
  reason?: Refusal;
}

export class BackofficeError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'STATE_CONFLICT' | 'CONFIGURATION',
    message: string,
  ) {
    super(message);
    this.name = 'BackofficeError';
  }
}

export function outcomeOf(op: BackofficeRecord): RunOutcome {
  if (op.status !== 'refused') return { status: op.status, operation: op };
  return {
    status: 'refused',
    operation: op,
    reason: { code: 'WECHAT_REFUSED', params: { wechatCode: op.lastCode, wechatMessage: op.lastMessage, requestId: op.lastRequestId } },
  };
}

const inFlight = new Map<string, Promise<BackofficeRecord>>();

/**
 * Sends a pending operation once (joining an attempt already in flight for it). `upload` is the
 * image itself, which the journal does not keep: an image upload can only be attempted with it.
 */
export function attempt(deps: RunDeps, op: BackofficeRecord, actor: string, upload?: ImageUploadInput): Promise<BackofficeRecord> {
  if (op.status !== 'pending') return Promise.resolve(op);
  const running = inFlight.get(op.opId);
  if (running) return running;
  const work = send(deps, op, actor, upload).finally(() => inFlight.delete(op.opId));
  inFlight.set(op.opId, work);
  return work;
}

async function send(deps: RunDeps, op: BackofficeRecord, actor: string, upload: ImageUploadInput | undefined): Promise<BackofficeRecord> {
  const startedAt = deps.clock();
  const { path, query, body } = op.request;
  try {
    const res = await deps.client.call(op.endpoint as EndpointId, {
      ...(path ? { path: path as never } : {}),
      ...(query ? { query: query as never } : {}),
      ...(body && !upload ? { body: body as never } : {}),
      ...(upload ? { upload } : {}),
    });
    const data = (res.data ?? null) as { stock_id?: unknown } | null;
    const created = op.kind === 'stock_create' && typeof data?.stock_id === 'string' ? { stockId: data.stock_id } : {};
    return deps.journal.recordAttempt(op.opId, {
      startedAt,
      finishedAt: deps.clock(),
      outcome: 'succeeded',
      httpStatus: res.status,
      code: null,
      message: null,
      requestId: res.requestId ?? null,
      actor,
      status: 'succeeded',
      result: data,
      ...created,
    });
  } catch (err) {
    const failed = describe(err);
    // A verified success whose body we could not read: it happened.
    const status = isUnreadableSuccess(err) ? 'succeeded' : failed.outcome === 'rejected' || failed.outcome === 'refused' ? 'refused' : 'pending';
    return deps.journal.recordAttempt(op.opId, { startedAt, finishedAt: deps.clock(), actor, status, ...failed });
  }
}

function describe(err: unknown): { outcome: string; httpStatus: number | null; code: string | null; message: string | null; requestId: string | null } {
  if (err instanceof WechatPayError)
    return { outcome: err.kind, httpStatus: err.httpStatus ?? null, code: err.code ?? null, message: err.message, requestId: err.requestId ?? null };
  // The journal validated the request before writing it; a refusal here means the schema changed since.
  if (err instanceof RequestParamError) return { outcome: 'refused', httpStatus: null, code: err.paramError.code, message: err.message, requestId: null };
  return { outcome: 'unknown_outcome', httpStatus: null, code: 'INTERNAL', message: err instanceof Error ? err.name : 'error', requestId: null };
}

/** The manager sends a pending operation again: the same request, the same number. */
export async function retry(deps: RunDeps, opId: string, actor: string): Promise<RunOutcome> {
  const op = deps.journal.get(opId);
  if (!op) throw new BackofficeError('NOT_FOUND', `no back-office operation ${opId}`);
  if (op.status !== 'pending') return outcomeOf(op);
  if (op.kind === 'image_upload') throw new BackofficeError('STATE_CONFLICT', 'an image upload is retried by uploading the file again (the same file gets the same URL)');
  return outcomeOf(await attempt(deps, op, actor));
}

/** Resends what a restart left pending (not images: the file is not kept). */
export async function resendPending(deps: RunDeps, actor: string): Promise<number> {
  const pending = deps.journal.list({ status: 'pending' }).filter((op) => op.kind !== 'image_upload');
  for (const op of pending.reverse()) await attempt(deps, op, actor);
  return pending.length;
}
