// Stocks in the back office against the simulator: create all three types, the list with its
// sources and counts, modify and budget — and the same number after an injected timeout, so a
// retry changes the stock exactly once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueCoupons } from '../queue/support/sim';
import { redeemOnOrder, TILL } from '../pos/support/pos';
import { changesOf, draft, openOffice, type Office } from './support';

let o: Office;
beforeEach(async () => {
  o = await openOffice({ timeoutMs: 1_500 });
});
afterEach(async () => o.close());

describe('creating stocks', () => {
  it('creates one stock of each type; each is journaled with its number, listed as created, and is what the simulator holds', async () => {
    const made: string[] = [];
    for (const type of ['NORMAL', 'DISCOUNT', 'EXCHANGE'] as const) {
      const out = await o.office.createStock(draft(o.t, type), { managerId: 'M01' });
      expect(out.status).toBe('succeeded');
      expect(out.operation.requestNo).toMatch(/^C\d{14}[0-9A-Z]{12}$/);
      expect(out.operation.request.body?.out_request_no).toBe(out.operation.requestNo);
      made.push(out.operation.stockId as string);
    }
    const rows = await o.office.listStocks();
    for (const [i, id] of made.entries()) {
      const row = rows.find((r) => r.stockId === id);
      const held = o.t.sim.state.toJSON().stocks.find((s) => s.stock_id === id);
      expect(row).toMatchObject({
        sources: ['created'],
        stockType: ['NORMAL', 'DISCOUNT', 'EXCHANGE'][i],
        stockState: 'RUNNING',
        maxCoupons: 100,
        maxCouponsByDay: 50,
        sent: 0,
        freshness: 'wechat',
      });
      expect(row?.stockName).toBe(held?.definition.stock_name);
    }
    // The no-threshold NORMAL stock kept its 0.
    expect(o.t.sim.state.toJSON().stocks.find((s) => s.stock_id === made[0])?.definition.coupon_use_rule.fixed_normal_coupon).toEqual({
      discount_amount: 1000,
      transaction_minimum: 0,
    });
    expect(o.office.journal.list({ kind: 'stock_create' }).map((r) => r.managerId)).toEqual(['M01', 'M01', 'M01']);
  });

  it('the same form sent twice (its client reference) creates one stock', async () => {
    const form = draft(o.t, 'NORMAL');
    const a = await o.office.createStock(form, { managerId: 'M01', clientRef: 'form-0001-abcd' });
    const b = await o.office.createStock(form, { managerId: 'M01', clientRef: 'form-0001-abcd' });
    expect(b.operation.opId).toBe(a.operation.opId);
    expect(o.t.sim.state.toJSON().stocks.filter((s) => s.definition.stock_name === form.stock_name)).toHaveLength(1);
  });

  it('an answer lost after WeChat created the stock: pending, then the retry gets the same stock', async () => {
    o.t.sim.admin.setFaults('stocks.create:after:script=reset');
    const form = draft(o.t, 'DISCOUNT');
    const first = await o.office.createStock(form, { managerId: 'M01' });
    expect(first.status).toBe('pending');
    const again = await o.office.retry(first.operation.opId, 'M02');
    expect(again.status).toBe('succeeded');
    expect(o.t.sim.state.toJSON().stocks.filter((s) => s.definition.stock_name === form.stock_name)).toHaveLength(1);
    expect(changesOf(o.t, first.operation.requestNo)).toEqual({ changes: 1, replays: 1 });
    expect(o.office.journal.attempts(first.operation.opId).map((a) => [a.outcome, a.actor])).toEqual([
      ['unknown_outcome', 'M01'],
      ['succeeded', 'M02'],
    ]);
  });

  it("WeChat's refusal is final and says why", async () => {
    const out = await o.office.createStock(draft(o.t, 'NORMAL', { belong_merchant: '1234567890' }), { managerId: 'M01' });
    expect(out.status).toBe('refused');
    expect(out.reason).toMatchObject({ code: 'WECHAT_REFUSED', params: { wechatCode: 'MCH_NOT_EXISTS' } });
    expect((await o.office.retry(out.operation.opId, 'M01')).status).toBe('refused');
  });
});

