import { describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../../../electron/simulator/state/clock';
import type { SimResult } from '../../../../electron/simulator/state/result';
import { SimState } from '../../../../electron/simulator/state/state';
import { COUPON_CODE_MODES, COUPON_STATES, STOCK_TYPES } from '../../../../shared/busifavor/enums';
import { APPID, createStock, customer, DAY, fixture, HOUR, MCH, okBody, send, START } from './support';

const SEED_OPTS = { mchid: MCH, appid: APPID };

describe('seed', () => {
  it('creates a stock for every type × code mode and coupons in every state for several users', () => {
    const { state } = fixture();
    const s = state.seed(SEED_OPTS);
    expect(s.users).toHaveLength(3);
    expect(new Set(s.stocks.map((x) => `${x.stock_type}/${x.coupon_code_mode}`))).toEqual(new Set(STOCK_TYPES.flatMap((t) => COUPON_CODE_MODES.map((m) => `${t}/${m}`))));
    for (const st of COUPON_STATES) {
      expect(s.coupons[st].length, st).toBeGreaterThan(0);
      expect(new Set(s.coupons[st].map((c) => c.stock_type)), st).toEqual(new Set(STOCK_TYPES));
      expect(new Set(s.coupons[st].map((c) => c.coupon_code_mode)), st).toEqual(new Set(COUPON_CODE_MODES));
    }
    expect(s.returned.length).toBeGreaterThan(0);
    expect(s.associated.length).toBeGreaterThan(0);
    // Every user ends up holding coupons in every state.
    for (const u of s.users) {
      const held = new Set(COUPON_STATES.filter((st) => s.coupons[st].some((c) => c.openid === u.openid)));
      expect(held, u.user_id).toEqual(new Set(COUPON_STATES));
    }
  });

  it('reports states that the query endpoints confirm', () => {
    const { state } = fixture();
    const s = state.seed(SEED_OPTS);
    for (const st of COUPON_STATES) {
      for (const c of s.coupons[st]) {
        expect(okBody(state.getUserCoupon(MCH, c.openid, c.coupon_code, APPID))).toMatchObject({ coupon_state: st, stock_id: c.stock_id });
      }
    }
    for (const a of s.associated) expect(state.coupon(a.stock_id, a.coupon_code)?.associate_out_trade_no).toBe(a.out_trade_no);
    for (const r of s.returned) expect(state.coupon(r.stock_id, r.coupon_code)?.history.map((h) => h.op)).toEqual(['send', 'use', 'return']);
    // A seeded SENDED coupon is usable right away at the till.
    const sended = s.coupons.SENDED[0];
    if (!sended) throw new Error('no SENDED coupon');
    okBody(state.useCoupon(MCH, { stock_id: sended.stock_id, coupon_code: sended.coupon_code, appid: APPID, use_time: '2026-01-01T10:00:00+08:00', use_request_no: 'TILL1' }));
  });

  it('is deterministic for a seed, leaves operation counts alone, and is JSON-printable', () => {
    const a = fixture(3).state;
    const b = fixture(3).state;
    const c = fixture(4).state;
    expect(a.seed(SEED_OPTS)).toEqual(b.seed(SEED_OPTS));
    expect(c.seed(SEED_OPTS).stocks.map((x) => x.stock_id)).not.toEqual(a.toJSON().stocks.map((x) => x.stock_id));
    expect(a.operationCounts()).toEqual({});
    expect(JSON.parse(JSON.stringify(b.seed({ ...SEED_OPTS, users: 2 })))).toMatchObject({ mchid: MCH, appid: APPID });
  });

  it('reset forgets the business data but keeps merchants, and a new seed works after it', () => {
    const { state } = fixture();
    const first = state.seed(SEED_OPTS);
    state.setCallbacks(MCH, { notify_url: 'https://pos.example.com/cb' });
    state.reset();
    expect(state.coupons()).toEqual([]);
    expect(state.sendEvents()).toEqual([]);
    expect(state.requestNumbers()).toEqual([]);
    expect(state.merchant(MCH)?.appids).toEqual([APPID]);
    expect(state.getCallbacks(MCH)).toMatchObject({ ok: false, status: 404 });
    // The generator restarts too: the same seed gives the same stocks again.
    expect(state.seed(SEED_OPTS).stocks).toEqual(first.stocks);
  });
});

describe('introspection', () => {
  it('counts calls per operation, successes and failures', () => {
    const { state } = fixture();
    const id = createStock(state);
    state.getStock(MCH, id);
    state.getStock(MCH, '1');
    expect(state.operationCounts()).toEqual({ 'stocks.create': { calls: 1, ok: 1, failed: 0 }, 'stocks.get': { calls: 2, ok: 1, failed: 1 } });
  });

  it('notifies listeners after changes, including lazy expiry caused by a query', () => {
    const { state, clock } = fixture();
    const id = createStock(state, {
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: '2026-01-01T00:00:00+08:00', available_end_time: '2026-03-01T00:00:00+08:00', available_day_after_receive: 1 },
        use_method: 'OFF_LINE',
        fixed_normal_coupon: { discount_amount: 1, transaction_minimum: 1 },
      },
    });
    const u = customer(state);
    send(state, id, u.openid);
    let calls = 0;
    const stop = state.onChange(() => calls++);
    state.getStock(MCH, id);
    expect(calls).toBe(0);
    clock.advance(DAY);
    state.listUserCoupons(MCH, u.openid, { appid: APPID, creator_merchant: MCH });
    expect(calls).toBe(1);
    send(state, id, u.openid);
    expect(calls).toBe(2);
    stop();
    send(state, id, u.openid);
    expect(calls).toBe(2);
  });
});

