import type { z } from 'zod';
import type { QueueItem, QueueSnapshot, RedeemResult, ScanResult, ShiftView, StockView } from '../../shared/contract';
import type { ScanInput, RedeemInput } from '../../shared/contract';
import { CouponState, PosError } from '../../shared/contract';
import { stockView, valueOn, type PosServices, type Refusal } from '../pos';
import type { OperationRecord } from '../queue/records';
import type { Shift } from '../pos';
import type { TillRuntime } from './runtime';

// Maps the POS services onto the UI contract. The services speak the journal's language;
// the contract speaks the cashier's (fen, reasons in two languages, a status per operation).

const reasonOf = (r: Refusal) => ({ code: r.code, zh: r.zh, en: r.en });

function toStockView(stock: Parameters<typeof stockView>[0]): StockView {
  const v = stockView(stock);
  return {
    stockId: v.stockId,
    stockName: v.stockName,
    stockType: v.stockType as StockView['stockType'],
    goodsName: v.goodsName ?? '',
    ...(v.description ? { description: v.description } : {}),
    ...(v.discountAmountFen !== null ? { discountAmountFen: v.discountAmountFen } : {}),
    ...(v.discountPercent !== null ? { discountPercent: v.discountPercent } : {}),
    ...(v.exchangePriceFen !== null ? { exchangePriceFen: v.exchangePriceFen } : {}),
    transactionMinimumFen: v.transactionMinimumFen ?? 0,
    availableBegin: v.availableBeginTime,
    availableEnd: v.availableEndTime,
  };
}

export async function scan(pos: PosServices, input: z.output<typeof ScanInput>): Promise<ScanResult> {
  const found = await pos.redemption.lookup(input.raw, input.stockId ? { stockId: input.stockId } : {});
  if (!found.ok) {
    if (found.reason.code === 'PAYMENT_CODE') return { kind: 'payment_code', reason: reasonOf(found.reason) };
    return { kind: 'invalid', reason: reasonOf(found.reason) };
  }
  const cached = found.stockId ? pos.stocks.peek(found.stockId) : undefined;
  if (!found.stockId || !cached) {
    const stocks = found.candidates.map((id) => pos.stocks.peek(id)).filter((c) => c !== undefined).map((c) => toStockView(c.stock));
    if (!found.stockId && stocks.length > 0) return { kind: 'choose_stock', code: found.code, stocks };
    const why = found.problems[0];
    return { kind: 'not_found', code: found.code, reason: why ? reasonOf(why) : { code: 'STOCK_UNKNOWN', zh: '无法确定这张券属于哪个批次', en: 'Cannot tell which stock this coupon belongs to' } };
  }
  const problem = found.problems[0];
  let quote;
  if (input.orderAmountFen !== undefined) {
    const valued = valueOn(cached.stock, input.orderAmountFen);
    quote = valued.ok
      ? { qualifies: true, discountFen: valued.value.discount_fen, payableFen: valued.value.payable_fen, shortfallFen: 0 }
      : { qualifies: false, discountFen: 0, payableFen: input.orderAmountFen, shortfallFen: Math.max(0, Number(valued.reason.detail?.shortfall ?? 0)) };
  }
  return {
    kind: 'coupon',
    coupon: {
      code: found.code,
      stock: toStockView(cached.stock),
      state: CouponState.safeParse(found.coupon?.state).data ?? 'UNKNOWN',
      usable: problem ? { ok: false, reason: reasonOf(problem) } : { ok: true },
      ...(quote ? { quote } : {}),
      source: found.coupon?.source === 'wechat' ? 'wechat' : 'cache',
      ...(found.coupon?.source === 'wechat' && found.coupon.availableStartTime && found.coupon.expireTime
        ? { validity: { begin: found.coupon.availableStartTime, end: found.coupon.expireTime } }
        : {}),
      ...(found.unverified ? { unverified: true } : {}),
    },
  };
}

export async function redeem(rt: TillRuntime, input: z.output<typeof RedeemInput>): Promise<RedeemResult> {
  const out = await rt.pos.redemption.redeem({ code: input.code, stockId: input.stockId, orderAmountFen: input.orderAmountFen });
  const ids = 'operation' in out ? { operationId: out.operation.opId, requestNo: out.operation.requestNo } : {};
  switch (out.status) {
    case 'refused':
      return { status: 'refused', discountFen: 0, payableFen: input.orderAmountFen, offline: false, reason: reasonOf(out.reason) };
    case 'redeemed':
      await linkOrder(rt, input);
      return { ...ids, status: 'done', discountFen: out.discountFen, payableFen: out.payableFen, offline: false };
    case 'accepted_offline':
      await linkOrder(rt, input);
      return { ...ids, status: 'pending', discountFen: out.discountFen, payableFen: out.payableFen, offline: true };
    case 'rejected':
      return { ...ids, status: 'rejected', discountFen: 0, payableFen: input.orderAmountFen, offline: false, reason: reasonOf(out.reason) };
    case 'pending':
      return { ...ids, status: 'pending', discountFen: 0, payableFen: input.orderAmountFen, offline: false, reason: reasonOf(out.reason) };
  }
}

