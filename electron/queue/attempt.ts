// One attempt at one operation: optionally reconcile first (after an unknown outcome, ask
// WeChat Pay what the coupon looks like), then send the stored body with its stored request
// number, and classify what came back. No journal writes here — the drainer does those.
import { RequestParamError, type CouponEntity, type EndpointId } from '../../shared/busifavor';
import { WechatPayError } from '../wechatpay';
import { isUnreadableSuccess, type BusifavorClient } from '../busifavor';
import type { AttemptEntry } from './journal';
import type { OperationRecord } from './records';

export type AttemptResult =
  | { kind: 'succeeded'; resolution: 'sent' | 'reconciled'; result: unknown }
  | { kind: 'refused' }
  /** Outcome unknown (or answer untrusted): resend later with the same number. */
  | { kind: 'retry'; offline: boolean };

export interface AttemptReport {
  result: AttemptResult;
  /** Attempt rows to append, in order (a reconciliation query, then the send). */
  entries: AttemptEntry[];
  /** The send's details, for the operation's `last_*` columns. */
  last: { outcome: string; httpStatus: number | null; code: string | null; message: string | null; requestId: string | null } | null;
}

/** Outcomes after which WeChat Pay may or may not have applied the operation. */
export const UNKNOWN_OUTCOMES = new Set(['unknown_outcome', 'security', 'configuration']);

export type CouponCaller = Pick<BusifavorClient, 'call'>;

/**
 * Whether the coupon shows that this very operation was applied. Only a positive answer is
 * acted on: "not visible" may just mean a later operation overwrote the field, and resending
 * with the same request number is what settles it for sure.
 */
export function showsApplied(op: OperationRecord, coupon: CouponEntity): boolean {
  switch (op.kind) {
    case 'use':
      return coupon.use_request_no === op.requestNo;
    case 'return':
      return coupon.return_request_no === op.requestNo;
    case 'deactivate':
      return coupon.deactivate_request_no === op.requestNo;
    case 'associate':
      return op.outTradeNo !== null && coupon.associate_out_trade_no === op.outTradeNo;
    case 'disassociate':
      // The coupon keeps no trace of which request removed a link.
      return false;
  }
}

export function canReconcile(op: OperationRecord): boolean {
  return op.openid !== null && op.appid !== null && op.kind !== 'disassociate' && op.lastOutcome !== null && UNKNOWN_OUTCOMES.has(op.lastOutcome);
}

function describe(err: unknown): { outcome: string; httpStatus: number | null; code: string | null; message: string | null; requestId: string | null } {
  if (err instanceof WechatPayError) {
    return { outcome: err.kind, httpStatus: err.httpStatus ?? null, code: err.code ?? null, message: err.message, requestId: err.requestId ?? null };
  }
  if (err instanceof RequestParamError) return { outcome: 'refused', httpStatus: null, code: err.paramError.code, message: err.message, requestId: null };
  return { outcome: 'unknown_outcome', httpStatus: null, code: 'INTERNAL', message: err instanceof Error ? err.name : 'error', requestId: null };
}

// Only failures to open a connection at all mean "offline"; a reset mid-request is an
// ordinary unknown outcome (the server was there) and must not pause the whole queue.
const NO_CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

export function couldNotConnect(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NO_CONNECTION.has(code)) return true;
    // AggregateError (happy-eyeballs: every address refused) carries its causes in `errors`.
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.length > 0 && inner.every((x) => NO_CONNECTION.has(String((x as { code?: unknown }).code)))) return true;
  }
  return false;
}

async function reconcile(client: CouponCaller, op: OperationRecord, now: () => number): Promise<{ applied: boolean; entry: AttemptEntry }> {
  const startedAt = now();
  try {
    const res = await client.call('userCoupons.get', { path: { openid: op.openid ?? '', coupon_code: op.couponCode, appid: op.appid ?? '' } });
    const applied = showsApplied(op, res.data);
    return {
      applied,
      entry: {
        action: 'reconcile',
        startedAt,
        finishedAt: now(),
        outcome: applied ? 'applied' : 'inconclusive',
        httpStatus: res.status,
        message: `coupon_state ${res.data.coupon_state}`,
        requestId: res.requestId ?? null,
      },
    };
  } catch (err) {
    const d = describe(err);
    return {
      applied: false,
      entry: { action: 'reconcile', startedAt, finishedAt: now(), outcome: 'inconclusive', httpStatus: d.httpStatus, code: d.code, message: d.message, requestId: d.requestId },
    };
  }
}

