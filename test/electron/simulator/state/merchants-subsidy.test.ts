import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../electron/simulator/state/result';
import { APPID, createStock, customer, expectFail, fixture, MCH, okBody, OTHER_MCH, send } from './support';

describe('callbacks', () => {
  it('sets an https notify URL and reads it back', () => {
    const { state } = fixture();
    expectFail(state.getCallbacks(MCH), 404, 'RESOURCE_NOT_EXISTS');
    expect(okBody(state.setCallbacks(MCH, { notify_url: 'https://pos.example.com/wxpay/coupon' }))).toEqual({
      update_time: '2026-01-01T10:00:00+08:00',
      notify_url: 'https://pos.example.com/wxpay/coupon',
      mchid: MCH,
    });
    expect(okBody(state.getCallbacks(MCH, { mchid: MCH }))).toEqual({ mchid: MCH, notify_url: 'https://pos.example.com/wxpay/coupon' });
    okBody(state.setCallbacks(MCH, { mchid: MCH, notify_url: 'https://pos.example.com/v2' }));
    expect(okBody(state.getCallbacks(MCH))).toMatchObject({ notify_url: 'https://pos.example.com/v2' });
    expect(state.merchant(MCH)?.notify_url).toBe('https://pos.example.com/v2');
  });

  it('refuses http, query strings, empty URLs, unknown or foreign mchids and missing permission', () => {
    const { state } = fixture();
    expectFail(state.setCallbacks(MCH, { notify_url: 'http://pos.example.com/cb' }), 400, 'PARAM_ERROR');
    expectFail(state.setCallbacks(MCH, { notify_url: 'https://pos.example.com/cb?x=1' }), 400, 'PARAM_ERROR', /参数/);
    expectFail(state.setCallbacks(MCH, { notify_url: '' }), 400, 'PARAM_ERROR', '回调URL不能为空');
    expectFail(state.setCallbacks(MCH, { mchid: '1777777777', notify_url: 'https://pos.example.com/cb' }), 400, 'MCH_NOT_EXISTS');
    expectFail(state.setCallbacks(MCH, { mchid: OTHER_MCH, notify_url: 'https://pos.example.com/cb' }), 403, 'NO_AUTH');
    state.addMerchant({ mchid: MCH, permissions: { event_push: false } });
    expectFail(state.setCallbacks(MCH, { notify_url: 'https://pos.example.com/cb' }), 403, 'NO_AUTH');
  });
});

