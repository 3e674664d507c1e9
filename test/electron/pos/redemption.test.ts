import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaParts } from '../../../shared/time';
import { APPID, createStock, historyOps, issueCoupons, startTestSim, type TestSim } from '../queue/support/sim';
import { until } from '../queue/support/drain';
import { openTill, TILL, type Till } from './support/pos';

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
    const out = await till.redemption.redeem({ code: 'NOSHIFT-1', stockId: normal, orderAmountFen: 6000 });
    expect(out).toMatchObject({ status: 'refused', reason: { code: 'NO_OPEN_SHIFT', detail: { till_id: TILL } } });
    till.shifts.open({ tillId: TILL, cashierIds: ['C1'], openedBy: 'C1' });
  });

  it('refuses a WeChat payment code and says what it is', async () => {
    const out = await till.redemption.redeem({ code: '134567890123456789', orderAmountFen: 6000 });
    expect(out.status).toBe('refused');
    if (out.status !== 'refused') return;
    expect(out.reason.code).toBe('PAYMENT_CODE');
    expect(out.reason.zh).toContain('付款码');
    const looked = await till.redemption.lookup('134567890123456789');
    expect(looked).toMatchObject({ ok: false, reason: { code: 'PAYMENT_CODE' } });
  });

  it('refuses malformed codes with the offending character', async () => {
    const out = await till.redemption.redeem({ code: 'AB#12', stockId: normal, orderAmountFen: 6000 });
    expect(out).toMatchObject({ status: 'refused', reason: { code: 'MALFORMED_CODE', detail: { scan_reason: 'ILLEGAL_CHARACTER' } } });
    if (out.status === 'refused') expect(out.reason.zh).toContain('“#”');
    const tooLong = await till.redemption.redeem({ code: 'A'.repeat(33), stockId: normal, orderAmountFen: 6000 });
    expect(tooLong).toMatchObject({ status: 'refused', reason: { code: 'MALFORMED_CODE', detail: { scan_reason: 'TOO_LONG' } } });
  });

  it('refuses an order below transaction_minimum, naming the shortfall', async () => {
    issueCoupons(t.sim, normal, ['MIN-1']);
    const out = await till.redemption.redeem({ code: 'MIN-1', stockId: normal, orderAmountFen: 4999 });
    expect(out).toMatchObject({ status: 'refused', reason: { code: 'BELOW_MINIMUM', detail: { transaction_minimum: 5000, order_amount: 4999, shortfall: 1 } } });
    if (out.status === 'refused') expect(out.reason.zh).toContain('还差 ¥0.01');
  });

  it('refuses a coupon not valid yet, and one outside its weekly window', async () => {
    const later = createStock(t.sim, { beginDays: 3, endDays: 30 });
    const early = await till.redemption.redeem({ code: 'EARLY-1', stockId: later, orderAmountFen: 9000 });
    expect(early).toMatchObject({ status: 'refused', reason: { code: 'NOT_YET_EFFECTIVE' } });
    const today = chinaParts(new Date()).weekday;
    const otherDays = [0, 1, 2, 3, 4, 5, 6].filter((d) => d !== today);
    const weekly = createStock(t.sim, { availableWeek: { week_day: otherDays } });
    const out = await till.redemption.redeem({ code: 'WEEK-1', stockId: weekly, orderAmountFen: 9000 });
    expect(out).toMatchObject({ status: 'refused', reason: { code: 'OUTSIDE_WEEKLY_WINDOW' } });
  });

  it('refuses when the stock is unknown and offers the cached stocks', async () => {
    const out = await till.redemption.redeem({ code: 'WHO-AM-I', orderAmountFen: 9000 });
    expect(out.status).toBe('refused');
    if (out.status !== 'refused') return;
    expect(out.reason.code).toBe('STOCK_UNKNOWN');
    expect(String(out.reason.detail?.candidates).split(',')).toContain(normal);
  });

  it('refuses an amount that is not whole fen', async () => {
    expect(await till.redemption.redeem({ code: 'AMT-1', stockId: normal, orderAmountFen: 12.5 })).toMatchObject({ status: 'refused', reason: { code: 'BAD_AMOUNT' } });
    expect(await till.redemption.redeem({ code: 'AMT-1', stockId: normal, orderAmountFen: -1 })).toMatchObject({ status: 'refused', reason: { code: 'BAD_AMOUNT' } });
  });

  it('wrote nothing for any of them', () => {
    expect(till.journal.totalOperations()).toBe(0);
  });
});

