// How a coupon reads on the till: "满100减20", "8.8折", "换购价 ¥9.90", in the cashier's language.
import type { StockView } from '../../shared/contract';
import { formatFen } from '../../shared/money';
import { chinaParts, parseRfc3339 } from '../../shared/time';

import type { Translate } from '../i18n/i18n';

/** 10000 → "100", 1250 → "12.5", 1205 → "12.05": the short yuan of coupon faces. */
export function compactYuan(fen: number): string {
  const whole = Math.floor(fen / 100);
  const cents = fen % 100;
  if (cents === 0) return String(whole);
  return cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${String(cents).padStart(2, '0')}`;
}

/** discount_percent is what the customer pays: 88 → "8.8" (折), 80 → "8", 5 → "0.5". */
export function zhe(percent: number): string {
  const tenths = percent % 10;
  return tenths === 0 ? String(percent / 10) : `${Math.floor(percent / 10)}.${tenths}`;
}

export function couponValue(t: Translate, stock: StockView): string {
  switch (stock.stockType) {
    case 'NORMAL':
      if (stock.discountAmountFen === undefined) return t('coupon.value.unknown');
      return stock.transactionMinimumFen > 0
        ? t('coupon.value.normal', { min: compactYuan(stock.transactionMinimumFen), off: compactYuan(stock.discountAmountFen) })
        : t('coupon.value.normal_no_min', { off: compactYuan(stock.discountAmountFen) });
    case 'DISCOUNT':
      if (stock.discountPercent === undefined) return t('coupon.value.unknown');
      return t('coupon.value.discount', { zhe: zhe(stock.discountPercent), off: 100 - stock.discountPercent });
    case 'EXCHANGE':
      if (stock.exchangePriceFen === undefined) return t('coupon.value.unknown');
      return t('coupon.value.exchange', { price: formatFen(stock.exchangePriceFen) });
  }
}

export function thresholdText(t: Translate, stock: StockView): string {
  return stock.transactionMinimumFen > 0 ? t('coupon.threshold.min', { min: formatFen(stock.transactionMinimumFen) }) : t('coupon.threshold.none');
}

/** "2026-05-01 09:30" in China time whatever the till's time zone; the raw text if unparsable. */
export function chinaMinute(iso: string): string {
  const d = parseRfc3339(iso);
  if (!d) return iso;
  const p = chinaParts(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** "12:05:09" in China time. */
export function chinaClock(iso: string): string {
  const d = parseRfc3339(iso);
  if (!d) return iso;
  const p = chinaParts(d);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

export function validityText(t: Translate, period: Pick<StockView, 'availableBegin' | 'availableEnd'>): string {
  return t('coupon.validity.range', { begin: chinaMinute(period.availableBegin), end: chinaMinute(period.availableEnd) });
}

/** WeChat's stocks carry the merchant's own goods text; the one phrase every stock uses reads in the cashier's language. */
export function goodsText(t: Translate, goodsName: string): string {
  return goodsName === '全场通用' ? t('coupon.goods.all') : goodsName;
}
