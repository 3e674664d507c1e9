import { describe, expect, it } from 'vitest';
import type { CouponView, OrderView, Quote, RedeemResult, StockView } from '../../shared/contract';
import { parseYuan } from '../../shared/money';
import { chinaMinute, compactYuan, couponValue, goodsText, zhe } from '../../renderer/till/coupon-text';
import { needsAmountCheck, quoteFor, redeemGate } from '../../renderer/till/redeem-gate';
import { currentResult, isSettled, orderAfter, toneForRedeem, toneForScan } from '../../renderer/till/useCheckout';
import { TONES, type Tone } from '../../renderer/till/feedback-tone';
import { verdictOf } from '../../renderer/screens/till/CouponCard';
import { refusalText, translate, type Translate } from '../../renderer/i18n/i18n';

const zh: Translate = (key, params) => translate('zh-CN', key, params);
const en: Translate = (key, params) => translate('en', key, params);

const base = {
  goodsName: '全场',
  transactionMinimumFen: 0,
  stockState: 'RUNNING',
  couponCodeMode: 'WECHATPAY_MODE',
  availableBegin: '2026-01-01T00:00:00+08:00',
  availableEnd: '2026-12-31T23:59:59+08:00',
};
const normal: StockView = { ...base, stockId: '1', stockName: 'n', stockType: 'NORMAL', discountAmountFen: 2000, transactionMinimumFen: 10000 };
const discount: StockView = { ...base, stockId: '2', stockName: 'd', stockType: 'DISCOUNT', discountPercent: 88 };
const exchange: StockView = { ...base, stockId: '3', stockName: 'e', stockType: 'EXCHANGE', exchangePriceFen: 990 };
const coupon = (stock: StockView, extra: Partial<CouponView> = {}): CouponView => ({
  code: 'C1',
  stock,
  state: 'SENDED',
  usable: { ok: true },
  source: 'wechat',
  availableStart: null,
  expire: null,
  ...extra,
});
const quote = (q: Partial<Quote>): Quote => ({ qualifies: true, discountFen: 0, payableBeforeFen: 0, payableFen: 0, basisFen: 0, shortfallFen: 0, ...q });

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
  it('uses the service quote for the amount or the open order it was made for, and the shared arithmetic for a new amount', () => {
    const served = coupon(normal, { quote: quote({ discountFen: 1999, payableBeforeFen: 12000, payableFen: 10001, basisFen: 12000 }) });
    expect(quoteFor(served, 12000, 12000, false)?.discountFen).toBe(1999);
    // On an open order only the service knows the coupons already on it: its quote stands.
    expect(quoteFor(served, 25000, 25000, true)?.discountFen).toBe(1999);
    expect(quoteFor(coupon(normal), 25000, undefined, true)).toBeNull();
    expect(quoteFor(served, 12850, 12000, false)).toEqual(quote({ discountFen: 2000, payableBeforeFen: 12850, payableFen: 10850, basisFen: 12850 }));
    expect(quoteFor(coupon(normal), 8000, undefined, false)).toEqual(quote({ qualifies: false, payableBeforeFen: 8000, payableFen: 8000, basisFen: 8000, shortfallFen: 2000 }));
    // 88折 on ¥10.05: 12% is 120.6 fen, rounded half-up to 121.
    expect(quoteFor(coupon(discount), 1005, undefined, false)).toMatchObject({ qualifies: true, discountFen: 121, payableFen: 884 });
  });

  it('a card has one verdict, the one the button acts on; only a coupon WeChat Pay confirmed just now is "verified"', () => {
    const say = (r: Parameters<typeof refusalText>[1]) => refusalText('zh-CN', r);
    const short = () => 'short';
    expect(verdictOf(coupon(normal), quote({}), say, short)).toEqual({ kind: 'usable', verified: true });
    expect(verdictOf(coupon(normal, { source: 'none', state: 'UNKNOWN' }), quote({}), say, short)).toEqual({ kind: 'usable', verified: false });
    expect(verdictOf(coupon(normal, { source: 'till' }), quote({}), say, short)).toEqual({ kind: 'usable', verified: false });
    // Below the threshold the card never says usable.
    expect(verdictOf(coupon(normal), quote({ qualifies: false, shortfallFen: 500 }), say, short)).toEqual({ kind: 'blocked', text: 'short' });
    const used = coupon(normal, { state: 'USED', usable: { ok: false, reason: { code: 'COUPON_NOT_USABLE', params: { couponState: 'USED' } } } });
    // The state in plain words, never the raw `USED`.
    expect(verdictOf(used, quote({}), say, short)).toEqual({ kind: 'blocked', text: '这张券已核销，不能核销' });
  });

  it('an unverified coupon never plays the success sound', () => {
    expect(toneForScan({ kind: 'coupon', coupon: coupon(normal) })).toBe('shown');
    expect(toneForScan({ kind: 'coupon', coupon: coupon(normal, { source: 'none', state: 'UNKNOWN' }) })).toBe('attention');
    expect(toneForScan({ kind: 'coupon', coupon: coupon(normal, { usable: { ok: false } }) })).toBe('refused');
  });

  it('coupon shown, redeemed, refused and needs attention each sound different, and only a confirmed redemption chimes', () => {
    const signature = (tone: Tone) => TONES[tone].map((n) => `${n.hz}/${n.ms}/${n.wave}`).join(' ');
    const all = (['shown', 'redeemed', 'refused', 'attention'] as const).map(signature);
    expect(new Set(all).size).toBe(4);
    const order = (status: RedeemResult['status']): RedeemResult => ({ status, order: {} as OrderView });
    expect(toneForRedeem(order('succeeded'))).toBe('redeemed');
    expect(toneForRedeem(order('pending'))).toBe('attention');
    expect(toneForRedeem(order('refused'))).toBe('refused');
    expect(toneForRedeem(order('declined'))).toBe('refused');
  });

  it('is enabled only for a usable coupon on a qualifying order with a shift open, and says why not otherwise', () => {
    const ok = parseYuan('128');
    const c = coupon(normal);
    const q = quoteFor(c, 12800, undefined, false);
    const g = { coupon: c, amount: ok, orderNo: { ok: true }, quote: q, busy: false, settled: false, shiftOpen: true as boolean | null };
    expect(redeemGate(g)).toEqual({ ok: true });
    expect(redeemGate({ ...g, shiftOpen: null })).toEqual({ ok: true });
    expect(redeemGate({ ...g, shiftOpen: false })).toEqual({ ok: false, block: 'no_shift' });
    expect(redeemGate({ ...g, coupon: null, quote: null })).toEqual({ ok: false, block: 'no_coupon' });
    expect(redeemGate({ ...g, amount: parseYuan(''), quote: null })).toEqual({ ok: false, block: 'no_amount' });
    expect(redeemGate({ ...g, orderNo: { ok: false } })).toEqual({ ok: false, block: 'bad_order_no' });
    expect(redeemGate({ ...g, amount: parseYuan('80'), quote: quoteFor(c, 8000, undefined, false) })).toEqual({ ok: false, block: 'below_threshold' });
    const used = coupon(normal, { state: 'USED', usable: { ok: false, reason: { code: 'COUPON_NOT_USABLE', params: { couponState: 'USED' } } } });
    expect(redeemGate({ ...g, coupon: used })).toEqual({ ok: false, block: 'not_usable' });
    expect(redeemGate({ ...g, busy: true })).toEqual({ ok: false, block: 'busy' });
    expect(redeemGate({ ...g, settled: true })).toEqual({ ok: false, block: 'settled' });
  });

  it('a coupon stays locked after anything that may have reached WeChat Pay, and only then', () => {
    const order: OrderView = {
      orderId: 'O1',
      tillId: 'T01',
      amountFen: 100,
      outTradeNo: null,
      source: 'till',
      status: 'open',
      coupons: [],
      discountFen: 0,
      payableFen: 100,
      createdAt: '',
      closedAt: null,
    };
    const result = (status: RedeemResult['status']): RedeemResult => ({ status, order });
    expect(isSettled({ status: 'idle' })).toBe(false);
    expect(isSettled({ status: 'busy', timedOut: true, seconds: 15 })).toBe(true);
    expect(isSettled({ status: 'done', result: result('succeeded') })).toBe(true);
    expect(isSettled({ status: 'done', result: result('pending') })).toBe(true);
    expect(isSettled({ status: 'done', result: result('refused') })).toBe(true);
    expect(isSettled({ status: 'done', result: result('declined') })).toBe(false);
    expect(isSettled({ status: 'failed', error: { code: 'OUTCOME_PENDING', message: '' } })).toBe(true);
    expect(isSettled({ status: 'failed', error: { code: 'INTERNAL', message: '' } })).toBe(true);
    expect(isSettled({ status: 'failed', error: { code: 'NOT_PROVISIONED', message: '' } })).toBe(false);
  });
});

