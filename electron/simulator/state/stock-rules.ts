// Business checks on a stock definition that the state itself depends on or that span
// several fields (docs/wechatpay/busifavor.md#stocks). Per-field formats and lengths are the HTTP layer's
// job (shared/busifavor schemas); these checks keep the state sound when it is driven
// directly (admin API, seed, tests) and mirror the documented cross-field rules.
import { COUPON_CODE_MODES, STOCK_TYPES } from '../../../shared/busifavor/enums';
import { addOneChinaYear, parseRfc3339 } from '../../../shared/time';
import type { CouponUseRule, CustomEntrance, DisplayPatternInfo, StockDefinition } from './model';
import { type FailResult, invalidRequest, MESSAGES, paramError } from './result';
import type { World } from './world';

const RULE_FOR_TYPE = { NORMAL: 'fixed_normal_coupon', DISCOUNT: 'discount_coupon', EXCHANGE: 'exchange_coupon' } as const;
const MAX_FEN = 10_000_000;

const isInt = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function checkDefinition(def: Partial<StockDefinition>): FailResult | null {
  for (const f of ['stock_name', 'belong_merchant', 'goods_name'] as const) if (!isText(def[f])) return paramError(`缺少必填参数 ${f}`, f);
  if (!STOCK_TYPES.includes(def.stock_type as never)) return paramError('批次类型 stock_type 不合法', 'stock_type');
  if (!COUPON_CODE_MODES.includes(def.coupon_code_mode as never)) return paramError('券code模式 coupon_code_mode 不合法', 'coupon_code_mode');
  const rule = def.coupon_use_rule;
  if (!rule || typeof rule !== 'object') return paramError('缺少必填参数 coupon_use_rule', 'coupon_use_rule');
  const send = def.stock_send_rule;
  if (!send || typeof send !== 'object') return paramError('缺少必填参数 stock_send_rule', 'stock_send_rule');
  if (!isInt(send.max_coupons_per_user, 1, 100)) return paramError('单用户领取上限 max_coupons_per_user 须为 1..100', 'stock_send_rule/max_coupons_per_user');
  for (const f of ['max_coupons', 'max_coupons_by_day'] as const) {
    if (send[f] !== undefined && !isInt(send[f], 1, 1_000_000_000)) return paramError(`${f} 须为 1..1000000000`, `stock_send_rule/${f}`);
  }
  return checkUseRule(rule, def.stock_type as keyof typeof RULE_FOR_TYPE);
}

