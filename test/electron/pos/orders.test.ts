// Orders at the till against the simulator over signed HTTP: several coupons on one order,
// each linked to the WeChat Pay order before it is used, what is left to pay carried from
// coupon to coupon, the store's stacking rules, and an order that goes offline half-way.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../electron/simulator';
import type { StackingPolicy } from '../../../shared/contract';
import { describeRefusal } from '../../../shared/refusals';
import { until } from '../queue/support/drain';
import { createStock, historyOps, issueCoupons, simKeys, startTestSim, tempDir, type TestSim } from '../queue/support/sim';
import { openTill, TILL, type Till } from './support/pos';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function world(): Promise<{ t: TestSim; till: Till }> {
  const t = await startTestSim();
  const till = openTill(t, { liveTimeoutMs: 3_000 });
  cleanup.push(() => t.close());
  cleanup.push(() => till.close());
  till.shifts.open({ tillId: TILL, cashierIds: ['C1'], openedBy: 'C1' });
  return { t, till };
}

function openOrder(till: Till, amountFen: number, outTradeNo: string | null = null) {
  const opened = till.orders.open({ tillId: TILL, shiftId: till.shifts.current(TILL)?.shiftId ?? null, amountFen, outTradeNo, source: 'till', training: false });
  if (!opened.ok) throw new Error(`order not opened: ${opened.reason.code}`);
  return opened.order;
}

const view = (till: Till, orderId: string) => {
  const order = till.orders.get(orderId);
  const ops = till.orders.operations(orderId);
  return { order, ops, payable: order.amountFen - ops.filter((o) => o.kind === 'use' && o.granted && o.status !== 'refused').reduce((n, o) => n + (o.discountFen ?? 0), 0) };
};

describe('an order with several coupons', () => {
  it('¥250 with a WeChat Pay order number and two 满100减5 coupons: each linked, then used; ¥240 to pay', async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 500, minimumFen: 10_000, name: '满100减5' });
    issueCoupons(t.sim, stock, ['ORD-A', 'ORD-B']);
    const order = openOrder(till, 25_000, 'WX20261129001');
    const first = await till.redemption.redeem({ orderId: order.orderId, code: 'ORD-A', stockId: stock });
    const second = await till.redemption.redeem({ orderId: order.orderId, code: 'ORD-B', stockId: stock });
    for (const out of [first, second]) {
      expect(out).toMatchObject({
        status: 'succeeded',
        use: { status: 'succeeded', discountFen: 500, orderId: order.orderId },
        link: { kind: 'associate', status: 'succeeded', outTradeNo: 'WX20261129001' },
      });
    }
    for (const code of ['ORD-A', 'ORD-B']) {
      expect(historyOps(t.sim, stock, code)).toEqual(['associate', 'use']);
      expect(t.sim.state.coupon(stock, code)).toMatchObject({ coupon_state: 'USED', associate_out_trade_no: 'WX20261129001' });
    }
    const v = view(till, order.orderId);
    expect(v.payable).toBe(24_000);
    // Two numbers per coupon, the link's first: both written before anything was sent.
    expect(v.ops.map((o) => [o.couponCode, o.kind, o.requestNo[0]])).toEqual([
      ['ORD-A', 'associate', 'A'],
      ['ORD-A', 'use', 'U'],
      ['ORD-B', 'associate', 'A'],
      ['ORD-B', 'use', 'U'],
    ]);
    expect(till.orders.finish(order.orderId)).toMatchObject({ ok: true, order: { status: 'finished' } });
  });

  it('a link WeChat Pay refuses (linked to another order) costs the customer nothing: the coupon is used, the link says why', async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 500, minimumFen: 1000 });
    issueCoupons(t.sim, stock, ['LINKED-1']);
    expect(t.sim.state.associateOrder(t.sim.credentials.mchid, { stock_id: stock, coupon_code: 'LINKED-1', out_trade_no: 'OTHER', out_request_no: 'SIMASSOC9' }).ok).toBe(true);
    const order = openOrder(till, 5000, 'WX20261129002');
    const out = await till.redemption.redeem({ orderId: order.orderId, code: 'LINKED-1', stockId: stock });
    expect(out).toMatchObject({ status: 'succeeded', link: { status: 'refused', lastCode: 'INVALID_REQUEST' } });
    expect(out.status !== 'declined' && out.link?.lastMessage).toContain('其他订单');
    expect(t.sim.state.coupon(stock, 'LINKED-1')).toMatchObject({ coupon_state: 'USED', associate_out_trade_no: 'OTHER' });
    expect(till.journal.parked()).toEqual([]);
    expect(view(till, order.orderId).payable).toBe(4500);
  });

  it('goes offline half-way: the second coupon is accepted offline, its link and use wait in order and drain in order', async () => {
    const state = tempDir('orders-sim-');
    cleanup.push(() => state.remove());
    const t = await startTestSim({ stateDir: state.path });
    const port = Number(new URL(t.sim.url).port);
    let sim: RunningSimulator = t.sim;
    cleanup.push(async () => {
      await sim.close();
      await t.http.close();
    });
    const till = openTill(t, { liveTimeoutMs: 3_000 });
    cleanup.push(() => till.close());
    till.shifts.open({ tillId: TILL, cashierIds: ['C1'], openedBy: 'C1' });
    const stock = createStock(t.sim, { discountFen: 500, minimumFen: 10_000 });
    issueCoupons(t.sim, stock, ['OFFORD-A', 'OFFORD-B']);
    await till.stocks.get(stock);
    till.policy.set({ mode: 'limited', maxDiscountPerCouponFen: 1000, maxCountPerShift: 5, maxTotalPerShiftFen: 5000 }, 'M1');
    const order = openOrder(till, 25_000, 'WX20261129003');
    expect(await till.redemption.redeem({ orderId: order.orderId, code: 'OFFORD-A', stockId: stock })).toMatchObject({ status: 'succeeded' });

    await t.sim.close();
    const offline = await till.redemption.redeem({ orderId: order.orderId, code: 'OFFORD-B', stockId: stock });
    expect(offline).toMatchObject({ status: 'pending', use: { offlineAccepted: true, granted: true }, link: { status: 'pending' } });
    expect(view(till, order.orderId).payable).toBe(24_000);
    const waiting = till.journal.list({ status: 'pending' }).map((o) => [o.couponCode, o.kind]);
    expect(waiting).toEqual([
      ['OFFORD-B', 'associate'],
      ['OFFORD-B', 'use'],
    ]);

    sim = await startSimulator({ keys: await simKeys(), stateDir: state.path, port, seedData: false });
    await until(() => till.journal.countByStatus().pending === 0, 'drain after reconnect');
    expect(historyOps(sim, stock, 'OFFORD-B')).toEqual(['associate', 'use']);
    expect(sim.state.coupon(stock, 'OFFORD-B')).toMatchObject({ coupon_state: 'USED', associate_out_trade_no: 'WX20261129003' });
    expect(till.orders.operations(order.orderId).every((o) => o.status === 'succeeded')).toBe(true);
  });
});

