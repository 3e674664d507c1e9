import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../electron/simulator/state/result';
import { APPID, createStock, customer, expectFail, fixture, MCH, okBody, OTHER_MCH, send } from './support';

function uploadStock(maxCoupons = 100) {
  const f = fixture();
  const id = createStock(f.state, { coupon_code_mode: 'MERCHANT_UPLOAD', stock_send_rule: { max_coupons: maxCoupons, max_coupons_per_user: 10 } });
  return { ...f, id };
}

type Upload = {
  total_count: number;
  success_count: number;
  success_codes: string[];
  fail_count: number;
  fail_codes: { coupon_code: string; code: string; message: string }[];
  exist_codes: string[];
  duplicate_codes: string[];
  success_time: string;
  stock_id: string;
};

describe('upload codes', () => {
  it('reports success, failure, existing and duplicate codes', () => {
    const { state, id } = uploadStock();
    okBody(state.uploadCodes(MCH, id, { coupon_code_list: ['OLD-1'], upload_request_no: 'U0' }));
    const r = okBody<Upload>(state.uploadCodes(MCH, id, { coupon_code_list: ['A-1', 'A-2', 'A-1', 'OLD-1', 'X'.repeat(33), 'bad\tcode', 'with space'], upload_request_no: 'U1' }));
    expect(r).toMatchObject({
      stock_id: id,
      total_count: 6,
      success_count: 3,
      success_codes: ['A-1', 'A-2', 'with space'],
      exist_codes: ['OLD-1'],
      duplicate_codes: ['A-1'],
      fail_count: 2,
      success_time: '2026-01-01T10:00:00+08:00',
    });
    expect(r.fail_codes).toEqual([
      { coupon_code: 'X'.repeat(33), code: 'LENGTH_LIMIT', message: '长度超过最大值32位' },
      { coupon_code: 'bad\tcode', code: 'CHARACTER_INVALID', message: expect.stringContaining('不允许') },
    ]);
    expect(okBody(state.getStock(MCH, id)).coupon_code_count).toEqual({ total_count: 4, available_count: 4 });
  });

  it('replays the same request number and list, refuses a different list', () => {
    const { state, id } = uploadStock();
    const first = okBody(state.uploadCodes(MCH, id, { coupon_code_list: ['A', 'B'], upload_request_no: 'U1' }));
    expect(okBody(state.uploadCodes(MCH, id, { coupon_code_list: ['A', 'B'], upload_request_no: 'U1' }))).toEqual(first);
    expectFail(state.uploadCodes(MCH, id, { coupon_code_list: ['C'], upload_request_no: 'U1' }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
    // A new number with known codes reports them as existing and stores nothing.
    expect(okBody<Upload>(state.uploadCodes(MCH, id, { coupon_code_list: ['A', 'B'], upload_request_no: 'U2' }))).toMatchObject({ success_count: 0, exist_codes: ['A', 'B'] });
  });

  it('accepts 1..200 codes per call, only for MERCHANT_UPLOAD stocks, never beyond max_coupons', () => {
    const { state, id } = uploadStock(3);
    expectFail(state.uploadCodes(MCH, id, { coupon_code_list: [], upload_request_no: 'U' }), 400, 'PARAM_ERROR');
    expectFail(state.uploadCodes(MCH, id, { coupon_code_list: Array.from({ length: 201 }, (_, i) => `C${i}`), upload_request_no: 'U' }), 400, 'PARAM_ERROR');
    expectFail(state.uploadCodes(MCH, id, { coupon_code_list: ['A'] }), 400, 'PARAM_ERROR');
    const r = okBody<Upload>(state.uploadCodes(MCH, id, { coupon_code_list: ['A', 'B', 'C', 'D'], upload_request_no: 'U' }));
    expect([r.success_count, r.fail_codes.map((f) => f.code)]).toEqual([3, ['EXCEED_MAX_COUPONS']]);
    const plain = createStock(state);
    expectFail(state.uploadCodes(MCH, plain, { coupon_code_list: ['A'], upload_request_no: 'U' }), 400, 'INVALID_REQUEST');
    expectFail(state.uploadCodes(MCH, '1234567890123456', { coupon_code_list: ['A'], upload_request_no: 'U' }), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.uploadCodes(OTHER_MCH, id, { coupon_code_list: ['A'], upload_request_no: 'U' }), 403, 'NO_AUTH');
  });
});

describe('list, query and delete codes', () => {
  it('lists with offset as a start position and limit as the count returned', () => {
    const { state, id } = uploadStock();
    okBody(state.uploadCodes(MCH, id, { coupon_code_list: Array.from({ length: 7 }, (_, i) => `C${i}`), upload_request_no: 'U' }));
    const page = okBody<{ data: { code: string }[]; total_count: number; offset: number; limit: number }>(state.listCodes(MCH, id, { offset: 5, limit: 10 }));
    expect(page).toMatchObject({ stock_id: id, total_count: 7, offset: 5, limit: 2 });
    expect(page.data.map((c) => c.code)).toEqual(['C5', 'C6']);
    const u = customer(state);
    const dispatched = send(state, id, u.openid);
    const only = okBody<{ data: Record<string, unknown>[]; total_count: number }>(state.listCodes(MCH, id, { status: 'DISPATCHED', appid: APPID }));
    expect(only.total_count).toBe(1);
    expect(only.data[0]).toMatchObject({ code: dispatched, code_status: 'DISPATCHED', coupon_code: dispatched, openid: u.openid });
    expect(okBody<{ total_count: number }>(state.listCodes(MCH, id, { status: 'AVAILABLE' })).total_count).toBe(6);
    expectFail(state.listCodes(MCH, id, { status: 'USED' }), 400, 'PARAM_ERROR');
    expectFail(state.listCodes(MCH, id, { limit: 0 }), 400, 'PARAM_ERROR');
  });

  it('queries one code, with the coupon once dispatched', () => {
    const { state, id } = uploadStock();
    okBody(state.uploadCodes(MCH, id, { coupon_code_list: ['ONLY'], upload_request_no: 'U' }));
    const before = okBody<Record<string, unknown>>(state.getCode(MCH, id, 'ONLY'));
    expect(before).toEqual({ code_information: { code: 'ONLY', code_status: 'AVAILABLE', upload_time: '2026-01-01T10:00:00+08:00' } });
    const u = customer(state);
    send(state, id, u.openid);
    const after = okBody<{ coupon_information: Record<string, unknown> }>(state.getCode(MCH, id, 'ONLY', APPID));
    expect(after.coupon_information).toMatchObject({ coupon_code: 'ONLY', stock_id: id, coupon_state: 'SENDED' });
    expectFail(state.getCode(MCH, id, 'NOPE'), 404, 'RESOURCE_NOT_EXISTS');
  });

  it('deletes only undispatched codes, needs delete_request_no, and replays', () => {
    const { state, id } = uploadStock();
    okBody(state.uploadCodes(MCH, id, { coupon_code_list: ['KEEP', 'DROP'], upload_request_no: 'U' }));
    expectFail(state.deleteCode(MCH, id, 'DROP', undefined), 400, 'PARAM_ERROR');
    const first = okBody(state.deleteCode(MCH, id, 'DROP', 'DEL1'));
    expect(first).toEqual({ stock_id: id, delete_time: '2026-01-01T10:00:00+08:00' });
    expect(okBody(state.deleteCode(MCH, id, 'DROP', 'DEL1'))).toEqual(first);
    expectFail(state.deleteCode(MCH, id, 'DROP', 'DEL2'), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.deleteCode(MCH, id, 'KEEP', 'DEL1'), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
    send(state, id, customer(state).openid);
    expectFail(state.deleteCode(MCH, id, 'KEEP', 'DEL3'), 400, 'INVALID_REQUEST', /已发放/);
    expect(okBody(state.getStock(MCH, id)).coupon_code_count).toEqual({ total_count: 1, available_count: 0 });
  });
});
