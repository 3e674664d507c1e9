import { z } from 'zod';
import { Fen } from '../money';
import { Refusal } from '../refusals/refusal';
import { ActionStatus, OperationStatus } from './operations';
import { CouponCode, StockId } from './till';

// Orders: what a cashier checks out. An order has an amount, optionally the WeChat Pay order
// number (`out_trade_no`) the store's register took the payment under, and the coupons applied
// to it; what is left to pay is the amount less the coupons granted so far.

/**
 * The merchant's order number of a WeChat Pay payment: WeChat's payment APIs allow at most 32
 * characters of letters, digits and _ - | * (docs/wechatpay/busifavor.md#coupon-operations).
 */
export const OutTradeNo = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_|*-]+$/, 'letters, digits and _ - | * only');
export const OrderId = z.string().min(1).max(64);

/** The coupon's link to the WeChat Pay order: made before the coupon is used. */
export const OrderLink = z.object({
  operationId: z.string(),
  requestNo: z.string(),
  status: OperationStatus,
  /** Why WeChat Pay refused the link (the coupon was redeemed anyway). */
  reason: Refusal.optional(),
});
export type OrderLink = z.infer<typeof OrderLink>;

export const OrderCoupon = z.object({
  code: z.string(),
  stockId: z.string(),
  stockName: z.string().nullable(),
  discountFen: Fen,
  /** The use operation's status. */
  status: OperationStatus,
  /** The customer was given the discount (WeChat Pay confirmed, or accepted offline under the store's rules). */
  granted: z.boolean(),
  /** Accepted while WeChat Pay could not be reached; not confirmed yet. */
  offline: z.boolean(),
  operationId: z.string(),
  requestNo: z.string(),
  reason: Refusal.optional(),
  /** Null when the order has no WeChat Pay order number. */
  link: OrderLink.nullable(),
});
export type OrderCoupon = z.infer<typeof OrderCoupon>;

export const OrderStatus = z.enum(['open', 'finished', 'cancelled']);
export type OrderStatus = z.infer<typeof OrderStatus>;
export const OrderSource = z.enum(['till', 'register']);
export type OrderSource = z.infer<typeof OrderSource>;

export const OrderView = z.object({
  orderId: z.string(),
  tillId: z.string(),
  amountFen: Fen,
  outTradeNo: z.string().nullable(),
  /** Who opened it: the cashier at this till, or the store's register through its API. */
  source: OrderSource,
  status: OrderStatus,
  coupons: z.array(OrderCoupon),
  /** Sum of the discounts granted. */
  discountFen: Fen,
  /** What the customer pays: the amount less the discounts granted. */
  payableFen: Fen,
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});
export type OrderView = z.infer<typeof OrderView>;

export const OrderOpenInput = z
  .object({
    amountFen: Fen.refine((f) => f > 0, 'an order amount must be more than 0'),
    outTradeNo: OutTradeNo.optional(),
    /** The register names the till it is ringing up on; it must be this one. */
    tillId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,16}$/)
      .optional(),
  })
  .strict();
export const OrderRef = z.object({ orderId: OrderId }).strict();

export const RedeemInput = z.object({ orderId: OrderId, code: CouponCode, stockId: StockId }).strict();

export const RedeemResult = z.object({
  status: ActionStatus,
  /** The coupon as it now stands on the order; absent when the till declined before writing anything. */
  coupon: OrderCoupon.optional(),
  order: OrderView,
  reason: Refusal.optional(),
});
export type RedeemResult = z.infer<typeof RedeemResult>;

/**
 * The store's rules for several coupons on one order (set in the store preset, changeable by a
 * manager). `thresholdBasis`: a coupon's minimum is checked against the whole order, or against
 * what is left to pay after the coupons already applied.
 */
export const StackingPolicy = z.strictObject({
  maxCouponsPerOrder: z.number().int().min(1).max(20),
  sameStockTwice: z.boolean(),
  thresholdBasis: z.enum(['order_amount', 'remaining']),
  /** Every coupon must be linked to a WeChat Pay order: no redemption without an order number. */
  requireOrderNumber: z.boolean(),
});
export type StackingPolicy = z.infer<typeof StackingPolicy>;

export const StackingPolicyView = z.object({
  policy: StackingPolicy,
  /** default: the app's; preset: the store's installer; manager: set at the till (who and when below). */
  source: z.enum(['default', 'preset', 'manager']),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type StackingPolicyView = z.infer<typeof StackingPolicyView>;
