// Random sequences of coupon operations, with request numbers drawn from small pools so they
// are reused all the time, and with exact repeats of earlier calls. Whatever happens, no
// coupon may make a transition docs/wechatpay/busifavor.md#coupon-states forbids, a request number may change state at most
// once, a repeated request answers exactly as the first time, and a refused request changes
// nothing (beyond the lazy expiry that reading a coupon may cause).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical } from '../../../../electron/simulator/state/ledger';
import type { CouponRecord } from '../../../../electron/simulator/state/model';
import type { SimResult } from '../../../../electron/simulator/state/result';
import type { SimState } from '../../../../electron/simulator/state/state';
import { APPID, createStock, customer, fixture, HOUR, MCH, okBody } from './support';

const ALLOWED = new Set([
  'send:null>SENDED',
  'use:SENDED>USED',
  'return:USED>SENDED',
  'return:USED>EXPIRED',
  'deactivate:SENDED>DEACTIVATED',
  'expire:SENDED>EXPIRED',
  'delete:SENDED>DELETED',
  'associate:SENDED>SENDED',
  'disassociate:SENDED>SENDED',
]);

const pool = (prefix: string, n: number) => fc.constantFrom(...Array.from({ length: n }, (_, i) => `${prefix}${i}`));

type Command =
  | { kind: 'send'; stock: number; user: number; no: string; code: string }
  | { kind: 'use'; coupon: number; no: string; withStock: boolean }
  | { kind: 'return'; coupon: number; no: string }
  | { kind: 'deactivate'; coupon: number; no: string; reason: string | null }
  | { kind: 'associate' | 'disassociate'; coupon: number; order: string; no: string }
  | { kind: 'delete'; coupon: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'repeat'; back: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), stock: fc.nat(2), user: fc.nat(2), no: pool('S', 4), code: pool('M', 4) }),
  fc.record({ kind: fc.constant('use' as const), coupon: fc.nat(5), no: pool('U', 5), withStock: fc.boolean() }),
  fc.record({ kind: fc.constant('return' as const), coupon: fc.nat(5), no: pool('R', 4) }),
  fc.record({ kind: fc.constant('deactivate' as const), coupon: fc.nat(5), no: pool('D', 3), reason: fc.option(fc.constantFrom('退款', '作废'), { nil: null }) }),
  fc.record({ kind: fc.constantFrom('associate' as const, 'disassociate' as const), coupon: fc.nat(5), order: pool('O', 2), no: pool('A', 4) }),
  fc.record({ kind: fc.constant('delete' as const), coupon: fc.nat(5) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3 * 24 * HOUR }) }),
  fc.record({ kind: fc.constant('repeat' as const), back: fc.nat(10) }),
);

interface World {
  state: SimState;
  stocks: string[];
  users: { user_id: string; openid: string }[];
}

function setUp(): World {
  const { state } = fixture(9);
  const rule = (days: number) => ({
    coupon_available_time: { available_begin_time: '2026-01-01T00:00:00+08:00', available_end_time: '2026-03-01T00:00:00+08:00', available_day_after_receive: days },
    use_method: 'OFF_LINE',
    fixed_normal_coupon: { discount_amount: 100, transaction_minimum: 100 },
  });
  const send_rule = { max_coupons: 1000, max_coupons_per_user: 100 };
  const stocks = [
    createStock(state, { coupon_use_rule: rule(2), stock_send_rule: send_rule }),
    createStock(state, { coupon_code_mode: 'MERCHANT_API', coupon_use_rule: rule(4), stock_send_rule: send_rule }),
    createStock(state, { coupon_code_mode: 'MERCHANT_UPLOAD', coupon_use_rule: rule(3), stock_send_rule: send_rule }),
  ];
  okBody(state.uploadCodes(MCH, stocks[2] ?? '', { coupon_code_list: Array.from({ length: 12 }, (_, i) => `UP${i}`), upload_request_no: 'UPLOAD' }));
  return { state, stocks, users: [customer(state), customer(state), customer(state)] };
}

/** A concrete call: which ledger it belongs to, its exact body, and how to make it. */
interface Call {
  op: string;
  key: string | null;
  body: string;
  run: () => SimResult;
}