describe('changing a stock after a timeout', () => {
  it('budget: the answer never comes (timeout after WeChat applied it); the retry with the same number changes it exactly once', async () => {
    const created = await o.office.createStock(draft(o.t, 'NORMAL'), { managerId: 'M01' });
    const id = created.operation.stockId as string;
    o.t.sim.admin.setFaults('stocks.budget:after:script=timeout');
    const first = await o.office.changeBudget(id, { target: 'max_coupons', current: 100, value: 250 }, { managerId: 'M01' });
    expect(first.status).toBe('pending');
    expect(first.operation.summary).toEqual({ target: 'max_coupons', from: 100, to: 250 });
    const second = await o.office.retry(first.operation.opId, 'M01');
    expect(second.status).toBe('succeeded');
    expect(o.t.sim.state.toJSON().stocks.find((s) => s.stock_id === id)?.definition.stock_send_rule.max_coupons).toBe(250);
    expect(changesOf(o.t, first.operation.requestNo)).toEqual({ changes: 1, replays: 1 });
    // Retrying a settled operation sends nothing more.
    expect((await o.office.retry(first.operation.opId, 'M01')).status).toBe('succeeded');
    expect(changesOf(o.t, first.operation.requestNo)).toEqual({ changes: 1, replays: 1 });
  }, 20_000);

  it('modify: the same, and the till refreshes its copy of the rules', async () => {
    const created = await o.office.createStock(draft(o.t, 'EXCHANGE'), { managerId: 'M01' });
    const id = created.operation.stockId as string;
    o.t.sim.admin.setFaults('stocks.modify:after:script=timeout');
    const first = await o.office.modifyStock(id, { goods_name: '指定饮品', comment: '第二版' }, { managerId: 'M01' });
    expect(first.status).toBe('pending');
    expect((await o.office.retry(first.operation.opId, 'M01')).status).toBe('succeeded');
    expect(o.t.sim.state.toJSON().stocks.find((s) => s.stock_id === id)?.definition).toMatchObject({ goods_name: '指定饮品', comment: '第二版' });
    expect(changesOf(o.t, first.operation.requestNo)).toEqual({ changes: 1, replays: 1 });
    expect(o.till.stocks.peek(id)?.stock.goods_name).toBe('指定饮品');
  }, 20_000);

  it('a stale current value is refused by WeChat, and nothing changes', async () => {
    const created = await o.office.createStock(draft(o.t, 'NORMAL'), { managerId: 'M01' });
    const out = await o.office.changeBudget(created.operation.stockId as string, { target: 'max_coupons_by_day', current: 49, value: 80 }, { managerId: 'M01' });
    expect(out.status).toBe('refused');
    expect(o.t.sim.state.toJSON().stocks.find((s) => s.stock_id === created.operation.stockId)?.definition.stock_send_rule.max_coupons_by_day).toBe(50);
  });

  it('resends what a restart left pending, with the same number', async () => {
    const created = await o.office.createStock(draft(o.t, 'NORMAL'), { managerId: 'M01' });
    o.t.sim.admin.setFaults('stocks.budget:before:script=503');
    const first = await o.office.changeBudget(created.operation.stockId as string, { target: 'max_coupons', current: 100, value: 120 }, { managerId: 'M01' });
    expect(first.status).toBe('pending');
    expect(await o.office.resendPending('till-start')).toBe(1);
    expect(o.office.journal.get(first.operation.opId)?.status).toBe('succeeded');
    expect(changesOf(o.t, first.operation.requestNo)).toEqual({ changes: 1, replays: 0 });
  });
});

describe('the stock list', () => {
  it('lists configured and seen stocks too, with the uses this till confirmed', async () => {
    const created = await o.office.createStock(draft(o.t, 'NORMAL', { coupon_code_mode: 'MERCHANT_API' }), { managerId: 'M01' });
    const id = created.operation.stockId as string;
    expect((await o.office.listStocks()).find((r) => r.stockId === id)?.sources).toEqual(['created']);
    // A coupon of it passes the till.
    issueCoupons(o.t.sim, id, ['LIST-USE-1']);
    o.till.shifts.open({ tillId: TILL, cashierIds: ['C1'], openedBy: 'C1', training: false });
    expect((await redeemOnOrder(o.till, { code: 'LIST-USE-1', stockId: id, orderAmountFen: 5000 })).status).toBe('succeeded');
    const row = (await o.office.listStocks()).find((r) => r.stockId === id);
    expect(row?.sources.sort()).toEqual(['created', 'seen']);
    expect(row).toMatchObject({ usedHere: 1, sent: 1 });
    const detail = await o.office.stock(id);
    expect(detail.stock_id).toBe(id);
    await expect(o.office.stock('99999999999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('names the store’s configured stocks even when WeChat Pay cannot be asked about them', async () => {
    const office = await openOffice({ configured: ['12345678901'] });
    try {
      const row = (await office.office.listStocks()).find((r) => r.stockId === '12345678901');
      expect(row).toMatchObject({ sources: ['configured'], stockName: null, freshness: 'none' });
    } finally {
      await office.close();
    }
  });
});
