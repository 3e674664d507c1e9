// The offline acceptance scenario: the simulator stops, the till keeps accepting coupons
// within the store's limits (and refuses beyond them), the simulator comes back, the queue
// drains in order, a coupon WeChat refuses becomes a loss, and the shift report says so.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../electron/simulator';
import { until } from '../queue/support/drain';
import { createStock, historyOps, issueCoupons, simKeys, startTestSim, tempDir, type TestSim } from '../queue/support/sim';
import { openTill, redeemOnOrder, TILL, type Till } from './support/pos';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function persistentSim(): Promise<{ t: TestSim; restart(): Promise<RunningSimulator> }> {
  const state = tempDir('sim-state-');
  const t = await startTestSim({ stateDir: state.path });
  const port = Number(new URL(t.sim.url).port);
  let current: RunningSimulator = t.sim;
  cleanup.push(() => state.remove());
  cleanup.push(async () => {
    await current.close();
    await t.http.close();
  });
  return {
    t,
    restart: async () => {
      current = await startSimulator({ keys: await simKeys(), stateDir: state.path, port, seedData: false });
      return current;
    },
  };
}

function till(t: TestSim): Till {
  const till = openTill(t, { liveTimeoutMs: 3_000 });
  cleanup.push(() => till.close());
  return till;
}

