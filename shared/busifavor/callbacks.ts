// Event notify URL (docs/wechatpay/busifavor.md#callbacks). Only COUPON.SEND is delivered there.
import { z } from 'zod';
import { defineEndpoint } from './endpoint';
import { mchid, responseTime, text } from './fields';

const PATH = '/v3/marketing/busifavor/callbacks';

/** https only, no query string (WeChat appends nothing and rejects one). */
export const notifyUrl = () =>
  text(10, 256).superRefine((value, ctx) => {
    if (typeof value !== 'string') return;
    if (!/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: value.includes('?') ? '通知地址不能携带参数' : '通知地址必须是 https 地址',
        params: { issue: value.includes('?') ? 'notify_url must not carry a query string' : 'notify_url must be an https URL', rule: 'notify_url' },
      });
    }
  });

export const setCallbacks = defineEndpoint({
  id: 'callbacks.set',
  method: 'POST',
  path: PATH,
  pathParams: null,
  query: null,
  // mchid defaults to the caller.
  body: z.strictObject({ mchid: mchid().optional(), notify_url: notifyUrl() }),
  bodyKind: 'json',
  response: z.looseObject({ update_time: responseTime.optional(), notify_url: z.string(), mchid: z.string() }),
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '设置商家券事件通知地址',
});

export const getCallbacks = defineEndpoint({
  id: 'callbacks.get',
  method: 'GET',
  path: PATH,
  pathParams: null,
  query: z.strictObject({ mchid: mchid().optional() }),
  body: null,
  bodyKind: 'none',
  response: z.looseObject({ notify_url: z.string(), mchid: z.string() }),
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询商家券事件通知地址',
});
