// Frequency limits: the documented per-endpoint ones from the shared endpoint table, a
// configurable default elsewhere, per merchant, answered with a signed 429.
import { describe, expect, it } from 'vitest';
import { endpoints } from '../../../shared/busifavor/index';
import { DEFAULT_RATE_LIMIT, RateLimiter } from '../../../electron/simulator/rate-limit';
import type { RunningSimulator, SeedWithPartner } from '../../../electron/simulator/index';
import { adminFetch, BASE, get, startTestSim, verify, type RawAnswer } from './support/sim';

const stockUrl = (sim: RunningSimulator) => `${BASE}/stocks/${(sim.credentials.seed as SeedWithPartner).stocks[0]?.stock_id}`;

function takeAll(limiter: RateLimiter, endpoint: keyof typeof endpoints, n: number, mchid = '1900000109'): boolean[] {
  return Array.from({ length: n }, () => limiter.take(mchid, endpoint, endpoints[endpoint].rateLimit));
}

describe('RateLimiter', () => {
  it('applies the documented limits: 500/s for use, 1000/min for stock creation, 100/min for image upload', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ now: () => now });
    expect(takeAll(limiter, 'coupons.use', 501).filter(Boolean)).toHaveLength(500);
    expect(takeAll(limiter, 'stocks.create', 1001).filter(Boolean)).toHaveLength(1000);
    expect(takeAll(limiter, 'media.imageUpload', 101).filter(Boolean)).toHaveLength(100);
    now += 600; // 1/100 of a minute: one more upload, 300 more uses
    expect(takeAll(limiter, 'media.imageUpload', 2)).toEqual([true, false]);
    expect(takeAll(limiter, 'coupons.use', 301).filter(Boolean)).toHaveLength(300);
  });

  it('uses the default (100/s) where the table documents none, per merchant', () => {
    const limiter = new RateLimiter({ now: () => 5_000 });
    expect(DEFAULT_RATE_LIMIT).toEqual({ limit: 100, per: 'second' });
    expect(takeAll(limiter, 'stocks.get', 101).filter(Boolean)).toHaveLength(100);
    expect(takeAll(limiter, 'stocks.get', 1, '1900000110')).toEqual([true]);
    expect(new RateLimiter({ defaultLimit: null, now: () => 5_000 }).take('m', 'stocks.get', null)).toBe(true);
  });
});

describe('over HTTP', () => {
  it('answers a signed 429 FREQUENCY_LIMITED past the limit, and recovers as time passes', async () => {
    let now = Date.now();
    const sim = await startTestSim({ defaultRateLimit: { limit: 3, per: 'second' }, now: () => now });
    const statuses: RawAnswer[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await get(sim, stockUrl(sim)));
    expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 429]);
    expect(statuses[3]?.json).toMatchObject({ code: 'FREQUENCY_LIMITED' });
    expect(verify(sim, statuses[3] as RawAnswer).ok).toBe(true);
    now += 1000;
    expect((await get(sim, stockUrl(sim))).status).toBe(200);
  });

  it('can be switched off through the admin settings', async () => {
    const now = Date.now();
    const sim = await startTestSim({ defaultRateLimit: { limit: 1, per: 'second' }, now: () => now });
    expect((await get(sim, stockUrl(sim))).status).toBe(200);
    expect((await get(sim, stockUrl(sim))).status).toBe(429);
    await adminFetch(sim, 'settings', { method: 'POST', body: JSON.stringify({ rate_limits: false }) });
    expect((await get(sim, stockUrl(sim))).status).toBe(200);
  });
});
