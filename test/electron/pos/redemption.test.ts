import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaParts } from '../../../shared/time';
import { APPID, createStock, historyOps, issueCoupons, startTestSim, type TestSim } from '../queue/support/sim';
import { until } from '../queue/support/drain';
import { describeRefusal } from '../../../shared/refusals';
import { openTill, redeemOnOrder, TILL, type Till } from './support/pos';

let t: TestSim;
let till: Till;
let normal: string;

beforeAll(async () => {
  t = await startTestSim();
  till = openTill(t);
  normal = createStock(t.sim, { discountFen: 1000, minimumFen: 5000, name: '满50减10' });
});
afterAll(async () => {
  await till.close();
  await t.close();
});

describe('refusals before anything is written or sent', () => {
  it('refuses without an open shift', async () => {
    issueCoupons(t.sim, normal, ['NOSHIFT-1']);
    const out = await redeemOnOrder(till, { code: 'NOSHIFT-1', stockId: normal, orderAmountFen: 6000 });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'NO_OPEN_SHIFT', params: { tillId: TILL } } });
    till.shifts.open({ tillId: TILL, cashierIds: ['C1'], openedBy: 'C1' });
  });

  it('refuses a WeChat payment code and says what it is', async () => {
    const out = await redeemOnOrder(till, { code: '134567890123456789', orderAmountFen: 6000 });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'PAYMENT_CODE' } });
    if (out.status === 'declined') expect(describeRefusal(out.reason)).toContain('payment code');
    const looked = await till.lookup.lookup('134567890123456789');
    expect(looked).toMatchObject({ kind: 'payment_code', reason: { code: 'PAYMENT_CODE' } });
  });

  it('refuses malformed codes with the offending character', async () => {
    const out = await redeemOnOrder(till, { code: 'AB#12', stockId: normal, orderAmountFen: 6000 });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'ILLEGAL_CHARACTER', params: { char: '#', position: 3 } } });
    const tooLong = await redeemOnOrder(till, { code: 'A'.repeat(33), stockId: normal, orderAmountFen: 6000 });
    expect(tooLong).toMatchObject({ status: 'declined', reason: { code: 'TOO_LONG', params: { length: 33 } } });
  });

  it('refuses an order below transaction_minimum, naming the shortfall', async () => {
    issueCoupons(t.sim, normal, ['MIN-1']);
    const out = await redeemOnOrder(till, { code: 'MIN-1', stockId: normal, orderAmountFen: 4999 });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'BELOW_MINIMUM', params: { minimumFen: 5000, orderFen: 4999, shortfallFen: 1 } } });
    if (out.status === 'declined') expect(describeRefusal(out.reason)).toContain('¥0.01 more is needed');
  });

  it('refuses a coupon not valid yet, and one outside its weekly window', async () => {
    const later = createStock(t.sim, { beginDays: 3, endDays: 30 });
    const early = await redeemOnOrder(till, { code: 'EARLY-1', stockId: later, orderAmountFen: 9000 });
    expect(early).toMatchObject({ status: 'declined', reason: { code: 'NOT_YET_EFFECTIVE' } });
    const today = chinaParts(new Date()).weekday;
    const otherDays = [0, 1, 2, 3, 4, 5, 6].filter((d) => d !== today);
    const weekly = createStock(t.sim, { availableWeek: { week_day: otherDays } });
    const out = await redeemOnOrder(till, { code: 'WEEK-1', stockId: weekly, orderAmountFen: 9000 });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'OUTSIDE_WEEKLY_WINDOW' } });
  });

  it('refuses when the stock is unknown and offers the cached stocks', async () => {
    const out = await redeemOnOrder(till, { code: 'WHO-AM-I', orderAmountFen: 9000 });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'STOCK_UNKNOWN' } });
    const looked = await till.lookup.lookup('WHO-AM-I');
    expect(looked.kind).toBe('choose_stock');
    if (looked.kind === 'choose_stock') expect(looked.candidates.map((c) => c.stock.stock_id)).toContain(normal);
  });

  it('opens no order for an amount that is not whole fen', async () => {
    expect(await redeemOnOrder(till, { code: 'AMT-1', stockId: normal, orderAmountFen: 12.5 })).toMatchObject({ status: 'declined', reason: { code: 'BAD_AMOUNT' } });
    expect(await redeemOnOrder(till, { code: 'AMT-1', stockId: normal, orderAmountFen: -1 })).toMatchObject({ status: 'declined', reason: { code: 'BAD_AMOUNT' } });
  });

  it('wrote nothing for any of them', () => {
    expect(till.journal.totalOperations()).toBe(0);
  });
});

