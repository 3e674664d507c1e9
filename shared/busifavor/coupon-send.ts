// The decrypted resource of a COUPON.SEND (领券事件) notification, as WeChat spells it
// (docs/wechatpay/busifavor.md#coupon-send-notification). The simulator sends it and the
// events server reads it, so both name the same fields.

export const COUPON_SEND_EVENT_TYPE = 'EVENT_TYPE_BUSICOUPON_SEND';

export interface CouponSendResource {
  event_type: typeof COUPON_SEND_EVENT_TYPE;
  coupon_code: string;
  stock_id: string;
  send_time: string;
  /** Only when the stock's notify_config names a notify_appid. */
  openid?: string;
  unionid?: string;
  send_channel: string;
  send_merchant: string;
  attach_info?: Record<string, unknown>;
}
