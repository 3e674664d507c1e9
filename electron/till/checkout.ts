// The cashier's use cases on the running till, in the contract's terms: scan a code against
// the order, open and finish orders, redeem onto them, the queue and the shift. The domain
// decides (electron/pos); this turns its answers into the contract's views.
import type { z } from 'zod';
import { PosError, type OrderView, type QueueSnapshot, type RedeemResult, type ScanResult } from '../../shared/contract';
import type { OrderOpenInput, RedeemInput, ScanInput } from '../../shared/contract';
import { OrderNotFoundError, orderCoupon, orderView, queueItem, shiftView, stockView, type OrderChange, type OrderRecord } from '../pos';
import type { OperationRecord } from '../queue/records';
import type { TillRuntime } from './runtime';

const stockNameOf = (rt: TillRuntime) => (id: string) => rt.pos.stocks.peek(id)?.stock.stock_name ?? null;

export function viewOrder(rt: TillRuntime, order: OrderRecord): OrderView {
  return orderView(order, rt.pos.orders.operations(order.orderId), stockNameOf(rt));
}

function findOrder(rt: TillRuntime, orderId: string): OrderRecord {
  const order = rt.pos.orders.find(orderId);
  if (!order || order.tillId !== rt.tillId) throw new PosError('NOT_FOUND', `no order ${orderId} on till ${rt.tillId}`);
  return order;
}

/** An order change the till refused becomes a typed error the screen (or the register) can explain. */
function changed(rt: TillRuntime, change: OrderChange): OrderView {
  if (!change.ok) throw new PosError('STATE_CONFLICT', `order refused: ${change.reason.code}`, { refusal: change.reason });
  rt.orderChanged(change.order.orderId);
  return viewOrder(rt, change.order);
}

export async function scan(rt: TillRuntime, input: z.output<typeof ScanInput>): Promise<ScanResult> {
  const found = await rt.pos.lookup.lookup(input.raw, input.stockId ? { stockId: input.stockId } : {});
  switch (found.kind) {
    case 'payment_code':
    case 'invalid':
      return { kind: found.kind, reason: found.reason };
    case 'choose_stock':
      if (found.candidates.length === 0) return { kind: 'not_found', code: found.code, reason: { code: 'STOCK_UNKNOWN', params: {} } };
      return { kind: 'choose_stock', code: found.code, stocks: found.candidates.map((c) => stockView(c.stock)), known: found.known };
    case 'coupon':
      break;
  }
  if (!found.stock) return { kind: 'not_found', code: found.code, reason: found.problems[0] ?? { code: 'STOCK_UNAVAILABLE', params: { stockId: found.stockId } } };
  const order = input.orderId ? findOrder(rt, input.orderId) : undefined;
  const amountFen = order?.amountFen ?? input.orderAmountFen;
  const judged = amountFen === undefined ? undefined : rt.pos.redemption.judge(found.stock, order ?? { amountFen, orderId: null }, found.code);
  // The coupon's own problems (validity, state) come before the order's (stacking, threshold).
  const reason = found.problems[0] ?? (judged && !judged.ok ? judged.reason : undefined);
  const quote = judged?.quote;
  return {
    kind: 'coupon',
    coupon: {
      code: found.code,
      stock: stockView(found.stock.stock),
      state: toCouponState(found.facts?.state),
      source: found.facts?.source ?? 'none',
      availableStart: found.facts?.availableStartTime ?? null,
      expire: found.facts?.expireTime ?? null,
      usable: reason ? { ok: false, reason } : { ok: true },
      ...(quote ? { quote } : {}),
    },
  };
}

const STATES = new Set(['SENDED', 'USED', 'EXPIRED', 'DELETED', 'DEACTIVATED']);
const toCouponState = (s: string | null | undefined) => (s && STATES.has(s) ? (s as 'SENDED') : 'UNKNOWN');