function resolve(w: World, cmd: Exclude<Command, { kind: 'repeat' }>): Call | null {
  const coupons = w.state.coupons().sort((a, b) => a.seq - b.seq);
  const pick = (i: number) => coupons[i % Math.max(coupons.length, 1)] ?? { stock_id: w.stocks[0] ?? '', coupon_code: 'NOSUCHCODE' };
  switch (cmd.kind) {
    case 'send': {
      const stock_id = w.stocks[cmd.stock] ?? '';
      const user = w.users[cmd.user] ?? { user_id: '', openid: '' };
      const body = { openid: user.openid, appid: APPID, stock_id, out_request_no: cmd.no, ...(cmd.stock === 1 ? { coupon_code: cmd.code } : {}) };
      return { op: 'send', key: `send|${stock_id}|${user.user_id}|${cmd.no}`, body: canonical(body), run: () => w.state.sendCoupon(MCH, body) };
    }
    case 'use': {
      const c = pick(cmd.coupon);
      const body = {
        coupon_code: c.coupon_code,
        ...(cmd.withStock || c.stock_id !== w.stocks[0] ? { stock_id: c.stock_id } : {}),
        appid: APPID,
        use_time: '2026-01-01T10:00:00+08:00',
        use_request_no: cmd.no,
      };
      return { op: 'use', key: `use|${cmd.no}`, body: canonical(body), run: () => w.state.useCoupon(MCH, body) };
    }
    case 'return': {
      const c = pick(cmd.coupon);
      const body = { coupon_code: c.coupon_code, stock_id: c.stock_id, return_request_no: cmd.no };
      return { op: 'return', key: `return|${cmd.no}`, body: canonical(body), run: () => w.state.returnCoupon(MCH, body) };
    }
    case 'deactivate': {
      const c = pick(cmd.coupon);
      const body = { coupon_code: c.coupon_code, stock_id: c.stock_id, deactivate_request_no: cmd.no, ...(cmd.reason === null ? {} : { deactivate_reason: cmd.reason }) };
      return { op: 'deactivate', key: `deactivate|${cmd.no}`, body: canonical(body), run: () => w.state.deactivateCoupon(MCH, body) };
    }
    case 'associate':
    case 'disassociate': {
      const c = pick(cmd.coupon);
      const body = { stock_id: c.stock_id, coupon_code: c.coupon_code, out_trade_no: cmd.order, out_request_no: cmd.no };
      const run = cmd.kind === 'associate' ? () => w.state.associateOrder(MCH, body) : () => w.state.disassociateOrder(MCH, body);
      return { op: cmd.kind, key: `${cmd.kind}|${cmd.no}`, body: canonical(body), run };
    }
    case 'delete': {
      const c = pick(cmd.coupon);
      return { op: 'delete', key: null, body: canonical(c), run: () => w.state.userDeletesCoupon(c.stock_id, c.coupon_code) };
    }
    case 'advance':
      w.state.advanceClock(cmd.ms);
      return null;
  }
}

function historyKey(c: CouponRecord, h: CouponRecord['history'][number]): string | null {
  if (h.request_no === undefined) return null;
  return h.op === 'send' ? `send|${c.stock_id}|${c.user_id}|${h.request_no}` : `${h.op}|${h.request_no}`;
}

function checkInvariants(w: World): void {
  const changesPerNumber = new Map<string, number>();
  for (const c of w.state.coupons()) {
    let previous: string | null = null;
    for (const h of c.history) {
      expect(ALLOWED.has(`${h.op}:${String(h.from)}>${h.to}`), `${c.coupon_code}: ${h.op} ${String(h.from)}→${h.to}`).toBe(true);
      expect(h.from).toBe(previous);
      previous = h.to;
      const key = historyKey(c, h);
      if (key) changesPerNumber.set(key, (changesPerNumber.get(key) ?? 0) + 1);
    }
    expect(c.coupon_state).toBe(previous);
  }
  for (const [key, n] of changesPerNumber) expect(n, key).toBe(1);
  for (const r of w.state.requestNumbers()) expect(r.changes, `${r.op} ${r.request_no}`).toBeLessThanOrEqual(1);
}

const historySize = (w: World) => w.state.coupons().reduce((n, c) => n + c.history.filter((h) => h.op !== 'expire').length, 0);

/** Runs random command sequences, checking every step; returns what the runs exercised. */
function explore(parameters: fc.Parameters<[Command[]]>): Set<string> {
  const seen = new Set<string>();
  fc.assert(
    fc.property(fc.array(command, { minLength: 10, maxLength: 80, size: 'max' }), (commands) => {
      const w = setUp();
      const executed: Call[] = [];
      const firstSuccess = new Map<string, { body: string; result: SimResult }>();
      for (const cmd of commands) {
        const call = cmd.kind === 'repeat' ? executed[executed.length - 1 - (cmd.back % Math.max(executed.length, 1))] : resolve(w, cmd);
        if (!call) continue;
        executed.push(call);
        const before = historySize(w);
        const result = call.run();
        seen.add(`${call.op}:${result.ok ? 'ok' : result.code}`);
        const prior = call.key === null ? undefined : firstSuccess.get(call.key);
        if (prior && prior.body === call.body) {
          // A replay: the very same answer, and nothing changes.
          expect(result).toEqual(prior.result);
          expect(historySize(w)).toBe(before);
          seen.add('replay');
        } else if (prior) {
          expect(result).toMatchObject({ ok: false, status: 400, code: 'INVALID_REQUEST' });
          seen.add('conflict');
        }
        if (!result.ok) expect(historySize(w)).toBe(before);
        if (result.ok && call.key !== null && !prior) {
          firstSuccess.set(call.key, { body: call.body, result });
          expect(historySize(w)).toBe(before + 1);
        }
        checkInvariants(w);
      }
      for (const c of w.state.coupons()) for (const h of c.history) seen.add(`${h.op}:${h.to}`);
    }),
    parameters,
  );
  return seen;
}

describe('coupon state machine under random operations', () => {
  it('never makes a forbidden transition and never lets a request number change state twice', () => {
    explore({ numRuns: 150 });
  });

  it('reaches every transition, replays and conflicts (fixed seed, so the coverage check is stable)', () => {
    const seen = explore({ numRuns: 150, seed: 20260101 });
    const wanted = [
      'replay',
      'conflict',
      'expire:EXPIRED',
      'return:SENDED',
      'return:EXPIRED',
      'deactivate:DEACTIVATED',
      'delete:DELETED',
      'associate:SENDED',
      'disassociate:SENDED',
      'use:USED',
      'use:INVALID_REQUEST',
      'send:ok',
      'send:INVALID_REQUEST',
    ];
    expect(wanted.filter((t) => !seen.has(t))).toEqual([]);
  });
});