describe('what the cashier is asked and told', () => {
  it('an amount far above the store’s usual tickets is asked about once, and only when typed', () => {
    const big = parseYuan('6088');
    expect(needsAmountCheck(big, 200_000, null, false)).toBe(true);
    // Confirmed once: not asked again for the same amount, asked again for another.
    expect(needsAmountCheck(big, 200_000, 608_800, false)).toBe(false);
    expect(needsAmountCheck(parseYuan('6089'), 200_000, 608_800, false)).toBe(true);
    expect(needsAmountCheck(parseYuan('88'), 200_000, null, false)).toBe(false);
    // The register's order (or one already open) is not questioned.
    expect(needsAmountCheck(big, 200_000, null, true)).toBe(false);
    const c = coupon(normal);
    const g = {
      coupon: c,
      amount: big,
      orderNo: { ok: true },
      quote: quoteFor(c, 608_800, undefined, false),
      busy: false,
      settled: false,
      shiftOpen: true,
      largeUnconfirmed: true,
    };
    expect(redeemGate(g)).toEqual({ ok: false, block: 'large_amount' });
  });

  it('a 待确认 answer follows its operation: confirmed or refused later, the banner says so', () => {
    const pendingCoupon = {
      code: 'C1',
      stockId: '1',
      stockName: 'n',
      discountFen: 1000,
      status: 'pending' as const,
      granted: true,
      offline: true,
      operationId: 'op1',
      requestNo: 'U1',
      link: null,
    };
    const order: OrderView = {
      orderId: 'O1',
      tillId: 'T01',
      amountFen: 8800,
      outTradeNo: null,
      source: 'till',
      status: 'open',
      coupons: [pendingCoupon],
      discountFen: 1000,
      payableFen: 7800,
      createdAt: '',
      closedAt: null,
    };
    const answer: RedeemResult = { status: 'pending', coupon: pendingCoupon, order };
    expect(currentResult(answer, order)).toEqual(answer);
    const confirmed = { ...order, coupons: [{ ...pendingCoupon, status: 'succeeded' as const, offline: false }] };
    expect(currentResult(answer, confirmed)).toMatchObject({ status: 'succeeded', coupon: { status: 'succeeded' } });
    const refused = { ...order, coupons: [{ ...pendingCoupon, status: 'parked' as const, reason: { code: 'WECHAT_REFUSED' as const, params: {} } }] };
    expect(currentResult(answer, refused)).toMatchObject({ status: 'refused', reason: { code: 'WECHAT_REFUSED' } });
    // Another order's event changes nothing.
    expect(currentResult(answer, { ...confirmed, orderId: 'O2' })).toEqual(answer);
  });

  it('a late answer about the order just finished never hides the one the register opened meanwhile', () => {
    const base: OrderView = {
      orderId: 'O1',
      tillId: 'T01',
      amountFen: 25_000,
      outTradeNo: null,
      source: 'till',
      status: 'open',
      coupons: [],
      discountFen: 0,
      payableFen: 25_000,
      createdAt: '',
      closedAt: null,
    };
    const finished = { ...base, status: 'finished' as const };
    const spare = { ...base, orderId: 'O2', source: 'register' as const, amountFen: 1_000, payableFen: 1_000 };
    expect(orderAfter(base, finished)).toBe(finished);
    expect(orderAfter(spare, finished)).toBe(spare);
    expect(orderAfter(finished, spare)).toBe(spare);
    expect(orderAfter(null, finished)).toBeNull();
  });

  it('WeChat’s 全场通用 reads in English on the English screen; a merchant’s own goods text is shown as written', () => {
    expect(goodsText(en, '全场通用')).toBe('All items');
    expect(goodsText(zh, '全场通用')).toBe('全场通用');
    expect(goodsText(en, '拿铁咖啡')).toBe('拿铁咖啡');
  });
});