export function openOrder(rt: TillRuntime, input: z.output<typeof OrderOpenInput>, source: 'till' | 'register'): OrderView {
  if (input.tillId !== undefined && input.tillId !== rt.tillId) throw new PosError('NOT_FOUND', `this is till ${rt.tillId}, not ${input.tillId}`);
  const shift = rt.pos.shifts.current(rt.tillId);
  return changed(
    rt,
    rt.pos.orders.open({
      tillId: rt.tillId,
      shiftId: shift?.shiftId ?? null,
      amountFen: input.amountFen,
      outTradeNo: input.outTradeNo ?? null,
      source,
      training: rt.mode === 'training',
    }),
  );
}

export function currentOrder(rt: TillRuntime): OrderView | null {
  const order = rt.pos.orders.current(rt.tillId);
  return order ? viewOrder(rt, order) : null;
}

export const getOrder = (rt: TillRuntime, orderId: string): OrderView => viewOrder(rt, findOrder(rt, orderId));

export function finishOrder(rt: TillRuntime, orderId: string): OrderView {
  findOrder(rt, orderId);
  return changed(rt, rt.pos.orders.finish(orderId));
}

export function cancelOrder(rt: TillRuntime, orderId: string): OrderView {
  findOrder(rt, orderId);
  return changed(rt, rt.pos.orders.cancel(orderId));
}

export async function redeem(rt: TillRuntime, input: z.output<typeof RedeemInput>, cashierId?: string): Promise<RedeemResult> {
  findOrder(rt, input.orderId);
  let out;
  try {
    out = await rt.pos.redemption.redeem({ orderId: input.orderId, code: input.code, stockId: input.stockId, ...(cashierId ? { cashierId } : {}) });
  } catch (err) {
    if (err instanceof OrderNotFoundError) throw new PosError('NOT_FOUND', err.message);
    throw err;
  }
  const order = viewOrder(rt, rt.pos.orders.get(input.orderId));
  if (out.status === 'declined') return { status: 'declined', order, reason: out.reason };
  rt.orderChanged(input.orderId);
  const coupon = orderCoupon(out.use, out.link ?? undefined, rt.pos.stocks.peek(out.use.stockId ?? '')?.stock.stock_name ?? null);
  return { status: out.status, coupon, order, ...(out.reason ? { reason: out.reason } : {}) };
}

/**
 * What the cashier sees: everything still open, then this shift's latest operations, newest
 * first, at most 50 — except operations parked for a manager, which are always all there (the
 * manager's desk works from this list, and a shift cannot close while one is left).
 */
export function queueSnapshot(rt: TillRuntime): QueueSnapshot {
  const { pos } = rt;
  const status = pos.drainer.status();
  const shift = pos.shifts.current(rt.tillId);
  const seen = new Map<string, OperationRecord>();
  for (const op of [...pos.journal.openOperations(), ...(shift ? pos.shifts.operations(shift.shiftId).slice(-30) : [])]) seen.set(op.opId, op);
  const newest = [...seen.values()].sort((a, b) => b.id - a.id);
  const parked = newest.filter((op) => op.status === 'parked');
  const rest = newest.filter((op) => op.status !== 'parked').slice(0, Math.max(0, 50 - parked.length));
  const items = [...parked, ...rest].sort((a, b) => b.id - a.id).map(queueItem);
  return { online: status.online, pending: status.pending, parked: status.parked, items };
}

export function currentShift(rt: TillRuntime) {
  const s = rt.pos.shifts.current(rt.tillId);
  return s ? shiftView(s) : null;
}

export function openShift(rt: TillRuntime, cashierId: string) {
  const current = rt.pos.shifts.current(rt.tillId);
  if (current) return shiftView(current);
  return shiftView(rt.pos.shifts.open({ tillId: rt.tillId, cashierIds: [cashierId], openedBy: cashierId, training: rt.mode === 'training' }));
}

export function requireRuntime(rt: TillRuntime | null, error: string | null): TillRuntime {
  if (rt) return rt;
  throw new PosError(error ? 'CONFIGURATION' : 'NOT_PROVISIONED', error ?? 'the till is still starting');
}
