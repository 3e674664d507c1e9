// Response-side (tolerant) entities: a stock as returned by the stock query and a user's
// coupon (CouponEntity). Unknown fields pass through; enums accept unknown values; only the
// fields the docs mark as always present are required.
import { z } from 'zod';
import { responseTime } from './fields';
import { backgroundColorOut, codeDisplayModeOut, couponCodeModeOut, couponStateOut, stockStateOut, stockTypeOut, useMethodOut } from './enums';

const int = z.number().int();

export const couponAvailableTimeOut = z.looseObject({
  available_begin_time: responseTime,
  available_end_time: responseTime,
  available_day_after_receive: int.optional(),
  wait_days_after_receive: int.optional(),
  available_week: z
    .looseObject({
      week_day: z.array(int).optional(),
      available_day_time: z.array(z.looseObject({ begin_time: int, end_time: int })).optional(),
    })
    .optional(),
  irregulary_avaliable_time: z.array(z.looseObject({ begin_time: responseTime, end_time: responseTime })).optional(),
});

export const couponUseRuleOut = z.looseObject({
  coupon_available_time: couponAvailableTimeOut,
  fixed_normal_coupon: z.looseObject({ discount_amount: int, transaction_minimum: int }).optional(),
  discount_coupon: z.looseObject({ discount_percent: int, transaction_minimum: int }).optional(),
  // Go SDK documents 0 as a valid exchange price: accept it when reading.
  exchange_coupon: z.looseObject({ exchange_price: int, transaction_minimum: int }).optional(),
  use_method: useMethodOut,
  mini_programs_appid: z.string().optional(),
  mini_programs_path: z.string().optional(),
});

export const stockSendRuleOut = z.looseObject({
  max_amount: z.number().optional(),
  max_coupons: int.optional(),
  max_coupons_per_user: int.optional(),
  max_amount_by_day: z.number().optional(),
  max_coupons_by_day: int.optional(),
  natural_person_limit: z.boolean().optional(),
  prevent_api_abuse: z.boolean().optional(),
  transferable: z.boolean().optional(),
  shareable: z.boolean().optional(),
});

export const customEntranceOut = z.looseObject({
  mini_programs_info: z
    .looseObject({
      mini_programs_appid: z.string(),
      mini_programs_path: z.string(),
      entrance_words: z.string(),
      guiding_words: z.string().optional(),
    })
    .optional(),
  appid: z.string().optional(),
  hall_id: z.string().optional(),
  store_id: z.string().optional(),
  code_display_mode: codeDisplayModeOut.optional(),
});

export const displayPatternInfoOut = z.looseObject({
  description: z.string().optional(),
  merchant_logo_url: z.string().optional(),
  merchant_name: z.string().optional(),
  background_color: backgroundColorOut.optional(),
  coupon_image_url: z.string().optional(),
  finder_info: z.looseObject({ finder_id: z.string().optional(), finder_video_id: z.string().optional(), finder_video_cover_image_url: z.string().optional() }).optional(),
});

export const sendCountInformation = z.looseObject({
  total_send_num: int.optional(),
  total_send_amount: int.optional(),
  today_send_num: int.optional(),
  today_send_amount: int.optional(),
});

/** GET /stocks/{stock_id} response (docs/wechatpay/busifavor.md#stocks). */
export const stockOut = z.looseObject({
  stock_id: z.string(),
  stock_name: z.string(),
  belong_merchant: z.string(),
  comment: z.string().optional(),
  goods_name: z.string(),
  stock_type: stockTypeOut,
  coupon_use_rule: couponUseRuleOut,
  stock_send_rule: stockSendRuleOut,
  custom_entrance: customEntranceOut.optional(),
  display_pattern_info: displayPatternInfoOut.optional(),
  stock_state: stockStateOut,
  coupon_code_mode: couponCodeModeOut,
  coupon_code_count: z.looseObject({ total_count: int, available_count: int }).optional(),
  notify_config: z.looseObject({ notify_appid: z.string().optional() }).optional(),
  send_count_information: sendCountInformation.optional(),
  subsidy: z.boolean().optional(),
});

/** A user's coupon (docs/wechatpay/busifavor.md#user-coupon-queries), returned by the user-coupon list and single queries. */
export const couponEntity = z.looseObject({
  coupon_code: z.string(),
  stock_id: z.string(),
  coupon_state: couponStateOut,
  stock_type: stockTypeOut,
  coupon_use_rule: couponUseRuleOut,
  available_start_time: responseTime,
  expire_time: responseTime,
  receive_time: responseTime,
  send_request_no: z.string(),
  belong_merchant: z.string().optional(),
  stock_name: z.string().optional(),
  comment: z.string().optional(),
  goods_name: z.string().optional(),
  transferable: z.boolean().optional(),
  shareable: z.boolean().optional(),
  display_pattern_info: displayPatternInfoOut.optional(),
  custom_entrance: customEntranceOut.optional(),
  use_request_no: z.string().optional(),
  use_time: responseTime.optional(),
  associate_out_trade_no: z.string().optional(),
  return_request_no: z.string().optional(),
  return_time: responseTime.optional(),
  deactivate_request_no: z.string().optional(),
  deactivate_time: responseTime.optional(),
  deactivate_reason: z.string().optional(),
});

export type StockOut = z.infer<typeof stockOut>;
export type CouponEntity = z.infer<typeof couponEntity>;
export type CouponUseRuleOut = z.infer<typeof couponUseRuleOut>;