describe("the store's stacking rules", () => {
  const rules = (till: Till, p: Partial<StackingPolicy>) =>
    till.stacking.set({ maxCouponsPerOrder: 5, sameStockTwice: true, thresholdBasis: 'remaining', requireOrderNumber: false, ...p }, 'M1');

  it('defaults: five per order, a stock twice, thresholds against what is left; the preset or a manager can change them', async () => {
    const { till } = await world();
    expect(till.stacking.describe()).toEqual({
      policy: { maxCouponsPerOrder: 5, sameStockTwice: true, thresholdBasis: 'remaining', requireOrderNumber: false },
      source: 'default',
      updatedBy: null,
      updatedAt: null,
    });
    expect(rules(till, { maxCouponsPerOrder: 2 })).toMatchObject({ source: 'manager', updatedBy: 'M1', policy: { maxCouponsPerOrder: 2 } });
    expect(() => till.stacking.set({ maxCouponsPerOrder: 0, sameStockTwice: true, thresholdBasis: 'remaining', requireOrderNumber: false }, 'M1')).toThrow();
  });

  it('at most N coupons per order', async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 100, minimumFen: 100 });
    issueCoupons(t.sim, stock, ['MAX-1', 'MAX-2']);
    rules(till, { maxCouponsPerOrder: 1 });
    const order = openOrder(till, 10_000);
    expect((await till.redemption.redeem({ orderId: order.orderId, code: 'MAX-1', stockId: stock })).status).toBe('succeeded');
    const out = await till.redemption.redeem({ orderId: order.orderId, code: 'MAX-2', stockId: stock });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'STACK_LIMIT', params: { max: 1 } } });
    if (out.status === 'declined') expect(describeRefusal(out.reason)).toBe('This store allows at most 1 coupon(s) per order');
  });

  it('one coupon per stock when the store says so, and never the same coupon twice', async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 100, minimumFen: 100 });
    const other = createStock(t.sim, { discountFen: 100, minimumFen: 100 });
    issueCoupons(t.sim, stock, ['SAME-1', 'SAME-2']);
    issueCoupons(t.sim, other, ['OTHER-1']);
    rules(till, { sameStockTwice: false });
    const order = openOrder(till, 10_000);
    expect((await till.redemption.redeem({ orderId: order.orderId, code: 'SAME-1', stockId: stock })).status).toBe('succeeded');
    expect(await till.redemption.redeem({ orderId: order.orderId, code: 'SAME-1', stockId: stock })).toMatchObject({ status: 'declined', reason: { code: 'STACK_SAME_COUPON' } });
    expect(await till.redemption.redeem({ orderId: order.orderId, code: 'SAME-2', stockId: stock })).toMatchObject({ status: 'declined', reason: { code: 'STACK_SAME_STOCK' } });
    expect((await till.redemption.redeem({ orderId: order.orderId, code: 'OTHER-1', stockId: other })).status).toBe('succeeded');
  });

  it("a coupon's minimum against what is left to pay, or against the whole order", async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 2000, minimumFen: 10_000, name: '满100减20' });
    issueCoupons(t.sim, stock, ['BASIS-1', 'BASIS-2', 'BASIS-3', 'BASIS-4']);
    const remaining = openOrder(till, 10_000);
    expect((await till.redemption.redeem({ orderId: remaining.orderId, code: 'BASIS-1', stockId: stock })).status).toBe('succeeded');
    const short = await till.redemption.redeem({ orderId: remaining.orderId, code: 'BASIS-2', stockId: stock });
    expect(short).toMatchObject({ status: 'declined', reason: { code: 'BELOW_MINIMUM', params: { basis: 'remaining', orderFen: 8000, minimumFen: 10_000, shortfallFen: 2000 } } });
    till.orders.finish(remaining.orderId);

    rules(till, { thresholdBasis: 'order_amount' });
    const whole = openOrder(till, 10_000);
    expect((await till.redemption.redeem({ orderId: whole.orderId, code: 'BASIS-2', stockId: stock })).status).toBe('succeeded');
    expect((await till.redemption.redeem({ orderId: whole.orderId, code: 'BASIS-3', stockId: stock })).status).toBe('succeeded');
    expect(view(till, whole.orderId).payable).toBe(6000);
  });

  it('a store that requires the WeChat Pay order number declines without one', async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 100, minimumFen: 100 });
    issueCoupons(t.sim, stock, ['NUM-1']);
    rules(till, { requireOrderNumber: true });
    const bare = openOrder(till, 1000);
    expect(await till.redemption.redeem({ orderId: bare.orderId, code: 'NUM-1', stockId: stock })).toMatchObject({ status: 'declined', reason: { code: 'ORDER_NUMBER_REQUIRED' } });
    // Revised with the number (no coupon on it yet): now it goes, linked first.
    const numbered = openOrder(till, 1000, 'WX20261129004');
    expect(numbered.orderId).toBe(bare.orderId);
    expect(await till.redemption.redeem({ orderId: numbered.orderId, code: 'NUM-1', stockId: stock })).toMatchObject({ status: 'succeeded', link: { status: 'succeeded' } });
  });

  it('nothing left to pay: no further coupon', async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 3000, minimumFen: 3000 });
    issueCoupons(t.sim, stock, ['FULL-1', 'FULL-2']);
    const order = openOrder(till, 3000);
    expect(await till.redemption.redeem({ orderId: order.orderId, code: 'FULL-1', stockId: stock })).toMatchObject({ status: 'succeeded', use: { discountFen: 3000 } });
    expect(await till.redemption.redeem({ orderId: order.orderId, code: 'FULL-2', stockId: stock })).toMatchObject({ status: 'declined', reason: { code: 'ORDER_PAID_IN_FULL' } });
  });
});

