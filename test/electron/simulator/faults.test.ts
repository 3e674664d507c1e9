// Every fault kind, produced on purpose and deterministically: scripted faults hit exactly the
// requests they name, probability faults repeat exactly for the same seed, and a fault
// "before" leaves the state untouched while one "after" changes it and loses the answer.
import { describe, expect, it } from 'vitest';
import { parseFaultSpec, FaultSpecError, type FaultRule } from '../../../electron/simulator/index';
import type { SeedCoupon, SeedSummary } from '../../../electron/simulator/state/index';
import type { RunningSimulator } from '../../../electron/simulator/index';
import { adminFetch, BASE, get, post, startTestSim, verify } from './support/sim';

const seedOf = (sim: RunningSimulator) => sim.credentials.seed as SeedSummary;

function sended(sim: RunningSimulator, i = 0): SeedCoupon {
  const c = seedOf(sim).coupons.SENDED.filter((x) => x.coupon_code_mode === 'WECHATPAY_MODE')[i];
  if (!c) throw new Error('seed has too few SENDED coupons');
  return c;
}

function useBody(sim: RunningSimulator, coupon: SeedCoupon, requestNo: string) {
  return { coupon_code: coupon.coupon_code, stock_id: coupon.stock_id, appid: seedOf(sim).appid, use_time: '2026-01-01T10:00:00+08:00', use_request_no: requestNo };
}

const stockUrl = (sim: RunningSimulator) => `${BASE}/stocks/${seedOf(sim).stocks[0]?.stock_id}`;

describe('fault spec', () => {
  it('reads endpoint, phase, kind, parameter, probability and count', () => {
    expect(parseFaultSpec('coupons.use:after:reset@0.25,*:latency=300@0.1,coupons.send:503x2')).toEqual([
      { endpoint: 'coupons.use', phase: 'after', kind: 'reset', probability: 0.25 },
      { endpoint: '*', phase: 'before', kind: 'latency', probability: 0.1, latency_ms: 300 },
      { endpoint: 'coupons.send', phase: 'before', kind: 'service_unavailable', probability: 1, times: 2 },
    ]);
  });

  it('reads scripts with parameters and repeat, and JSON', () => {
    expect(parseFaultSpec('certificates:script=ok/skew=900/500/repeat')).toEqual([
      { endpoint: 'certificates', phase: 'before', probability: 1, script: ['ok', 'skewed_timestamp', 'system_error'], repeat: true, skew_seconds: 900 },
    ]);
    expect(parseFaultSpec('[{"endpoint":"stocks.get","kind":"timeout","phase":"after"}]')).toEqual([{ endpoint: 'stocks.get', phase: 'after', kind: 'timeout', probability: 1 }]);
  });

  it.each(['coupons.use:explode', 'nowhere.at.all:500', '500@1.5', '502=3'])('refuses %s', (spec) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
  });
});

describe('error-status faults', () => {
  it.each([
    ['500', 500, 'SYSTEM_ERROR'],
    ['502', 502, 'SERVICE_UNAVAILABLE'],
    ['503', 503, 'SERVICE_UNAVAILABLE'],
    ['429', 429, 'FREQUENCY_LIMITED'],
  ])('script %s hits exactly the second request, signed, without touching the state', async (kind, status, code) => {
    const sim = await startTestSim({ faults: `coupons.use:script=ok/${kind}` });
    const [a, b] = [sended(sim, 0), sended(sim, 1)];
    const first = await post(sim, `${BASE}/coupons/use`, useBody(sim, a, `USE${kind}A`));
    const second = await post(sim, `${BASE}/coupons/use`, useBody(sim, b, `USE${kind}B`));
    const third = await post(sim, `${BASE}/coupons/use`, useBody(sim, b, `USE${kind}B`));
    expect([first.status, second.status, third.status]).toEqual([200, status, 200]);
    expect(second.json).toMatchObject({ code });
    expect(verify(sim, second).ok).toBe(true);
    // The faulted request never reached the state: the retry was the one that used the coupon.
    const report = sim.state.requestNumbers().find((r) => r.request_no === `USE${kind}B`);
    expect(report).toMatchObject({ changes: 1, replays: 0 });
  });
});

