import { z } from 'zod';
import { COUPON_STATES } from '../busifavor/enums';
import { Fen } from '../money';
import { Refusal } from '../refusals/refusal';

// The cashier's side of the contract: scan → what is it worth on this order → redeem, and the
// shift. Amounts are integers in fen, as WeChat Pay counts them.

export const StockId = z.string().regex(/^\d{1,20}$/);
export const CouponCode = z.string().min(1).max(32);
export const CashierId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);

/** WeChat's coupon state as the till knows it: UNKNOWN when it could not ask (offline, no owner). */
export const CouponStateView = z.enum([...COUPON_STATES, 'UNKNOWN']);
export type CouponStateView = z.infer<typeof CouponStateView>;

/** A stock's rules, flat, as the till shows and applies them. */
export const StockView = z.object({
  stockId: z.string(),
  stockName: z.string(),
  stockType: z.enum(['NORMAL', 'DISCOUNT', 'EXCHANGE']),
  stockState: z.string(),
  couponCodeMode: z.string(),
  goodsName: z.string(),
  description: z.string().optional(),
  discountAmountFen: Fen.optional(),
  discountPercent: z.number().int().min(0).max(100).optional(),
  exchangePriceFen: Fen.optional(),
  transactionMinimumFen: Fen,
  availableBegin: z.string(),
  availableEnd: z.string(),
});
export type StockView = z.infer<typeof StockView>;

/** What one more coupon would do to an order. */
export const Quote = z.object({
  qualifies: z.boolean(),
  discountFen: Fen,
  /** What is left to pay before this coupon. */
  payableBeforeFen: Fen,
  /** What is left to pay after it. */
  payableFen: Fen,
  /** The amount the coupon's threshold was checked against (the order, or what is left: the store's rule). */
  basisFen: Fen,
  shortfallFen: Fen,
  /** EXCHANGE: the price the customer pays for the exchanged item. */
  exchangePriceFen: Fen.optional(),
});
export type Quote = z.infer<typeof Quote>;

export const CouponView = z.object({
  code: z.string(),
  stock: StockView,
  /** WeChat Pay's state for the coupon, or UNKNOWN when nobody has asked WeChat Pay about it. */
  state: CouponStateView,
  /**
   * Where `state` comes from — wechat: WeChat Pay answered just now (verified); till: what this
   * till last saw or did (not verified now); none: nothing is known about this coupon beyond its
   * stock's rules (not verified).
   */
  source: z.enum(['wechat', 'till', 'none']),
  /** The coupon's own validity, when known (it can be narrower than its stock's). */
  availableStart: z.string().nullable(),
  expire: z.string().nullable(),
  /** Whether the till would redeem it on this order now, and if not, why. */
  usable: z.object({ ok: z.boolean(), reason: Refusal.optional() }),
  quote: Quote.optional(),
});
export type CouponView = z.infer<typeof CouponView>;

export const ScanResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('coupon'), coupon: CouponView }),
  /** A coupon code this till cannot place: the cashier picks its stock (likely ones first). */
  z.object({
    kind: z.literal('choose_stock'),
    code: z.string(),
    stocks: z.array(StockView),
    /** Whether this till has any record of the code (a customer's wallet, its own journal): an unknown code may be mistyped. */
    known: z.boolean(),
  }),
  z.object({ kind: z.literal('payment_code'), reason: Refusal }),
  z.object({ kind: z.literal('invalid'), reason: Refusal }),
  z.object({ kind: z.literal('not_found'), code: z.string(), reason: Refusal }),
]);
export type ScanResult = z.infer<typeof ScanResult>;

export const ScanInput = z
  .object({
    raw: z.string().max(512),
    /** Quote against this open order (what is left to pay, the coupons already on it). */
    orderId: z.string().min(1).max(64).optional(),
    /** Or against a new order of this amount. */
    orderAmountFen: Fen.optional(),
    stockId: StockId.optional(),
  })
  .strict();

export const ShiftView = z.object({
  shiftId: z.string(),
  tillId: z.string(),
  cashierIds: z.array(z.string()),
  training: z.boolean(),
  openedAt: z.string(),
});
export type ShiftView = z.infer<typeof ShiftView>;

export const ShiftOpenInput = z.object({ cashierId: CashierId }).strict();