describe('redeeming online', () => {
  it('redeems, learns the owner, and shows the coupon as used afterwards', async () => {
    const [c] = issueCoupons(t.sim, normal, ['OK-1']);
    const out = await redeemOnOrder(till, { code: 'OK-1', stockId: normal, orderAmountFen: 6000, cashierId: 'C1' });
    expect(out.status).toBe('succeeded');
    if (out.status !== 'succeeded') return;
    expect(out.link).toBeNull();
    expect(out.use).toMatchObject({ status: 'succeeded', granted: true, offlineAccepted: false, discountFen: 1000, orderAmountFen: 6000, cashierId: 'C1', orderId: out.orderId });
    expect(historyOps(t.sim, normal, 'OK-1')).toEqual(['use']);
    await until(() => till.directory.get('OK-1', normal)?.openid === c?.openid, 'directory learns the owner');

    const looked = await till.lookup.lookup('OK-1');
    expect(looked.kind).toBe('coupon');
    if (looked.kind !== 'coupon') return;
    expect(looked.stockId).toBe(normal);
    expect(looked.stock?.stock).toMatchObject({ stock_type: 'NORMAL', stock_name: '满50减10' });
    expect(looked.facts).toMatchObject({ state: 'USED', source: 'wechat' });
    expect(looked.problems.map((p) => p.code)).toContain('COUPON_NOT_USABLE');
  });

  it('shows a second redemption refused by WeChat as refused, final, and not a manager task', async () => {
    const out = await redeemOnOrder(till, { code: 'OK-1', stockId: normal, orderAmountFen: 6000 });
    expect(out.status).toBe('refused');
    if (out.status !== 'refused') return;
    expect(out.reason).toMatchObject({ code: 'WECHAT_REFUSED', params: { wechatCode: 'INVALID_REQUEST' } });
    expect(out.use.status).toBe('refused');
    expect(till.journal.parked()).toEqual([]);
  });

  it('values a discount coupon at the order amount, rounding half up to the fen', async () => {
    const discount = createStock(t.sim, { type: 'DISCOUNT', minimumFen: 2000 });
    issueCoupons(t.sim, discount, ['PCT-1']);
    const out = await redeemOnOrder(till, { code: 'PCT-1', stockId: discount, orderAmountFen: 10_050 });
    expect(out).toMatchObject({ status: 'succeeded', use: { discountFen: 1206 } });
  });

  it('answers a repeated scan id from the journal without sending again', async () => {
    issueCoupons(t.sim, normal, ['REF-1']);
    const first = await redeemOnOrder(till, { code: 'REF-1', stockId: normal, orderAmountFen: 7000, clientRef: 'scan-77' });
    const again = await redeemOnOrder(till, { code: 'REF-1', stockId: normal, orderAmountFen: 7000, clientRef: 'scan-77' });
    expect(first.status).toBe('succeeded');
    expect(again.status).toBe('succeeded');
    if (first.status === 'succeeded' && again.status === 'succeeded') expect(again.use.opId).toBe(first.use.opId);
    expect(historyOps(t.sim, normal, 'REF-1')).toEqual(['use']);
  });
});

