// The simulator's records. Field names that WeChat returns are spelled as WeChat spells them
// (docs/wechatpay/busifavor.md#conventions: snake_case, `irregulary_avaliable_time`, `STOPED`, `SENDED`); the rest is the
// simulator's own bookkeeping. Everything here is plain data so the whole state can be
// written as JSON and read back.
import type { CouponAvailableTimeRules } from '../../../shared/time';
import type { CouponSendResource } from '../../../shared/busifavor/coupon-send';
import type { CouponCodeMode, CouponState, StockType } from '../../../shared/busifavor/enums';
import type { OkResult } from './result';

export interface FixedNormalCoupon {
  discount_amount: number;
  transaction_minimum: number;
}

export interface DiscountCoupon {
  discount_percent: number;
  transaction_minimum: number;
}

export interface ExchangeCoupon {
  exchange_price: number;
  transaction_minimum: number;
}

export interface CouponUseRule {
  coupon_available_time: CouponAvailableTimeRules;
  fixed_normal_coupon?: FixedNormalCoupon;
  discount_coupon?: DiscountCoupon;
  exchange_coupon?: ExchangeCoupon;
  use_method: string;
  mini_programs_appid?: string;
  mini_programs_path?: string;
}

export interface StockSendRule {
  max_amount?: number;
  max_coupons?: number;
  max_coupons_per_user: number;
  max_amount_by_day?: number;
  max_coupons_by_day?: number;
  natural_person_limit?: boolean;
  prevent_api_abuse?: boolean;
  transferable?: boolean;
  shareable?: boolean;
}

export interface MiniProgramsInfo {
  mini_programs_appid: string;
  mini_programs_path: string;
  entrance_words: string;
  guiding_words?: string;
}

export interface CustomEntrance {
  mini_programs_info?: MiniProgramsInfo;
  appid?: string;
  hall_id?: string;
  store_id?: string;
  code_display_mode?: string;
}

export interface FinderInfo {
  finder_id: string;
  finder_video_id: string;
  finder_video_cover_image_url: string;
}

export interface DisplayPatternInfo {
  description?: string;
  merchant_logo_url?: string;
  merchant_name?: string;
  background_color?: string;
  coupon_image_url?: string;
  finder_info?: FinderInfo;
}

/** The stock as the merchant defined it (create body less `out_request_no`), modified in place by PATCH. */
export interface StockDefinition {
  stock_name: string;
  belong_merchant: string;
  comment?: string;
  goods_name: string;
  stock_type: StockType;
  coupon_use_rule: CouponUseRule;
  stock_send_rule: StockSendRule;
  custom_entrance?: CustomEntrance;
  display_pattern_info?: DisplayPatternInfo;
  coupon_code_mode: CouponCodeMode;
  notify_config?: { notify_appid?: string };
  subsidy?: boolean;
}

export type CreateStockInput = StockDefinition & { out_request_no: string };

export interface SendCounters {
  total_send_num: number;
  total_send_amount: number;
  /** Epoch ms of the +08:00 midnight the `today_*` counters belong to. */
  day_start_ms: number;
  today_send_num: number;
  today_send_amount: number;
}

/** States the merchant console (not the API) can put a stock in; absent = derived from time. */
export type ConsoleStockState = 'UNAUDIT' | 'PAUSED' | 'STOPED';

export interface StockRecord {
  stock_id: string;
  creator_mchid: string;
  create_time: string;
  out_request_no: string;
  definition: StockDefinition;
  console_state?: ConsoleStockState;
  counters: SendCounters;
  /** user_id → coupons received from this stock (the per-user limit counts receipts). */
  per_user: Record<string, number>;
}

export type CouponOp = 'send' | 'use' | 'return' | 'deactivate' | 'delete' | 'expire' | 'associate' | 'disassociate';

export interface HistoryEntry {
  at: string;
  op: CouponOp;
  from: CouponState | null;
  to: CouponState;
  request_no?: string;
  detail?: string;
}