export async function runAttempt(client: CouponCaller, op: OperationRecord, options: { reconcile: boolean; now: () => number; signal?: AbortSignal }): Promise<AttemptReport> {
  const entries: AttemptEntry[] = [];
  if (options.reconcile && canReconcile(op)) {
    const r = await reconcile(client, op, options.now);
    entries.push(r.entry);
    if (r.applied) return { result: { kind: 'succeeded', resolution: 'reconciled', result: null }, entries, last: null };
  }
  const startedAt = options.now();
  try {
    const res = await client.call(op.endpoint as EndpointId, { body: op.body as never, ...(options.signal ? { signal: options.signal } : {}) });
    const last = { outcome: 'succeeded', httpStatus: res.status, code: null, message: null, requestId: res.requestId ?? null };
    entries.push({ action: 'send', startedAt, finishedAt: options.now(), ...last });
    return { result: { kind: 'succeeded', resolution: 'sent', result: res.data ?? null }, entries, last };
  } catch (err) {
    const last = describe(err);
    if (isUnreadableSuccess(err)) {
      // A verified success with an unreadable body: it happened.
      const ok = { ...last, outcome: 'succeeded' };
      entries.push({ action: 'send', startedAt, finishedAt: options.now(), ...ok });
      return { result: { kind: 'succeeded', resolution: 'sent', result: null }, entries, last: ok };
    }
    entries.push({ action: 'send', startedAt, finishedAt: options.now(), ...last });
    if (last.outcome === 'rejected' || last.outcome === 'refused') return { result: { kind: 'refused' }, entries, last };
    return { result: { kind: 'retry', offline: couldNotConnect(err) }, entries, last };
  }
}

/** Where an attempt left its operation: done (either way), parked for a manager, or to be sent again. */
export type Settlement = 'resolved' | 'parked' | 'retry';

/**
 * Applies an attempt's report to its operation in place: the attempt counted when something
 * was sent, the send's answer kept, and the status it moves to. `finalIfRefused`: a refusal
 * ends the operation (someone watched it, or it is an order link) instead of parking it;
 * `retryDelay` is asked once the attempt is counted. A lost report (`null`) is an unknown
 * outcome: sent again later with the same request number.
 */
export function applyReport(
  op: OperationRecord,
  report: AttemptReport | null,
  rules: { now: number; finalIfRefused: boolean; retryDelay: (attempts: number) => number },
): { settlement: Settlement; offline: boolean } {
  const result = report?.result ?? { kind: 'retry', offline: false };
  const sent = report?.entries.some((e) => e.action === 'send') ?? true;
  if (sent) op.attempts += 1;
  if (report?.last) {
    op.lastOutcome = report.last.outcome;
    op.lastHttpStatus = report.last.httpStatus;
    op.lastCode = report.last.code;
    op.lastMessage = report.last.message;
    op.lastRequestId = report.last.requestId;
  }
  if (result.kind === 'succeeded') {
    op.status = 'succeeded';
    op.resolution = result.resolution;
    op.result = result.result;
    op.resolvedAt = rules.now;
    return { settlement: 'resolved', offline: false };
  }
  if (result.kind === 'refused') {
    op.status = rules.finalIfRefused ? 'refused' : 'parked';
    op.resolvedAt = rules.finalIfRefused ? rules.now : null;
    return { settlement: rules.finalIfRefused ? 'resolved' : 'parked', offline: false };
  }
  op.nextAttemptAt = rules.now + rules.retryDelay(Math.max(1, op.attempts));
  return { settlement: 'retry', offline: result.offline };
}
