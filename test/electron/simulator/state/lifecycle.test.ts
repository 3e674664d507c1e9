import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../electron/simulator/state/result';
import type { SimState } from '../../../../electron/simulator/state/state';
import { chinaDate } from '../../../../shared/time';
import { APPID, createStock, customer, expectFail, expectOk, fixture, HOUR, MCH, okBody, OTHER_APPID, OTHER_MCH, send } from './support';

const USE_TIME = '2026-01-01T10:00:00+08:00';

function issued(seed?: number, overrides: Parameters<typeof createStock>[1] = {}) {
  const f = fixture(seed);
  const stock_id = createStock(f.state, overrides);
  const user = customer(f.state);
  const coupon_code = send(f.state, stock_id, user.openid);
  return { ...f, stock_id, user, coupon_code, ref: { stock_id, coupon_code } };
}

const use = (state: SimState, ref: { stock_id?: string; coupon_code: string }, no: string, extra: Record<string, string> = {}) =>
  state.useCoupon(MCH, { ...ref, appid: APPID, use_time: USE_TIME, use_request_no: no, ...extra });

describe('use', () => {
  it('moves SENDED to USED and answers the owner OpenID and WeChat time', () => {
    const { state, clock, ref, user } = issued();
    clock.advance(HOUR);
    expect(okBody(use(state, ref, 'U1'))).toEqual({ stock_id: ref.stock_id, openid: user.openid, wechatpay_use_time: '2026-01-01T11:00:00+08:00' });
    const c = state.coupon(ref.stock_id, ref.coupon_code);
    expect(c).toMatchObject({ coupon_state: 'USED', use_request_no: 'U1', use_time: USE_TIME, wechatpay_use_time: '2026-01-01T11:00:00+08:00' });
    expect(c?.history.at(-1)).toEqual({ at: '2026-01-01T11:00:00+08:00', op: 'use', from: 'SENDED', to: 'USED', request_no: 'U1' });
  });

  it('works without stock_id for a WECHATPAY_MODE code and with an OpenID check', () => {
    const { state, ref, user } = issued();
    expectFail(use(state, { coupon_code: ref.coupon_code }, 'U0', { openid: 'oSOMEBODYELSE' }), 400, 'PARAM_ERROR');
    expect(okBody(use(state, { coupon_code: ref.coupon_code }, 'U1', { openid: user.openid }))).toMatchObject({ stock_id: ref.stock_id });
  });

  it('requires stock_id for merchant-code stocks', () => {
    const { state } = fixture();
    const id = createStock(state, { coupon_code_mode: 'MERCHANT_API' });
    const code = send(state, id, customer(state).openid, { coupon_code: 'M-1' });
    expectFail(use(state, { coupon_code: code }, 'U1'), 400, 'PARAM_ERROR', /stock_id/);
    okBody(use(state, { stock_id: id, coupon_code: code }, 'U1'));
  });

  it('replays the same number and body with the original answer, even after the coupon changed', () => {
    const { state, clock, ref } = issued();
    const first = okBody(use(state, ref, 'U1'));
    clock.advance(HOUR);
    okBody(state.returnCoupon(MCH, { ...ref, return_request_no: 'R1' }));
    expect(okBody(use(state, ref, 'U1'))).toEqual(first);
    expect(state.coupon(ref.stock_id, ref.coupon_code)?.coupon_state).toBe('SENDED');
    expect(state.requestNumbers().find((r) => r.op === 'coupon.use')).toMatchObject({ request_no: 'U1', changes: 1, replays: 1 });
  });

  it('refuses a reused number on another coupon, and a coupon used by another number', () => {
    const { state, ref, user } = issued();
    const second = { stock_id: ref.stock_id, coupon_code: send(state, ref.stock_id, user.openid) };
    okBody(use(state, ref, 'U1'));
    expectFail(use(state, second, 'U1'), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
    expectFail(use(state, ref, 'U2'), 400, 'INVALID_REQUEST', '券已被核销');
    expect(state.coupon(second.stock_id, second.coupon_code)?.coupon_state).toBe('SENDED');
  });

  it('answers 404 for unknown stock or code, 403 for an unrelated merchant, 400 for an unbound AppID', () => {
    const { state, ref } = issued();
    expectFail(use(state, { stock_id: '1234567890123456', coupon_code: ref.coupon_code }, 'U1'), 404, 'RESOURCE_NOT_EXISTS', MESSAGES.stockNotFound);
    expectFail(use(state, { stock_id: ref.stock_id, coupon_code: '0000000000000000000000' }, 'U1'), 404, 'RESOURCE_NOT_EXISTS', MESSAGES.couponNotFound);
    expectFail(use(state, { coupon_code: 'NOSUCHCODE' }, 'U1'), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.useCoupon(OTHER_MCH, { ...ref, appid: OTHER_APPID, use_time: USE_TIME, use_request_no: 'U1' }), 403, 'NO_AUTH');
    expectFail(use(state, ref, 'U1', { appid: OTHER_APPID }), 400, 'INVALID_REQUEST', MESSAGES.appidNotBound);
    expectFail(state.useCoupon(MCH, { ...ref, appid: APPID, use_time: USE_TIME, use_request_no: '' }), 400, 'PARAM_ERROR');
  });

  it('refuses expired, deactivated and deleted coupons', () => {
    const { state, clock, ref, user } = issued();
    const deleted = { stock_id: ref.stock_id, coupon_code: send(state, ref.stock_id, user.openid) };
    const deactivated = { stock_id: ref.stock_id, coupon_code: send(state, ref.stock_id, user.openid) };
    okBody(state.userDeletesCoupon(deleted.stock_id, deleted.coupon_code));
    okBody(state.deactivateCoupon(MCH, { ...deactivated, deactivate_request_no: 'D1' }));
    expectFail(use(state, deleted, 'U1'), 400, 'INVALID_REQUEST', MESSAGES.couponDeleted);
    expectFail(use(state, deactivated, 'U2'), 400, 'INVALID_REQUEST', '券已失效');
    clock.set(chinaDate(2026, 4, 1));
    expectFail(use(state, ref, 'U3'), 400, 'INVALID_REQUEST', '券已过期');
    expect(state.coupon(ref.stock_id, ref.coupon_code)?.coupon_state).toBe('EXPIRED');
  });

  it('answers USER_ACCOUNT_ABNORMAL for a flagged account, and sends to it only without prevent_api_abuse', () => {
    const { state, ref, user } = issued();
    expect(state.setUserAbnormal(user.user_id, true)).toBe(true);
    expectFail(use(state, ref, 'U1'), 403, 'USER_ACCOUNT_ABNORMAL');
    send(state, ref.stock_id, user.openid);
    const guarded = createStock(state, { stock_send_rule: { max_coupons: 10, max_coupons_per_user: 5, prevent_api_abuse: true } });
    expectFail(state.sendCoupon(MCH, { openid: user.openid, appid: APPID, stock_id: guarded, out_request_no: 'G1' }), 403, 'USER_ACCOUNT_ABNORMAL');
    state.setUserAbnormal(user.user_id, false);
    okBody(use(state, ref, 'U1'));
    expect(state.setUserAbnormal('nobody', true)).toBe(false);
  });

  it('refuses a coupon not yet effective (wait days) and one outside its weekly window', () => {
    const { state, clock } = fixture();
    const window = { available_begin_time: '2026-01-01T00:00:00+08:00', available_end_time: '2026-02-01T00:00:00+08:00' };
    const rule = (t: Record<string, unknown>) => ({
      coupon_available_time: { ...window, ...t },
      use_method: 'OFF_LINE',
      fixed_normal_coupon: { discount_amount: 1, transaction_minimum: 1 },
    });
    const later = createStock(state, { coupon_use_rule: rule({ wait_days_after_receive: 1, available_day_after_receive: 5 }) });
    // Weekends only (0 = Sunday, 6 = Saturday), 09:00–18:00. 2026-01-01 is a Thursday.
    const weekend = createStock(state, { coupon_use_rule: rule({ available_week: { week_day: [0, 6], available_day_time: [{ begin_time: 9 * 3600, end_time: 18 * 3600 }] } }) });
    const u = customer(state);
    const a = { stock_id: later, coupon_code: send(state, later, u.openid) };
    const b = { stock_id: weekend, coupon_code: send(state, weekend, u.openid) };
    expectFail(use(state, a, 'U1'), 400, 'INVALID_REQUEST', '券尚未生效');
    expectFail(use(state, b, 'U2'), 400, 'INVALID_REQUEST', /每周可用时段/);
    clock.set(chinaDate(2026, 1, 3, 20, 0, 0));
    expectFail(use(state, b, 'U2'), 400, 'INVALID_REQUEST');
    clock.set(chinaDate(2026, 1, 3, 9, 30, 0));
    okBody(use(state, a, 'U1'));
    okBody(use(state, b, 'U2'));
  });
});

describe('return', () => {
  it('moves USED back to SENDED, and the coupon can be used again with a new number', () => {
    const { state, clock, ref } = issued();
    okBody(use(state, ref, 'U1'));
    clock.advance(HOUR);
    expect(okBody(state.returnCoupon(MCH, { ...ref, return_request_no: 'R1' }))).toEqual({ wechatpay_return_time: '2026-01-01T11:00:00+08:00' });
    expect(state.coupon(ref.stock_id, ref.coupon_code)).toMatchObject({ coupon_state: 'SENDED', return_request_no: 'R1', return_time: '2026-01-01T11:00:00+08:00' });
    okBody(use(state, ref, 'U2'));
    okBody(state.returnCoupon(MCH, { ...ref, return_request_no: 'R2' }));
    expect(
      state
        .coupon(ref.stock_id, ref.coupon_code)
        ?.history.map((h) => `${h.op}:${h.to}:${h.request_no ?? ''}`)
        .slice(1),
    ).toEqual(['use:USED:U1', 'return:SENDED:R1', 'use:USED:U2', 'return:SENDED:R2']);
  });

  it('returns an already expired coupon as EXPIRED', () => {
    const { state, clock, ref } = issued();
    okBody(use(state, ref, 'U1'));
    clock.set(chinaDate(2026, 4, 2));
    okBody(state.returnCoupon(MCH, { ...ref, return_request_no: 'R1' }));
    expect(state.coupon(ref.stock_id, ref.coupon_code)?.coupon_state).toBe('EXPIRED');
  });

  it('replays, refuses conflicts, and checks state, existence and caller', () => {
    const { state, ref, user } = issued();
    expectFail(state.returnCoupon(MCH, { ...ref, return_request_no: 'R0' }), 400, 'INVALID_REQUEST', /不是已核销状态/);
    okBody(use(state, ref, 'U1'));
    const first = okBody(state.returnCoupon(MCH, { ...ref, return_request_no: 'R1' }));
    okBody(use(state, ref, 'U2'));
    expect(okBody(state.returnCoupon(MCH, { ...ref, return_request_no: 'R1' }))).toEqual(first);
    expect(state.coupon(ref.stock_id, ref.coupon_code)?.coupon_state).toBe('USED');
    const other = { stock_id: ref.stock_id, coupon_code: send(state, ref.stock_id, user.openid) };
    expectFail(state.returnCoupon(MCH, { ...other, return_request_no: 'R1' }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
    expectFail(state.returnCoupon(MCH, { stock_id: ref.stock_id, coupon_code: 'NOPE', return_request_no: 'R9' }), 404, 'RESOURCE_NOT_EXISTS', '券不存在');
    expectFail(state.returnCoupon(OTHER_MCH, { ...ref, return_request_no: 'R9' }), 403, 'NO_AUTH', '商户无权限操作该券');
    okBody(state.userDeletesCoupon(other.stock_id, other.coupon_code));
    expectFail(state.returnCoupon(MCH, { ...other, return_request_no: 'R8' }), 404, 'RESOURCE_NOT_EXISTS', '券已被删除');
  });
});

describe('deactivate', () => {
  it('moves SENDED to DEACTIVATED with the reason, for good', () => {
    const { state, ref } = issued();
    expect(okBody(state.deactivateCoupon(MCH, { ...ref, deactivate_request_no: 'D1', deactivate_reason: '订单取消' }))).toEqual({
      wechatpay_deactivate_time: '2026-01-01T10:00:00+08:00',
    });
    expect(state.coupon(ref.stock_id, ref.coupon_code)).toMatchObject({
      coupon_state: 'DEACTIVATED',
      deactivate_request_no: 'D1',
      deactivate_reason: '订单取消',
      deactivate_time: '2026-01-01T10:00:00+08:00',
    });
    expectFail(state.deactivateCoupon(MCH, { ...ref, deactivate_request_no: 'D2' }), 400, 'INVALID_REQUEST');
    expectFail(state.returnCoupon(MCH, { ...ref, return_request_no: 'R1' }), 400, 'INVALID_REQUEST');
  });

  it('refuses a used coupon, unknown stock (confirmed message) and unknown coupon; replays', () => {
    const { state, ref, user } = issued();
    const used = { stock_id: ref.stock_id, coupon_code: send(state, ref.stock_id, user.openid) };
    okBody(use(state, used, 'U1'));
    expectFail(state.deactivateCoupon(MCH, { ...used, deactivate_request_no: 'D1' }), 400, 'INVALID_REQUEST');
    expectFail(state.deactivateCoupon(MCH, { stock_id: '1234567890123456', coupon_code: ref.coupon_code, deactivate_request_no: 'D1' }), 404, 'RESOURCE_NOT_EXISTS', '批次不存在');
    expectFail(state.deactivateCoupon(MCH, { stock_id: ref.stock_id, coupon_code: 'NOPE', deactivate_request_no: 'D1' }), 404, 'RESOURCE_NOT_EXISTS', '券不存在');
    expectFail(state.deactivateCoupon(OTHER_MCH, { ...ref, deactivate_request_no: 'D1' }), 403, 'NO_AUTH');
    const first = okBody(state.deactivateCoupon(MCH, { ...ref, deactivate_request_no: 'D1' }));
    expect(okBody(state.deactivateCoupon(MCH, { ...ref, deactivate_request_no: 'D1' }))).toEqual(first);
    expectFail(state.deactivateCoupon(MCH, { ...ref, deactivate_request_no: 'D1', deactivate_reason: '别的' }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
    expect(state.coupon(ref.stock_id, ref.coupon_code)?.history.filter((h) => h.op === 'deactivate')).toHaveLength(1);
  });
});

describe('associate and disassociate', () => {
  const link = (ref: { stock_id: string; coupon_code: string }, order: string, no: string) => ({ ...ref, out_trade_no: order, out_request_no: no });

  it('links one order to an unused coupon and unlinks only that order', () => {
    const { state, ref } = issued();
    expect(okBody(state.associateOrder(MCH, link(ref, 'ORDER1', 'A1')))).toEqual({ wechatpay_associate_time: '2026-01-01T10:00:00+08:00' });
    expect(state.coupon(ref.stock_id, ref.coupon_code)).toMatchObject({ coupon_state: 'SENDED', associate_out_trade_no: 'ORDER1' });
    expectFail(state.associateOrder(MCH, link(ref, 'ORDER2', 'A2')), 400, 'INVALID_REQUEST', /其他订单/);
    expectFail(state.associateOrder(MCH, link(ref, 'ORDER1', 'A3')), 400, 'INVALID_REQUEST');
    expectFail(state.disassociateOrder(MCH, link(ref, 'ORDER2', 'X1')), 400, 'INVALID_REQUEST', /不一致/);
    expect(okBody(state.disassociateOrder(MCH, link(ref, 'ORDER1', 'X2')))).toEqual({ wechatpay_disassociate_time: '2026-01-01T10:00:00+08:00' });
    expect(state.coupon(ref.stock_id, ref.coupon_code)).not.toHaveProperty('associate_out_trade_no');
    expectFail(state.disassociateOrder(MCH, link(ref, 'ORDER1', 'X3')), 400, 'INVALID_REQUEST', /未关联/);
    okBody(state.associateOrder(MCH, link(ref, 'ORDER2', 'A4')));
  });

  it('replays without a second change; refuses a number reused with another body', () => {
    const { state, ref } = issued();
    const first = okBody(state.associateOrder(MCH, link(ref, 'ORDER1', 'A1')));
    okBody(state.disassociateOrder(MCH, link(ref, 'ORDER1', 'X1')));
    expect(okBody(state.associateOrder(MCH, link(ref, 'ORDER1', 'A1')))).toEqual(first);
    expect(state.coupon(ref.stock_id, ref.coupon_code)).not.toHaveProperty('associate_out_trade_no');
    expectFail(state.associateOrder(MCH, link(ref, 'ORDER9', 'A1')), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
  });

  it('works only on SENDED coupons and known ones', () => {
    const { state, ref } = issued();
    okBody(use(state, ref, 'U1'));
    expectFail(state.associateOrder(MCH, link(ref, 'ORDER1', 'A1')), 400, 'INVALID_REQUEST');
    expectFail(state.associateOrder(MCH, link({ stock_id: ref.stock_id, coupon_code: 'NOPE' }, 'O', 'A2')), 404, 'RESOURCE_NOT_EXISTS');
    expectFail(state.associateOrder(MCH, { ...link(ref, 'O', 'A3'), out_trade_no: '' }), 400, 'PARAM_ERROR');
  });
});

describe('user deletes, expiry', () => {
  it('only a SENDED coupon can be deleted by the user', () => {
    const { state, ref, user } = issued();
    expect(okBody(state.userDeletesCoupon(ref.stock_id, ref.coupon_code))).toMatchObject({ coupon_state: 'DELETED' });
    expectFail(state.userDeletesCoupon(ref.stock_id, ref.coupon_code), 400, 'INVALID_REQUEST');
    const used = { stock_id: ref.stock_id, coupon_code: send(state, ref.stock_id, user.openid) };
    okBody(use(state, used, 'U1'));
    expectFail(state.userDeletesCoupon(used.stock_id, used.coupon_code), 400, 'INVALID_REQUEST');
    expectFail(state.userDeletesCoupon(ref.stock_id, 'NOPE'), 404, 'RESOURCE_NOT_EXISTS');
  });

  it('expires SENDED coupons when the clock advances past expire_time, not before', () => {
    const { state, ref } = issued(1, {
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: '2026-01-01T00:00:00+08:00', available_end_time: '2026-03-01T00:00:00+08:00', available_day_after_receive: 1 },
        use_method: 'OFF_LINE',
        fixed_normal_coupon: { discount_amount: 1, transaction_minimum: 1 },
      },
    });
    expect(state.coupon(ref.stock_id, ref.coupon_code)?.expire_time).toBe('2026-01-01T23:59:59+08:00');
    expect(state.advanceClock(13 * HOUR + 59 * 60 * 1000 + 59_000)).toEqual({ now: '2026-01-01T23:59:59+08:00', expired: 0 });
    expect(state.advanceClock(1000)).toEqual({ now: '2026-01-02T00:00:00+08:00', expired: 1 });
    const c = state.coupon(ref.stock_id, ref.coupon_code);
    expect(c?.history.at(-1)).toEqual({ at: '2026-01-02T00:00:00+08:00', op: 'expire', from: 'SENDED', to: 'EXPIRED' });
    expectOk(state.getStock(MCH, ref.stock_id));
  });

  it('expires lazily on read when time passes without an advance', () => {
    const { state, clock, ref, user } = issued();
    clock.set(chinaDate(2026, 4, 1));
    const list = okBody<{ data: { coupon_state: string }[] }>(state.listUserCoupons(MCH, user.openid, { appid: APPID, creator_merchant: MCH }));
    expect(list.data.map((c) => c.coupon_state)).toEqual(['EXPIRED']);
    expect(state.coupon(ref.stock_id, ref.coupon_code)?.history.map((h) => h.op)).toEqual(['send', 'expire']);
  });
});