export interface CouponRecord {
  /** Order of issue, for stable listings. */
  seq: number;
  stock_id: string;
  coupon_code: string;
  user_id: string;
  coupon_state: CouponState;
  receive_time: string;
  available_start_time: string;
  expire_time: string;
  send_request_no: string;
  send_channel: string;
  send_merchant: string;
  use_request_no?: string;
  use_time?: string;
  wechatpay_use_time?: string;
  associate_out_trade_no?: string;
  return_request_no?: string;
  return_time?: string;
  deactivate_request_no?: string;
  deactivate_time?: string;
  deactivate_reason?: string;
  history: HistoryEntry[];
}

export interface MerchantPermissions {
  /** The busifavor product itself. */
  busifavor: boolean;
  /** POST coupons/send needs an extra permission (wechatpay-go issue #265). */
  send: boolean;
  /** 营销事件推送, needed to set the notify URL. */
  event_push: boolean;
  /** 营销补差. */
  subsidy: boolean;
}

export interface SimMerchant {
  mchid: string;
  appids: string[];
  /** Sub-merchants this merchant may create stocks for (service-provider / indirect mode). */
  managed_merchants: string[];
  permissions: MerchantPermissions;
  notify_url?: string;
  notify_update_time?: string;
}

export interface UserRecord {
  user_id: string;
  /** OpenIDs a merchant introduced (appid → openid); other AppIDs get a derived one. */
  openids: Record<string, string>;
  /** WeChat flagged the account (USER_ACCOUNT_ABNORMAL); set by the admin API. */
  abnormal?: boolean;
}

export interface UploadedCodeRecord {
  stock_id: string;
  code: string;
  code_status: 'AVAILABLE' | 'DISPATCHED';
  upload_time: string;
  upload_request_no: string;
  dispatched_time?: string;
  user_id?: string;
}

export interface MediaRecord {
  sha256: string;
  media_url: string;
  filename: string;
  mchid: string;
  upload_time: string;
}

export interface PayReceipt {
  subsidy_receipt_id: string;
  stock_id: string;
  coupon_code: string;
  transaction_id: string;
  payer_merchant: string;
  payee_merchant: string;
  amount: number;
  description: string;
  status: 'ACCEPTED' | 'SUCCESS' | 'FAIL' | 'RETURNING' | 'PARTIAL_RETURN' | 'FULL_RETURN';
  success_time?: string;
  out_subsidy_no: string;
  create_time: string;
  /** Bookkeeping, not returned: amount already returned. */
  returned_amount: number;
  caller: string;
}

export interface ReturnReceipt {
  subsidy_return_receipt_id: string;
  out_subsidy_return_no: string;
  stock_id: string;
  coupon_code: string;
  transaction_id: string;
  refund_id: string;
  payer_merchant: string;
  payee_merchant: string;
  amount: number;
  description: string;
  status: 'RETURN_RECEIPT_ACCEPTED' | 'RETURN_RECEIPT_SUCCESS' | 'RETURN_RECEIPT_FAIL';
  return_done_time?: string;
  subsidy_receipt_id: string;
  return_create_time: string;
  caller: string;
}

/** A successful request-number-keyed operation, kept to answer replays. */
export interface LedgerEntry {
  op: string;
  scope: string;
  request_no: string;
  /** Canonical JSON of the request that first used the number. */
  fingerprint: string;
  result: OkResult;
  /** The coupon (`stock_id/code`), stock or receipt the number acted on. */
  target?: string;
  /** How many state changes this number caused (the invariant is ≤ 1). */
  changes: number;
  replays: number;
  at: string;
}

/** One COUPON.SEND notification to deliver to the creator merchant's notify URL. */
/** A COUPON.SEND the simulator will deliver: WeChat's resource and the simulator's bookkeeping. */
export interface SendEvent extends CouponSendResource {
  event_id: number;
  creator_mchid: string;
}

export interface OpCount {
  calls: number;
  ok: number;
  failed: number;
}
