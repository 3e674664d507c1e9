// Responses are read tolerantly: unknown fields and new enum values pass, WeChat's spellings
// are kept, and both forms are accepted where the sources disagree.
import { describe, expect, it } from 'vitest';
import {
  couponEntity,
  endpoints,
  normalizeErrorCode,
  normalizeSendResponse,
  normalizeSubsidyPayStatus,
  normalizeSubsidyReturnValue,
  stockOut,
  wechatErrorBody,
} from '../../../shared/busifavor';

const rule = {
  coupon_available_time: {
    available_begin_time: '2026-11-01T00:00:00+08:00',
    available_end_time: '2026-11-30T23:59:59+08:00',
    available_week: { week_day: [6, 0], available_day_time: [{ begin_time: 36_000, end_time: 79_200 }] },
    irregulary_avaliable_time: [{ begin_time: '2026-11-27T10:00:00+08:00', end_time: '2026-11-27T22:00:00+08:00' }],
  },
  exchange_coupon: { exchange_price: 0, transaction_minimum: 100 },
  use_method: 'OFF_LINE',
};

const coupon = {
  coupon_code: '1227944959000000911017',
  stock_id: '1286950000000039',
  coupon_state: 'SENDED',
  stock_type: 'EXCHANGE',
  coupon_use_rule: rule,
  available_start_time: '2026-11-02T00:00:00+08:00',
  expire_time: '2026-11-04T23:59:59.000+08:00',
  receive_time: '2026-11-01T09:30:00.120+08:00',
  send_request_no: 'send-1',
  a_field_from_2027: { anything: true },
};

describe('tolerant responses', () => {
  it('parse a coupon with unknown fields, keeping them and the misspelled window field', () => {
    const r = couponEntity.parse(coupon);
    expect(r.a_field_from_2027).toEqual({ anything: true });
    expect(r.coupon_use_rule.coupon_available_time.irregulary_avaliable_time?.[0]?.begin_time).toBe('2026-11-27T10:00:00+08:00');
    expect(r.coupon_use_rule.exchange_coupon?.exchange_price).toBe(0);
  });
  it('accept new coupon states (the OAS already shows PENDING_REDEEM)', () => {
    expect(couponEntity.parse({ ...coupon, coupon_state: 'PENDING_REDEEM' }).coupon_state).toBe('PENDING_REDEEM');
  });
  it('still require the fields a till cannot work without', () => {
    const { expire_time: _gone, ...withoutExpiry } = coupon;
    expect(couponEntity.safeParse(withoutExpiry).success).toBe(false);
    expect(couponEntity.safeParse({ ...coupon, expire_time: 'tomorrow' }).success).toBe(false);
  });
  it('parse a stock query response with STOPED and the code counter', () => {
    const stock = stockOut.parse({
      stock_id: '98065001',
      stock_name: '换购券',
      belong_merchant: '10000022',
      goods_name: '饮品',
      stock_type: 'EXCHANGE',
      coupon_use_rule: rule,
      stock_send_rule: { max_amount: 1e11, max_coupons: 100, max_coupons_per_user: 5 },
      stock_state: 'STOPED',
      coupon_code_mode: 'MERCHANT_UPLOAD',
      coupon_code_count: { total_count: 100, available_count: 50 },
      send_count_information: { total_send_num: 1 },
    });
    expect(stock.stock_state).toBe('STOPED');
    expect(stock.coupon_code_count?.available_count).toBe(50);
  });
  it('use response is the doc example', () => {
    const r = endpoints['coupons.use'].response.parse({ stock_id: '100088', openid: 'dsadas34345454545', wechatpay_use_time: '2015-05-20T13:29:35+08:00' });
    expect(r.openid).toBe('dsadas34345454545');
  });
  it('upload response accepts the millisecond success_time form', () => {
    const r = endpoints['couponCodes.upload'].response.parse({
      stock_id: '1',
      total_count: 2,
      success_count: 1,
      success_time: '2020-05-20T13:29:35.120+08:00',
      fail_codes: [{ coupon_code: 'ABCD23456', code: 'LENGTH_LIMIT', message: '长度超过最大值32位' }],
    });
    expect(r.fail_codes?.[0]?.code).toBe('LENGTH_LIMIT');
  });
});

