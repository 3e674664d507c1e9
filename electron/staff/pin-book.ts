// Managers' PINs. A PIN is short, so what is kept is a salted scrypt hash, and it is kept in
// the OS keychain (one entry, all managers of this profile) rather than in a settings file a
// cashier could copy. Wrong PINs lock the door for a while, doubling each time, so a
// four-digit PIN cannot be walked through at the till.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { rememberSecret } from '../log/known-secrets';
import type { SecretStore } from '../secrets/secret-store';
import { memoryLockStore, type LockState, type LockStore } from './lock-store';

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

/** Checks running at once in this process: each scrypt takes 16 MiB and ~100 ms of a core. */
const MAX_PARALLEL_CHECKS = 2;
/** What a caller refused because a check is already running is told to wait. */
const BUSY_RETRY_MS = 1_000;

export type PinCheck =
  | { ok: true; managerId: string }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'no_pins'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; retryAfterMs: number }
  /** Another check for this manager (or too many at once) was running: refused unchecked, and counted. */
  | { ok: false; reason: 'busy'; retryAfterMs: number };

type Verdict = 'right' | 'wrong' | 'no_pins';

export class PinBook {
  readonly #secrets: SecretStore;
  readonly #clock: () => number;
  readonly #lock: LockPolicy;
  readonly #lockStore: LockStore;
  /** Hashed against when the id is unknown; matches no PIN. */
  readonly #decoy = { salt: randomBytes(16).toString('base64'), hash: randomBytes(32).toString('base64') };
  /** Manager ids whose PIN is being checked in this process right now. */
  readonly #checking = new Set<string>();

  constructor(secrets: SecretStore, options: { clock?: () => number; lock?: Partial<LockPolicy>; lockStore?: LockStore } = {}) {
    this.#secrets = secrets;
    this.#clock = options.clock ?? Date.now;
    this.#lock = { ...DEFAULT_LOCK, ...options.lock };
    this.#lockStore = options.lockStore ?? memoryLockStore();
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
    rememberSecret(pin);
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

  /**
   * Checks a PIN; `training` also admits the training manager. Every attempt counts as a
   * failure from the moment it arrives, before anything is awaited, and only a right answer
   * forgives: so attempts sent all at once cannot slip past the lock. One check runs per
   * manager (and a few at most in all); an attempt that arrives meanwhile is refused unchecked
   * and stays counted, so a flood locks the door after at most `freeAttempts` checks.
   */
  async check(managerId: string, pin: string, options: { training: boolean }): Promise<PinCheck> {
    const refused = this.#begin(managerId);
    if (refused) return refused;
    let verdict: Verdict | undefined;
    try {
      verdict = await this.#verify(managerId, pin, options);
    } finally {
      this.#checking.delete(managerId);
      // The keychain failed: no answer was given, so the attempt gives its count back.
      if (verdict === undefined) this.#lockStore.update((s) => ({ ...s, failures: Math.max(0, s.failures - 1) }));
    }
    return this.#settle(managerId, verdict);
  }

  /** Synchronous on purpose: nothing else runs between the count and the decision. */
  #begin(managerId: string): PinCheck | null {
    const now = this.#clock();
    let refused: PinCheck | null = null;
    this.#lockStore.update((s) => {
      if (now < s.lockedUntil) {
        refused = { ok: false, reason: 'locked', retryAfterMs: s.lockedUntil - now };
        return s;
      }
      const counted = { ...s, failures: s.failures + 1 };
      const free = !this.#checking.has(managerId) && this.#checking.size < MAX_PARALLEL_CHECKS && counted.failures <= this.#lock.freeAttempts;
      if (free) return counted;
      // Refused unchecked; counted all the same. Checks still running may yet be right, so
      // only the attempts that are settled decide the lock (a count left by a process that
      // died mid-check, or held by another process, is settled as far as this one knows).
      if (counted.failures - this.#checking.size < this.#lock.freeAttempts) {
        refused = { ok: false, reason: 'busy', retryAfterMs: BUSY_RETRY_MS };
        return counted;
      }
      const next = this.#locked(counted, now);
      refused = { ok: false, reason: 'locked', retryAfterMs: next.lockedUntil - now };
      return next;
    });
    if (!refused) this.#checking.add(managerId);
    return refused;
  }

  async #verify(managerId: string, pin: string, options: { training: boolean }): Promise<Verdict> {
    const book = await this.#read();
    if (options.training && managerId === TRAINING_MANAGER.managerId && !(managerId in book)) return pin === TRAINING_MANAGER.pin ? 'right' : 'wrong';
    const entry = book[managerId];
    // An unknown id costs a hash all the same, so the time taken does not tell which ids exist.
    const { salt, hash } = entry ?? this.#decoy;
    const expected = Buffer.from(hash, 'base64');
    const actual = await scrypt(pin, Buffer.from(salt, 'base64'), expected.length, COST);
    if (!entry) return Object.keys(book).length === 0 ? 'no_pins' : 'wrong';
    if (!timingSafeEqual(actual, expected)) return 'wrong';
    rememberSecret(pin);
    return 'right';
  }

  #settle(managerId: string, verdict: Verdict): PinCheck {
    const now = this.#clock();
    let result: PinCheck = { ok: true, managerId };
    this.#lockStore.update((s) => {
      if (now < s.lockedUntil) {
        // The lock fell while this attempt was being checked: nobody gets in, whatever the answer.
        result = { ok: false, reason: 'locked', retryAfterMs: s.lockedUntil - now };
        return { ...s, failures: Math.max(0, s.failures - 1) };
      }
      // A right PIN forgives every settled failure; checks still running keep their count.
      if (verdict === 'right') return { failures: this.#checking.size, lockedUntil: s.lockedUntil, locks: 0 };
      if (s.failures - this.#checking.size < this.#lock.freeAttempts) {
        result = { ok: false, reason: verdict === 'no_pins' ? 'no_pins' : 'wrong', attemptsLeft: Math.max(0, this.#lock.freeAttempts - s.failures) };
        return s;
      }
      const next = this.#locked(s, now);
      result = { ok: false, reason: 'locked', retryAfterMs: next.lockedUntil - now };
      return next;
    });
    return result;
  }

  /** Locks now; checks still running keep their count for when the lock ends. */
  #locked(s: LockState, now: number): LockState {
    const ms = Math.min(this.#lock.maxLockMs, this.#lock.firstLockMs * 2 ** s.locks);
    return { failures: this.#checking.size, lockedUntil: now + ms, locks: s.locks + 1 };
  }
}