describe('toJSON / fromJSON', () => {
  /** A fixed script of calls: run on two states, it must give identical answers. */
  function script(state: SimState, openid: string, stockId: string, uploadId: string): SimResult[] {
    const out: SimResult[] = [];
    const a = state.sendCoupon(MCH, { openid, appid: APPID, stock_id: stockId, out_request_no: 'AFTER1' });
    out.push(a);
    const code = a.ok ? (a.body as { send_coupon_result: { coupon_code: string } }).send_coupon_result.coupon_code : '';
    out.push(state.useCoupon(MCH, { stock_id: stockId, coupon_code: code, appid: APPID, use_time: '2026-01-02T10:00:00+08:00', use_request_no: 'AFTERUSE' }));
    out.push(state.sendCoupon(MCH, { openid, appid: APPID, stock_id: uploadId, out_request_no: 'AFTER2' }));
    out.push(state.useCoupon(MCH, { stock_id: stockId, coupon_code: code, appid: APPID, use_time: '2026-01-02T10:00:00+08:00', use_request_no: 'AFTERUSE' }));
    out.push(state.useCoupon(MCH, { stock_id: stockId, coupon_code: code, appid: APPID, use_time: '2026-01-02T10:00:00+08:00', use_request_no: 'BEFOREUSE' }));
    out.push(state.listUserCoupons(MCH, openid, { appid: APPID, creator_merchant: MCH, limit: 50 }));
    out.push(state.getStock(MCH, stockId));
    out.push(state.listCodes(MCH, uploadId, {}));
    return out;
  }

  function populated() {
    const { state, clock } = fixture(11);
    const stockId = createStock(state, { stock_send_rule: { max_coupons: 100, max_coupons_per_user: 50, max_coupons_by_day: 20 } });
    const uploadId = createStock(state, { coupon_code_mode: 'MERCHANT_UPLOAD' });
    okBody(state.uploadCodes(MCH, uploadId, { coupon_code_list: Array.from({ length: 10 }, (_, i) => `P${i}`), upload_request_no: 'UP' }));
    const u = customer(state);
    const code = send(state, stockId, u.openid);
    okBody(state.useCoupon(MCH, { stock_id: stockId, coupon_code: code, appid: APPID, use_time: '2026-01-01T10:00:00+08:00', use_request_no: 'BEFOREUSE' }));
    send(state, uploadId, u.openid);
    clock.advance(DAY);
    return { state, u, stockId, uploadId };
  }

  it('a restored state answers the same calls exactly as the original', () => {
    const { state, u, stockId, uploadId } = populated();
    const copy = SimState.fromJSON(JSON.parse(JSON.stringify(state.toJSON())));
    expect(copy.now()).toEqual(state.now());
    expect(script(copy, u.openid, stockId, uploadId)).toEqual(script(state, u.openid, stockId, uploadId));
    expect(copy.toJSON()).toEqual(state.toJSON());
  });

  it('keeps replays working across a restart: the old request number still answers its first result', () => {
    const { state, stockId } = populated();
    const coupon = state.coupons({ stock_id: stockId })[0];
    if (!coupon) throw new Error('no coupon');
    const body = { stock_id: stockId, coupon_code: coupon.coupon_code, appid: APPID, use_time: '2026-01-01T10:00:00+08:00', use_request_no: 'BEFOREUSE' };
    const copy = SimState.fromJSON(JSON.parse(JSON.stringify(state.toJSON())));
    expect(copy.useCoupon(MCH, body)).toEqual(state.useCoupon(MCH, body));
    expect(copy.useCoupon(MCH, body)).toMatchObject({ ok: true, body: { wechatpay_use_time: '2026-01-01T10:00:00+08:00' } });
  });

  it('takes a replacement clock, restores a system clock offset, and rejects foreign documents', () => {
    const { state } = populated();
    const later = new ManualClock(START.getTime() + 100 * DAY);
    expect(SimState.fromJSON(state.toJSON(), { clock: later }).now()).toEqual(later.now());
    const sys = new SimState({ clock: new SystemClock(5 * HOUR) });
    expect(sys.toJSON().clock).toEqual({ kind: 'system', offset_ms: 5 * HOUR });
    const restored = SimState.fromJSON(JSON.parse(JSON.stringify(sys.toJSON())));
    expect(restored.clock.snapshot()).toEqual({ kind: 'system', offset_ms: 5 * HOUR });
    expect(() => SimState.fromJSON({ format: 'something-else', version: 1 })).toThrow(/not a busifavor-sim-state/);
    expect(() => SimState.fromJSON({ ...state.toJSON(), version: 2 })).toThrow(/version 2/);
    expect(() => SimState.fromJSON(null)).toThrow();
  });
});
