import { describe, expect, it } from 'vitest';
import type { CouponView, RedeemResult, StockView } from '../../shared/contract';
import { parseOrderAmount } from '../../renderer/till/amount';
import { chinaMinute, compactYuan, couponValue, zhe } from '../../renderer/till/coupon-text';
import { quoteFor, redeemGate } from '../../renderer/till/redeem-gate';
import { isSettled } from '../../renderer/till/useTill';
import { translate } from '../../renderer/i18n/i18n';

const zh = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

const base = { goodsName: '全场', transactionMinimumFen: 0, availableBegin: '2026-01-01T00:00:00+08:00', availableEnd: '2026-12-31T23:59:59+08:00' };
const normal: StockView = { ...base, stockId: '1', stockName: 'n', stockType: 'NORMAL', discountAmountFen: 2000, transactionMinimumFen: 10000 };
const discount: StockView = { ...base, stockId: '2', stockName: 'd', stockType: 'DISCOUNT', discountPercent: 88 };
const exchange: StockView = { ...base, stockId: '3', stockName: 'e', stockType: 'EXCHANGE', exchangePriceFen: 990 };
const coupon = (stock: StockView, extra: Partial<CouponView> = {}): CouponView => ({ code: 'C1', stock, state: 'SENDED', usable: { ok: true }, source: 'wechat', ...extra });

describe('coupon faces', () => {
  it('reads as the cashier expects in both languages', () => {
    expect(couponValue(zh, normal)).toBe('满100减20');
    expect(couponValue(en, normal)).toBe('¥20 off ¥100+');
    expect(couponValue(zh, { ...normal, transactionMinimumFen: 0 })).toBe('立减20');
    expect(couponValue(zh, discount)).toBe('8.8折');
    expect(couponValue(en, discount)).toBe('12% off');
    expect(couponValue(zh, exchange)).toBe('换购价 ¥9.90');
    expect(couponValue(zh, { ...normal, discountAmountFen: undefined })).toBe('面额未知');
  });

  it('short yuan and 折 never show float noise', () => {
    expect([10000, 1250, 1205, 1, 990, 0].map(compactYuan)).toEqual(['100', '12.5', '12.05', '0.01', '9.9', '0']);
    expect([88, 80, 5, 95, 99, 100].map(zhe)).toEqual(['8.8', '8', '0.5', '9.5', '9.9', '10']);
  });

  it('validity is shown in China time whatever the offset it was sent with', () => {
    expect(chinaMinute('2026-05-01T01:30:00Z')).toBe('2026-05-01 09:30');
    expect(chinaMinute('not a date')).toBe('not a date');
  });
});

describe('quote and the 核销 button', () => {
  it('uses the service quote for the amount it was made for, and the shared arithmetic for any other', () => {
    const served = coupon(normal, { quote: { qualifies: true, discountFen: 1999, payableFen: 10001, shortfallFen: 0 } });
    expect(quoteFor(served, 12000, 12000).discountFen).toBe(1999);
    expect(quoteFor(served, 12850, 12000)).toEqual({ qualifies: true, discountFen: 2000, payableFen: 10850, shortfallFen: 0 });
    expect(quoteFor(coupon(normal), 8000, undefined)).toEqual({ qualifies: false, discountFen: 0, payableFen: 8000, shortfallFen: 2000 });
    // 88折 on ¥10.05: 12% is 120.6 fen, rounded half-up to 121.
    expect(quoteFor(coupon(discount), 1005, undefined)).toEqual({ qualifies: true, discountFen: 121, payableFen: 884, shortfallFen: 0 });
  });

  it('is enabled only for a usable coupon on a qualifying order with a shift open, and says why not otherwise', () => {
    const ok = parseOrderAmount('128');
    const c = coupon(normal);
    const q = quoteFor(c, 12800, undefined);
    const g = { coupon: c, amount: ok, quote: q, busy: false, settled: false, shiftOpen: true as boolean | null };
    expect(redeemGate(g)).toEqual({ ok: true });
    expect(redeemGate({ ...g, shiftOpen: null })).toEqual({ ok: true });
    expect(redeemGate({ ...g, shiftOpen: false })).toEqual({ ok: false, block: 'no_shift' });
    expect(redeemGate({ ...g, coupon: null, quote: null })).toEqual({ ok: false, block: 'no_coupon' });
    expect(redeemGate({ ...g, amount: parseOrderAmount(''), quote: null })).toEqual({ ok: false, block: 'no_amount' });
    expect(redeemGate({ ...g, amount: parseOrderAmount('80'), quote: quoteFor(c, 8000, undefined) })).toEqual({ ok: false, block: 'below_threshold' });
    const used = coupon(normal, { state: 'USED', usable: { ok: false, reason: { code: 'COUPON_NOT_USABLE', zh: '已核销', en: 'used' } } });
    expect(redeemGate({ ...g, coupon: used })).toEqual({ ok: false, block: 'not_usable' });
    expect(redeemGate({ ...g, busy: true })).toEqual({ ok: false, block: 'busy' });
    expect(redeemGate({ ...g, settled: true })).toEqual({ ok: false, block: 'settled' });
  });

  it('a coupon stays locked after anything that may have reached WeChat Pay, and only then', () => {
    const result = (status: RedeemResult['status']): RedeemResult => ({ status, discountFen: 0, payableFen: 100, offline: false });
    expect(isSettled({ status: 'idle' })).toBe(false);
    expect(isSettled({ status: 'busy', timedOut: true, seconds: 15 })).toBe(true);
    expect(isSettled({ status: 'done', result: result('done') })).toBe(true);
    expect(isSettled({ status: 'done', result: result('pending') })).toBe(true);
    expect(isSettled({ status: 'done', result: result('rejected') })).toBe(true);
    expect(isSettled({ status: 'done', result: result('refused') })).toBe(false);
    expect(isSettled({ status: 'failed', error: { code: 'OUTCOME_PENDING', message: '' } })).toBe(true);
    expect(isSettled({ status: 'failed', error: { code: 'INTERNAL', message: '' } })).toBe(true);
    expect(isSettled({ status: 'failed', error: { code: 'NOT_PROVISIONED', message: '' } })).toBe(false);
  });
});
