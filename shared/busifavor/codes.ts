// Coupon codes: the merchant-code character set and the uploaded-code endpoints
// (docs/wechatpay/busifavor.md#uploaded-codes).
import { z } from 'zod';
import { defineEndpoint } from './endpoint';
import { codeStatus, codeStatusOut } from './enums';
import { couponEntity } from './entities';
import { appid, charset, requestNo, responseTime, stockId, text } from './fields';

const BASE = '/v3/marketing/busifavor';

/**
 * One character of a merchant coupon code: `0-9 a-z A-Z`, plain space, `-`, `_`, `\`, `/`,
 * `=`, `|`. No tabs or newlines.
 */
export const COUPON_CODE_CHAR = /^[0-9a-zA-Z \-_\\/=|]$/;
export const COUPON_CODE_MAX = 32;
/** WECHATPAY_MODE codes: 22 digits (old doc: "fixed 22 pure digits"). */
export const WECHATPAY_MODE_CODE = /^\d{22}$/;

/** Coupon code in requests: 1..32 characters of the merchant-code set. */
export function couponCode() {
  return charset(text(1, COUPON_CODE_MAX), COUPON_CODE_CHAR, '数字、大小写字母、空格、-、_、\\、/、=、|', 'digits, letters, space, - _ \\ / = |');
}

/** Codes one upload call may carry (docs/wechatpay/busifavor.md#uploaded-codes). */
export const CODES_PER_UPLOAD = 200;

export const uploadCodesBody = z.strictObject({
  coupon_code_list: z.array(couponCode()).min(1).max(CODES_PER_UPLOAD),
  upload_request_no: requestNo(),
});

export const uploadCodes = defineEndpoint({
  id: 'couponCodes.upload',
  method: 'POST',
  path: `${BASE}/stocks/{stock_id}/couponcodes`,
  pathParams: z.strictObject({ stock_id: stockId() }),
  query: null,
  body: uploadCodesBody,
  bodyKind: 'json',
  response: z.looseObject({
    stock_id: z.string(),
    total_count: z.number().int(),
    success_count: z.number().int(),
    success_codes: z.array(z.string()).optional(),
    success_time: responseTime,
    fail_count: z.number().int().optional(),
    fail_codes: z.array(z.looseObject({ coupon_code: z.string(), code: z.string(), message: z.string() })).optional(),
    exist_codes: z.array(z.string()).optional(),
    duplicate_codes: z.array(z.string()).optional(),
  }),
  successStatus: 200,
  idempotencyKey: 'upload_request_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '上传预存券code',
});

export const codeInformation = z.looseObject({
  code: z.string(),
  code_status: codeStatusOut,
  upload_time: responseTime.optional(),
  dispatched_time: responseTime.optional(),
  openid: z.string().optional(),
  unionid: z.string().optional(),
  coupon_code: z.string().optional(),
});

/** `offset` here is a start position (起始位置), unlike the user-coupon list's page number. */
export const listCodes = defineEndpoint({
  id: 'couponCodes.list',
  method: 'GET',
  path: `${BASE}/stocks/{stock_id}/couponcodes`,
  pathParams: z.strictObject({ stock_id: stockId() }),
  query: z.strictObject({
    limit: z.number().int().min(1).optional(),
    offset: z.number().int().min(0).optional(),
    appid: appid().optional(),
    status: codeStatus.optional(),
  }),
  body: null,
  bodyKind: 'none',
  response: z.looseObject({
    stock_id: z.string(),
    total_count: z.number().int(),
    data: z.array(codeInformation).optional(),
    offset: z.number().int(),
    // Number of items actually returned, not the requested page size.
    limit: z.number().int(),
  }),
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询预存code列表',
});

const stockAndCode = z.strictObject({ stock_id: stockId(), coupon_code: couponCode() });

/** Looks a code up without an openid — the till's way in for MERCHANT_UPLOAD stocks. */
export const getCode = defineEndpoint({
  id: 'couponCodes.get',
  method: 'GET',
  path: `${BASE}/stocks/{stock_id}/couponcodes/{coupon_code}`,
  pathParams: stockAndCode,
  query: z.strictObject({ appid: appid().optional() }),
  body: null,
  bodyKind: 'none',
  // coupon_information only once the code was dispatched to a user.
  response: z.looseObject({ code_information: codeInformation, coupon_information: couponEntity.partial().loose().optional() }),
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询预存code详情',
});

/** No body: `delete_request_no` travels in the query, which is part of the signed URL. */
export const deleteCode = defineEndpoint({
  id: 'couponCodes.delete',
  method: 'DELETE',
  path: `${BASE}/stocks/{stock_id}/couponcodes/{coupon_code}`,
  pathParams: stockAndCode,
  query: z.strictObject({ delete_request_no: requestNo() }),
  body: null,
  bodyKind: 'none',
  response: z.looseObject({ stock_id: z.string().optional(), delete_time: responseTime.optional() }),
  successStatus: 200,
  idempotencyKey: 'delete_request_no',
  idempotencyIn: 'query',
  rateLimit: null,
  summary: '删除预存code',
});
