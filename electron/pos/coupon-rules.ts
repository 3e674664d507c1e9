// Reading a stock's rules the way the till needs them: a flat view for the screen, the value
// of a coupon on an order, and whether it may be used right now (docs/wechatpay/busifavor.md#validity). WeChat
// cannot check `transaction_minimum` for in-store redemption, so this is where it is checked.
import type { StockOut } from '../../shared/busifavor';
import { computeDiscount, type DiscountResult } from '../../shared/money';
import { isUsableAt, type Usability } from '../../shared/time';
import type { DirectoryEntry } from './coupon-directory';
import { refusals, type Refusal } from './refusals';

export interface StockView {
  stockId: string;
  stockName: string;
  stockType: string;
  stockState: string;
  couponCodeMode: string;
  useMethod: string;
  goodsName: string | null;
  description: string | null;
  discountAmountFen: number | null;
  discountPercent: number | null;
  exchangePriceFen: number | null;
  transactionMinimumFen: number | null;
  availableBeginTime: string;
  availableEndTime: string;
  availableDayAfterReceive: number | null;
  waitDaysAfterReceive: number | null;
  weekDays: number[] | null;
  dayTimes: { beginSecond: number; endSecond: number }[] | null;
  irregularWindows: { beginTime: string; endTime: string }[] | null;
}

export function stockView(s: StockOut): StockView {
  const rule = s.coupon_use_rule;
  const time = rule.coupon_available_time;
  const threshold = rule.fixed_normal_coupon?.transaction_minimum ?? rule.discount_coupon?.transaction_minimum ?? rule.exchange_coupon?.transaction_minimum ?? null;
  return {
    stockId: s.stock_id,
    stockName: s.stock_name,
    stockType: s.stock_type,
    stockState: s.stock_state,
    couponCodeMode: s.coupon_code_mode,
    useMethod: rule.use_method,
    goodsName: s.goods_name ?? null,
    description: s.display_pattern_info?.description ?? null,
    discountAmountFen: rule.fixed_normal_coupon?.discount_amount ?? null,
    discountPercent: rule.discount_coupon?.discount_percent ?? null,
    exchangePriceFen: rule.exchange_coupon?.exchange_price ?? null,
    transactionMinimumFen: threshold,
    availableBeginTime: time.available_begin_time,
    availableEndTime: time.available_end_time,
    availableDayAfterReceive: time.available_day_after_receive ?? null,
    waitDaysAfterReceive: time.wait_days_after_receive ?? null,
    weekDays: time.available_week?.week_day ?? null,
    dayTimes: time.available_week?.available_day_time?.map((w) => ({ beginSecond: w.begin_time, endSecond: w.end_time })) ?? null,
    irregularWindows: time.irregulary_avaliable_time?.map((w) => ({ beginTime: w.begin_time, endTime: w.end_time })) ?? null,
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

export type Valuation = { ok: true; value: DiscountResult } | { ok: false; reason: Refusal };

/** The coupon's value on this order, refusing below the threshold or for a rule the till cannot value. */
export function valueOn(stock: StockOut, orderFen: number, exchangeItemPriceFen?: number): Valuation {
  const rule = stock.coupon_use_rule;
  const known = { NORMAL: rule.fixed_normal_coupon, DISCOUNT: rule.discount_coupon, EXCHANGE: rule.exchange_coupon }[stock.stock_type as 'NORMAL' | 'DISCOUNT' | 'EXCHANGE'];
  if (!known) return { ok: false, reason: refusals.ruleUnsupported(stock.stock_type) };
  const value = computeDiscount(
    {
      stock_type: stock.stock_type,
      ...(rule.fixed_normal_coupon ? { fixed_normal_coupon: rule.fixed_normal_coupon } : {}),
      ...(rule.discount_coupon ? { discount_coupon: rule.discount_coupon } : {}),
      ...(rule.exchange_coupon ? { exchange_coupon: rule.exchange_coupon } : {}),
    },
    orderFen,
    exchangeItemPriceFen === undefined ? {} : { exchange_item_price_fen: exchangeItemPriceFen },
  );
  if (!value.qualifies) return { ok: false, reason: refusals.belowMinimum(known.transaction_minimum, orderFen) };
  return { ok: true, value };
}