describe('order links, returns and deactivation', () => {
  it('links an order by hand before redeeming, and declines a link once the coupon is used', async () => {
    issueCoupons(t.sim, normal, ['LINK-1']);
    const linked = await till.actions.associate({ code: 'LINK-1', stockId: normal, outTradeNo: 'WXORDER-1' });
    expect(linked.status).toBe('succeeded');
    expect(till.directory.get('LINK-1', normal)?.associateOutTradeNo).toBe('WXORDER-1');
    expect((await redeemOnOrder(till, { code: 'LINK-1', orderAmountFen: 8000 })).status).toBe('succeeded');
    await until(() => till.directory.get('LINK-1', normal)?.couponState === 'USED', 'directory sees the use');
    const late = await till.actions.associate({ code: 'LINK-1', outTradeNo: 'WXORDER-2' });
    expect(late).toMatchObject({ status: 'declined', reason: { code: 'ASSOCIATE_NEEDS_UNUSED' } });
    expect(historyOps(t.sim, normal, 'LINK-1')).toEqual(['associate', 'use']);
    expect(t.sim.state.coupon(normal, 'LINK-1')?.associate_out_trade_no).toBe('WXORDER-1');
  });

  it('needs a manager to return or deactivate; returns a used coupon and deactivates an unused one', async () => {
    issueCoupons(t.sim, normal, ['RET-1', 'DEACT-1']);
    expect((await redeemOnOrder(till, { code: 'RET-1', stockId: normal, orderAmountFen: 8000 })).status).toBe('succeeded');
    await until(() => till.directory.get('RET-1', normal)?.couponState === 'USED', 'directory sees the use');
    expect(await till.actions.returnCoupon({ code: 'RET-1', managerId: '' })).toMatchObject({ status: 'declined', reason: { code: 'MANAGER_REQUIRED' } });
    expect(await till.actions.deactivate({ code: 'RET-1', managerId: 'M1' })).toMatchObject({ status: 'declined', reason: { code: 'DEACTIVATE_NEEDS_UNUSED' } });
    expect((await till.actions.returnCoupon({ code: 'RET-1', managerId: 'M1' })).status).toBe('succeeded');
    expect(t.sim.state.coupon(normal, 'RET-1')?.coupon_state).toBe('SENDED');

    till.directory.recordManual({ couponCode: 'DEACT-1', stockId: normal });
    const deact = await till.actions.deactivate({ code: 'DEACT-1', managerId: 'M1', reason: '顾客投诉' });
    expect(deact.status).toBe('succeeded');
    expect(t.sim.state.coupon(normal, 'DEACT-1')).toMatchObject({ coupon_state: 'DEACTIVATED', deactivate_reason: '顾客投诉' });
    const bad = await till.actions.deactivate({ code: 'DEACT-2', stockId: normal, managerId: 'M1', reason: '表情😀' });
    expect(bad).toMatchObject({ status: 'declined', reason: { code: 'INVALID_FIELD' } });
  });

  it('refuses at once while an earlier refused operation on the coupon waits for a manager', async () => {
    issueCoupons(t.sim, normal, ['PARK-1']);
    // Sent from the back office with nobody watching: WeChat refuses (the coupon is not used).
    const parked = till.drainer.enqueue({ request: { kind: 'return', coupon_code: 'PARK-1', stock_id: normal } });
    await until(() => till.journal.get(parked.opId)?.status === 'parked', 'refusal parked');
    const out = await redeemOnOrder(till, { code: 'PARK-1', stockId: normal, orderAmountFen: 8000 });
    expect(out).toMatchObject({ status: 'declined', reason: { code: 'COUPON_NEEDS_ATTENTION', params: { operationId: parked.opId, kind: 'return' } } });
    till.drainer.acknowledge(parked.opId, 'M1');
    expect((await redeemOnOrder(till, { code: 'PARK-1', stockId: normal, orderAmountFen: 8000 })).status).toBe('succeeded');
  });

  it("learns a customer's coupons from WeChat's list, so their codes resolve without choosing a stock", async () => {
    const user = t.sim.state.addUser(APPID);
    for (const code of ['CUST-1', 'CUST-2'])
      expect(t.sim.admin.receiveCoupon({ stock_id: normal, user_id: user.user_id, coupon_code: code, out_request_no: `R${code.replace('-', '')}` }).ok).toBe(true);
    const entries = await till.lookup.syncCustomer(user.openid ?? '');
    expect(entries.map((e) => [e.couponCode, e.stockId, e.openid, e.couponState, e.source]).sort()).toEqual([
      ['CUST-1', normal, user.openid, 'SENDED', 'list'],
      ['CUST-2', normal, user.openid, 'SENDED', 'list'],
    ]);
    const out = await redeemOnOrder(till, { code: 'CUST-2', orderAmountFen: 5000 });
    expect(out).toMatchObject({ status: 'succeeded', use: { stockId: normal, openid: user.openid } });
  });
});

describe('a journal that cannot be written', () => {
  it('a journal that cannot be written (read-only, full disk) refuses in a sentence, and nothing reaches WeChat Pay', async () => {
    issueCoupons(t.sim, normal, ['DISK-1']);
    const opened = till.orders.open({ tillId: TILL, shiftId: till.shifts.current(TILL)?.shiftId ?? null, amountFen: 6000, outTradeNo: null, source: 'till', training: false });
    if (!opened.ok) throw new Error('order not opened');
    till.journal.db.pragma('query_only = ON');
    try {
      const out = await till.redemption.redeem({ orderId: opened.order.orderId, code: 'DISK-1', stockId: normal });
      expect(out).toMatchObject({ status: 'declined', reason: { code: 'JOURNAL_UNWRITABLE', params: { sqliteCode: 'SQLITE_READONLY' } } });
      if (out.status === 'declined') expect(describeRefusal(out.reason)).toContain('not redeemed');
      // Not even an order can be opened on a journal that takes no writes: said, not thrown.
      expect(till.orders.open({ tillId: 'OTHER', shiftId: null, amountFen: 100, outTradeNo: null, source: 'till', training: false })).toMatchObject({
        ok: false,
        reason: { code: 'JOURNAL_UNWRITABLE' },
      });
    } finally {
      till.journal.db.pragma('query_only = OFF');
    }
    expect(t.sim.state.coupon(normal, 'DISK-1')?.coupon_state).toBe('SENDED');
    expect((await till.redemption.redeem({ orderId: opened.order.orderId, code: 'DISK-1', stockId: normal })).status).toBe('succeeded');
    till.orders.finish(opened.order.orderId);
  });
});
