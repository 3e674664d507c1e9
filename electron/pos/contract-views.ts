// The POS domain as the contract shows it: journal operations, orders and shifts become the
// views every screen and posctl print. The one place these mappings are written.
import type { OrderCoupon, OrderView, QueueItem, ShiftView } from '../../shared/contract';
import type { OperationRecord } from '../queue/records';
import { grantedDiscount, type OrderRecord } from './orders';
import { refusals, type Refusal } from './refusals';
import type { Shift } from './shift-report';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Why WeChat Pay refused an operation, from what the journal kept of its answer. */
export const refusalOf = (op: OperationRecord): Refusal => refusals.wechatRefused(op.lastCode, op.lastMessage, op.lastRequestId);

export const queueItem = (op: OperationRecord): QueueItem => ({
  operationId: op.opId,
  kind: op.kind,
  code: op.couponCode,
  stockId: op.stockId ?? '',
  requestNo: op.requestNo,
  status: op.status,
  attempts: op.attempts,
  createdAt: new Date(op.createdAt).toISOString(),
  orderId: op.orderId,
  outTradeNo: op.outTradeNo,
  ...(op.lastMessage
    ? { lastError: { message: op.lastMessage, ...(op.lastCode ? { code: op.lastCode } : {}), ...(op.lastRequestId ? { requestId: op.lastRequestId } : {}) } }
    : {}),
  ...(op.kind === 'use' && op.discountFen !== null ? { discountFen: op.discountFen } : {}),
  training: op.training,
});

const failedOutcome = (op: OperationRecord) => op.status === 'refused' || op.status === 'parked' || op.status === 'acknowledged';

/** One coupon on its order: the use and, when the order has a WeChat Pay number, the link made before it. */
export function orderCoupon(use: OperationRecord, link: OperationRecord | undefined, stockName: string | null): OrderCoupon {
  return {
    code: use.couponCode,
    stockId: use.stockId ?? '',
    stockName,
    discountFen: use.discountFen ?? 0,
    status: use.status,
    granted: use.granted && use.status !== 'refused',
    offline: use.offlineAccepted,
    operationId: use.opId,
    requestNo: use.requestNo,
    ...(failedOutcome(use) ? { reason: refusalOf(use) } : {}),
    link: link ? { operationId: link.opId, requestNo: link.requestNo, status: link.status, ...(failedOutcome(link) ? { reason: refusalOf(link) } : {}) } : null,
  };
}

/** The order with its coupons (the journal's operations that name it), and what is left to pay. */
export function orderView(order: OrderRecord, ops: readonly OperationRecord[], stockName: (id: string) => string | null): OrderView {
  const uses = ops.filter((o) => o.kind === 'use');
  const links = ops.filter((o) => o.kind === 'associate');
  const coupons = uses.map((use) => {
    // The link written just before this use, for the same coupon.
    const link = links.filter((l) => l.couponCode === use.couponCode && l.id < use.id).at(-1);
    return orderCoupon(use, link, use.stockId ? stockName(use.stockId) : null);
  });
  const discountFen = Math.min(
    order.amountFen,
    uses.reduce((sum, u) => sum + grantedDiscount(u), 0),
  );
  return {
    orderId: order.orderId,
    tillId: order.tillId,
    amountFen: order.amountFen,
    outTradeNo: order.outTradeNo,
    source: order.source,
    status: order.status,
    coupons,
    discountFen,
    payableFen: order.amountFen - discountFen,
    createdAt: new Date(order.createdAt).toISOString(),
    closedAt: iso(order.closedAt),
  };
}

export const shiftView = (s: Shift): ShiftView => ({
  shiftId: s.shiftId,
  tillId: s.tillId,
  cashierIds: s.cashierIds,
  training: s.training,
  openedAt: new Date(s.openedAt).toISOString(),
});
