import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../electron/simulator/state/result';
import { chinaDate, formatChinaRfc3339 } from '../../../../shared/time';
import { APPID, createStock, customer, DAY, expectFail, fixture, MCH, okBody, OTHER_APPID, OTHER_MCH, send } from './support';

type SendBody = { send_coupon_result: { stock_id: string; out_request_no: string; coupon_code: string } };

describe('send: coupon codes per mode', () => {
  it('WECHATPAY_MODE assigns 22-digit codes, unique, and refuses a caller code', () => {
    const { state } = fixture();
    const id = createStock(state);
    const u = customer(state);
    const codes = Array.from({ length: 5 }, () => send(state, id, u.openid));
    for (const c of codes) expect(c).toMatch(/^\d{22}$/);
    expect(new Set(codes).size).toBe(5);
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'X', coupon_code: 'ABC' }), 400, 'PARAM_ERROR');
  });

  it('MERCHANT_API takes the caller code, requires it, and refuses it twice in one stock', () => {
    const { state } = fixture();
    const id = createStock(state, { coupon_code_mode: 'MERCHANT_API' });
    const other = createStock(state, { coupon_code_mode: 'MERCHANT_API' });
    const u = customer(state);
    expect(send(state, id, u.openid, { coupon_code: 'SHOP-0001' })).toBe('SHOP-0001');
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'NOCODE' }), 400, 'PARAM_ERROR');
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'DUP', coupon_code: 'SHOP-0001' }), 400, 'INVALID_REQUEST');
    // Codes are unique per stock only.
    expect(send(state, other, u.openid, { coupon_code: 'SHOP-0001' })).toBe('SHOP-0001');
  });

  it('MERCHANT_UPLOAD picks an uploaded AVAILABLE code, marks it DISPATCHED, and runs out', () => {
    const { state } = fixture();
    const id = createStock(state, { coupon_code_mode: 'MERCHANT_UPLOAD' });
    okBody(state.uploadCodes(MCH, id, { coupon_code_list: ['UP-1', 'UP-2'], upload_request_no: 'U1' }));
    const u = customer(state);
    const got = [send(state, id, u.openid), send(state, id, u.openid)].sort();
    expect(got).toEqual(['UP-1', 'UP-2']);
    const info = okBody<{ code_information: Record<string, unknown> }>(state.getCode(MCH, id, 'UP-1', APPID));
    expect(info.code_information).toMatchObject({ code_status: 'DISPATCHED', coupon_code: 'UP-1', openid: u.openid, dispatched_time: '2026-01-01T10:00:00+08:00' });
    expect(okBody(state.getStock(MCH, id)).coupon_code_count).toEqual({ total_count: 2, available_count: 0 });
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'EMPTY' }), 400, 'INVALID_REQUEST', /已用完/);
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'CHOSEN', coupon_code: 'UP-1' }), 400, 'PARAM_ERROR');
  });

  it('picks uploaded codes deterministically for a seed', () => {
    const pick = (seed: number) => {
      const { state } = fixture(seed);
      const id = createStock(state, { coupon_code_mode: 'MERCHANT_UPLOAD' });
      okBody(state.uploadCodes(MCH, id, { coupon_code_list: Array.from({ length: 50 }, (_, i) => `C${i}`), upload_request_no: 'U' }));
      const u = customer(state);
      return Array.from({ length: 5 }, () => send(state, id, u.openid));
    };
    expect(pick(5)).toEqual(pick(5));
    expect(pick(5)).not.toEqual(pick(6));
  });
});

