// The /_sim/ admin API: state and per-coupon history, per-operation and per-request-number
// counts, the business clock, "a customer receives a coupon", reset — loopback callers only.
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../../electron/simulator/admin-http';
import type { RunningSimulator, SeedWithPartner } from '../../../electron/simulator/index';
import type { CouponRecord, SeedCoupon } from '../../../electron/simulator/state/index';
import { adminFetch, BASE, get, post, startTestSim, verify } from './support/sim';

const seedOf = (sim: RunningSimulator) => sim.credentials.seed as SeedWithPartner;

async function admin<T = Record<string, unknown>>(sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await adminFetch(sim, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, json: (await response.json()) as T };
}

function sended(sim: RunningSimulator): SeedCoupon {
  const c = seedOf(sim).coupons.SENDED.find((x) => x.coupon_code_mode === 'WECHATPAY_MODE');
  if (!c) throw new Error('no SENDED coupon in the seed');
  return c;
}

const use = (sim: RunningSimulator, c: SeedCoupon, no: string) =>
  post(sim, `${BASE}/coupons/use`, { coupon_code: c.coupon_code, stock_id: c.stock_id, appid: seedOf(sim).appid, use_time: '2026-02-01T10:00:00+08:00', use_request_no: no });

describe('/_sim/ introspection', () => {
  it('summarises the seeded state: every stock type and mode, coupons in every state', async () => {
    const sim = await startTestSim();
    const { json } = await admin<{ stocks: number; coupons: Record<string, number>; mode: string; mchid: string }>(sim, 'GET', 'state');
    expect(json).toMatchObject({ stocks: 9, mode: 'pubkey', mchid: sim.credentials.mchid });
    for (const state of ['SENDED', 'USED', 'EXPIRED', 'DELETED', 'DEACTIVATED']) expect(json.coupons[state]).toBeGreaterThan(0);
    expect(json.coupons.total).toBe(sim.admin.coupons().length);
    expect(new Set(seedOf(sim).stocks.map((s) => `${s.stock_type}/${s.coupon_code_mode}`)).size).toBe(9);
  });

  it('shows one coupon with its history, and counts operations and request numbers', async () => {
    const sim = await startTestSim();
    const c = sended(sim);
    expect((await use(sim, c, 'ADMINUSE1')).status).toBe(200);
    expect((await use(sim, c, 'ADMINUSE1')).status).toBe(200);
    const coupon = await admin<CouponRecord>(sim, 'GET', `coupons/${c.stock_id}/${c.coupon_code}`);
    expect(coupon.json.coupon_state).toBe('USED');
    expect(coupon.json.history.map((h) => [h.op, h.to, h.request_no ?? null])).toContainEqual(['use', 'USED', 'ADMINUSE1']);
    const ops = await admin<{
      operations: Record<string, { calls: number }>;
      request_numbers: { request_no: string; changes: number; replays: number }[];
      http: Record<string, { statuses: Record<string, number> }>;
    }>(sim, 'GET', 'operations');
    expect(ops.json.operations['coupons.use']?.calls).toBe(2);
    expect(ops.json.request_numbers.find((r) => r.request_no === 'ADMINUSE1')).toMatchObject({ changes: 1, replays: 1 });
    expect(ops.json.http['coupons.use']?.statuses).toEqual({ '200': 2 });
    expect((await admin(sim, 'GET', 'coupons/nope/nope')).status).toBe(404);
    const filtered = await admin<{ data: CouponRecord[] }>(sim, 'GET', `coupons?stock_id=${c.stock_id}&coupon_state=USED`);
    expect(filtered.json.data.every((x) => x.stock_id === c.stock_id && x.coupon_state === 'USED')).toBe(true);
    expect(filtered.json.data.map((x) => x.coupon_code)).toContain(c.coupon_code);
  });
});

