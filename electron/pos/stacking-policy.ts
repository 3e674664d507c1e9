// The store's rules for several coupons on one order. The store's installer may preset them;
// a manager may change them at the till (kept in journal.sqlite with who and when, so the
// till, posctl and the report read the same rules); otherwise the defaults below apply.
import { StackingPolicy } from '../../shared/contract/order';
import type { JournalDatabase } from '../queue/database';

/**
 * Up to five coupons per order, two of one stock allowed (a customer may hold several), each
 * coupon's minimum checked against what is left to pay after the earlier ones — so ¥100 with
 * two 满100减20 coupons takes one, not two — and an order number only where the store asks.
 */
export const DEFAULT_STACKING: StackingPolicy = { maxCouponsPerOrder: 5, sameStockTwice: true, thresholdBasis: 'remaining', requireOrderNumber: false };

const KEY = 'stacking_policy';

export interface StackingPolicyRecord {
  policy: StackingPolicy;
  source: 'default' | 'preset' | 'manager';
  updatedBy: string | null;
  updatedAt: number | null;
}

export class StackingPolicyStore {
  readonly #db: JournalDatabase;
  readonly #preset: StackingPolicy | undefined;
  readonly #clock: () => number;

  constructor(db: JournalDatabase, preset: StackingPolicy | undefined, clock: () => number = Date.now) {
    this.#db = db;
    this.#preset = preset;
    this.#clock = clock;
  }

  describe(): StackingPolicyRecord {
    const row = this.#db.prepare('SELECT value, updated_at, updated_by FROM pos_settings WHERE key = ?').get(KEY) as
      { value: string; updated_at: number; updated_by: string | null } | undefined;
    if (row) {
      try {
        const parsed = StackingPolicy.safeParse(JSON.parse(row.value));
        if (parsed.success) return { policy: parsed.data, source: 'manager', updatedBy: row.updated_by, updatedAt: row.updated_at };
      } catch {
        // An unreadable row falls back to the store's preset below, never to "anything goes".
      }
    }
    if (this.#preset) return { policy: this.#preset, source: 'preset', updatedBy: null, updatedAt: null };
    return { policy: DEFAULT_STACKING, source: 'default', updatedBy: null, updatedAt: null };
  }

  get(): StackingPolicy {
    return this.describe().policy;
  }

  /** Manager-only; throws a ZodError for an invalid policy. */
  set(policy: StackingPolicy, managerId: string): StackingPolicyRecord {
    const valid = StackingPolicy.parse(policy);
    this.#db
      .prepare(
        'INSERT INTO pos_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      )
      .run(KEY, JSON.stringify(valid), this.#clock(), managerId);
    return this.describe();
  }
}
