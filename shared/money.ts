// Money is integer fen end to end (WeChat Pay's unit); yuan strings exist only for display
// and for what a cashier types. No floating-point arithmetic touches an amount.
import { z } from 'zod';
import { foldFullWidth } from './scan/normalize';

function assertFen(fen: number, what: string): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${what} must be a whole number of fen`);
}

/** 1250 → "12.50"; -5 → "-0.05". */
export function fenToYuanString(fen: number): string {
  assertFen(fen, 'amount');
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 1250 → "¥12.50"; -1250 → "-¥12.50". */
export function formatFen(fen: number): string {
  const s = fenToYuanString(fen);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

/** The largest amount anything on this till handles: ¥1,000,000.00. */
export const MAX_FEN = 100_000_000;

/** An amount of money on the wire: whole fen, never negative, at most MAX_FEN. */
export const Fen = z.number().int().min(0).max(MAX_FEN);

export type YuanProblem = 'empty' | 'not_a_number' | 'too_many_decimals' | 'zero' | 'too_large';
export type ParsedYuan = { ok: true; fen: number } | { ok: false; problem: YuanProblem };

const YUAN = /^(\d*)(?:\.(\d*))?$/;

/**
 * What a person types or a script passes → fen, without ever going through a float ("0.29" ×
 * 100 is 28.999…): "12.5", "¥12.50", "￥3", full-width digits and the ideographic full stop a
 * Chinese IME may hand over. At most two decimals; zero only when `allowZero`. The one parser
 * the till screen, the desk and posctl share.
 */
export function parseYuan(text: string, options: { allowZero?: boolean } = {}): ParsedYuan {
  const s = foldFullWidth(text)
    .replace(/。/g, '.')
    .trim()
    .replace(/^[¥￥]\s*/, '');
  if (s === '') return { ok: false, problem: 'empty' };
  const m = YUAN.exec(s);
  const whole = m?.[1] ?? '';
  const frac = m?.[2] ?? '';
  if (!m || (whole === '' && frac === '')) return { ok: false, problem: 'not_a_number' };
  if (frac.length > 2) return { ok: false, problem: 'too_many_decimals' };
  // Compare lengths before converting so a thousand-digit paste cannot lose precision.
  const digits = whole.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_FEN / 100).length) return { ok: false, problem: 'too_large' };
  const fen = Number(digits || '0') * 100 + Number(frac.padEnd(2, '0'));
  if (fen > MAX_FEN) return { ok: false, problem: 'too_large' };
  if (fen === 0 && !options.allowZero) return { ok: false, problem: 'zero' };
  return { ok: true, fen };
}

/**
 * Whether a keystroke may go into an amount field at all: digits and one decimal point, so a
 * stray letter is refused on the spot rather than reported later.
 */
export function acceptsYuanText(text: string): boolean {
  return /^[0-9０-９.．。¥￥\s]*$/.test(text) && (foldFullWidth(text).replace(/。/g, '.').match(/\./g)?.length ?? 0) <= 1;
}

export type StockTypeForMoney = 'NORMAL' | 'DISCOUNT' | 'EXCHANGE';

/** The parts of a coupon's rules that decide its value (`stock_type` + `coupon_use_rule`). */
export interface CouponValueRule {
  stock_type: StockTypeForMoney | (string & {});
  fixed_normal_coupon?: { discount_amount: number; transaction_minimum: number };
  discount_coupon?: { discount_percent: number; transaction_minimum: number };
  exchange_coupon?: { exchange_price: number; transaction_minimum: number };
}

export interface DiscountOptions {
  /** EXCHANGE only: regular price of the item bought at `exchange_price`, already inside the order amount. */
  exchange_item_price_fen?: number;
}

export interface DiscountResult {
  /** Order reaches `transaction_minimum` and the rule is one this till understands. */
  qualifies: boolean;
  discount_fen: number;
  payable_fen: number;
  /** How much more the order needs to reach the threshold; 0 once it qualifies. */
  shortfall_fen: number;
  /** EXCHANGE: the price the customer pays for the exchanged item. */
  exchange_price_fen?: number;
}

/**
 * Value of one coupon on an order of `order_fen`:
 * - NORMAL: `discount_amount` off once the order reaches `transaction_minimum`.
 * - DISCOUNT: `discount_percent` 88 means "pay 88%". The discount (order × (100 − p) / 100)
 *   is rounded half-up to the fen (四舍五入), in integer arithmetic: 1 fen × 12% = 0.12 → 0,
 *   1005 × 12% = 120.6 → 121, 1250 × 12% = 150 exactly. WeChat's own rounding is not
 *   published; this is the documented choice of this till.
 * - EXCHANGE: the item whose regular price is `exchange_item_price_fen` is sold at
 *   `exchange_price`; the discount is the difference. Without the item price the discount
 *   is 0 (the order cannot tell what the item costs) and `exchange_price_fen` is reported.
 * The discount never exceeds the order amount; an unknown `stock_type` or a missing rule
 * object never qualifies.
 */
export function computeDiscount(rule: CouponValueRule, order_fen: number, options: DiscountOptions = {}): DiscountResult {
  assertFen(order_fen, 'order amount');
  if (order_fen < 0) throw new RangeError('order amount must not be negative');
  const none = (shortfall: number): DiscountResult => ({ qualifies: false, discount_fen: 0, payable_fen: order_fen, shortfall_fen: shortfall });

  const threshold = ruleObject(rule)?.transaction_minimum;
  if (threshold === undefined) return none(0);
  assertFen(threshold, 'transaction_minimum');
  if (order_fen < threshold) {
    const result = none(threshold - order_fen);
    return rule.stock_type === 'EXCHANGE' && rule.exchange_coupon ? { ...result, exchange_price_fen: rule.exchange_coupon.exchange_price } : result;
  }

  let discount = 0;
  let exchangePrice: number | undefined;
  if (rule.stock_type === 'NORMAL' && rule.fixed_normal_coupon) {
    discount = rule.fixed_normal_coupon.discount_amount;
  } else if (rule.stock_type === 'DISCOUNT' && rule.discount_coupon) {
    const pct = rule.discount_coupon.discount_percent;
    if (!Number.isInteger(pct) || pct < 0 || pct > 100) throw new RangeError('discount_percent must be an integer 0..100');
    discount = Math.floor((order_fen * (100 - pct) + 50) / 100);
  } else if (rule.stock_type === 'EXCHANGE' && rule.exchange_coupon) {
    exchangePrice = rule.exchange_coupon.exchange_price;
    const item = options.exchange_item_price_fen;
    if (item !== undefined) {
      assertFen(item, 'exchange item price');
      discount = Math.max(0, item - exchangePrice);
    }
  }
  assertFen(discount, 'discount');
  discount = Math.max(0, Math.min(discount, order_fen));
  const result: DiscountResult = { qualifies: true, discount_fen: discount, payable_fen: order_fen - discount, shortfall_fen: 0 };
  return exchangePrice === undefined ? result : { ...result, exchange_price_fen: exchangePrice };
}

function ruleObject(rule: CouponValueRule): { transaction_minimum: number } | undefined {
  switch (rule.stock_type) {
    case 'NORMAL':
      return rule.fixed_normal_coupon;
    case 'DISCOUNT':
      return rule.discount_coupon;
    case 'EXCHANGE':
      return rule.exchange_coupon;
    default:
      return undefined;
  }
}
