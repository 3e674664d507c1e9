// The parameters a merchant's mini-program hands to WeChat's sending plugin (发券插件) and the
// APIv2 string they are signed over (docs/wechatpay/busifavor.md#sending-coupons). Building the
// string is pure and lives here; the HMAC with the merchant's APIv2 key is computed in the main
// process, which alone holds the key.
import { z } from 'zod';
import { couponCode } from './codes';
import { dateTime, merchantNo, requestNo, stockId, text } from './fields';

/** One coupon the plugin is asked to send; `coupon_code` only for MERCHANT_API stocks. */
export const sendCouponParam = z.strictObject({
  stock_id: stockId(),
  out_request_no: requestNo(),
  coupon_code: couponCode().optional(),
  customize_send_time: dateTime().optional(),
  /** Cash coupons (代金券) only; never for busifavor stocks, but signed when passed. */
  create_coupon_merchant: merchantNo().optional(),
});
export type SendCouponParam = z.infer<typeof sendCouponParam>;

/** What the plugin takes besides `sign`: the list and the sending merchant (≤ 15 characters on the H5 page). */
export const pluginSendParams = z.strictObject({
  send_coupon_params: z.array(sendCouponParam).min(1),
  send_coupon_merchant: text(1, 15),
});
export type PluginSendParams = z.infer<typeof pluginSendParams>;

const PARAM_FIELDS = ['stock_id', 'out_request_no', 'coupon_code', 'customize_send_time', 'create_coupon_merchant'] as const;

/**
 * The flat fields the plugin signs: entry i's fields with i appended (`stock_id0`,
 * `out_request_no0`, …) and `send_coupon_merchant`. Empty values are left out.
 */
export function pluginSignFields(params: PluginSendParams): Record<string, string> {
  const fields: Record<string, string> = { send_coupon_merchant: params.send_coupon_merchant };
  params.send_coupon_params.forEach((entry, i) => {
    for (const name of PARAM_FIELDS) {
      const value = entry[name];
      if (value !== undefined && value !== '') fields[`${name}${i}`] = value;
    }
  });
  return fields;
}

/** APIv2's string: keys in ASCII order, `k=v` joined by `&`, raw values, empty ones left out (the `&key=…` suffix is the signer's). */
export function apiV2SignString(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => fields[k] !== undefined && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}