describe('where the sources disagree', () => {
  it('send: wrapped (SDK) and flat (OAS) both parse to the same result', () => {
    const result = { stock_id: '1', out_request_no: 'send-1', coupon_code: 'C1' };
    const schema = endpoints['coupons.send'].response;
    expect(normalizeSendResponse(schema.parse({ send_coupon_result: result }))).toEqual(result);
    expect(normalizeSendResponse(schema.parse(result))).toEqual(result);
    expect(schema.safeParse({ send_coupon_result: { stock_id: '1' } }).success).toBe(false);
  });
  it('subsidy pay status with or without PAY_RECEIPT_', () => {
    const receipt = {
      stock_id: '1',
      coupon_code: 'C1',
      transaction_id: '4200000913202101152566792388',
      payer_merchant: '1',
      payee_merchant: '2',
      amount: 100,
      description: 'd',
      out_subsidy_no: 'o1',
    };
    const schema = endpoints['subsidy.pay.create'].response;
    const plain = schema.parse({ ...receipt, status: 'FAIL', fail_reason: 'INSUFFICIENT_BALANCE' });
    const prefixed = schema.parse({ ...receipt, status: 'PAY_RECEIPT_FAIL', fail_reason: 'PAY_RECEIPT_INSUFFICIENT_BALANCE' });
    expect(normalizeSubsidyPayStatus(plain.status)).toBe('FAIL');
    expect(normalizeSubsidyPayStatus(prefixed.status)).toBe('FAIL');
    expect(normalizeSubsidyPayStatus(prefixed.fail_reason ?? '')).toBe('INSUFFICIENT_BALANCE');
    // An ACCEPTED receipt may lack the WeChat-generated id and times.
    expect(schema.parse({ ...receipt, status: 'ACCEPTED' }).subsidy_receipt_id).toBeUndefined();
  });
  it('subsidy return status with or without RETURN_RECEIPT_', () => {
    expect(normalizeSubsidyReturnValue('SUCCESS')).toBe('RETURN_RECEIPT_SUCCESS');
    expect(normalizeSubsidyReturnValue('RETURN_RECEIPT_SUCCESS')).toBe('RETURN_RECEIPT_SUCCESS');
    expect(normalizeSubsidyReturnValue('INSUFFICIENT_BALANCE')).toBe('RETURN_RECEIPT_INSUFFICIENT_BALANCE');
  });
  it('NOAUTH and NO_AUTH are one code', () => {
    expect(normalizeErrorCode('NOAUTH')).toBe('NO_AUTH');
    expect(normalizeErrorCode('NO_AUTH')).toBe('NO_AUTH');
    expect(normalizeErrorCode('RESOURCE_NOT_EXISTS')).toBe('RESOURCE_NOT_EXISTS');
  });
  it('error bodies parse with or without detail', () => {
    expect(wechatErrorBody.parse({ code: 'PARAM_ERROR', message: '请求参数错误' }).detail).toBeUndefined();
    expect(wechatErrorBody.parse({ code: 'PARAM_ERROR', message: 'm', detail: { location: 'body', value: 0 } }).detail).toEqual({ location: 'body', value: 0 });
    expect(wechatErrorBody.safeParse({ message: 'no code' }).success).toBe(false);
  });
  it('code list: AVAILABLE/DISPATCHED; response limit is the returned count', () => {
    const r = endpoints['couponCodes.list'].response.parse({ stock_id: '1', total_count: 3, offset: 0, limit: 1, data: [{ code: 'A', code_status: 'DISPATCHED', openid: 'o' }] });
    expect(r.data?.[0]?.code_status).toBe('DISPATCHED');
  });
});