function checkUseRule(rule: CouponUseRule, type: keyof typeof RULE_FOR_TYPE): FailResult | null {
  if (!isText(rule.use_method)) return paramError('缺少必填参数 use_method', 'coupon_use_rule/use_method');
  for (const [t, key] of Object.entries(RULE_FOR_TYPE)) {
    const present = rule[key] !== undefined;
    if (t === type && !present) return paramError(`批次类型为 ${type} 时必须设置 ${key}`, `coupon_use_rule/${key}`);
    if (t !== type && present) return paramError(`批次类型为 ${type} 时不能设置 ${key}`, `coupon_use_rule/${key}`);
  }
  const r = rule[RULE_FOR_TYPE[type]] as unknown as Record<string, unknown>;
  // 0 is a coupon without threshold (the guide's FAQ); nothing compares it with the discount.
  if (!isInt(r.transaction_minimum, 0, MAX_FEN)) return paramError('消费门槛 transaction_minimum 须为 0..10000000', 'transaction_minimum');
  if (type === 'NORMAL' && !isInt(r.discount_amount, 1, MAX_FEN)) return paramError('优惠金额 discount_amount 须为 1..10000000', 'discount_amount');
  if (type === 'DISCOUNT' && !isInt(r.discount_percent, 1, 100)) return paramError('折扣比例 discount_percent 须为 1..100', 'discount_percent');
  // The Go SDK documents 0 as a valid exchange price; the simulator is the lenient reader.
  if (type === 'EXCHANGE' && !isInt(r.exchange_price, 0, MAX_FEN)) return paramError('换购价格 exchange_price 须为 0..10000000', 'exchange_price');

  const t = rule.coupon_available_time;
  if (!t || typeof t !== 'object') return paramError('缺少必填参数 coupon_available_time', 'coupon_use_rule/coupon_available_time');
  const begin = typeof t.available_begin_time === 'string' ? parseRfc3339(t.available_begin_time) : null;
  const end = typeof t.available_end_time === 'string' ? parseRfc3339(t.available_end_time) : null;
  if (!begin) return paramError('available_begin_time 不是合法的 RFC 3339 时间', 'available_begin_time');
  if (!end) return paramError('available_end_time 不是合法的 RFC 3339 时间', 'available_end_time');
  if (begin >= end) return paramError('结束时间必须晚于开始时间', 'available_end_time');
  if (end > addOneChinaYear(begin)) return paramError('商家券有效期不能超过一年', 'available_end_time');
  if (t.available_day_after_receive !== undefined && !isInt(t.available_day_after_receive, 1, 365))
    return paramError('available_day_after_receive 须为 1..365', 'available_day_after_receive');
  if (t.wait_days_after_receive !== undefined) {
    if (!isInt(t.wait_days_after_receive, 0, 30)) return paramError('wait_days_after_receive 不能超过 30', 'wait_days_after_receive');
    if (t.available_day_after_receive === undefined) return paramError('wait_days_after_receive 只能与 available_day_after_receive 同时使用', 'wait_days_after_receive');
  }
  const week = t.available_week;
  if (week) {
    if ((week.week_day ?? []).some((d) => !isInt(d, 0, 6))) return paramError('week_day 须为 0..6', 'available_week/week_day');
    const times = week.available_day_time ?? [];
    if (times.length > 2) return paramError('available_day_time 最多 2 个时间段', 'available_week/available_day_time');
    if (times.length > 0 && (week.week_day ?? []).length === 0) return paramError('设置 available_day_time 时必须设置 week_day', 'available_week/week_day');
    for (const w of times) {
      if (!isInt(w.begin_time, 1, 86_399) || !isInt(w.end_time, 1, 86_399) || w.begin_time >= w.end_time) {
        return paramError('当天可用时间段须在 1..86399 秒之间且开始早于结束', 'available_week/available_day_time');
      }
    }
  }
  for (const w of t.irregulary_avaliable_time ?? []) {
    const b = parseRfc3339(w.begin_time);
    const e = parseRfc3339(w.end_time);
    if (!b || !e || b >= e) return paramError('无规律有效时间段不合法', 'irregulary_avaliable_time');
  }
  return null;
}

/** Image URLs in a (partial) definition: each must have been issued by the image upload. */
export function checkMediaUrls(world: World, display: DisplayPatternInfo | undefined): FailResult | null {
  if (!display) return null;
  const urls: [string, string | undefined][] = [
    ['display_pattern_info/merchant_logo_url', display.merchant_logo_url],
    ['display_pattern_info/coupon_image_url', display.coupon_image_url],
    ['display_pattern_info/finder_info/finder_video_cover_image_url', display.finder_info?.finder_video_cover_image_url],
  ];
  for (const [field, url] of urls) {
    if (url !== undefined && !world.isIssuedMediaUrl(url)) return paramError('图片地址必须是通过营销图片上传接口获得的地址', field);
  }
  return null;
}

interface AppidCarrier {
  coupon_use_rule?: Partial<Pick<CouponUseRule, 'mini_programs_appid'>>;
  custom_entrance?: CustomEntrance;
  notify_config?: { notify_appid?: string };
}

/** AppIDs in a (partial) definition must be bound to the caller or the belong merchant. */
export function checkAppids(world: World, def: AppidCarrier, mchids: readonly string[]): FailResult | null {
  const appids: [string, string | undefined][] = [
    ['coupon_use_rule/mini_programs_appid', def.coupon_use_rule?.mini_programs_appid],
    ['custom_entrance/mini_programs_info/mini_programs_appid', def.custom_entrance?.mini_programs_info?.mini_programs_appid],
    ['custom_entrance/appid', def.custom_entrance?.appid],
    ['notify_config/notify_appid', def.notify_config?.notify_appid],
  ];
  for (const [field, appid] of appids) {
    if (appid !== undefined && !world.appidBound(appid, mchids)) return invalidRequest(MESSAGES.appidNotBound, { field, value: appid });
  }
  return null;
}
