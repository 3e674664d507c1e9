// Shared set-up for the state-engine tests: one merchant with an AppID, a clock at a known
// China time, and a stock body factory with sane defaults.
import { expect } from 'vitest';
import { ManualClock } from '../../../../electron/simulator/state/clock';
import type { CreateStockInput, StockDefinition } from '../../../../electron/simulator/state/model';
import type { FailResult, OkResult, SimResult } from '../../../../electron/simulator/state/result';
import { SimState } from '../../../../electron/simulator/state/state';
import { chinaDate, formatChinaRfc3339 } from '../../../../shared/time';

export const MCH = '1900000109';
export const OTHER_MCH = '1900000110';
export const APPID = 'wxd678efh567hg6787';
export const OTHER_APPID = 'wx0000000000000002';
/** Thursday 2026-01-01 10:00:00 +08:00. */
export const START = chinaDate(2026, 1, 1, 10, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Fixture {
  state: SimState;
  clock: ManualClock;
}

export function fixture(seed = 42): Fixture {
  const clock = new ManualClock(START);
  const state = new SimState({ seed, clock });
  state.addMerchant({ mchid: MCH, appids: [APPID] });
  state.addMerchant({ mchid: OTHER_MCH, appids: [OTHER_APPID] });
  return { state, clock };
}

let counter = 0;

export function stockBody(overrides: Partial<StockDefinition> & { out_request_no?: string } = {}): CreateStockInput {
  counter += 1;
  const type = overrides.stock_type ?? 'NORMAL';
  const rule =
    type === 'NORMAL'
      ? { fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 5000 } }
      : type === 'DISCOUNT'
        ? { discount_coupon: { discount_percent: 88, transaction_minimum: 2000 } }
        : { exchange_coupon: { exchange_price: 100, transaction_minimum: 3000 } };
  return {
    stock_name: '测试满减券',
    belong_merchant: MCH,
    goods_name: '全场通用',
    stock_type: type,
    coupon_use_rule: {
      coupon_available_time: {
        available_begin_time: formatChinaRfc3339(chinaDate(2026, 1, 1)),
        available_end_time: formatChinaRfc3339(chinaDate(2026, 3, 31, 23, 59, 59)),
      },
      use_method: 'OFF_LINE',
      ...rule,
    },
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 5 },
    coupon_code_mode: 'WECHATPAY_MODE',
    out_request_no: `STOCKREQ${counter}`,
    ...overrides,
  };
}

export function okBody<T = Record<string, unknown>>(r: SimResult): T {
  if (!r.ok) throw new Error(`expected success, got ${r.status} ${r.code} ${r.message}`);
  return r.body as T;
}

export function expectOk(r: SimResult, status: 200 | 204 = 200): OkResult {
  expect(r).toMatchObject({ ok: true, status });
  return r as OkResult;
}

export function expectFail(r: SimResult, status: number, code: string, message?: string | RegExp): FailResult {
  expect(r.ok, JSON.stringify(r)).toBe(false);
  const f = r as FailResult;
  expect([f.status, f.code]).toEqual([status, code]);
  if (typeof message === 'string') expect(f.message).toBe(message);
  else if (message) expect(f.message).toMatch(message);
  return f;
}

export function createStock(state: SimState, overrides: Parameters<typeof stockBody>[0] = {}): string {
  return okBody<{ stock_id: string }>(state.createStock(MCH, stockBody(overrides))).stock_id;
}

/** A customer with an OpenID under APPID. */
export function customer(state: SimState): { user_id: string; openid: string } {
  const u = state.addUser(APPID);
  return { user_id: u.user_id, openid: u.openid ?? '' };
}

let sendNo = 0;

export function send(state: SimState, stockId: string, openid: string, extra: { coupon_code?: string; out_request_no?: string } = {}): string {
  sendNo += 1;
  const body = okBody<{ send_coupon_result: { coupon_code: string } }>(
    state.sendCoupon(MCH, { openid, appid: APPID, stock_id: stockId, out_request_no: `SEND${sendNo}`, ...extra }),
  );
  return body.send_coupon_result.coupon_code;
}