describe('redeeming online', () => {
  it('redeems, learns the owner, and shows the coupon as used afterwards', async () => {
    const [c] = issueCoupons(t.sim, normal, ['OK-1']);
    const out = await till.redemption.redeem({ code: 'OK-1', stockId: normal, orderAmountFen: 6000, cashierId: 'C1' });
    expect(out.status).toBe('redeemed');
    if (out.status !== 'redeemed') return;
    expect(out).toMatchObject({ discountFen: 1000, payableFen: 5000 });
    expect(out.operation).toMatchObject({ status: 'succeeded', granted: true, offlineAccepted: false, discountFen: 1000, orderAmountFen: 6000, cashierId: 'C1' });
    expect(historyOps(t.sim, normal, 'OK-1')).toEqual(['use']);
    await until(() => till.directory.get('OK-1', normal)?.openid === c?.openid, 'directory learns the owner');

    const looked = await till.redemption.lookup('OK-1');
    expect(looked.ok).toBe(true);
    if (!looked.ok) return;
    expect(looked.stockId).toBe(normal);
    expect(looked.stock).toMatchObject({ stockType: 'NORMAL', discountAmountFen: 1000, transactionMinimumFen: 5000, stockName: '满50减10' });
    expect(looked.coupon).toMatchObject({ state: 'USED', source: 'wechat' });
    expect(looked.problems.map((p) => p.code)).toContain('COUPON_NOT_USABLE');
  });

  it('shows a second redemption refused by WeChat as rejected, final, and not a manager task', async () => {
    const out = await till.redemption.redeem({ code: 'OK-1', stockId: normal, orderAmountFen: 6000 });
    expect(out.status).toBe('rejected');
    if (out.status !== 'rejected') return;
    expect(out.reason).toMatchObject({ code: 'WECHAT_REJECTED', detail: { wechat_code: 'INVALID_REQUEST' } });
    expect(out.operation.status).toBe('failed');
    expect(till.journal.needsAttention()).toEqual([]);
  });

  it('values a discount coupon at the order amount, rounding half up to the fen', async () => {
    const discount = createStock(t.sim, { type: 'DISCOUNT', minimumFen: 2000 });
    issueCoupons(t.sim, discount, ['PCT-1']);
    const out = await till.redemption.redeem({ code: 'PCT-1', stockId: discount, orderAmountFen: 10_050 });
    expect(out).toMatchObject({ status: 'redeemed', discountFen: 1206, payableFen: 8844 });
  });

  it('answers a repeated scan id from the journal without sending again', async () => {
    issueCoupons(t.sim, normal, ['REF-1']);
    const first = await till.redemption.redeem({ code: 'REF-1', stockId: normal, orderAmountFen: 7000, clientRef: 'scan-77' });
    const again = await till.redemption.redeem({ code: 'REF-1', stockId: normal, orderAmountFen: 7000, clientRef: 'scan-77' });
    expect(first.status).toBe('redeemed');
    expect(again.status).toBe('redeemed');
    if (first.status === 'redeemed' && again.status === 'redeemed') expect(again.operation.opId).toBe(first.operation.opId);
    expect(historyOps(t.sim, normal, 'REF-1')).toEqual(['use']);
  });
});

