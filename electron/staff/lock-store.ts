// Where the manager-PIN lock is remembered: in the data dir, so restarting the app does not
// reset it, and in SQLite, so the app and every posctl process change it one at a time — an
// attempt counted by one process is seen by the next before it may check a PIN.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivate } from '../settings/data-dir';

/** The lock's memory. `failures` includes attempts still being checked (counted when they start). */
export interface LockState {
  failures: number;
  lockedUntil: number;
  locks: number;
}

export interface LockStore {
  /** Reads the state, applies `change` and writes the result, with no other change in between. */
  update(change: (state: LockState) => LockState): void;
}

export const UNLOCKED: LockState = { failures: 0, lockedUntil: 0, locks: 0 };

export const PIN_LOCK_FILE = 'pin-lock.sqlite';

/** For a PinBook that lives as long as its process (tests, a throwaway book). */
export function memoryLockStore(): LockStore {
  let state = UNLOCKED;
  return { update: (change) => void (state = change(state)) };
}

export class SqliteLockStore implements LockStore {
  readonly #db: Database.Database;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Owner-only from the start; SQLite gives its -journal file the same mode.
    createPrivate(join(dataDir, PIN_LOCK_FILE));
    this.#db = new Database(join(dataDir, PIN_LOCK_FILE));
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec('CREATE TABLE IF NOT EXISTS pin_lock (id INTEGER PRIMARY KEY CHECK (id = 1), failures INTEGER NOT NULL, locked_until INTEGER NOT NULL, locks INTEGER NOT NULL)');
  }

  update(change: (state: LockState) => LockState): void {
    // IMMEDIATE: the write lock is taken before the read, so two processes cannot both read the old count.
    this.#db
      .transaction(() => {
        const row = this.#db.prepare('SELECT failures, locked_until AS lockedUntil, locks FROM pin_lock WHERE id = 1').get() as LockState | undefined;
        const next = change(row ?? UNLOCKED);
        this.#db
          .prepare(
            'INSERT INTO pin_lock (id, failures, locked_until, locks) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, locks = excluded.locks',
          )
          .run(next.failures, next.lockedUntil, next.locks);
      })
      .immediate();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
