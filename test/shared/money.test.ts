// Fen ↔ display and what a coupon is worth on an order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDiscount, fenToYuanString, formatFen, MAX_FEN, parseYuan, type CouponValueRule } from '../../shared/money';

describe('display', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(formatFen(1250)).toBe('¥12.50');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(-1250)).toBe('-¥12.50');
    expect(formatFen(10_000_000)).toBe('¥100000.00');
    expect(fenToYuanString(1999)).toBe('19.99');
  });
  it('refuses fractions of a fen', () => {
    expect(() => formatFen(12.5)).toThrow(RangeError);
    expect(() => formatFen(Number.NaN)).toThrow(RangeError);
  });
  it('parses what a cashier types, and zero only where zero is allowed', () => {
    expect(parseYuan('12.5')).toEqual({ ok: true, fen: 1250 });
    expect(parseYuan('¥12.50')).toEqual({ ok: true, fen: 1250 });
    expect(parseYuan('￥3')).toEqual({ ok: true, fen: 300 });
    expect(parseYuan(' 0.05 ')).toEqual({ ok: true, fen: 5 });
    expect(parseYuan('0')).toEqual({ ok: false, problem: 'zero' });
    expect(parseYuan('0', { allowZero: true })).toEqual({ ok: true, fen: 0 });
    for (const bad of ['', '12.345', '1,000', 'abc', '-¥0.05', '¥']) expect(parseYuan(bad).ok, bad).toBe(false);
  });
  it('parse(format(x)) = x for any amount the till handles', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN }), (fen) => {
        expect(parseYuan(formatFen(fen), { allowZero: true })).toEqual({ ok: true, fen });
      }),
    );
  });
});

const normal: CouponValueRule = { stock_type: 'NORMAL', fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 10_000 } };
const discount = (pct: number, min = 1): CouponValueRule => ({ stock_type: 'DISCOUNT', discount_coupon: { discount_percent: pct, transaction_minimum: min } });
const exchange: CouponValueRule = { stock_type: 'EXCHANGE', exchange_coupon: { exchange_price: 100, transaction_minimum: 5000 } };

describe('computeDiscount', () => {
  it('NORMAL: amount off at or above the threshold, shortfall below it', () => {
    expect(computeDiscount(normal, 10_000)).toEqual({ qualifies: true, discount_fen: 1000, payable_fen: 9000, shortfall_fen: 0 });
    expect(computeDiscount(normal, 9_999)).toEqual({ qualifies: false, discount_fen: 0, payable_fen: 9_999, shortfall_fen: 1 });
    expect(computeDiscount(normal, 0)).toEqual({ qualifies: false, discount_fen: 0, payable_fen: 0, shortfall_fen: 10_000 });
  });
  it('NORMAL: never more than the order (a threshold below the discount cannot pay out)', () => {
    const odd: CouponValueRule = { stock_type: 'NORMAL', fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 1 } };
    expect(computeDiscount(odd, 300)).toEqual({ qualifies: true, discount_fen: 300, payable_fen: 0, shortfall_fen: 0 });
  });
  it('DISCOUNT: 88 means pay 88%, discount rounded half-up to the fen', () => {
    expect(computeDiscount(discount(88), 1250)).toMatchObject({ discount_fen: 150, payable_fen: 1100 });
    expect(computeDiscount(discount(88), 1005)).toMatchObject({ discount_fen: 121, payable_fen: 884 }); // 120.6 → 121
    expect(computeDiscount(discount(88), 1004)).toMatchObject({ discount_fen: 120, payable_fen: 884 }); // 120.48 → 120
    expect(computeDiscount(discount(50), 1)).toMatchObject({ discount_fen: 1, payable_fen: 0 }); // 0.5 → 1
    expect(computeDiscount(discount(88), 1)).toMatchObject({ discount_fen: 0, payable_fen: 1 }); // 0.12 → 0
    expect(computeDiscount(discount(88, 2000), 1999)).toEqual({ qualifies: false, discount_fen: 0, payable_fen: 1999, shortfall_fen: 1 });
  });
  it('EXCHANGE: the item sells at exchange_price; without its price the discount is unknown (0)', () => {
    expect(computeDiscount(exchange, 6000, { exchange_item_price_fen: 1500 })).toEqual({
      qualifies: true,
      discount_fen: 1400,
      payable_fen: 4600,
      shortfall_fen: 0,
      exchange_price_fen: 100,
    });
    expect(computeDiscount(exchange, 6000)).toEqual({ qualifies: true, discount_fen: 0, payable_fen: 6000, shortfall_fen: 0, exchange_price_fen: 100 });
    expect(computeDiscount(exchange, 4000)).toEqual({ qualifies: false, discount_fen: 0, payable_fen: 4000, shortfall_fen: 1000, exchange_price_fen: 100 });
    expect(computeDiscount(exchange, 6000, { exchange_item_price_fen: 50 }).discount_fen).toBe(0);
  });
  it('an unknown stock type or a missing rule object never qualifies', () => {
    expect(computeDiscount({ stock_type: 'CASHBACK' }, 10_000)).toEqual({ qualifies: false, discount_fen: 0, payable_fen: 10_000, shortfall_fen: 0 });
    expect(computeDiscount({ stock_type: 'NORMAL', discount_coupon: { discount_percent: 88, transaction_minimum: 1 } }, 10_000).qualifies).toBe(false);
  });
  it('rejects amounts that are not whole, non-negative fen', () => {
    expect(() => computeDiscount(normal, -1)).toThrow(RangeError);
    expect(() => computeDiscount(normal, 10.5)).toThrow(RangeError);
  });
  it('property: 0 ≤ discount ≤ order, payable = order − discount, shortfall only when not qualifying', () => {
    const rules = fc.oneof(
      fc
        .record({ discount_amount: fc.integer({ min: 1, max: 10_000_000 }), transaction_minimum: fc.integer({ min: 1, max: 10_000_000 }) })
        .map((r): CouponValueRule => ({ stock_type: 'NORMAL', fixed_normal_coupon: r })),
      fc
        .record({ discount_percent: fc.integer({ min: 1, max: 99 }), transaction_minimum: fc.integer({ min: 1, max: 10_000_000 }) })
        .map((r): CouponValueRule => ({ stock_type: 'DISCOUNT', discount_coupon: r })),
      fc
        .record({ exchange_price: fc.integer({ min: 0, max: 10_000_000 }), transaction_minimum: fc.integer({ min: 1, max: 10_000_000 }) })
        .map((r): CouponValueRule => ({ stock_type: 'EXCHANGE', exchange_coupon: r })),
    );
    fc.assert(
      fc.property(rules, fc.integer({ min: 0, max: 100_000_000 }), fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: undefined }), (rule, order, item) => {
        const r = computeDiscount(rule, order, item === undefined ? {} : { exchange_item_price_fen: item });
        expect(r.discount_fen).toBeGreaterThanOrEqual(0);
        expect(r.discount_fen).toBeLessThanOrEqual(order);
        expect(r.payable_fen).toBe(order - r.discount_fen);
        expect(r.shortfall_fen === 0).toBe(r.qualifies);
        if (!r.qualifies) expect(r.discount_fen).toBe(0);
      }),
    );
  });
  it('property: a DISCOUNT coupon is within half a fen of the exact percentage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 100_000_000 }), (pct, order) => {
        const r = computeDiscount(discount(pct), order);
        expect(Math.abs(r.discount_fen - (order * (100 - pct)) / 100)).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});