describe('order links, returns and deactivation', () => {
  it('links the order before redeeming, and refuses a link once the coupon is used', async () => {
    issueCoupons(t.sim, normal, ['LINK-1']);
    const linked = await till.redemption.associate({ code: 'LINK-1', stockId: normal, outTradeNo: 'WXORDER-1' });
    expect(linked.status).toBe('done');
    expect(till.directory.get('LINK-1', normal)?.associateOutTradeNo).toBe('WXORDER-1');
    expect((await till.redemption.redeem({ code: 'LINK-1', orderAmountFen: 8000 })).status).toBe('redeemed');
    await until(() => till.directory.get('LINK-1', normal)?.couponState === 'USED', 'directory sees the use');
    const late = await till.redemption.associate({ code: 'LINK-1', outTradeNo: 'WXORDER-2' });
    expect(late).toMatchObject({ status: 'refused', reason: { code: 'ASSOCIATE_NEEDS_UNUSED' } });
    expect(historyOps(t.sim, normal, 'LINK-1')).toEqual(['associate', 'use']);
    expect(t.sim.state.coupon(normal, 'LINK-1')?.associate_out_trade_no).toBe('WXORDER-1');
  });

  it('needs a manager to return or deactivate; returns a used coupon and deactivates an unused one', async () => {
    issueCoupons(t.sim, normal, ['RET-1', 'DEACT-1']);
    expect((await till.redemption.redeem({ code: 'RET-1', stockId: normal, orderAmountFen: 8000 })).status).toBe('redeemed');
    await until(() => till.directory.get('RET-1', normal)?.couponState === 'USED', 'directory sees the use');
    expect(await till.redemption.returnCoupon({ code: 'RET-1', managerId: '' })).toMatchObject({ status: 'refused', reason: { code: 'MANAGER_REQUIRED' } });
    expect(await till.redemption.deactivate({ code: 'RET-1', managerId: 'M1' })).toMatchObject({ status: 'refused', reason: { code: 'DEACTIVATE_NEEDS_UNUSED' } });
    expect((await till.redemption.returnCoupon({ code: 'RET-1', managerId: 'M1' })).status).toBe('done');
    expect(t.sim.state.coupon(normal, 'RET-1')?.coupon_state).toBe('SENDED');

    till.directory.recordManual({ couponCode: 'DEACT-1', stockId: normal });
    const deact = await till.redemption.deactivate({ code: 'DEACT-1', managerId: 'M1', reason: '顾客投诉' });
    expect(deact.status).toBe('done');
    expect(t.sim.state.coupon(normal, 'DEACT-1')).toMatchObject({ coupon_state: 'DEACTIVATED', deactivate_reason: '顾客投诉' });
    const bad = await till.redemption.deactivate({ code: 'DEACT-2', stockId: normal, managerId: 'M1', reason: '表情😀' });
    expect(bad).toMatchObject({ status: 'refused', reason: { code: 'INVALID_FIELD' } });
  });

  it('refuses at once while an earlier refused operation on the coupon waits for a manager', async () => {
    issueCoupons(t.sim, normal, ['PARK-1']);
    // Sent from the back office with nobody watching: WeChat refuses (the coupon is not used).
    const parked = till.drainer.enqueue({ request: { kind: 'return', coupon_code: 'PARK-1', stock_id: normal } });
    await until(() => till.journal.get(parked.opId)?.status === 'rejected', 'refusal parked');
    const out = await till.redemption.redeem({ code: 'PARK-1', stockId: normal, orderAmountFen: 8000 });
    expect(out).toMatchObject({ status: 'refused', reason: { code: 'COUPON_NEEDS_ATTENTION', detail: { op_id: parked.opId, kind: 'return' } } });
    till.drainer.acknowledge(parked.opId, 'M1');
    expect((await till.redemption.redeem({ code: 'PARK-1', stockId: normal, orderAmountFen: 8000 })).status).toBe('redeemed');
  });

  it("learns a customer's coupons from WeChat's list, so their codes resolve without choosing a stock", async () => {
    const user = t.sim.state.addUser(APPID);
    for (const code of ['CUST-1', 'CUST-2']) expect(t.sim.admin.receiveCoupon({ stock_id: normal, user_id: user.user_id, coupon_code: code, out_request_no: `R${code.replace('-', '')}` }).ok).toBe(true);
    const entries = await till.redemption.syncCustomer(user.openid ?? '');
    expect(entries.map((e) => [e.couponCode, e.stockId, e.openid, e.couponState, e.source]).sort()).toEqual([
      ['CUST-1', normal, user.openid, 'SENDED', 'list'],
      ['CUST-2', normal, user.openid, 'SENDED', 'list'],
    ]);
    const out = await till.redemption.redeem({ code: 'CUST-2', orderAmountFen: 5000 });
    expect(out).toMatchObject({ status: 'redeemed', operation: { stockId: normal, openid: user.openid } });
  });
});

describe('a journal that cannot be written', () => {
  it('a journal that cannot be written (read-only, full disk) refuses in a sentence, and nothing reaches WeChat Pay', async () => {
    issueCoupons(t.sim, normal, ['DISK-1']);
    till.journal.db.pragma('query_only = ON');
    try {
      const out = await till.redemption.redeem({ code: 'DISK-1', stockId: normal, orderAmountFen: 6000 });
      expect(out).toMatchObject({ status: 'refused', reason: { code: 'JOURNAL_UNWRITABLE', detail: { sqlite_code: 'SQLITE_READONLY' } } });
      if (out.status === 'refused') expect(out.reason.zh).toContain('没有核销');
    } finally {
      till.journal.db.pragma('query_only = OFF');
    }
    expect(t.sim.state.coupon(normal, 'DISK-1')?.coupon_state).toBe('SENDED');
    expect((await till.redemption.redeem({ code: 'DISK-1', stockId: normal, orderAmountFen: 6000 })).status).toBe('redeemed');
  });
});