describe('send: idempotency, checks and events', () => {
  it('replays the same out_request_no for the same stock and user with the same coupon', () => {
    const { state } = fixture();
    const id = createStock(state);
    const u = customer(state);
    const body = { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'ONCE' };
    const first = okBody<SendBody>(state.sendCoupon(MCH, body));
    const again = okBody<SendBody>(state.sendCoupon(MCH, { ...body }));
    expect(again).toEqual(first);
    expect(first.send_coupon_result).toMatchObject({ stock_id: id, out_request_no: 'ONCE' });
    expect(state.coupons({ stock_id: id })).toHaveLength(1);
    expect(state.sendEvents()).toHaveLength(1);
    // The same number for another user is another send.
    const v = customer(state);
    okBody(state.sendCoupon(MCH, { ...body, openid: v.openid }));
    expect(state.coupons({ stock_id: id })).toHaveLength(2);
  });

  it('refuses the same out_request_no with a different code for a MERCHANT_API stock', () => {
    const { state } = fixture();
    const id = createStock(state, { coupon_code_mode: 'MERCHANT_API' });
    const u = customer(state);
    okBody(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'R', coupon_code: 'A1' }));
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'R', coupon_code: 'A2' }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
  });

  it('checks permission, stock, caller and AppID', () => {
    const { state } = fixture();
    const id = createStock(state);
    const u = customer(state);
    const body = { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'R' };
    expectFail(state.sendCoupon(MCH, { ...body, stock_id: '1234567890123456' }), 404, 'RESOURCE_NOT_EXISTS', MESSAGES.stockNotFound);
    expectFail(state.sendCoupon(OTHER_MCH, body), 403, 'NO_AUTH');
    expectFail(state.sendCoupon(MCH, { ...body, appid: OTHER_APPID }), 400, 'INVALID_REQUEST', MESSAGES.appidNotBound);
    expectFail(state.sendCoupon(MCH, { ...body, out_request_no: '' }), 400, 'PARAM_ERROR');
    state.addMerchant({ mchid: MCH, permissions: { send: false } });
    expectFail(state.sendCoupon(MCH, body), 403, 'NO_AUTH');
  });

  it('sends only while the stock is RUNNING', () => {
    const { state, clock } = fixture();
    const id = createStock(state);
    const u = customer(state);
    okBody(state.setStockState(id, 'PAUSED'));
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'P' }), 400, 'INVALID_REQUEST', /PAUSED/);
    okBody(state.setStockState(id, null));
    clock.set(chinaDate(2026, 4, 1));
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'P' }), 400, 'INVALID_REQUEST', /STOPED/);
  });

  it('takes an unseen OpenID as a new user under that AppID', () => {
    const { state } = fixture();
    const id = createStock(state);
    const code = send(state, id, 'oNEWUSER0000000000000000000');
    const list = okBody<{ data: { coupon_code: string }[] }>(state.listUserCoupons(MCH, 'oNEWUSER0000000000000000000', { appid: APPID, creator_merchant: MCH }));
    expect(list.data.map((c) => c.coupon_code)).toEqual([code]);
  });

  it('queues a COUPON.SEND event per send, with the OpenID under notify_appid only when configured', () => {
    const { state } = fixture();
    const withNotify = createStock(state, { notify_config: { notify_appid: APPID } });
    const without = createStock(state);
    const u = customer(state);
    const a = send(state, withNotify, u.openid);
    const b = send(state, without, u.openid);
    const admin = okBody<SendBody>(state.receiveCoupon({ stock_id: withNotify, user_id: u.user_id, send_channel: 'BUSICOUPON_SEND_CHANNEL_H5' }));
    const events = state.sendEvents();
    expect(events.map((e) => e.event_id)).toEqual([1, 2, 3]);
    expect(events[0]).toMatchObject({
      event_type: 'EVENT_TYPE_BUSICOUPON_SEND',
      coupon_code: a,
      stock_id: withNotify,
      openid: u.openid,
      send_channel: 'BUSICOUPON_SEND_CHANNEL_API',
      send_merchant: MCH,
      creator_mchid: MCH,
      send_time: '2026-01-01T10:00:00+08:00',
    });
    expect(events[0]?.unionid).toMatch(/^o/);
    expect(events[1]).toMatchObject({ coupon_code: b });
    expect(events[1]).not.toHaveProperty('openid');
    expect(events[2]).toMatchObject({ coupon_code: admin.send_coupon_result.coupon_code, send_channel: 'BUSICOUPON_SEND_CHANNEL_H5' });
    expect(state.sendEvents(2).map((e) => e.event_id)).toEqual([3]);
  });
});

