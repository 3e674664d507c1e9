// The store's offline redemption policy, set by a manager: either off (nothing is accepted
// while WeChat Pay cannot be reached) or on with limits that cap what the store can lose if
// coupons accepted offline are later refused. Kept in journal.sqlite so the till, posctl and
// the shift report read the same values.
import { OfflinePolicy } from '../../shared/contract/manager';
import type { JournalDatabase } from '../queue/database';
import { refusals, type Refusal } from './refusals';

// The schema lives in the contract: the desk, posctl and this store validate against the same one.
export { OfflinePolicy };

export const OFFLINE_OFF: OfflinePolicy = { mode: 'off' };

export interface OfflineRequest {
  discountFen: number;
  /** What this shift has already accepted offline. */
  shiftUsage: { count: number; totalFen: number };
  /** Last state this till saw for the coupon, if any. */
  knownState: string | null;
}

/**
 * Whether a coupon that passed the threshold and validity checks may be accepted without
 * WeChat Pay. The caller judged validity on the cached rules (no cached rules: no offline
 * acceptance at all); this adds the store's limits.
 */
export function judgeOffline(policy: OfflinePolicy, req: OfflineRequest): { ok: true } | { ok: false; reason: Refusal } {
  if (policy.mode === 'off') return { ok: false, reason: refusals.offline() };
  if (req.knownState !== null && req.knownState !== 'SENDED') return { ok: false, reason: refusals.offlineStateUnknown(req.knownState) };
  if (req.discountFen > policy.maxDiscountPerCouponFen) return { ok: false, reason: refusals.offlineDiscountLimit(req.discountFen, policy.maxDiscountPerCouponFen) };
  if (req.shiftUsage.count + 1 > policy.maxCountPerShift) return { ok: false, reason: refusals.offlineCountLimit(policy.maxCountPerShift) };
  if (req.shiftUsage.totalFen + req.discountFen > policy.maxTotalPerShiftFen) {
    return { ok: false, reason: refusals.offlineTotalLimit(req.shiftUsage.totalFen, req.discountFen, policy.maxTotalPerShiftFen) };
  }
  return { ok: true };
}

const KEY = 'offline_policy';

export class OfflinePolicyStore {
  readonly #db: JournalDatabase;
  readonly #clock: () => number;

  constructor(db: JournalDatabase, clock: () => number = Date.now) {
    this.#db = db;
    this.#clock = clock;
  }

  /** The current policy; off until a manager sets one (or if the stored value is unreadable). */
  get(): OfflinePolicy {
    const row = this.#db.prepare('SELECT value FROM pos_settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    if (!row) return OFFLINE_OFF;
    try {
      const parsed = OfflinePolicy.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : OFFLINE_OFF;
    } catch {
      return OFFLINE_OFF;
    }
  }

  /** The policy with who set it and when (null while the default applies). */
  describe(): { policy: OfflinePolicy; updatedBy: string | null; updatedAt: number | null } {
    const row = this.#db.prepare('SELECT updated_at, updated_by FROM pos_settings WHERE key = ?').get(KEY) as { updated_at: number; updated_by: string } | undefined;
    return { policy: this.get(), updatedBy: row?.updated_by ?? null, updatedAt: row?.updated_at ?? null };
  }

  /** Manager-only; throws a ZodError for an invalid policy. */
  set(policy: OfflinePolicy, managerId: string): OfflinePolicy {
    const valid = OfflinePolicy.parse(policy);
    this.#db
      .prepare(
        'INSERT INTO pos_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      )
      .run(KEY, JSON.stringify(valid), this.#clock(), managerId);
    return valid;
  }
}
