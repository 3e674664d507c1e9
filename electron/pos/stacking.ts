// Whether one more coupon may go on an order under the store's stacking rules, and what its
// threshold is checked against. Pure: the screen's quote and the redemption itself ask the
// same question and must get the same answer.
import type { StackingPolicy } from '../../shared/contract/order';
import type { OperationRecord } from '../queue/records';
import type { OrderAmounts } from './coupon-rules';
import { countsOnOrder, grantedDiscount, type OrderRecord } from './orders';
import { refusals, type Refusal } from './refusals';

export type StackVerdict = ({ ok: true } & OrderAmounts) | { ok: false; reason: Refusal };

/** What is left to pay on the order: its amount less the discounts granted so far. */
export function payableOf(order: Pick<OrderRecord, 'amountFen'>, ops: readonly OperationRecord[]): number {
  return Math.max(0, order.amountFen - ops.reduce((sum, op) => sum + grantedDiscount(op), 0));
}

export function judgeStack(
  policy: StackingPolicy,
  order: Pick<OrderRecord, 'amountFen'>,
  ops: readonly OperationRecord[],
  coupon: { code: string; stockId: string },
): StackVerdict {
  const onOrder = ops.filter(countsOnOrder);
  if (onOrder.some((op) => op.couponCode === coupon.code && op.stockId === coupon.stockId)) return { ok: false, reason: refusals.stackSameCoupon() };
  if (onOrder.length >= policy.maxCouponsPerOrder) return { ok: false, reason: refusals.stackLimit(policy.maxCouponsPerOrder) };
  if (!policy.sameStockTwice && onOrder.some((op) => op.stockId === coupon.stockId)) return { ok: false, reason: refusals.stackSameStock(coupon.stockId) };
  const payableFen = payableOf(order, ops);
  if (payableFen === 0) return { ok: false, reason: refusals.orderPaidInFull() };
  const basis = policy.thresholdBasis;
  return { ok: true, basis, basisFen: basis === 'remaining' ? payableFen : order.amountFen, payableFen };
}
