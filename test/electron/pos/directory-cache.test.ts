import { afterEach, describe, expect, it } from 'vitest';
import { CouponDirectory, StockCache } from '../../../electron/pos';
import { Journal } from '../../../electron/queue';
import { WechatPayError } from '../../../electron/wechatpay';
import { APPID, createStock, issueCoupons, startTestSim, tempDir } from '../queue/support/sim';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

function journal(): Journal {
  const d = tempDir('dir-');
  const j = Journal.open(d.path);
  cleanup.push(() => {
    j.close();
    d.remove();
  });
  return j;
}

describe('coupon directory', () => {
  it('merges what each source knows without forgetting the rest', () => {
    let now = 1;
    const dir = new CouponDirectory(journal().db, () => now);
    dir.recordUploaded('S1', ['UP-1', 'UP-2']);
    expect(dir.find('UP-1')).toMatchObject([{ stockId: 'S1', openid: null, source: 'upload' }]);
    now = 2;
    dir.update({ couponCode: 'UP-1', stockId: 'S1', openid: 'o-1', appid: APPID, couponState: 'SENDED', source: 'manual' });
    now = 3;
    dir.update({ couponCode: 'UP-1', stockId: 'S1', couponState: 'USED', associateOutTradeNo: 'ORD-1', source: 'queue' });
    expect(dir.get('UP-1', 'S1')).toMatchObject({ openid: 'o-1', appid: APPID, couponState: 'USED', associateOutTradeNo: 'ORD-1', source: 'queue', updatedAt: 3 });
    dir.update({ couponCode: 'UP-1', stockId: 'S1', associateOutTradeNo: null, source: 'queue' });
    expect(dir.get('UP-1', 'S1')?.associateOutTradeNo).toBeNull();
    // The same merchant code in another stock is another coupon.
    dir.recordManual({ couponCode: 'UP-1', stockId: 'S2' });
    expect(
      dir
        .find('UP-1')
        .map((e) => e.stockId)
        .sort(),
    ).toEqual(['S1', 'S2']);
  });

  it('follows confirmed operations: use (with the owner from the answer), return, deactivate, order links', () => {
    const j = journal();
    const dir = new CouponDirectory(j.db);
    const op = j.enqueue({ request: { kind: 'use', coupon_code: 'Q-1', stock_id: 'S1', appid: APPID, use_time: '2026-01-01T10:00:00+08:00' } }).operation;
    expect(dir.applyOperation(op)).toBeUndefined();
    expect(dir.applyOperation({ ...op, status: 'succeeded', result: { openid: 'o-9', stock_id: 'S1' } })).toMatchObject({
      couponState: 'USED',
      openid: 'o-9',
      appid: APPID,
      source: 'use',
    });
    expect(dir.applyOperation({ ...op, kind: 'return', status: 'succeeded', result: null })?.couponState).toBe('SENDED');
    expect(dir.applyOperation({ ...op, kind: 'associate', outTradeNo: 'ORD-7', status: 'succeeded', result: null })?.associateOutTradeNo).toBe('ORD-7');
    expect(dir.applyOperation({ ...op, kind: 'disassociate', outTradeNo: 'ORD-7', status: 'succeeded', result: null })?.associateOutTradeNo).toBeNull();
    expect(dir.applyOperation({ ...op, kind: 'deactivate', status: 'succeeded', result: null })).toMatchObject({ couponState: 'DEACTIVATED', openid: 'o-9' });
  });
});

describe('stock cache', () => {
  it('answers from the cache within the TTL, refetches after it, and falls back to the stale copy offline', async () => {
    const t = await startTestSim();
    cleanup.push(() => t.close());
    const stock = createStock(t.sim, { discountFen: 300, minimumFen: 1000 });
    issueCoupons(t.sim, stock, ['SC-1']);
    let now = 1_000_000;
    const cache = new StockCache({ db: journal().db, client: t.client, clock: () => now, ttlMs: 60_000 });
    expect(cache.peek(stock)).toBeUndefined();
    expect((await cache.get(stock)).source).toBe('fresh');
    const calls = () => (t.sim.admin.operations().http['stocks.get'] as { requests: number } | undefined)?.requests ?? 0;
    const before = calls();
    now += 30_000;
    expect((await cache.get(stock)).source).toBe('cache');
    expect(calls()).toBe(before);
    now += 60_000;
    expect(cache.peek(stock)?.source).toBe('stale');
    expect((await cache.get(stock)).source).toBe('fresh');
    expect(calls()).toBe(before + 1);

    now += 120_000;
    await t.sim.close();
    const offline = await cache.get(stock);
    expect(offline.source).toBe('stale');
    expect(offline.stock.coupon_use_rule.fixed_normal_coupon?.discount_amount).toBe(300);
    expect(cache.list().map((c) => c.stock.stock_id)).toEqual([stock]);
  });

  it('does not hide WeChat saying the stock does not exist', async () => {
    const t = await startTestSim();
    cleanup.push(() => t.close());
    const cache = new StockCache({ db: journal().db, client: t.client });
    const err = await cache.get('99999999').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatPayError);
    expect((err as WechatPayError).kind).toBe('rejected');
  });
});