describe('image upload', () => {
  it('issues one URL per content hash', () => {
    const { state } = fixture();
    const a = okBody<{ media_url: string }>(state.uploadImage(MCH, { filename: 'a.png', sha256: 'C'.repeat(64) }));
    const again = okBody<{ media_url: string }>(state.uploadImage(MCH, { filename: 'other-name.jpg', sha256: 'c'.repeat(64) }));
    const b = okBody<{ media_url: string }>(state.uploadImage(MCH, { filename: 'b.png', sha256: 'd'.repeat(64) }));
    expect(a.media_url).toMatch(/^https:\/\//);
    expect(again.media_url).toBe(a.media_url);
    expect(b.media_url).not.toBe(a.media_url);
    expectFail(state.uploadImage(MCH, { filename: 'a.gif', sha256: 'e'.repeat(64) }), 400, 'PARAM_ERROR');
    expectFail(state.uploadImage(MCH, { filename: 'a.png', sha256: 'xyz' }), 400, 'PARAM_ERROR');
  });
});

const TX = '4200000000000000000000000001';

function redeemed(type: 'NORMAL' | 'DISCOUNT' | 'EXCHANGE' = 'NORMAL') {
  const f = fixture();
  f.state.addMerchant({ mchid: MCH, managed_merchants: [OTHER_MCH] });
  const stock_id = createStock(f.state, { stock_type: type, belong_merchant: OTHER_MCH });
  const user = customer(f.state);
  const coupon_code = send(f.state, stock_id, user.openid);
  okBody(f.state.useCoupon(MCH, { stock_id, coupon_code, appid: APPID, use_time: '2026-01-01T10:00:00+08:00', use_request_no: 'U1' }));
  const pay = { stock_id, coupon_code, transaction_id: TX, payer_merchant: MCH, payee_merchant: OTHER_MCH, amount: 600, description: '品牌补贴加盟店', out_subsidy_no: 'SUB1' };
  return { ...f, stock_id, coupon_code, user, pay };
}

describe('subsidy pay receipts', () => {
  it('creates a SUCCESS receipt and finds it by id and by coupon', () => {
    const { state, pay } = redeemed();
    const r = okBody<Record<string, unknown>>(state.createPayReceipt(MCH, pay));
    expect(r).toMatchObject({ ...pay, status: 'SUCCESS', success_time: '2026-01-01T10:00:00+08:00', create_time: '2026-01-01T10:00:00+08:00' });
    expect(r.subsidy_receipt_id).toMatch(/^\d{30}$/);
    expect(r).not.toHaveProperty('returned_amount');
    expect(okBody(state.getPayReceipt(MCH, String(r.subsidy_receipt_id)))).toEqual(r);
    expect(okBody(state.listPayReceipts(OTHER_MCH, { stock_id: pay.stock_id, coupon_code: pay.coupon_code }))).toEqual({ pay_receipt_list: [r] });
    expect(okBody(state.listPayReceipts(MCH, { stock_id: pay.stock_id, coupon_code: pay.coupon_code, out_subsidy_no: 'OTHER' }))).toEqual({ pay_receipt_list: [] });
    expectFail(state.listPayReceipts(MCH, { stock_id: pay.stock_id }), 400, 'PARAM_ERROR');
    expectFail(state.getPayReceipt(MCH, '1'), 404, 'RESOURCE_NOT_EXISTS');
  });

  it('replays out_subsidy_no with the existing receipt; refuses it with another body', () => {
    const { state, pay } = redeemed();
    const first = okBody(state.createPayReceipt(MCH, pay));
    expect(okBody(state.createPayReceipt(MCH, { ...pay }))).toEqual(first);
    expectFail(state.createPayReceipt(MCH, { ...pay, amount: 1 }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
    expect(okBody<{ pay_receipt_list: unknown[] }>(state.listPayReceipts(MCH, pay)).pay_receipt_list).toHaveLength(1);
  });

  it('caps the amount at the coupon discount (sum over receipts) and at 500000 fen', () => {
    const { state, pay } = redeemed();
    expectFail(state.createPayReceipt(MCH, { ...pay, amount: 1001 }), 400, 'INVALID_REQUEST', /优惠金额/);
    okBody(state.createPayReceipt(MCH, pay));
    expectFail(state.createPayReceipt(MCH, { ...pay, amount: 401, out_subsidy_no: 'SUB2' }), 400, 'INVALID_REQUEST');
    okBody(state.createPayReceipt(MCH, { ...pay, amount: 400, out_subsidy_no: 'SUB3' }));
    const d = redeemed('DISCOUNT');
    expectFail(d.state.createPayReceipt(MCH, { ...d.pay, amount: 500_001 }), 400, 'INVALID_REQUEST', /5000/);
    okBody(d.state.createPayReceipt(MCH, { ...d.pay, amount: 500_000 }));
  });

  it('refuses EXCHANGE stocks, unused coupons, wrong merchants and missing permission', () => {
    const x = redeemed('EXCHANGE');
    expectFail(x.state.createPayReceipt(MCH, x.pay), 400, 'INVALID_REQUEST', /换购/);
    const { state, pay, stock_id, user } = redeemed();
    const unused = send(state, stock_id, user.openid);
    expectFail(state.createPayReceipt(MCH, { ...pay, coupon_code: unused }), 400, 'INVALID_REQUEST', /未核销/);
    expectFail(state.createPayReceipt(MCH, { ...pay, coupon_code: 'NOPE' }), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.createPayReceipt(MCH, { ...pay, payer_merchant: '1666666666' }), 400, 'INVALID_REQUEST');
    expectFail(state.createPayReceipt(MCH, { ...pay, payee_merchant: MCH }), 400, 'INVALID_REQUEST');
    expectFail(state.createPayReceipt(MCH, { ...pay, payee_merchant: '1666666666' }), 400, 'MCH_NOT_EXISTS');
    expectFail(state.createPayReceipt(MCH, { ...pay, amount: 0 }), 400, 'PARAM_ERROR');
    state.addMerchant({ mchid: MCH, permissions: { subsidy: false } });
    expectFail(state.createPayReceipt(MCH, pay), 403, 'NO_AUTH', '无权限使用此API');
  });
});

describe('subsidy return receipts', () => {
  it('returns part, then the rest, moving the pay receipt to PARTIAL_RETURN and FULL_RETURN', () => {
    const { state, pay } = redeemed();
    const paid = okBody<{ subsidy_receipt_id: string }>(state.createPayReceipt(MCH, pay));
    const { out_subsidy_no: _unused, ...common } = pay;
    const ret = { ...common, refund_id: '5000000000000000000000000001', amount: 200, out_subsidy_return_no: 'RET1' };
    const r = okBody<Record<string, unknown>>(state.createReturnReceipt(MCH, ret));
    expect(r).toMatchObject({
      ...ret,
      status: 'RETURN_RECEIPT_SUCCESS',
      subsidy_receipt_id: paid.subsidy_receipt_id,
      return_done_time: '2026-01-01T10:00:00+08:00',
      return_create_time: '2026-01-01T10:00:00+08:00',
    });
    expect(okBody(state.getPayReceipt(MCH, paid.subsidy_receipt_id))).toMatchObject({ status: 'PARTIAL_RETURN' });
    expect(okBody(state.createReturnReceipt(MCH, ret))).toEqual(r);
    expectFail(state.createReturnReceipt(MCH, { ...ret, amount: 401, out_subsidy_return_no: 'RET2' }), 400, 'INVALID_REQUEST');
    okBody(state.createReturnReceipt(MCH, { ...ret, amount: 400, out_subsidy_return_no: 'RET2' }));
    expect(okBody(state.getPayReceipt(MCH, paid.subsidy_receipt_id))).toMatchObject({ status: 'FULL_RETURN' });
    expectFail(state.createReturnReceipt(MCH, { ...ret, amount: 1, out_subsidy_return_no: 'RET3' }), 404, 'RESOURCE_NOT_EXISTS');
    expect(okBody(state.getReturnReceipt(MCH, String(r.subsidy_return_receipt_id)))).toEqual(r);
    expectFail(state.getReturnReceipt(MCH, '1'), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.createReturnReceipt(MCH, { ...ret, transaction_id: '4200000000000000000000000002', out_subsidy_return_no: 'RET4' }), 404, 'RESOURCE_NOT_EXISTS');
  });
});
