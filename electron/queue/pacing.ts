// When the drainer may send: exponential backoff with full jitter between attempts of one
// operation, and a token bucket per endpoint that keeps the till below WeChat's documented
// QPS. Time and randomness are injected so tests can pin both.
import type { EndpointId } from '../../shared/busifavor';
import { getEndpoint } from '../../shared/busifavor';

/** Timers the drainer uses; the default is the real clock. */
export interface Scheduler {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return t;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * Full jitter ("sleep = random(0, min(cap, base·2^(n−1)))"): retries from many tills spread
 * out instead of arriving together when WeChat Pay comes back. `failures` counts the failed
 * attempts so far (1 after the first failure).
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 40)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * exp);
}

export interface RateSpec {
  /** Requests per second. */
  perSecond: number;
  /** Requests allowed back to back (bucket size). */
  burst: number;
}

/** Share of the documented limit the till uses: other tills and the merchant's back office share it too. */
export const DOCUMENTED_SHARE = 0.8;
/** For endpoints without a documented limit (the simulator enforces 100/s there: docs/wechatpay/busifavor.md#rate-limits). */
export const UNDOCUMENTED_PER_SECOND = 50;

export function defaultRate(id: EndpointId): RateSpec {
  const limit = getEndpoint(id).rateLimit;
  const perSecond = limit ? (limit.per === 'second' ? limit.limit : limit.limit / 60) * DOCUMENTED_SHARE : UNDOCUMENTED_PER_SECOND;
  // A tenth of a second's worth at once: enough to keep connections busy, never a spike.
  return { perSecond, burst: Math.max(1, Math.floor(perSecond / 10)) };
}

export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly spec: RateSpec,
    now: number,
  ) {
    this.#tokens = spec.burst;
    this.#last = now;
  }

  #refill(now: number): void {
    if (now > this.#last) {
      this.#tokens = Math.min(this.spec.burst, this.#tokens + ((now - this.#last) * this.spec.perSecond) / 1000);
      this.#last = now;
    }
  }

  /** Takes a token and returns 0, or returns how many ms until one is available. */
  take(now: number): number {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) * 1000) / this.spec.perSecond);
  }
}

/** One token bucket per endpoint, so the drainer stays under the rate WeChat allows each one. */
export class EndpointPacer {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly overrides: Partial<Record<EndpointId, RateSpec>> = {},
    private readonly now: () => number = Date.now,
  ) {}

  take(id: EndpointId): number {
    let bucket = this.#buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket(this.overrides[id] ?? defaultRate(id), this.now());
      this.#buckets.set(id, bucket);
    }
    return bucket.take(this.now());
  }
}
