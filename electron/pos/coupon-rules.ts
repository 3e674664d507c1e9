// Reading a stock's rules the way the till needs them: a flat view for the screen, the value
// of a coupon on an order, and whether it may be used right now (docs/wechatpay/busifavor.md#validity). WeChat
// cannot check `transaction_minimum` for in-store redemption, so this is where it is checked.
import type { StockOut } from '../../shared/busifavor';
import type { StockView } from '../../shared/contract/till';
import { computeDiscount, type DiscountResult } from '../../shared/money';
import { isUsableAt, type Usability } from '../../shared/time';
import type { DirectoryEntry } from './coupon-directory';
import { refusals, type Refusal } from './refusals';

const STOCK_TYPES = ['NORMAL', 'DISCOUNT', 'EXCHANGE'] as const;
type KnownStockType = (typeof STOCK_TYPES)[number];
const isKnownType = (t: string): t is KnownStockType => (STOCK_TYPES as readonly string[]).includes(t);

/**
 * A stock's rules as the screens show them. A type this till cannot value is shown as its
 * nearest kind would be, and `valueOn` refuses it.
 */
export function stockView(s: StockOut): StockView {
  const rule = s.coupon_use_rule;
  const time = rule.coupon_available_time;
  const threshold = rule.fixed_normal_coupon?.transaction_minimum ?? rule.discount_coupon?.transaction_minimum ?? rule.exchange_coupon?.transaction_minimum ?? 0;
  const description = s.display_pattern_info?.description;
  return {
    stockId: s.stock_id,
    stockName: s.stock_name,
    stockType: isKnownType(s.stock_type) ? s.stock_type : 'NORMAL',
    stockState: s.stock_state,
    couponCodeMode: s.coupon_code_mode,
    goodsName: s.goods_name ?? '',
    ...(description ? { description } : {}),
    ...(rule.fixed_normal_coupon ? { discountAmountFen: rule.fixed_normal_coupon.discount_amount } : {}),
    ...(rule.discount_coupon ? { discountPercent: rule.discount_coupon.discount_percent } : {}),
    ...(rule.exchange_coupon ? { exchangePriceFen: rule.exchange_coupon.exchange_price } : {}),
    transactionMinimumFen: threshold,
    availableBegin: time.available_begin_time,
    availableEnd: time.available_end_time,
  };
}

/**
 * Usability now. The coupon's own start/expiry are used when the till has seen them (a
 * query); otherwise the stock's begin/end bound it — a coupon can never outlive its stock,
 * so that check only lets through what WeChat may still refuse, never the reverse.
 */
export function usabilityAt(stock: StockOut, entry: Pick<DirectoryEntry, 'availableStartTime' | 'expireTime'> | undefined, at: Date): Usability {
  const time = stock.coupon_use_rule.coupon_available_time;
  return isUsableAt(
    {
      available_start_time: entry?.availableStartTime ?? time.available_begin_time,
      expire_time: entry?.expireTime ?? time.available_end_time,
      coupon_available_time: {
        ...(time.available_week ? { available_week: time.available_week } : {}),
        ...(time.irregulary_avaliable_time ? { irregulary_avaliable_time: time.irregulary_avaliable_time } : {}),
      },
    },
    at,
  );
}

export type Valuation = { ok: true; value: DiscountResult & { basisFen: number } } | { ok: false; reason: Refusal };

/** What a coupon's threshold is checked against, and what its discount comes off. */
export interface OrderAmounts {
  /** The order amount or what is left to pay, as the store's stacking rule says. */
  basisFen: number;
  basis: 'order_amount' | 'remaining';
  /** What is left to pay: the discount comes off this and never exceeds it. */
  payableFen: number;
}

/** The coupon's value on this order, refusing below the threshold or for a rule the till cannot value. */
export function valueOn(stock: StockOut, amounts: OrderAmounts, exchangeItemPriceFen?: number): Valuation {
  const rule = stock.coupon_use_rule;
  const type = stock.stock_type;
  const known = isKnownType(type) ? { NORMAL: rule.fixed_normal_coupon, DISCOUNT: rule.discount_coupon, EXCHANGE: rule.exchange_coupon }[type] : undefined;
  if (!known) return { ok: false, reason: refusals.ruleUnsupported(type) };
  if (amounts.basisFen < known.transaction_minimum) return { ok: false, reason: refusals.belowMinimum(known.transaction_minimum, amounts.basisFen, amounts.basis) };
  // The threshold is settled above (against the basis); the value is computed on what is left to pay.
  const unconditional = { ...known, transaction_minimum: 0 };
  const value = computeDiscount(
    {
      stock_type: type,
      ...(type === 'NORMAL' ? { fixed_normal_coupon: unconditional as NonNullable<typeof rule.fixed_normal_coupon> } : {}),
      ...(type === 'DISCOUNT' ? { discount_coupon: unconditional as NonNullable<typeof rule.discount_coupon> } : {}),
      ...(type === 'EXCHANGE' ? { exchange_coupon: unconditional as NonNullable<typeof rule.exchange_coupon> } : {}),
    },
    amounts.payableFen,
    exchangeItemPriceFen === undefined ? {} : { exchange_item_price_fen: exchangeItemPriceFen },
  );
  return { ok: true, value: { ...value, basisFen: amounts.basisFen } };
}
