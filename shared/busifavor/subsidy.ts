// Marketing subsidy (营销补差) pay and return receipts (docs/wechatpay/busifavor.md#subsidies). Status strings come in two
// spellings depending on the source (see enums.ts); responses accept both and
// `normalizeSubsidyPayStatus` / `normalizeSubsidyReturnValue` map them to one.
import { z } from 'zod';
import { defineEndpoint } from './endpoint';
import { subsidyPayFailReasonOut, subsidyPayStatusOut, subsidyReturnFailReasonOut, subsidyReturnStatusOut } from './enums';
import { int, merchantNo, requestNo, responseTime, stockId, text, wechatOrderId } from './fields';

const BASE = '/v3/marketing/busifavor/subsidy';

/** ≤ 5000 CNY per subsidy (and ≤ the coupon's discount, which only the server knows). */
export const SUBSIDY_MAX_FEN = 500_000;

export const subsidyPayBody = z.strictObject({
  stock_id: stockId(),
  coupon_code: text(1, 128),
  transaction_id: wechatOrderId(),
  payer_merchant: merchantNo(),
  payee_merchant: merchantNo(),
  amount: int(1, SUBSIDY_MAX_FEN),
  description: text(1, 1024),
  out_subsidy_no: requestNo(),
});

/** `subsidy_receipt_id`, `fail_reason`, `success_time`, `create_time` may be absent on an ACCEPTED receipt. */
export const subsidyPayReceipt = z.looseObject({
  subsidy_receipt_id: z.string().optional(),
  stock_id: z.string(),
  coupon_code: z.string(),
  transaction_id: z.string(),
  payer_merchant: z.string(),
  payee_merchant: z.string(),
  amount: z.number().int(),
  description: z.string(),
  status: subsidyPayStatusOut,
  fail_reason: subsidyPayFailReasonOut.optional(),
  success_time: responseTime.optional(),
  out_subsidy_no: z.string(),
  create_time: responseTime.optional(),
});

export const createSubsidyPay = defineEndpoint({
  id: 'subsidy.pay.create',
  method: 'POST',
  path: `${BASE}/pay-receipts`,
  pathParams: null,
  query: null,
  body: subsidyPayBody,
  bodyKind: 'json',
  response: subsidyPayReceipt,
  successStatus: 200,
  idempotencyKey: 'out_subsidy_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '营销补差付款',
});

export const getSubsidyPay = defineEndpoint({
  id: 'subsidy.pay.get',
  method: 'GET',
  path: `${BASE}/pay-receipts/{subsidy_receipt_id}`,
  pathParams: z.strictObject({ subsidy_receipt_id: wechatOrderId() }),
  query: null,
  body: null,
  bodyKind: 'none',
  response: subsidyPayReceipt,
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询营销补差付款单详情',
});

export const listSubsidyPay = defineEndpoint({
  id: 'subsidy.pay.list',
  method: 'GET',
  path: `${BASE}/pay-receipts`,
  pathParams: null,
  query: z.strictObject({ stock_id: stockId(), coupon_code: text(1, 128), out_subsidy_no: requestNo().optional() }),
  body: null,
  bodyKind: 'none',
  response: z.looseObject({ pay_receipt_list: z.array(subsidyPayReceipt).optional() }),
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询营销补差付款单列表',
});

export const subsidyReturnBody = z.strictObject({
  stock_id: stockId(),
  coupon_code: text(1, 128),
  transaction_id: wechatOrderId(),
  refund_id: wechatOrderId(),
  payer_merchant: merchantNo(),
  payee_merchant: merchantNo(),
  amount: int(1, SUBSIDY_MAX_FEN),
  description: text(1, 1024),
  out_subsidy_return_no: requestNo(),
});

export const subsidyReturnReceipt = z.looseObject({
  subsidy_return_receipt_id: z.string().optional(),
  stock_id: z.string(),
  coupon_code: z.string(),
  transaction_id: z.string(),
  refund_id: z.string(),
  payer_merchant: z.string(),
  payee_merchant: z.string(),
  amount: z.number().int(),
  description: z.string(),
  status: subsidyReturnStatusOut,
  fail_reason: subsidyReturnFailReasonOut.optional(),
  return_done_time: responseTime.optional(),
  subsidy_receipt_id: z.string().optional(),
  out_subsidy_return_no: z.string(),
  return_create_time: responseTime.optional(),
});

export const createSubsidyReturn = defineEndpoint({
  id: 'subsidy.return.create',
  method: 'POST',
  path: `${BASE}/return-receipts`,
  pathParams: null,
  query: null,
  body: subsidyReturnBody,
  bodyKind: 'json',
  response: subsidyReturnReceipt,
  successStatus: 200,
  idempotencyKey: 'out_subsidy_return_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '营销补差回退',
});

export const getSubsidyReturn = defineEndpoint({
  id: 'subsidy.return.get',
  method: 'GET',
  path: `${BASE}/return-receipts/{subsidy_return_receipt_id}`,
  pathParams: z.strictObject({ subsidy_return_receipt_id: text(1) }),
  query: null,
  body: null,
  bodyKind: 'none',
  response: subsidyReturnReceipt,
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询营销补差回退单详情',
});
