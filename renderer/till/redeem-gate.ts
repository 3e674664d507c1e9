// Whether the big 核销 button may be pressed, and the quote it would redeem at. Pure, so the
// rule "enabled only when the coupon is usable and the order qualifies" is tested directly.
import type { CouponView, Quote, StockView } from '../../shared/contract';
import { computeDiscount, type CouponValueRule, type ParsedYuan } from '../../shared/money';

function ruleOf(stock: StockView): CouponValueRule {
  const min = stock.transactionMinimumFen;
  switch (stock.stockType) {
    case 'NORMAL':
      return {
        stock_type: 'NORMAL',
        ...(stock.discountAmountFen !== undefined && { fixed_normal_coupon: { discount_amount: stock.discountAmountFen, transaction_minimum: min } }),
      };
    case 'DISCOUNT':
      return { stock_type: 'DISCOUNT', ...(stock.discountPercent !== undefined && { discount_coupon: { discount_percent: stock.discountPercent, transaction_minimum: min } }) };
    case 'EXCHANGE':
      return { stock_type: 'EXCHANGE', ...(stock.exchangePriceFen !== undefined && { exchange_coupon: { exchange_price: stock.exchangePriceFen, transaction_minimum: min } }) };
  }
}

/**
 * The service's quote when it was made for this very amount, or for the open order (it knows the
 * coupons already on it); otherwise — a new amount typed before any order exists — the same
 * shared arithmetic the service uses, so the screen answers at once without a round trip.
 */
export function quoteFor(coupon: CouponView, orderFen: number, quotedForFen: number | undefined, onOrder: boolean): Quote | null {
  if (coupon.quote && (onOrder || quotedForFen === orderFen)) return coupon.quote;
  if (onOrder) return null;
  const r = computeDiscount(ruleOf(coupon.stock), orderFen);
  return {
    qualifies: r.qualifies,
    discountFen: r.discount_fen,
    payableBeforeFen: orderFen,
    payableFen: r.payable_fen,
    basisFen: orderFen,
    shortfallFen: r.shortfall_fen,
    ...(r.exchange_price_fen !== undefined ? { exchangePriceFen: r.exchange_price_fen } : {}),
  };
}

export type RedeemBlock = 'no_coupon' | 'not_usable' | 'no_amount' | 'large_amount' | 'bad_order_no' | 'below_threshold' | 'no_shift' | 'busy' | 'settled';

export interface GateInput {
  coupon: CouponView | null;
  amount: ParsedYuan;
  /** The WeChat Pay order number typed (optional), or the open order's. */
  orderNo: { ok: boolean };
  quote: Quote | null;
  /** A scan or a redeem is in flight. */
  busy: boolean;
  /** This coupon was already sent for redemption from this screen and must not go twice. */
  settled: boolean;
  /** Whether the till has an open shift; null while unknown (the service then decides). */
  shiftOpen: boolean | null;
  /** The amount is far above the store's usual tickets and the cashier has not confirmed it yet. */
  largeUnconfirmed?: boolean;
}

export function redeemGate(g: GateInput): { ok: true } | { ok: false; block: RedeemBlock } {
  if (!g.coupon) return { ok: false, block: 'no_coupon' };
  if (g.settled) return { ok: false, block: 'settled' };
  if (g.busy) return { ok: false, block: 'busy' };
  // The service says why; the button's line names the threshold as the card does.
  if (!g.coupon.usable.ok) return { ok: false, block: g.coupon.usable.reason?.code === 'BELOW_MINIMUM' ? 'below_threshold' : 'not_usable' };
  if (!g.amount.ok) return { ok: false, block: 'no_amount' };
  if (g.largeUnconfirmed) return { ok: false, block: 'large_amount' };
  if (!g.orderNo.ok) return { ok: false, block: 'bad_order_no' };
  if (!g.quote?.qualifies) return { ok: false, block: 'below_threshold' };
  if (g.shiftOpen === false) return { ok: false, block: 'no_shift' };
  return { ok: true };
}

/**
 * An amount the cashier must confirm once before it is used: above the store's large-ticket
 * line (a slip of the finger, ¥88 typed as ¥6088), typed here rather than sent by the register,
 * and not confirmed for this very amount yet.
 */
export function needsAmountCheck(amount: ParsedYuan, largeAmountFen: number, confirmedFen: number | null, orderOpen: boolean): boolean {
  return !orderOpen && amount.ok && amount.fen > largeAmountFen && confirmedFen !== amount.fen;
}
