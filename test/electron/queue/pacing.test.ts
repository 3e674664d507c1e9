import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, defaultRate, EndpointPacer, TokenBucket } from '../../../electron/queue';

describe('backoff with full jitter', () => {
  it('stays within [0, min(cap, base·2^(n−1))) and reaches the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const d = backoffDelay(n, DEFAULT_BACKOFF, () => r);
        const ceiling = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** (n - 1));
        return Number.isInteger(d) && d >= 0 && d < ceiling;
      }),
    );
    const top = () => 0.999999;
    expect(backoffDelay(1, DEFAULT_BACKOFF, top)).toBe(999);
    expect(backoffDelay(2, DEFAULT_BACKOFF, top)).toBe(1999);
    expect(backoffDelay(9, DEFAULT_BACKOFF, top)).toBe(255_999);
    expect(backoffDelay(10, DEFAULT_BACKOFF, top)).toBe(299_999);
    expect(backoffDelay(1_000, DEFAULT_BACKOFF, top)).toBe(299_999);
    expect(backoffDelay(5, DEFAULT_BACKOFF, () => 0)).toBe(0);
  });
});

describe('rate limits', () => {
  it('stays below the documented QPS: 80% of 500/s for use, a default for undocumented endpoints', () => {
    expect(defaultRate('coupons.use').perSecond).toBe(400);
    expect(defaultRate('coupons.associate').perSecond).toBe(400);
    expect(defaultRate('coupons.return').perSecond).toBe(50);
    expect(defaultRate('stocks.create').perSecond).toBeCloseTo((1000 / 60) * 0.8, 6);
  });

  it('lets a burst through, then one token per 1/rate seconds', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 100, burst: 3 }, now);
    expect([bucket.take(now), bucket.take(now), bucket.take(now)]).toEqual([0, 0, 0]);
    expect(bucket.take(now)).toBe(10);
    now += 10;
    expect(bucket.take(now)).toBe(0);
    expect(bucket.take(now)).toBe(10);
  });

  it('never admits more than burst + rate·t requests in any run of t ms', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        let now = 0;
        const limiter = new EndpointPacer({ 'coupons.use': { perSecond: 200, burst: 5 } }, () => now);
        let admitted = 0;
        for (const g of gaps) {
          now += g;
          if (limiter.take('coupons.use') === 0) admitted += 1;
        }
        return admitted <= 5 + Math.floor((now * 200) / 1000);
      }),
    );
  });
});
