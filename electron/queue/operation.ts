// What the queue carries: coupon operations that change a coupon at WeChat Pay, each with the
// request number that makes resending it safe. The number is generated exactly once, when the
// operation is first written; nothing ever makes a new one for the same operation.
import { randomBytes } from 'node:crypto';
import { getEndpoint, RequestParamError, validateRequest, type EndpointId } from '../../shared/busifavor';
import type { OperationKind, OperationStatus } from '../../shared/contract/operations';
import { chinaParts } from '../../shared/time';

// The kinds and statuses are the contract's: the screens and posctl use the journal's words.
export type { OperationKind, OperationStatus } from '../../shared/contract/operations';

export const ENDPOINT_OF: Record<OperationKind, EndpointId> = {
  use: 'coupons.use',
  associate: 'coupons.associate',
  disassociate: 'coupons.disassociate',
  return: 'coupons.return',
  deactivate: 'coupons.deactivate',
};

/** Statuses that keep a coupon's lane waiting. */
export const OPEN_STATUSES: readonly OperationStatus[] = ['pending', 'parked'];

/** The business request, without its request number (the journal adds that). */
export type OperationRequest =
  | { kind: 'use'; coupon_code: string; stock_id?: string; appid: string; use_time: string; openid?: string }
  | { kind: 'associate' | 'disassociate'; coupon_code: string; stock_id: string; out_trade_no: string }
  | { kind: 'return'; coupon_code: string; stock_id: string }
  | { kind: 'deactivate'; coupon_code: string; stock_id: string; deactivate_reason?: string };

const KIND_LETTER: Record<OperationKind, string> = { use: 'U', associate: 'A', disassociate: 'D', return: 'R', deactivate: 'X' };
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `U20260101100000` + 12 random characters: 27 characters of the request-number charset,
 * inside the 2019 limit of 32 that some pages still show. 60 random bits make a collision
 * between tills of one merchant within the same second negligible; the journal's UNIQUE
 * constraint catches one on this till.
 */
export function newRequestNo(kind: OperationKind, nowMs: number, random: (n: number) => Buffer = randomBytes): string {
  return requestNoWithLetter(KIND_LETTER[kind], nowMs, random);
}

/** The same shape for any journal: one letter naming the kind, the +08:00 time, 12 random characters. */
export function requestNoWithLetter(letter: string, nowMs: number, random: (n: number) => Buffer = randomBytes): string {
  const p = chinaParts(new Date(nowMs));
  const stamp = `${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}${String(p.hour).padStart(2, '0')}${String(p.minute).padStart(2, '0')}${String(p.second).padStart(2, '0')}`;
  const bytes = random(12);
  let tail = '';
  for (let i = 0; i < 12; i++) tail += ALPHABET[(bytes[i] ?? 0) & 31];
  return `${letter}${stamp}${tail}`;
}

export function requestNoField(kind: OperationKind): string {
  const field = getEndpoint(ENDPOINT_OF[kind]).idempotencyKey;
  if (!field) throw new Error(`${kind} has no request-number field`);
  return field;
}

/**
 * The exact body to send on every attempt: the request plus its number, validated with the
 * endpoint's strict schema (throws RequestParamError — nothing is written or sent — when a
 * field is wrong). Keys come out in the schema's order, so re-validating a stored body gives
 * the same JSON byte for byte.
 */
export function buildBody(request: OperationRequest, requestNo: string): Record<string, unknown> {
  const { kind, ...fields } = request;
  const body: Record<string, unknown> = { ...fields, [requestNoField(kind)]: requestNo };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  const checked = validateRequest(getEndpoint(ENDPOINT_OF[kind]), { body });
  if (!checked.ok) throw new RequestParamError(checked.error);
  return checked.value.body as Record<string, unknown>;
}

/** Operations on one coupon run in order; codes are unique per stock, so the code alone is a safe (if coarse) lane. */
export function laneOf(couponCode: string): string {
  return couponCode;
}
