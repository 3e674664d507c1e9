// One drainer per journal: the lock in the journal, held by renewing it before it lapses. A
// process that stalled longer than the lock lives (suspended, swapped out, a long pause) may
// find on waking that another process took over; it must then send nothing more, or two
// processes would send the same operations at once.
import { randomUUID } from 'node:crypto';
import type { Journal } from './journal';
import type { Scheduler } from './pacing';

export interface LockHolder {
  holder: string;
  pid: number;
  expiresAt: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the journal's drain lock unless another live process holds an unexpired one. Two
 * drainers would be safe (same request numbers) but would double the traffic and the writes.
 */
export function acquireDrainLock(journal: Journal, holder: string, ttlMs: number): { ok: true } | { ok: false; holder: LockHolder } {
  const { db } = journal;
  const now = journal.now();
  return db
    .transaction((): { ok: true } | { ok: false; holder: LockHolder } => {
      const row = db.prepare('SELECT holder, pid, expires_at FROM drain_lock WHERE id = 1').get() as { holder: string; pid: number; expires_at: number } | undefined;
      const free = !row || row.holder === holder || row.expires_at <= now || (row.pid !== process.pid && !processAlive(row.pid));
      if (!free && row) return { ok: false, holder: { holder: row.holder, pid: row.pid, expiresAt: row.expires_at } };
      db.prepare(
        'INSERT INTO drain_lock (id, holder, pid, expires_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, expires_at = excluded.expires_at',
      ).run(holder, process.pid, now + ttlMs);
      return { ok: true };
    })
    .immediate();
}

export function releaseDrainLock(journal: Journal, holder: string): void {
  journal.db.prepare('DELETE FROM drain_lock WHERE id = 1 AND holder = ?').run(holder);
}

export class DrainLockedError extends Error {
  constructor(readonly pid: number) {
    super(`another process (pid ${pid}) is draining this journal`);
    this.name = 'DrainLockedError';
  }
}

export interface DrainLockOptions {
  journal: Journal;
  scheduler: Scheduler;
  ttlMs: number;
  /** Lost (`held: false`, to `holderPid`) or taken back. */
  onChange: (change: { held: boolean; holderPid?: number }) => void;
  onJournalError: (err: unknown) => void;
}

export class DrainLock {
  readonly #holder = randomUUID();
  readonly #o: DrainLockOptions;
  /** Scheduler time until which the lock is known to hold. */
  #heldUntil = 0;
  #lostTo: LockHolder | null = null;

  constructor(options: DrainLockOptions) {
    this.#o = options;
  }

  /** Takes the lock or throws DrainLockedError. */
  take(): void {
    const now = this.#o.scheduler.now();
    const lock = acquireDrainLock(this.#o.journal, this.#holder, this.#o.ttlMs);
    if (!lock.ok) throw new DrainLockedError(lock.holder.pid);
    this.#heldUntil = now + this.#o.ttlMs;
    this.#lostTo = null;
  }

  /** Another process holds it now, or null. */
  get lostTo(): LockHolder | null {
    return this.#lostTo;
  }

  /**
   * Asked before anything is sent. A lock past half its life is renewed first, so a process
   * waking from a stall learns that another one took over before it sends a single request.
   */
  holds(): boolean {
    if (this.#lostTo === null && this.#o.scheduler.now() < this.#heldUntil - this.#o.ttlMs / 2) return true;
    return this.renew();
  }

  /** Renews (or takes back) the lock; false while another process holds it. */
  renew(): boolean {
    const now = this.#o.scheduler.now();
    let lock;
    try {
      lock = acquireDrainLock(this.#o.journal, this.#holder, this.#o.ttlMs);
    } catch (err) {
      // The lock could not even be written: nothing is sent on a lock that may have lapsed.
      this.#o.onJournalError(err);
      return this.#lostTo === null && now < this.#heldUntil;
    }
    if (lock.ok) {
      this.#heldUntil = now + this.#o.ttlMs;
      if (this.#lostTo !== null) {
        this.#lostTo = null;
        this.#o.onChange({ held: true });
      }
      return true;
    }
    if (this.#lostTo === null) {
      this.#lostTo = lock.holder;
      this.#o.onChange({ held: false, holderPid: lock.holder.pid });
    }
    return false;
  }

  release(): void {
    releaseDrainLock(this.#o.journal, this.#holder);
  }
}
