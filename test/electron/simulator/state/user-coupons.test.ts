import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../electron/simulator/state/result';
import { APPID, createStock, customer, expectFail, fixture, MCH, okBody, OTHER_APPID, OTHER_MCH, send } from './support';

type Page = { data: Record<string, unknown>[]; total_count: number; limit: number; offset: number };

function withCoupons(n: number) {
  const f = fixture();
  const a = createStock(f.state, { display_pattern_info: { description: '使用说明' }, stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 100 } });
  const b = createStock(f.state, { stock_type: 'EXCHANGE' });
  const user = customer(f.state);
  const codes = Array.from({ length: n }, () => send(f.state, a, user.openid));
  const other = send(f.state, b, user.openid);
  return { ...f, a, b, user, codes, other };
}

describe('list user coupons', () => {
  it('lists the user coupons in issue order with totals, without description', () => {
    const { state, user, codes, other } = withCoupons(3);
    const page = okBody<Page>(state.listUserCoupons(MCH, user.openid, { appid: APPID, creator_merchant: MCH }));
    expect(page.total_count).toBe(4);
    expect(page.limit).toBe(20);
    expect(page.offset).toBe(0);
    expect(page.data.map((c) => c.coupon_code)).toEqual([...codes, other]);
    expect(page.data[0]).toMatchObject({
      coupon_state: 'SENDED',
      stock_type: 'NORMAL',
      belong_merchant: MCH,
      send_request_no: expect.any(String),
      receive_time: '2026-01-01T10:00:00+08:00',
    });
    expect(page.data[0]?.display_pattern_info).toEqual({});
  });

  it('filters by stock and state', () => {
    const { state, a, b, user, codes } = withCoupons(3);
    okBody(state.useCoupon(MCH, { stock_id: a, coupon_code: codes[1] ?? '', appid: APPID, use_time: '2026-01-01T10:00:00+08:00', use_request_no: 'U1' }));
    const q = { appid: APPID, creator_merchant: MCH };
    expect(okBody<Page>(state.listUserCoupons(MCH, user.openid, { ...q, stock_id: b })).total_count).toBe(1);
    const used = okBody<Page>(state.listUserCoupons(MCH, user.openid, { ...q, coupon_state: 'USED' }));
    expect(used.data.map((c) => [c.coupon_code, c.use_request_no])).toEqual([[codes[1], 'U1']]);
    expect(okBody<Page>(state.listUserCoupons(MCH, user.openid, { ...q, stock_id: a, coupon_state: 'SENDED' })).total_count).toBe(2);
    expect(okBody<Page>(state.listUserCoupons(MCH, user.openid, { ...q, sender_merchant: OTHER_MCH })).total_count).toBe(0);
  });

  it('treats offset as a page index and caps limit at 50', () => {
    const { state, user, codes, other } = withCoupons(54);
    const q = { appid: APPID, belong_merchant: MCH };
    const second = okBody<Page>(state.listUserCoupons(MCH, user.openid, { ...q, limit: 10, offset: 1 }));
    expect(second).toMatchObject({ total_count: 55, limit: 10, offset: 1 });
    expect(second.data.map((c) => c.coupon_code)).toEqual(codes.slice(10, 20));
    const last = okBody<Page>(state.listUserCoupons(MCH, user.openid, { ...q, limit: 50, offset: 1 }));
    expect(last.data.map((c) => c.coupon_code)).toEqual([...codes.slice(50), other]);
    expect(okBody<Page>(state.listUserCoupons(MCH, user.openid, q)).data).toHaveLength(20);
    expectFail(state.listUserCoupons(MCH, user.openid, { ...q, limit: 51 }), 400, 'PARAM_ERROR');
    expectFail(state.listUserCoupons(MCH, user.openid, { ...q, offset: -1 }), 400, 'PARAM_ERROR');
  });

  it('requires the caller to name itself as creator, belong or sender merchant', () => {
    const { state, user } = withCoupons(1);
    expectFail(state.listUserCoupons(MCH, user.openid, { appid: APPID }), 400, 'PARAM_ERROR');
    expectFail(state.listUserCoupons(MCH, user.openid, { appid: APPID, creator_merchant: OTHER_MCH }), 400, 'PARAM_ERROR');
    expectFail(state.listUserCoupons(MCH, user.openid, { appid: APPID, creator_merchant: MCH, coupon_state: 'GONE' }), 400, 'PARAM_ERROR');
  });

  it('checks the AppID and the OpenID under it', () => {
    const { state, user } = withCoupons(1);
    expectFail(state.listUserCoupons(MCH, user.openid, { appid: OTHER_APPID, creator_merchant: MCH }), 400, 'INVALID_REQUEST', MESSAGES.appidNotBound);
    // An OpenID of this user under another AppID does not name anyone under APPID.
    state.addMerchant({ mchid: MCH, appids: [OTHER_APPID] });
    const registered = state.addUser(OTHER_APPID, 'oREGISTEREDUNDEROTHERAPPID0');
    expect(registered.openid).toBe('oREGISTEREDUNDEROTHERAPPID0');
    expectFail(state.listUserCoupons(MCH, 'oREGISTEREDUNDEROTHERAPPID0', { appid: APPID, creator_merchant: MCH }), 400, 'INVALID_REQUEST', MESSAGES.openidMismatch);
    expect(okBody<Page>(state.listUserCoupons(MCH, 'oNEVERSEEN', { appid: APPID, creator_merchant: MCH }))).toEqual({ data: [], total_count: 0, limit: 20, offset: 0 });
  });

  it("gives each user a different OpenID per AppID, and refuses one AppID's OpenID under another", () => {
    const { state, user } = withCoupons(1);
    const other = state.openidOf(user.user_id, OTHER_APPID) ?? '';
    expect(other).toMatch(/^o[\w-]{27}$/);
    expect(other).not.toBe(user.openid);
    expectFail(state.listUserCoupons(MCH, other, { appid: APPID, creator_merchant: MCH }), 400, 'INVALID_REQUEST', MESSAGES.openidMismatch);
    // Registering a known OpenID again names the same user.
    expect(state.addUser(APPID, user.openid).user_id).toBe(user.user_id);
  });
});

describe('get one user coupon', () => {
  it('returns the entity with description', () => {
    const { state, user, codes } = withCoupons(1);
    const c = okBody(state.getUserCoupon(MCH, user.openid, codes[0] ?? '', APPID));
    expect(c).toMatchObject({ coupon_code: codes[0], coupon_state: 'SENDED', display_pattern_info: { description: '使用说明' }, expire_time: '2026-03-31T23:59:59+08:00' });
  });

  it('answers 404 for another user or unknown code, 403 for an unrelated merchant, 400 for a mismatched AppID', () => {
    const { state, user, codes } = withCoupons(1);
    const code = codes[0] ?? '';
    const stranger = customer(state);
    expectFail(state.getUserCoupon(MCH, stranger.openid, code, APPID), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.getUserCoupon(MCH, user.openid, 'NOPE', APPID), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.getUserCoupon(MCH, 'oNEVERSEEN', code, APPID), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.getUserCoupon(MCH, user.openid, code, OTHER_APPID), 400, 'INVALID_REQUEST');
    const otherOpenid = state.openidOf(user.user_id, OTHER_APPID) ?? '';
    expectFail(state.getUserCoupon(OTHER_MCH, otherOpenid, code, OTHER_APPID), 403, 'NO_AUTH');
  });
});
