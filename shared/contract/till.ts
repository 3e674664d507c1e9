import { z } from 'zod';

// The cashier's side of the contract: scan → what is it worth → redeem, and the queue.
// Amounts are integers in fen, as WeChat Pay counts them.

const fen = z.number().int().min(0).max(100_000_000);

export const ScanReason = z.object({ code: z.string(), zh: z.string(), en: z.string() });

export const CouponState = z.enum(['SENDED', 'USED', 'EXPIRED', 'DELETED', 'DEACTIVATED', 'UNKNOWN']);

export const StockView = z.object({
  stockId: z.string(),
  stockName: z.string(),
  stockType: z.enum(['NORMAL', 'DISCOUNT', 'EXCHANGE']),
  goodsName: z.string(),
  description: z.string().optional(),
  discountAmountFen: fen.optional(),
  discountPercent: z.number().int().min(1).max(100).optional(),
  exchangePriceFen: fen.optional(),
  transactionMinimumFen: fen,
  availableBegin: z.string(),
  availableEnd: z.string(),
});
export type StockView = z.infer<typeof StockView>;

export const Quote = z.object({
  qualifies: z.boolean(),
  discountFen: fen,
  payableFen: fen,
  shortfallFen: fen,
});

export const CouponView = z.object({
  code: z.string(),
  stock: StockView,
  state: CouponState,
  /** Whether the coupon may be redeemed now, and if not, why (a reason code the UI translates). */
  usable: z.object({ ok: z.boolean(), reason: ScanReason.optional() }),
  quote: Quote.optional(),
  /** Where the facts came from: WeChat Pay just now, or the till's cache (offline). */
  source: z.enum(['wechat', 'cache']),
  /** The coupon's own validity as WeChat Pay reported it (it can be narrower than the stock's). */
  validity: z.object({ begin: z.string(), end: z.string() }).optional(),
  /** The code was new to this till and the chain's events server could not be asked which stock and owner it has (未核实). */
  unverified: z.boolean().optional(),
});
export type CouponView = z.infer<typeof CouponView>;

export const ScanResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('coupon'), coupon: CouponView }),
  /** The code is a coupon code, but the till must ask which stock it belongs to. */
  z.object({ kind: z.literal('choose_stock'), code: z.string(), stocks: z.array(StockView) }),
  z.object({ kind: z.literal('payment_code'), reason: ScanReason }),
  z.object({ kind: z.literal('invalid'), reason: ScanReason }),
  z.object({ kind: z.literal('not_found'), code: z.string(), reason: ScanReason }),
]);
export type ScanResult = z.infer<typeof ScanResult>;

export const ScanInput = z.object({
  raw: z.string().max(512),
  orderAmountFen: fen.optional(),
  stockId: z.string().regex(/^\d{1,20}$/).optional(),
}).strict();

export const RedeemInput = z.object({
  code: z.string().min(1).max(32),
  stockId: z.string().regex(/^\d{1,20}$/),
  orderAmountFen: fen,
  /** WeChat Pay order number to associate the coupon with, when the customer pays with WeChat. */
  outTradeNo: z.string().min(1).max(128).regex(/^[A-Za-z0-9_|*-]+$/).optional(),
}).strict();

/** done: WeChat Pay confirmed; pending: queued, not yet confirmed; rejected: refused while the cashier watched;
 * needs_attention: refused later, a manager must decide; acknowledged: a manager accepted the refusal. */
export const OperationStatus = z.enum(['done', 'pending', 'rejected', 'needs_attention', 'acknowledged']);

export const RedeemResult = z.object({
  /** Absent when the till refused before anything was written (threshold, validity, shift…). */
  operationId: z.string().optional(),
  requestNo: z.string().optional(),
  status: z.enum(['done', 'pending', 'rejected', 'refused']),
  discountFen: fen,
  payableFen: fen,
  /** Accepted under the offline policy: WeChat Pay has not confirmed it yet. */
  offline: z.boolean(),
  reason: ScanReason.optional(),
});
export type RedeemResult = z.infer<typeof RedeemResult>;

export const QueueItem = z.object({
  operationId: z.string(),
  kind: z.enum(['use', 'associate', 'disassociate', 'return', 'deactivate']),
  code: z.string(),
  stockId: z.string(),
  requestNo: z.string(),
  status: OperationStatus,
  attempts: z.number().int().min(0),
  createdAt: z.string(),
  lastError: z.object({ code: z.string().optional(), message: z.string(), requestId: z.string().optional() }).optional(),
  amountFen: fen.optional(),
  training: z.boolean(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const QueueSnapshot = z.object({
  online: z.boolean(),
  pending: z.number().int(),
  needsAttention: z.number().int(),
  items: z.array(QueueItem),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

export const ShiftView = z.object({
  shiftId: z.string(),
  tillId: z.string(),
  cashierIds: z.array(z.string()),
  training: z.boolean(),
  openedAt: z.string(),
});
export type ShiftView = z.infer<typeof ShiftView>;

export const ShiftOpenInput = z.object({ cashierId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/) }).strict();
