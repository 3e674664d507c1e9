// Stock rules (type, value, threshold, validity windows) cached on the till with a TTL. Fresh
// entries answer without a network call; when WeChat Pay cannot be reached, an expired entry
// still answers (marked stale) — that is what lets the till judge a coupon offline.
import type { StockOut } from '../../shared/busifavor';
import type { BusifavorClient } from '../busifavor';
import { withoutFsync, type JournalDatabase } from '../queue/database';
import { WechatPayError } from '../wechatpay';

export interface CachedStock {
  stock: StockOut;
  fetchedAt: number;
  /** `fresh`: fetched just now; `cache`: within the TTL; `stale`: older, used because the fetch failed. */
  source: 'fresh' | 'cache' | 'stale';
}

export const DEFAULT_STOCK_TTL_MS = 10 * 60_000;

export class StockCache {
  readonly #db: JournalDatabase;
  readonly #client: Pick<BusifavorClient, 'call'> | undefined;
  readonly #clock: () => number;
  readonly ttlMs: number;

  constructor(options: { db: JournalDatabase; client?: Pick<BusifavorClient, 'call'>; clock?: () => number; ttlMs?: number }) {
    this.#db = options.db;
    this.#client = options.client;
    this.#clock = options.clock ?? Date.now;
    this.ttlMs = options.ttlMs ?? DEFAULT_STOCK_TTL_MS;
  }

  /** What is cached, however old; never touches the network. */
  peek(stockId: string): CachedStock | undefined {
    const row = this.#db.prepare('SELECT data, fetched_at FROM stock_cache WHERE stock_id = ?').get(stockId) as { data: string; fetched_at: number } | undefined;
    if (!row) return undefined;
    const fresh = this.#clock() - row.fetched_at < this.ttlMs;
    return { stock: JSON.parse(row.data) as StockOut, fetchedAt: row.fetched_at, source: fresh ? 'cache' : 'stale' };
  }

  put(stock: StockOut): CachedStock {
    const now = this.#clock();
    withoutFsync(this.#db, () =>
      this.#db
        .prepare(
          'INSERT INTO stock_cache (stock_id, data, fetched_at) VALUES (?, ?, ?) ON CONFLICT (stock_id) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at',
        )
        .run(stock.stock_id, JSON.stringify(stock), now),
    );
    return { stock, fetchedAt: now, source: 'fresh' };
  }

  /**
   * The stock's rules: from the cache within the TTL, else fetched. If fetching fails for a
   * reason other than WeChat's refusal (network, timeout, 5xx), a stale entry is returned.
   * Throws when there is nothing usable.
   */
  async get(stockId: string, options: { refresh?: boolean } = {}): Promise<CachedStock> {
    const cached = this.peek(stockId);
    if (cached && cached.source === 'cache' && !options.refresh) return cached;
    if (!this.#client) {
      if (cached) return cached;
      throw new WechatPayError({ kind: 'configuration', code: 'NO_CLIENT', message: 'no WeChat Pay client configured and the stock is not cached' });
    }
    let fetched: StockOut;
    try {
      fetched = (await this.#client.call('stocks.get', { path: { stock_id: stockId } })).data;
    } catch (err) {
      const refused = err instanceof WechatPayError && err.kind === 'rejected';
      if (cached && !refused) return cached;
      throw err;
    }
    try {
      return this.put(fetched);
    } catch {
      // A cache that cannot be written (full disk) must not hide rules just fetched; the
      // journal write that comes next is where the till says what is wrong.
      return { stock: fetched, fetchedAt: this.#clock(), source: 'fresh' };
    }
  }

  list(): CachedStock[] {
    const now = this.#clock();
    return (this.#db.prepare('SELECT data, fetched_at FROM stock_cache ORDER BY stock_id').all() as { data: string; fetched_at: number }[]).map((r) => ({
      stock: JSON.parse(r.data) as StockOut,
      fetchedAt: r.fetched_at,
      source: now - r.fetched_at < this.ttlMs ? 'cache' : 'stale',
    }));
  }
}