describe('derived coupon times', () => {
  it('starts at receipt and ends at the stock end without relative validity', () => {
    const { state } = fixture();
    const id = createStock(state);
    const code = send(state, id, customer(state).openid);
    expect(state.coupon(id, code)).toMatchObject({
      receive_time: '2026-01-01T10:00:00+08:00',
      available_start_time: '2026-01-01T10:00:00+08:00',
      expire_time: '2026-03-31T23:59:59+08:00',
    });
  });

  it('applies wait days (midnight N days later) and day-after-receive, capped by the stock end', () => {
    const { state, clock } = fixture();
    const base = { available_begin_time: '2026-01-01T00:00:00+08:00', available_end_time: '2026-01-10T12:00:00+08:00' };
    const rule = (t: Record<string, unknown>) => ({
      coupon_available_time: { ...base, ...t },
      use_method: 'OFF_LINE',
      fixed_normal_coupon: { discount_amount: 100, transaction_minimum: 100 },
    });
    const waiting = createStock(state, { coupon_use_rule: rule({ wait_days_after_receive: 1, available_day_after_receive: 3 }) });
    const capped = createStock(state, { coupon_use_rule: rule({ available_day_after_receive: 30 }) });
    const u = customer(state);
    const a = send(state, waiting, u.openid);
    expect(state.coupon(waiting, a)).toMatchObject({ available_start_time: '2026-01-02T00:00:00+08:00', expire_time: '2026-01-04T23:59:59+08:00' });
    clock.advance(DAY);
    const b = send(state, capped, u.openid);
    expect(state.coupon(capped, b)).toMatchObject({ available_start_time: '2026-01-02T10:00:00+08:00', expire_time: '2026-01-10T12:00:00+08:00' });
  });

  it('starts counting at available_begin_time when received before it', () => {
    const { state } = fixture();
    const id = createStock(state, {
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: '2026-01-05T00:00:00+08:00', available_end_time: '2026-02-01T00:00:00+08:00', available_day_after_receive: 2 },
        use_method: 'OFF_LINE',
        fixed_normal_coupon: { discount_amount: 1, transaction_minimum: 1 },
      },
    });
    const code = send(state, id, customer(state).openid);
    expect(state.coupon(id, code)).toMatchObject({ available_start_time: '2026-01-05T00:00:00+08:00', expire_time: '2026-01-06T23:59:59+08:00' });
  });

  it('admin receive can back-date a receipt, which then shows as expired', () => {
    const { state } = fixture();
    const id = createStock(state, {
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: '2025-12-01T00:00:00+08:00', available_end_time: '2026-03-01T00:00:00+08:00', available_day_after_receive: 3 },
        use_method: 'OFF_LINE',
        fixed_normal_coupon: { discount_amount: 1, transaction_minimum: 1 },
      },
    });
    const r = okBody<SendBody>(state.receiveCoupon({ stock_id: id, received_at: formatChinaRfc3339(chinaDate(2025, 12, 20)) }));
    const coupon = state.coupon(id, r.send_coupon_result.coupon_code);
    expect(coupon).toMatchObject({ coupon_state: 'EXPIRED', expire_time: '2025-12-22T23:59:59+08:00' });
    expect(coupon?.history.map((h) => [h.op, h.from, h.to])).toEqual([
      ['send', null, 'SENDED'],
      ['expire', 'SENDED', 'EXPIRED'],
    ]);
    expectFail(state.receiveCoupon({ stock_id: id, received_at: 'yesterday' }), 400, 'PARAM_ERROR');
    expectFail(state.receiveCoupon({ stock_id: '1' }), 404, 'RESOURCE_NOT_EXISTS');
  });
});
