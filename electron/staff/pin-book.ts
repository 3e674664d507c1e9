// Managers' PINs. A PIN is short, so what is kept is a salted scrypt hash, and it is kept in
// the OS keychain (one entry, all managers of this profile) rather than in a settings file a
// cashier could copy. Wrong PINs lock the door for a while, doubling each time, so a
// four-digit PIN cannot be walked through at the till.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { SecretStore } from '../secrets/secret-store';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number }) => Promise<Buffer>;

/** Manager ids are what goes in the journal and the shift report, so they are plain and short. */
export const ManagerId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a manager id is 1–32 letters, digits, _ or -');
/** 4 to 12 digits: typed on a till's numeric keypad. */
export const Pin = z.string().regex(/^\d{4,12}$/, 'a PIN is 4–12 digits');

const COST = { N: 2 ** 14, r: 8, p: 1 };
const HashEntry = z.object({ salt: z.string(), hash: z.string(), setAt: z.string() });
const Book = z.record(z.string(), HashEntry);
type Book = z.infer<typeof Book>;

/** The training simulator's manager: only ever accepted while the till trains. */
export const TRAINING_MANAGER = { managerId: 'TRAIN', pin: '0000' } as const;

export interface LockPolicy {
  /** Wrong PINs allowed before the first lock. */
  freeAttempts: number;
  firstLockMs: number;
  maxLockMs: number;
}
const DEFAULT_LOCK: LockPolicy = { freeAttempts: 5, firstLockMs: 30_000, maxLockMs: 15 * 60_000 };

/** The lock's memory, kept outside the process so that restarting the app does not reset it. */
export interface LockState {
  failures: number;
  lockedUntil: number;
  locks: number;
}
export interface LockStore {
  read(): LockState | null;
  write(state: LockState): void;
}

export type PinCheck =
  | { ok: true; managerId: string }
  | { ok: false; reason: 'wrong' | 'no_pins'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; retryAfterMs: number };

export class PinBook {
  readonly #secrets: SecretStore;
  readonly #clock: () => number;
  readonly #lock: LockPolicy;
  readonly #lockStore: LockStore | null;
  #failures = 0;
  #lockedUntil = 0;
  #locks = 0;

  constructor(secrets: SecretStore, options: { clock?: () => number; lock?: Partial<LockPolicy>; lockStore?: LockStore } = {}) {
    this.#secrets = secrets;
    this.#clock = options.clock ?? Date.now;
    this.#lock = { ...DEFAULT_LOCK, ...options.lock };
    this.#lockStore = options.lockStore ?? null;
    const saved = this.#lockStore?.read();
    if (saved) ({ failures: this.#failures, lockedUntil: this.#lockedUntil, locks: this.#locks } = saved);
  }

  #remember(): void {
    this.#lockStore?.write({ failures: this.#failures, lockedUntil: this.#lockedUntil, locks: this.#locks });
  }

  async #read(): Promise<Book> {
    const raw = await this.#secrets.get('manager_pin_hash');
    if (!raw) return {};
    const parsed = Book.safeParse(JSON.parse(raw));
    // A damaged entry must not silently become "no managers": that would lock everyone out unnoticed.
    if (!parsed.success) throw new Error('the managers’ PIN entry in the keychain is damaged; set the PINs again with posctl manager set-pin');
    return parsed.data;
  }

  async #write(book: Book): Promise<void> {
    if (Object.keys(book).length === 0) await this.#secrets.delete('manager_pin_hash');
    else await this.#secrets.set('manager_pin_hash', JSON.stringify(book));
  }

  async set(managerId: string, pin: string): Promise<void> {
    const id = ManagerId.parse(managerId);
    Pin.parse(pin);
    const salt = randomBytes(16);
    const hash = await scrypt(pin, salt, 32, COST);
    const book = await this.#read();
    book[id] = { salt: salt.toString('base64'), hash: hash.toString('base64'), setAt: new Date(this.#clock()).toISOString() };
    await this.#write(book);
  }

  async remove(managerId: string): Promise<boolean> {
    const book = await this.#read();
    if (!(managerId in book)) return false;
    delete book[managerId];
    await this.#write(book);
    return true;
  }

  /** Who has a PIN and since when; never the hashes. */
  async list(): Promise<{ managerId: string; setAt: string }[]> {
    return Object.entries(await this.#read()).map(([managerId, e]) => ({ managerId, setAt: e.setAt }));
  }

  /** Checks a PIN; `training` also admits the training manager. Every wrong answer counts toward the lock. */
  async check(managerId: string, pin: string, options: { training: boolean }): Promise<PinCheck> {
    const now = this.#clock();
    if (now < this.#lockedUntil) return { ok: false, reason: 'locked', retryAfterMs: this.#lockedUntil - now };
    const book = await this.#read();
    if (options.training && managerId === TRAINING_MANAGER.managerId && !(managerId in book)) {
      if (pin === TRAINING_MANAGER.pin) return this.#passed(managerId);
      return this.#failed('wrong');
    }
    const entry = book[managerId];
    if (!entry) return this.#failed(Object.keys(book).length === 0 ? 'no_pins' : 'wrong');
    const expected = Buffer.from(entry.hash, 'base64');
    const actual = await scrypt(pin, Buffer.from(entry.salt, 'base64'), expected.length, COST);
    return timingSafeEqual(actual, expected) ? this.#passed(managerId) : this.#failed('wrong');
  }

  #passed(managerId: string): PinCheck {
    if (this.#failures !== 0 || this.#locks !== 0) {
      this.#failures = 0;
      this.#locks = 0;
      this.#remember();
    }
    return { ok: true, managerId };
  }

  #failed(reason: 'wrong' | 'no_pins'): PinCheck {
    this.#failures += 1;
    if (this.#failures < this.#lock.freeAttempts) {
      this.#remember();
      return { ok: false, reason, attemptsLeft: this.#lock.freeAttempts - this.#failures };
    }
    const ms = Math.min(this.#lock.maxLockMs, this.#lock.firstLockMs * 2 ** this.#locks);
    this.#locks += 1;
    this.#failures = 0;
    this.#lockedUntil = this.#clock() + ms;
    this.#remember();
    return { ok: false, reason: 'locked', retryAfterMs: ms };
  }
}
