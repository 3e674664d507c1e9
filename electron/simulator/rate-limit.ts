// Frequency limits per merchant and endpoint (docs/wechatpay/busifavor.md#rate-limits): the documented ones from the endpoint
// table (500/s for use and order links, 1000/min for stock creation, 100/min for image
// upload) and a configurable default elsewhere. A token bucket per (merchant, endpoint)
// allows the documented rate on average without punishing a short, legal burst.
import type { RateLimit } from '../../shared/busifavor/index';

/** The simulator's choice for endpoints without a published limit (docs/wechatpay/busifavor.md#rate-limits). */
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 100, per: 'second' };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export interface RateLimiterOptions {
  /** Limit for endpoints the table gives none; null = unlimited. */
  defaultLimit?: RateLimit | null;
  /** Off entirely (benchmarks of the rest of the pipeline). */
  enabled?: boolean;
  now?: () => number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  defaultLimit: RateLimit | null;
  enabled: boolean;

  constructor(options: RateLimiterOptions = {}) {
    this.defaultLimit = options.defaultLimit === undefined ? DEFAULT_RATE_LIMIT : options.defaultLimit;
    this.enabled = options.enabled ?? true;
    this.#now = options.now ?? Date.now;
  }

  /** True when the call may proceed (and is counted); false means answer 429. */
  take(mchid: string, endpoint: string, documented: RateLimit | null): boolean {
    if (!this.enabled) return true;
    const limit = documented ?? this.defaultLimit;
    if (!limit) return true;
    const windowMs = limit.per === 'second' ? 1000 : 60_000;
    const key = `${mchid}\u0000${endpoint}`;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: limit.limit, updatedMs: now };
    bucket.tokens = Math.min(limit.limit, bucket.tokens + ((now - bucket.updatedMs) * limit.limit) / windowMs);
    bucket.updatedMs = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.#buckets.clear();
  }
}