describe('/_sim/ controls', () => {
  it('advances the business clock: coupons expire, signatures still verify', async () => {
    const sim = await startTestSim();
    const c = sended(sim);
    const moved = await admin<{ expired: number }>(sim, 'POST', 'clock', { advance_days: 60 });
    expect(moved.json.expired).toBeGreaterThan(0);
    const answer = await get(sim, `${BASE}/users/${c.openid}/coupons/${c.coupon_code}/appids/${seedOf(sim).appid}`);
    expect(answer.status).toBe(200);
    expect(answer.json?.coupon_state).toBe('EXPIRED');
    expect(verify(sim, answer).ok).toBe(true);
    expect((await admin(sim, 'POST', 'clock', { advance_days: 'soon' })).status).toBe(400);
  });

  it('lets a customer receive a coupon, which the merchant then sees through the API', async () => {
    const sim = await startTestSim();
    const stock = seedOf(sim).stocks.find((s) => s.coupon_code_mode === 'WECHATPAY_MODE')?.stock_id as string;
    const openid = 'oSIMULATEDCUSTOMER000000001';
    const received = await admin<{ send_coupon_result: { coupon_code: string } }>(sim, 'POST', 'receive', { stock_id: stock, openid, appid: seedOf(sim).appid });
    expect(received.status).toBe(200);
    const code = received.json.send_coupon_result.coupon_code;
    const list = await get(sim, `${BASE}/users/${openid}/coupons?appid=${seedOf(sim).appid}&creator_merchant=${sim.credentials.mchid}`);
    expect(list.json).toMatchObject({ total_count: 1, data: [{ coupon_code: code, coupon_state: 'SENDED' }] });
    expect((await admin(sim, 'POST', 'receive', { stock_id: '404' })).status).toBe(404);
  });

  it('resets to the seeded state', async () => {
    const sim = await startTestSim();
    const c = sended(sim);
    expect((await use(sim, c, 'ADMINRESET1')).status).toBe(200);
    await admin(sim, 'POST', 'faults', { spec: 'stocks.get:500' });
    const reset = await admin<{ seed: SeedWithPartner }>(sim, 'POST', 'reset', {});
    expect(reset.json.seed.coupons.SENDED.map((x) => x.coupon_code)).toContain(c.coupon_code);
    expect(sim.state.coupon(c.stock_id, c.coupon_code)?.coupon_state).toBe('SENDED');
    expect(sim.state.requestNumbers().some((r) => r.request_no === 'ADMINRESET1')).toBe(false);
    expect((await admin<{ rules: unknown[] }>(sim, 'GET', 'faults')).json.rules).toEqual([]);
    expect((await use(sim, c, 'ADMINRESET2')).status).toBe(200);
  });

  it('never answers under /v3 and never signs', async () => {
    const sim = await startTestSim();
    const response = await adminFetch(sim, 'state');
    expect(response.status).toBe(200);
    expect(response.headers.get('wechatpay-signature')).toBeNull();
    expect((await get(sim, '/v3/_sim/state')).status).toBe(404);
  });
});

describe('loopback only', () => {
  it('recognises loopback peers', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([true, true, true]);
    expect(['192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', undefined].map(isLoopbackAddress)).toEqual([false, false, false, false]);
  });

  it('refuses an admin call arriving over a network interface', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    const sim = await startTestSim({ host: '0.0.0.0' });
    const port = new URL(sim.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      // Without a network interface, the loopback request stands in: then it must be allowed.
      const req = httpRequest({ host: external ?? '127.0.0.1', port, path: '/_sim/state', method: 'GET', headers: { authorization: `Bearer ${sim.adminToken}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(external ? 403 : 200);
  });
});

describe('no page in a browser can drive it', () => {
  /** Sends exactly these headers, as a page's request (or a rebinding attacker's) would arrive. */
  function raw(sim: RunningSimulator, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
    const port = Number(new URL(sim.url).port);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method, headers, setHost: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('refuses a forged Host (DNS rebinding), a foreign Origin and a cross-site fetch, token or not', async () => {
    const sim = await startTestSim();
    const port = new URL(sim.url).port;
    const before = sim.state.now().getTime();
    const auth = { authorization: `Bearer ${sim.adminToken}` };
    const clock = JSON.stringify({ advance_days: 400 });
    for (const headers of <Record<string, string>[]>[
      { host: `attacker.example:${port}`, 'content-type': 'text/plain' },
      { host: `attacker.example:${port}`, ...auth },
      { host: `127.0.0.1:${port}`, origin: 'http://attacker.example', ...auth },
      { host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site', ...auth },
    ]) {
      expect((await raw(sim, 'POST', '/_sim/clock', headers, clock)).status, JSON.stringify(headers)).toBe(403);
    }
    const credentials = await raw(sim, 'GET', '/_sim/credentials', { host: `attacker.example:${port}`, ...auth });
    expect(credentials.status).toBe(403);
    expect(credentials.text).not.toContain('apiclient_key');
    expect(sim.state.now().getTime() - before).toBeLessThan(60_000);
  });

  it('needs this start’s admin token: a plain-text POST or a wrong token is refused and changes nothing', async () => {
    const sim = await startTestSim();
    const port = new URL(sim.url).port;
    const before = sim.state.now().getTime();
    const host = { host: `127.0.0.1:${port}` };
    const clock = JSON.stringify({ advance_days: 400 });
    expect((await raw(sim, 'POST', '/_sim/clock', { ...host, 'content-type': 'text/plain' }, clock)).status).toBe(401);
    expect((await raw(sim, 'POST', '/_sim/clock', { ...host, authorization: `Bearer ${sim.adminToken.slice(1)}x` }, clock)).status).toBe(401);
    expect((await raw(sim, 'GET', '/_sim/credentials', { ...host, authorization: sim.adminToken })).status).toBe(401);
    expect(sim.state.now().getTime() - before).toBeLessThan(60_000);
    // Every start has its own, and the base URL a page could learn does not carry it.
    const other = await startTestSim();
    expect(other.adminToken).not.toBe(sim.adminToken);
    expect(sim.adminToken.length).toBeGreaterThanOrEqual(43);
    expect(sim.credentials.base_url).not.toContain(sim.adminToken);
    expect(sim.credentials.admin_token).toBe(sim.adminToken);
    const ok = await raw(sim, 'POST', '/_sim/clock', { ...host, authorization: `Bearer ${sim.adminToken}` }, JSON.stringify({ advance_days: 1 }));
    expect(ok.status).toBe(200);
    expect(sim.state.now().getTime() - before).toBeGreaterThan(86_000_000);
  });
});
