// Request-side (strict) pieces of a stock: what we may send when creating or modifying one.
// Limits are the documented ones (docs/wechatpay/busifavor.md#stocks). Where sources disagree the
// wider reading wins: a request WeChat's own guide sends, or one any source allows, is never
// refused here — WeChat answers it (docs/wechatpay/busifavor.md#disagreements).
import { z } from 'zod';
import { addOneChinaYear, parseRfc3339 } from '../time';
import { appid, dateTime, int, mediaUrl, text } from './fields';
import { backgroundColor, codeDisplayMode, useMethod, weekDay } from './enums';

const MAX_FEN = 10_000_000;

export const dayTimeWindow = z.strictObject({ begin_time: int(1, 86_399), end_time: int(1, 86_399) }).superRefine((w, ctx) => {
  if (typeof w.begin_time === 'number' && typeof w.end_time === 'number' && w.begin_time >= w.end_time) {
    ctx.addIssue({ code: 'custom', path: ['end_time'], message: '当天可用结束时间必须晚于开始时间', params: { issue: 'end_time must be after begin_time' } });
  }
});

export const availableWeek = z
  .strictObject({
    week_day: z.array(weekDay).min(1).max(7).optional(),
    available_day_time: z.array(dayTimeWindow).min(1).max(2).optional(),
  })
  .superRefine((w, ctx) => {
    if (w.available_day_time && !w.week_day) {
      ctx.addIssue({
        code: 'custom',
        path: ['week_day'],
        message: '设置当天可用时间段时必须同时设置可用星期数',
        params: { issue: 'week_day is required when available_day_time is given' },
      });
    }
    if (Array.isArray(w.week_day) && new Set(w.week_day).size !== w.week_day.length) {
      ctx.addIssue({ code: 'custom', path: ['week_day'], message: '可用星期数不能重复', params: { issue: 'week_day contains duplicates' } });
    }
  });

export const irregularWindow = z.strictObject({ begin_time: dateTime(), end_time: dateTime() }).superRefine((w, ctx) => {
  const b = typeof w.begin_time === 'string' ? parseRfc3339(w.begin_time) : null;
  const e = typeof w.end_time === 'string' ? parseRfc3339(w.end_time) : null;
  if (b && e && b.getTime() >= e.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['end_time'], message: '无规律有效时间段的结束时间必须晚于开始时间', params: { issue: 'end_time must be after begin_time' } });
  }
});

export const couponAvailableTime = z
  .strictObject({
    available_begin_time: dateTime(),
    available_end_time: dateTime(),
    available_day_after_receive: int(1, 365).optional(),
    wait_days_after_receive: int(0, 30).optional(),
    available_week: availableWeek.optional(),
    irregulary_avaliable_time: z.array(irregularWindow).min(1).optional(),
  })
  .superRefine((t, ctx) => {
    const b = typeof t.available_begin_time === 'string' ? parseRfc3339(t.available_begin_time) : null;
    const e = typeof t.available_end_time === 'string' ? parseRfc3339(t.available_end_time) : null;
    if (b && e) {
      if (b.getTime() >= e.getTime()) {
        ctx.addIssue({
          code: 'custom',
          path: ['available_end_time'],
          message: '结束时间必须晚于开始时间',
          params: { issue: 'available_end_time must be after available_begin_time' },
        });
      } else if (e.getTime() > addOneChinaYear(b).getTime()) {
        ctx.addIssue({ code: 'custom', path: ['available_end_time'], message: '商家券有效期不能超过一年', params: { issue: 'validity may not exceed one year' } });
      }
    }
    if (t.wait_days_after_receive !== undefined && t.available_day_after_receive === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['wait_days_after_receive'],
        message: '领取后N天开始生效只能与领取后N天内有效同时使用',
        params: { issue: 'wait_days_after_receive requires available_day_after_receive' },
      });
    }
  });

/** Required, and 0 means no threshold (the guide's FAQ); it is not compared with the discount. */
const threshold = int(0, MAX_FEN);

export const fixedNormalCoupon = z.strictObject({ discount_amount: int(1, MAX_FEN), transaction_minimum: threshold });

/** 88 = customer pays 88%. The only stated range is 1..100 (docs/wechatpay/busifavor.md#disagreements). */
export const discountCoupon = z.strictObject({ discount_percent: int(1, 100), transaction_minimum: threshold });

/** The Go SDK allows a price of 0 (the item free with the order), so 0 is not refused here. */
export const exchangeCoupon = z.strictObject({ exchange_price: int(0, MAX_FEN), transaction_minimum: threshold });

