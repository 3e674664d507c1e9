// Why the till will not do something, or why a scan is not a coupon: a stable code and the
// numbers and ids behind it. No sentences here: the renderer's catalogues (and posctl, from
// the English catalogue beside this file) turn a refusal into words in the reader's language,
// so the main process never decides how a cashier is spoken to.
import { z } from 'zod';

export const REFUSAL_CODES = [
  // What was scanned is not a coupon code.
  'PAYMENT_CODE',
  'EMPTY_SCAN',
  'MULTIPLE_LINES',
  'LOOKS_LIKE_URL',
  'ILLEGAL_CHARACTER',
  'TOO_LONG',
  // The till declines before anything is sent.
  'BAD_AMOUNT',
  'INVALID_FIELD',
  'NO_OPEN_SHIFT',
  'STOCK_UNKNOWN',
  'STOCK_UNAVAILABLE',
  'BELOW_MINIMUM',
  'RULE_UNSUPPORTED',
  'NOT_YET_EFFECTIVE',
  'EXPIRED',
  'NO_VALID_PERIOD',
  'OUTSIDE_WEEKLY_WINDOW',
  'OUTSIDE_IRREGULAR_WINDOW',
  'OUTSIDE_TIME_WINDOWS',
  'COUPON_NOT_USABLE',
  'ALREADY_REDEEMED_HERE',
  'COUPON_NEEDS_ATTENTION',
  'ASSOCIATE_NEEDS_UNUSED',
  'RETURN_NEEDS_USED',
  'DEACTIVATE_NEEDS_UNUSED',
  'MANAGER_REQUIRED',
  'JOURNAL_UNWRITABLE',
  // Orders and the store's stacking rules.
  'ORDER_NOT_OPEN',
  'ORDER_NUMBER_REQUIRED',
  'ORDER_LOCKED',
  'ORDER_HAS_COUPONS',
  'ORDER_OPEN_ELSEWHERE',
  'ORDER_PAID_IN_FULL',
  'STACK_LIMIT',
  'STACK_SAME_STOCK',
  'STACK_SAME_COUPON',
  // WeChat Pay cannot be reached, and the store's offline rules say no.
  'OFFLINE',
  'OFFLINE_STOCK_NOT_CACHED',
  'OFFLINE_DISCOUNT_LIMIT',
  'OFFLINE_COUNT_LIMIT',
  'OFFLINE_TOTAL_LIMIT',
  'OFFLINE_STATE_UNKNOWN',
  // WeChat Pay's own answer.
  'WECHAT_REFUSED',
  'OUTCOME_PENDING',
] as const;

export const RefusalCode = z.enum(REFUSAL_CODES);
export type RefusalCode = z.infer<typeof RefusalCode>;

/** Amounts are fen and their names end in `Fen`, so every catalogue formats them the same way. */
export const RefusalParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type RefusalParams = z.infer<typeof RefusalParams>;

export const Refusal = z.object({ code: RefusalCode, params: RefusalParams });
export type Refusal = z.infer<typeof Refusal>;

export const refusal = (code: RefusalCode, params: RefusalParams = {}): Refusal => ({ code, params });

/** The codes that say what was scanned is not a coupon code at all (nothing was looked up). */
export const SCAN_REFUSALS = new Set<RefusalCode>(['PAYMENT_CODE', 'EMPTY_SCAN', 'MULTIPLE_LINES', 'LOOKS_LIKE_URL', 'ILLEGAL_CHARACTER', 'TOO_LONG']);

/** A catalogue: one sentence per code, in one language, from the refusal's parameters. */
export type RefusalCatalogue = { readonly [C in RefusalCode]: (p: RefusalParams) => string };

// Parameter readers for catalogues: a missing parameter reads as empty, never as "undefined".
export const str = (p: RefusalParams, key: string): string => {
  const v = p[key];
  return v === null || v === undefined ? '' : String(v);
};
export const num = (p: RefusalParams, key: string): number => {
  const v = p[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};