/** The order link is statistics for the merchant: queued after the redemption, never blocking the sale. */
async function linkOrder(rt: TillRuntime, input: z.output<typeof RedeemInput>) {
  if (!input.outTradeNo) return;
  await rt.pos.redemption.associate({ code: input.code, stockId: input.stockId, outTradeNo: input.outTradeNo });
}

/** The journal's statuses in the cashier's words: a refusal seen live is final; one found later needs a manager. */
export const CONTRACT_STATUS: Record<OperationRecord['status'], QueueItem['status']> = {
  pending: 'pending',
  succeeded: 'done',
  failed: 'rejected',
  rejected: 'needs_attention',
  acknowledged: 'acknowledged',
};

export const queueItem = (op: OperationRecord): QueueItem => ({
  operationId: op.opId,
  kind: op.kind,
  code: op.couponCode,
  stockId: op.stockId ?? '',
  requestNo: op.requestNo,
  status: CONTRACT_STATUS[op.status],
  attempts: op.attempts,
  createdAt: new Date(op.createdAt).toISOString(),
  ...(op.lastMessage ? { lastError: { message: op.lastMessage, ...(op.lastCode ? { code: op.lastCode } : {}), ...(op.lastRequestId ? { requestId: op.lastRequestId } : {}) } } : {}),
  ...(op.discountFen !== null ? { amountFen: op.discountFen } : {}),
  training: op.training,
});

/**
 * What the cashier sees: everything still open, then this shift's latest operations, newest
 * first, at most 50 — except refusals waiting for a manager, which are always all there (the
 * manager's desk works from this list, and a shift cannot close while one is left).
 */
export function queueSnapshot(rt: TillRuntime): QueueSnapshot {
  const { pos } = rt;
  const status = pos.drainer.status();
  const shift = pos.shifts.current(rt.tillId);
  const seen = new Map<string, OperationRecord>();
  for (const op of [...pos.journal.openOperations(), ...(shift ? pos.shifts.operations(shift.shiftId).slice(-30) : [])]) seen.set(op.opId, op);
  const newest = [...seen.values()].sort((a, b) => b.id - a.id);
  const refused = newest.filter((op) => op.status === 'rejected');
  const rest = newest.filter((op) => op.status !== 'rejected').slice(0, Math.max(0, 50 - refused.length));
  const items = [...refused, ...rest].sort((a, b) => b.id - a.id).map(queueItem);
  return { online: status.online, pending: status.pending, needsAttention: status.needsAttention, items };
}

export const shiftView = (s: Shift): ShiftView => ({
  shiftId: s.shiftId,
  tillId: s.tillId,
  cashierIds: s.cashierIds,
  training: s.training,
  openedAt: new Date(s.openedAt).toISOString(),
});

export function openShift(rt: TillRuntime, cashierId: string): ShiftView {
  const current = rt.pos.shifts.current(rt.tillId);
  if (current) return shiftView(current);
  return shiftView(rt.pos.shifts.open({ tillId: rt.tillId, cashierIds: [cashierId], openedBy: cashierId, training: rt.mode === 'training' }));
}

export function requireRuntime(rt: TillRuntime | null, error: string | null): TillRuntime {
  if (rt) return rt;
  throw new PosError(error ? 'CONFIGURATION' : 'NOT_PROVISIONED', error ?? 'the till is still starting');
}

/** The contract's till methods, bound to whatever runtime is running now. */
export function tillHandlers(current: () => { runtime: TillRuntime | null; error: string | null }) {
  const rt = () => {
    const c = current();
    return requireRuntime(c.runtime, c.error);
  };
  return {
    'till.scan': async (input: z.output<typeof ScanInput>) => scan(rt().pos, input),
    'till.redeem': async (input: z.output<typeof RedeemInput>) => redeem(rt(), input),
    'queue.list': async () => queueSnapshot(rt()),
    'shift.current': async () => {
      const r = rt();
      const s = r.pos.shifts.current(r.tillId);
      return s ? shiftView(s) : null;
    },
    'shift.open': async (input: { cashierId: string }) => openShift(rt(), input.cashierId),
  };
}