/** Creation rules. Which rule object must be present depends on `stock_type`: see `checkRuleMatchesType`. */
export const couponUseRule = z
  .strictObject({
    coupon_available_time: couponAvailableTime,
    fixed_normal_coupon: fixedNormalCoupon.optional(),
    discount_coupon: discountCoupon.optional(),
    exchange_coupon: exchangeCoupon.optional(),
    use_method: useMethod,
    mini_programs_appid: appid().optional(),
    mini_programs_path: text(1).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.use_method === 'MINI_PROGRAMS') {
      for (const f of ['mini_programs_appid', 'mini_programs_path'] as const) {
        if (r[f] === undefined)
          ctx.addIssue({ code: 'custom', path: [f], message: '核销方式为线上小程序时必填', params: { issue: `${f} is required when use_method is MINI_PROGRAMS` } });
      }
    }
  });

const RULE_FOR_TYPE = { NORMAL: 'fixed_normal_coupon', DISCOUNT: 'discount_coupon', EXCHANGE: 'exchange_coupon' } as const;

/** Exactly the rule object matching `stock_type`, none of the others. */
export function checkRuleMatchesType(stock: { stock_type?: unknown; coupon_use_rule?: unknown }, ctx: z.RefinementCtx): void {
  const type = stock.stock_type;
  const rule = stock.coupon_use_rule;
  if (typeof type !== 'string' || !Object.hasOwn(RULE_FOR_TYPE, type) || typeof rule !== 'object' || rule === null) return;
  const wanted = RULE_FOR_TYPE[type as keyof typeof RULE_FOR_TYPE];
  for (const key of Object.values(RULE_FOR_TYPE)) {
    const present = (rule as Record<string, unknown>)[key] !== undefined;
    if (key === wanted && !present) {
      ctx.addIssue({ code: 'custom', path: ['coupon_use_rule', key], message: `批次类型为 ${type} 时必须设置此规则`, params: { issue: `required when stock_type is ${type}` } });
    } else if (key !== wanted && present) {
      ctx.addIssue({ code: 'custom', path: ['coupon_use_rule', key], message: `批次类型为 ${type} 时不能设置此规则`, params: { issue: `not allowed when stock_type is ${type}` } });
    }
  }
}

/**
 * Send rule. `max_coupons` is required here although the newer docs make it optional (the
 * OAS requires it). `max_amount`, `max_amount_by_day`, `transferable` and `shareable` are
 * documented as "not yet open", yet the guide's own create request carries `transferable` and
 * `shareable`: they are accepted and passed through, and WeChat decides what they do.
 */
export const stockSendRule = z.strictObject({
  max_amount: z.number().int().optional(),
  max_coupons: int(1, 1_000_000_000),
  max_coupons_per_user: int(1, 100),
  max_amount_by_day: z.number().int().optional(),
  max_coupons_by_day: int(1, 1_000_000_000).optional(),
  natural_person_limit: z.boolean().optional(),
  prevent_api_abuse: z.boolean().optional(),
  transferable: z.boolean().optional(),
  shareable: z.boolean().optional(),
});

export const miniProgramsInfo = z.strictObject({
  mini_programs_appid: appid(),
  mini_programs_path: text(1),
  entrance_words: text(1, 5),
  guiding_words: text(1, 6).optional(),
});

const customEntranceShape = {
  mini_programs_info: miniProgramsInfo.optional(),
  appid: appid().optional(),
  hall_id: text(1).optional(),
  code_display_mode: codeDisplayMode.optional(),
};

export const customEntrance = z.strictObject({ ...customEntranceShape, store_id: text(1).optional() });
/** Modify-stock variant: the doc has no `store_id` there. */
export const customEntranceModify = z.strictObject(customEntranceShape);

export const finderInfo = z.strictObject({
  finder_id: text(1),
  finder_video_id: text(1),
  finder_video_cover_image_url: mediaUrl(),
});

/** `description` limit is unconfirmed; 1000 characters is this project's cap. */
export const displayPatternInfo = z.strictObject({
  description: text(1, 1000).optional(),
  merchant_logo_url: mediaUrl().optional(),
  merchant_name: text(1, 12).optional(),
  background_color: backgroundColor.optional(),
  coupon_image_url: mediaUrl().optional(),
  finder_info: finderInfo.optional(),
});

export const notifyConfig = z.strictObject({ notify_appid: appid() });