describe('offline redemption', () => {
  it('accepts within the limits while WeChat Pay is down, drains in order when it is back, and reports the loss', async () => {
    const { t, restart } = await persistentSim();
    const stock = createStock(t.sim, { discountFen: 1000, minimumFen: 5000, name: '满50减10' });
    const big = createStock(t.sim, { discountFen: 2000, minimumFen: 5000 });
    issueCoupons(t.sim, stock, ['OFF-A', 'OFF-B', 'OFF-C']);
    issueCoupons(t.sim, big, ['OFF-E']);
    const pos = till(t);
    await pos.stocks.get(stock);
    await pos.stocks.get(big);
    // Deactivated at WeChat without the till knowing: accepting it offline will cost the store.
    expect(t.sim.state.deactivateCoupon(t.sim.credentials.mchid, { stock_id: stock, coupon_code: 'OFF-B', deactivate_request_no: 'SIMDEACTB' }).ok).toBe(true);
    pos.policy.set({ mode: 'limited', maxDiscountPerCouponFen: 1500, maxCountPerShift: 2, maxTotalPerShiftFen: 2500 }, 'M1');
    const shift = pos.shifts.open({ tillId: TILL, cashierIds: ['C1', 'C2'], openedBy: 'M1' });

    await t.sim.close();
    const a = await redeemOnOrder(pos, { code: 'OFF-A', stockId: stock, orderAmountFen: 6000, cashierId: 'C1' });
    expect(a).toMatchObject({ status: 'pending', use: { status: 'pending', offlineAccepted: true, granted: true, discountFen: 1000 } });
    expect(a.status !== 'declined' && pos.orders.get(a.orderId!).status).toBe('finished');
    expect(pos.drainer.online).toBe(false);
    expect(await pos.actions.returnCoupon({ code: 'OFF-A', managerId: 'M1' })).toMatchObject({ status: 'pending' });
    expect(await redeemOnOrder(pos, { code: 'OFF-A', stockId: stock, orderAmountFen: 6000 })).toMatchObject({ status: 'declined', reason: { code: 'ALREADY_REDEEMED_HERE' } });
    expect(await redeemOnOrder(pos, { code: 'OFF-E', stockId: big, orderAmountFen: 9000 })).toMatchObject({
      status: 'declined',
      reason: { code: 'OFFLINE_DISCOUNT_LIMIT', params: { discountFen: 2000, maxFen: 1500 } },
    });
    expect(await redeemOnOrder(pos, { code: 'OFF-B', stockId: stock, orderAmountFen: 7000 })).toMatchObject({ status: 'pending', use: { granted: true } });
    expect(await redeemOnOrder(pos, { code: 'OFF-C', stockId: stock, orderAmountFen: 7000 })).toMatchObject({ status: 'declined', reason: { code: 'OFFLINE_COUNT_LIMIT' } });
    pos.policy.set({ mode: 'limited', maxDiscountPerCouponFen: 1500, maxCountPerShift: 10, maxTotalPerShiftFen: 2500 }, 'M1');
    expect(await redeemOnOrder(pos, { code: 'OFF-C', stockId: stock, orderAmountFen: 7000 })).toMatchObject({
      status: 'declined',
      reason: { code: 'OFFLINE_TOTAL_LIMIT', params: { usedFen: 2000, discountFen: 1000, maxFen: 2500 } },
    });
    expect(pos.shifts.offlineUsage(shift.shiftId)).toEqual({ count: 2, totalFen: 2000 });
    expect(pos.journal.list().map((o) => [o.couponCode, o.kind, o.status])).toEqual([
      ['OFF-A', 'use', 'pending'],
      ['OFF-A', 'return', 'pending'],
      ['OFF-B', 'use', 'pending'],
    ]);

    const sim = await restart();
    await until(() => pos.journal.countByStatus().pending === 0, 'drain after reconnect');
    expect(pos.drainer.online).toBe(true);
    expect(historyOps(sim, stock, 'OFF-A')).toEqual(['use', 'return']);
    expect(historyOps(sim, stock, 'OFF-B')).toEqual(['deactivate']);
    expect(historyOps(sim, stock, 'OFF-C')).toEqual([]);
    expect(historyOps(sim, big, 'OFF-E')).toEqual([]);
    const lost = pos.journal.parked();
    expect(lost.map((o) => [o.couponCode, o.lastCode])).toEqual([['OFF-B', 'INVALID_REQUEST']]);

    const report = pos.shifts.report(shift.shiftId);
    // OFF-A was confirmed, then returned; OFF-B was refused: neither discount counts as given.
    expect(report.redeemed).toEqual({ count: 0, discountFen: 0, orderAmountFen: 0 });
    expect(report.returned).toEqual({ count: 1, discountFen: 1000 });
    expect(report.offline).toEqual({ accepted: 2, acceptedDiscountFen: 2000, confirmed: 1, pending: 0, lost: 1, lostDiscountFen: 1000 });
    expect(report.losses).toMatchObject([{ couponCode: 'OFF-B', stockId: stock, discountFen: 1000, orderAmountFen: 7000, wechatCode: 'INVALID_REQUEST' }]);
    expect(report.rows.map((r) => [r.stockName, r.kind, r.status, r.count, r.discountFen])).toEqual([
      ['满50减10', 'return', 'succeeded', 1, 0],
      ['满50减10', 'use', 'parked', 1, 0],
      ['满50减10', 'use', 'succeeded', 1, 0],
    ]);
    // Grouped by order: two orders with a coupon each (the declined ones opened none that stayed).
    expect(report.orders.filter((o) => o.coupons.length > 0).map((o) => [o.amountFen, o.coupons[0]?.code, o.coupons[0]?.counted, o.coupons[0]?.returned])).toEqual([
      [6000, 'OFF-A', false, true],
      [7000, 'OFF-B', false, false],
    ]);
    expect(report.unresolved).toBe(1);

    const refused = pos.shifts.close({ shiftId: shift.shiftId, closedBy: 'M1' });
    expect(refused.closed).toBe(false);
    if (!refused.closed) expect(refused.unresolved.map((o) => o.couponCode)).toEqual(['OFF-B']);
    pos.shifts.acknowledge(lost[0]?.opId ?? '', 'M1', '顾客已离店');
    const closed = pos.shifts.close({ shiftId: shift.shiftId, closedBy: 'M1' });
    expect(closed.closed).toBe(true);
    if (!closed.closed) return;
    expect(closed.report.offline.lost).toBe(1);
    expect(closed.report.losses[0]?.status).toBe('acknowledged');
    const csv = pos.shifts.reportCsv(shift.shiftId);
    expect(csv.startsWith('\uFEFF班次,')).toBe(true);
    expect(csv).toContain('\r\n损失明细：券码,');
    expect(csv).toContain('\r\nOFF-B,');
    // Grouped by order: the order's amount, its coupon, the discount that counts (none: returned), what was charged.
    expect(csv).toContain('订单号,微信支付订单号,状态,订单金额(元),券数,计入优惠(元),应付(元),券码,批次号,券优惠(元),核销结果,关联订单,已退券');
    expect(csv).toMatch(/\r\nO[0-9A-Z]+,,已完成,60\.00,1,0\.00,50\.00,OFF-A,\d+,10\.00,成功,,是\r\n/);
  });

  it('with offline redemption off: the first unknown outcome is pending and not granted, the next is refused, and a late success is reported', async () => {
    const { t, restart } = await persistentSim();
    const stock = createStock(t.sim, { discountFen: 500, minimumFen: 1000 });
    issueCoupons(t.sim, stock, ['OFF-P1', 'OFF-P2']);
    const pos = till(t);
    await pos.stocks.get(stock);
    const shift = pos.shifts.open({ tillId: TILL, cashierIds: ['C1'], openedBy: 'C1' });
    await t.sim.close();
    const first = await redeemOnOrder(pos, { code: 'OFF-P1', stockId: stock, orderAmountFen: 2000 });
    expect(first).toMatchObject({ status: 'pending', reason: { code: 'OUTCOME_PENDING' }, use: { granted: false } });
    const second = await redeemOnOrder(pos, { code: 'OFF-P2', stockId: stock, orderAmountFen: 2000 });
    expect(second).toMatchObject({ status: 'declined', reason: { code: 'OFFLINE' } });
    expect(pos.journal.totalOperations()).toBe(1);
    expect(pos.shifts.close({ shiftId: shift.shiftId, closedBy: 'C1' }).closed).toBe(false);

    const sim = await restart();
    await until(() => pos.journal.countByStatus().pending === 0, 'drain after reconnect');
    expect(historyOps(sim, stock, 'OFF-P1')).toEqual(['use']);
    const report = pos.shifts.report(shift.shiftId);
    expect(report.confirmedNotGranted).toBe(1);
    expect(report.offline.accepted).toBe(0);
    expect(pos.shifts.close({ shiftId: shift.shiftId, closedBy: 'C1' }).closed).toBe(true);
  });
});