describe('connection faults', () => {
  it('timeout holds the socket: no answer comes, the client gives up', async () => {
    const sim = await startTestSim({ faults: 'stocks.get:timeout' });
    await expect(get(sim, stockUrl(sim), { headersTimeout: 500 })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect((sim.admin.operations().http['stocks.get'] as { statuses: Record<string, number> }).statuses).toEqual({ '0': 1 });
  });

  it('"after" timeout: the coupon is used, the answer never comes', async () => {
    const sim = await startTestSim({ faults: 'coupons.use:after:timeout' });
    const coupon = sended(sim);
    await expect(post(sim, `${BASE}/coupons/use`, useBody(sim, coupon, 'AFTERHOLD'), { headersTimeout: 500 })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(sim.state.coupon(coupon.stock_id, coupon.coupon_code)?.coupon_state).toBe('USED');
  });

  it('reset destroys the connection', async () => {
    const sim = await startTestSim({ faults: 'stocks.get:reset' });
    await expect(get(sim, stockUrl(sim))).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
  });

  it('latency delays the answer: a later request overtakes it', async () => {
    const sim = await startTestSim({ faults: 'stocks.get:script=latency=600/ok' });
    const order: string[] = [];
    const slow = get(sim, stockUrl(sim)).then((r) => order.push(`slow ${r.status}`));
    await new Promise((r) => setTimeout(r, 50));
    const fast = get(sim, stockUrl(sim)).then((r) => order.push(`fast ${r.status}`));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast 200', 'slow 200']);
  });
});

describe('signature faults', () => {
  it('bad_signature: well-formed headers that do not verify', async () => {
    const sim = await startTestSim({ faults: 'stocks.get:bad_signature' });
    const answer = await get(sim, stockUrl(sim));
    expect(answer.status).toBe(200);
    expect(answer.headers['wechatpay-signature']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(verify(sim, answer)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('skewed_timestamp: signed 900 s in the future, so the client must refuse it', async () => {
    const sim = await startTestSim({ faults: 'stocks.get:skew=900' });
    const answer = await get(sim, stockUrl(sim));
    const skew = Number(answer.headers['wechatpay-timestamp']) - Math.floor(Date.now() / 1000);
    expect(skew).toBeGreaterThanOrEqual(898);
    expect(verify(sim, answer)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it('signtest: a WECHATPAY/SIGNTEST/ probe', async () => {
    const sim = await startTestSim({ faults: 'stocks.get:signtest' });
    const answer = await get(sim, stockUrl(sim));
    expect(String(answer.headers['wechatpay-signature'])).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(verify(sim, answer)).toMatchObject({ ok: false, reason: 'signtest_probe' });
  });
});

describe('determinism and phases', () => {
  async function pattern(seed: number, rules: FaultRule[]): Promise<number[]> {
    const sim = await startTestSim({ seed, faults: rules });
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await get(sim, stockUrl(sim))).status);
    await sim.close();
    return statuses;
  }

  it('a probability fault repeats exactly for the same seed and differs for another', async () => {
    const rules: FaultRule[] = [{ kind: 'system_error', probability: 0.5 }];
    const a = await pattern(11, rules);
    const b = await pattern(11, rules);
    const c = await pattern(12, rules);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('"after" changes the state and loses the answer; the retry with the same number replays it', async () => {
    const sim = await startTestSim({ faults: 'coupons.use:after:script=reset' });
    const coupon = sended(sim);
    await expect(post(sim, `${BASE}/coupons/use`, useBody(sim, coupon, 'AFTERRESET1'))).rejects.toBeTruthy();
    expect(sim.state.coupon(coupon.stock_id, coupon.coupon_code)?.coupon_state).toBe('USED');
    const retry = await post(sim, `${BASE}/coupons/use`, useBody(sim, coupon, 'AFTERRESET1'));
    expect(retry.status).toBe(200);
    expect(verify(sim, retry).ok).toBe(true);
    expect(retry.json?.wechatpay_use_time).toBe(sim.state.coupon(coupon.stock_id, coupon.coupon_code)?.wechatpay_use_time);
    expect(sim.state.requestNumbers().find((r) => r.request_no === 'AFTERRESET1')).toMatchObject({ changes: 1, replays: 1 });
  });

  it('"after" 500: the coupon is used although the answer says SYSTEM_ERROR', async () => {
    const sim = await startTestSim({ faults: [{ endpoint: 'coupons.use', phase: 'after', kind: 'system_error', times: 1 }] });
    const coupon = sended(sim);
    const first = await post(sim, `${BASE}/coupons/use`, useBody(sim, coupon, 'AFTER500'));
    expect(first.status).toBe(500);
    expect(sim.state.coupon(coupon.stock_id, coupon.coupon_code)?.coupon_state).toBe('USED');
    expect((await post(sim, `${BASE}/coupons/use`, useBody(sim, coupon, 'AFTER500'))).status).toBe(200);
  });

  it('faults set and cleared through the admin API apply from the next request', async () => {
    const sim = await startTestSim();
    expect((await get(sim, stockUrl(sim))).status).toBe(200);
    const set = await adminFetch(sim, 'faults', { method: 'POST', body: JSON.stringify({ spec: 'stocks.get:503' }) });
    expect(set.status).toBe(200);
    expect((await get(sim, stockUrl(sim))).status).toBe(503);
    await adminFetch(sim, 'faults/clear', { method: 'POST' });
    expect((await get(sim, stockUrl(sim))).status).toBe(200);
    const bad = await adminFetch(sim, 'faults', { method: 'POST', body: JSON.stringify({ spec: 'stocks.get:boom' }) });
    expect(bad.status).toBe(400);
  });
});
