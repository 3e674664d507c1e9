// Coupon endpoints: redeem, send, associate/disassociate an order, return, deactivate, and
// the two user-coupon queries (docs/wechatpay/busifavor.md#coupon-operations,
// docs/wechatpay/busifavor.md#user-coupon-queries, docs/wechatpay/busifavor.md#sending-coupons).
import { z } from 'zod';
import { defineEndpoint } from './endpoint';
import { couponState } from './enums';
import { couponEntity } from './entities';
import { couponCode } from './codes';
import { appid, dateTime, int, mchid, merchantNo, openid, requestNo, responseTime, stockId, text } from './fields';

const BASE = '/v3/marketing/busifavor';

/**
 * `stock_id` is optional for WECHATPAY_MODE codes but required for merchant codes (unique
 * only within a stock) — the schema cannot know the stock's mode, the caller must. The OAS
 * also lists out_trade_no / mch_id / transaction_id, which neither the doc nor the SDKs have:
 * not sent.
 */
export const useBody = z.strictObject({
  coupon_code: couponCode(),
  stock_id: stockId().optional(),
  appid: appid(),
  use_time: dateTime(),
  use_request_no: requestNo(128),
  openid: openid().optional(),
});

export const useCoupon = defineEndpoint({
  id: 'coupons.use',
  method: 'POST',
  path: `${BASE}/coupons/use`,
  pathParams: null,
  query: null,
  body: useBody,
  bodyKind: 'json',
  response: z.looseObject({ stock_id: z.string(), openid: z.string(), wechatpay_use_time: responseTime }),
  successStatus: 200,
  idempotencyKey: 'use_request_no',
  idempotencyIn: 'body',
  rateLimit: { limit: 500, per: 'second' },
  summary: '核销用户券',
});

export const sendBody = z.strictObject({
  openid: openid(),
  appid: appid(),
  stock_id: stockId(),
  out_request_no: requestNo(),
  coupon_code: couponCode().optional(),
});

const sendResult = z.looseObject({ stock_id: z.string(), out_request_no: z.string().optional(), coupon_code: z.string() });

/** Go/Java wrap the result in `send_coupon_result`; the OAS shows it flat. Both parse. */
export const sendResponse = z.union([z.looseObject({ send_coupon_result: sendResult }), sendResult]);

export type SendResult = z.infer<typeof sendResult>;

export function normalizeSendResponse(r: z.infer<typeof sendResponse>): SendResult {
  return 'send_coupon_result' in r && typeof r.send_coupon_result === 'object' && r.send_coupon_result !== null ? (r.send_coupon_result as SendResult) : (r as SendResult);
}

export const sendCoupon = defineEndpoint({
  id: 'coupons.send',
  method: 'POST',
  path: `${BASE}/coupons/send`,
  pathParams: null,
  query: null,
  body: sendBody,
  bodyKind: 'json',
  response: sendResponse,
  successStatus: 200,
  idempotencyKey: 'out_request_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '向用户发券',
});

export const associateBody = z.strictObject({
  stock_id: stockId(),
  coupon_code: couponCode(),
  out_trade_no: text(1, 128),
  out_request_no: requestNo(),
});

export const associateOrder = defineEndpoint({
  id: 'coupons.associate',
  method: 'POST',
  path: `${BASE}/coupons/associate`,
  pathParams: null,
  query: null,
  body: associateBody,
  bodyKind: 'json',
  response: z.looseObject({ wechatpay_associate_time: responseTime }),
  successStatus: 200,
  idempotencyKey: 'out_request_no',
  idempotencyIn: 'body',
  rateLimit: { limit: 500, per: 'second' },
  summary: '关联订单信息',
});

export const disassociateOrder = defineEndpoint({
  id: 'coupons.disassociate',
  method: 'POST',
  path: `${BASE}/coupons/disassociate`,
  pathParams: null,
  query: null,
  body: associateBody,
  bodyKind: 'json',
  response: z.looseObject({ wechatpay_disassociate_time: responseTime }),
  successStatus: 200,
  idempotencyKey: 'out_request_no',
  idempotencyIn: 'body',
  rateLimit: { limit: 500, per: 'second' },
  summary: '取消关联订单信息',
});

export const returnBody = z.strictObject({ coupon_code: couponCode(), stock_id: stockId(), return_request_no: requestNo() });

export const returnCoupon = defineEndpoint({
  id: 'coupons.return',
  method: 'POST',
  path: `${BASE}/coupons/return`,
  pathParams: null,
  query: null,
  body: returnBody,
  bodyKind: 'json',
  response: z.looseObject({ wechatpay_return_time: responseTime }),
  successStatus: 200,
  idempotencyKey: 'return_request_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '申请退券',
});

export const deactivateBody = z.strictObject({
  coupon_code: couponCode(),
  stock_id: stockId(),
  deactivate_request_no: requestNo(),
  deactivate_reason: text(1, 64).optional(),
});

export const deactivateCoupon = defineEndpoint({
  id: 'coupons.deactivate',
  method: 'POST',
  path: `${BASE}/coupons/deactivate`,
  pathParams: null,
  query: null,
  body: deactivateBody,
  bodyKind: 'json',
  response: z.looseObject({ wechatpay_deactivate_time: responseTime }),
  successStatus: 200,
  idempotencyKey: 'deactivate_request_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '使券失效',
});

/**
 * Key order is the order of the doc's example URL (and so of the signed URL):
 * appid, stock_id, coupon_state, creator_merchant, belong_merchant, sender_merchant, offset, limit.
 * The caller must name itself as creator, belong or sender merchant: at least one is required.
 * `offset` is a page number here; `limit` max 50 is the simulator's choice (docs/wechatpay/busifavor.md#user-coupon-queries).
 */
export const listUserCouponsQuery = z
  .strictObject({
    appid: appid(),
    stock_id: stockId().optional(),
    coupon_state: couponState.optional(),
    creator_merchant: merchantNo().optional(),
    belong_merchant: mchid().optional(),
    sender_merchant: merchantNo().optional(),
    offset: z.number().int().min(0).optional(),
    limit: int(1, 50).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.creator_merchant === undefined && q.belong_merchant === undefined && q.sender_merchant === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['creator_merchant'],
        message: '必须提供 creator_merchant、belong_merchant、sender_merchant 之一（与调用商户身份对应）',
        params: { issue: 'one of creator_merchant, belong_merchant, sender_merchant is required' },
      });
    }
  });

export const listUserCoupons = defineEndpoint({
  id: 'userCoupons.list',
  method: 'GET',
  path: `${BASE}/users/{openid}/coupons`,
  pathParams: z.strictObject({ openid: openid() }),
  query: listUserCouponsQuery,
  body: null,
  bodyKind: 'none',
  // List items carry no display_pattern_info.description (since 2020-07-08).
  response: z.looseObject({ data: z.array(couponEntity).optional(), total_count: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '根据过滤条件查询用户券',
});

export const getUserCoupon = defineEndpoint({
  id: 'userCoupons.get',
  method: 'GET',
  path: `${BASE}/users/{openid}/coupons/{coupon_code}/appids/{appid}`,
  pathParams: z.strictObject({ openid: openid(), coupon_code: couponCode(), appid: appid() }),
  query: null,
  body: null,
  bodyKind: 'none',
  response: couponEntity,
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询用户单张券详情',
});

export type UseBody = z.input<typeof useBody>;
export type SendBody = z.input<typeof sendBody>;
export type ListUserCouponsQuery = z.input<typeof listUserCouponsQuery>;