describe('the order itself', () => {
  it('one open order per till; revised while it has no coupon; finished or, with no coupon, cancelled', async () => {
    const { t, till } = await world();
    const stock = createStock(t.sim, { discountFen: 100, minimumFen: 100 });
    issueCoupons(t.sim, stock, ['LIFE-1']);
    const first = openOrder(till, 1000);
    expect(openOrder(till, 2000, 'WX-REVISED').orderId).toBe(first.orderId);
    expect(till.orders.get(first.orderId)).toMatchObject({ amountFen: 2000, outTradeNo: 'WX-REVISED', status: 'open' });
    expect((await till.redemption.redeem({ orderId: first.orderId, code: 'LIFE-1', stockId: stock })).status).toBe('succeeded');
    expect(till.orders.open({ tillId: TILL, shiftId: null, amountFen: 500, outTradeNo: null, source: 'register', training: false })).toMatchObject({
      ok: false,
      reason: { code: 'ORDER_OPEN_ELSEWHERE' },
    });
    expect(till.orders.cancel(first.orderId)).toMatchObject({ ok: false, reason: { code: 'ORDER_HAS_COUPONS' } });
    expect(till.orders.finish(first.orderId)).toMatchObject({ ok: true, order: { status: 'finished' } });
    expect(await till.redemption.redeem({ orderId: first.orderId, code: 'LIFE-1', stockId: stock })).toMatchObject({ status: 'declined', reason: { code: 'ORDER_NOT_OPEN' } });
    const empty = openOrder(till, 700);
    expect(till.orders.cancel(empty.orderId)).toMatchObject({ ok: true, order: { status: 'cancelled' } });
    expect(till.orders.current(TILL)).toBeUndefined();
  });
});
