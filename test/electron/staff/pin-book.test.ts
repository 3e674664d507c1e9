import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { SqliteLockStore, type LockState } from '../../../electron/staff/lock-store';
import { PinBook, TRAINING_MANAGER } from '../../../electron/staff/pin-book';
import { tempDir } from '../../helpers/context';

// Against the real keychain (gnome-keyring in the test session), one profile per test.
let n = 0;
const store = () => new KeytarSecretStore(`pin-test-${process.pid}-${Date.now()}-${n++}`);

function book(lock = {}) {
  let now = 1_000_000;
  const secrets = store();
  const pins = new PinBook(secrets, { clock: () => now, lock });
  return { pins, secrets, advance: (ms: number) => (now += ms) };
}

describe('PinBook', () => {
  it('checks a PIN it was given, refuses others, and keeps only a salted hash in the keychain', async () => {
    const { pins, secrets } = book();
    await pins.set('M01', '482913');
    expect(await pins.check('M01', '482913', { training: false })).toEqual({ ok: true, managerId: 'M01' });
    expect(await pins.check('M01', '482914', { training: false })).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await pins.check('M02', '482913', { training: false })).toMatchObject({ ok: false, reason: 'wrong' });
    const raw = (await secrets.get('manager_pin_hash'))!;
    expect(raw).not.toContain('482913');
    await pins.set('M02', '482913');
    const entries = JSON.parse((await secrets.get('manager_pin_hash'))!);
    // Same PIN, different salt: the hashes differ, so one manager's PIN does not reveal another's.
    expect(entries.M01.hash).not.toBe(entries.M02.hash);
    expect(await pins.list()).toEqual([expect.objectContaining({ managerId: 'M01' }), expect.objectContaining({ managerId: 'M02' })]);
    expect(JSON.stringify(await pins.list())).not.toContain(entries.M01.hash);
    await secrets.delete('manager_pin_hash');
  });

  it('refuses ids and PINs a till keypad could not type, before touching the keychain', async () => {
    const { pins } = book();
    await expect(pins.set('M 01', '1234')).rejects.toThrow(/manager id/);
    await expect(pins.set('M01', '123')).rejects.toThrow(/4–12 digits/);
    await expect(pins.set('M01', '12ab')).rejects.toThrow(/4–12 digits/);
    expect(await pins.list()).toEqual([]);
  });

  it('locks after five wrong PINs, doubling the wait, and a right PIN during the lock is still refused', async () => {
    const { pins, secrets, advance } = book({ freeAttempts: 5, firstLockMs: 30_000 });
    await pins.set('M01', '2468');
    const left = [];
    for (let i = 0; i < 4; i++) left.push(((await pins.check('M01', '0000', { training: false })) as { attemptsLeft: number }).attemptsLeft);
    expect(left).toEqual([4, 3, 2, 1]);
    expect(await pins.check('M01', '0000', { training: false })).toEqual({ ok: false, reason: 'locked', retryAfterMs: 30_000 });
    advance(10_000);
    expect(await pins.check('M01', '2468', { training: false })).toEqual({ ok: false, reason: 'locked', retryAfterMs: 20_000 });
    advance(20_000);
    for (let i = 0; i < 4; i++) await pins.check('M01', '1111', { training: false });
    expect(await pins.check('M01', '1111', { training: false })).toMatchObject({ reason: 'locked', retryAfterMs: 60_000 });
    advance(60_000);
    expect(await pins.check('M01', '2468', { training: false })).toEqual({ ok: true, managerId: 'M01' });
    // Success forgives: the next lock starts from the first length again.
    for (let i = 0; i < 5; i++) await pins.check('M01', '1111', { training: false });
    expect(await pins.check('M01', '2468', { training: false })).toMatchObject({ reason: 'locked', retryAfterMs: 30_000 });
    await secrets.delete('manager_pin_hash');
  });

  it('a new PinBook on the same lock store (the app restarted, or posctl) is still locked', async () => {
    let now = 5_000_000;
    const secrets = store();
    const dir = tempDir();
    const first = new PinBook(secrets, { clock: () => now, lockStore: new SqliteLockStore(dir) });
    await first.set('M01', '2468');
    for (let i = 0; i < 5; i++) await first.check('M01', '1111', { training: false });
    const lockStore = new SqliteLockStore(dir);
    const second = new PinBook(secrets, { clock: () => now, lockStore });
    expect(await second.check('M01', '2468', { training: false })).toMatchObject({ ok: false, reason: 'locked' });
    now += 30_000;
    expect(await second.check('M01', '2468', { training: false })).toEqual({ ok: true, managerId: 'M01' });
    let saved: LockState | undefined;
    lockStore.update((st) => (saved = st));
    expect(saved).toMatchObject({ failures: 0, locks: 0 });
    await secrets.delete('manager_pin_hash');
  });

  it('200 attempts at once, the right PIN last: nobody gets in and at most five PINs are checked before the lock', async () => {
    const { pins, secrets } = book();
    await pins.set('M01', '482913');
    const wrong = Array.from({ length: 199 }, (_, i) => String(100_000 + i));
    const answers = await Promise.all([...wrong, '482913'].map((pin) => pins.check('M01', pin, { training: false })));
    expect(answers.filter((a) => a.ok)).toEqual([]);
    const checked = answers.filter((a) => !a.ok && (a.reason === 'wrong' || a.reason === 'no_pins'));
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(answers.at(-1)).toMatchObject({ ok: false, reason: 'locked' });
    // The lock holds afterwards too: the right PIN alone is refused.
    expect(await pins.check('M01', '482913', { training: false })).toMatchObject({ ok: false, reason: 'locked' });
    await secrets.delete('manager_pin_hash');
  });

  it('spreading the attempts over many manager ids, or over two processes sharing the lock, checks no more', async () => {
    const secrets = store();
    const dir = tempDir();
    const a = new PinBook(secrets, { lockStore: new SqliteLockStore(dir) });
    const b = new PinBook(secrets, { lockStore: new SqliteLockStore(dir) });
    await a.set('M01', '482913');
    for (let i = 0; i < 40; i++) await a.set(`X${i}`, '999999');
    const attempts = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).check(i === 199 ? 'M01' : `X${i % 40}`, i === 199 ? '482913' : '111111', { training: false }));
    const answers = await Promise.all(attempts);
    expect(answers.filter((x) => x.ok)).toEqual([]);
    expect(answers.filter((x) => !x.ok && x.reason === 'wrong').length).toBeLessThanOrEqual(5);
    expect(await a.check('M01', '482913', { training: false })).toMatchObject({ ok: false, reason: 'locked' });
    await secrets.delete('manager_pin_hash');
  }, 60_000);

  it('a double press by the manager is forgiven by the right PIN', async () => {
    const { pins, secrets } = book();
    await pins.set('M01', '2468');
    const [first, second] = await Promise.all([pins.check('M01', '2468', { training: false }), pins.check('M01', '2468', { training: false })]);
    expect(first).toEqual({ ok: true, managerId: 'M01' });
    expect(second).toMatchObject({ ok: false, reason: 'busy' });
    const left = [];
    for (let i = 0; i < 4; i++) left.push(((await pins.check('M01', '0000', { training: false })) as { attemptsLeft: number }).attemptsLeft);
    expect(left).toEqual([4, 3, 2, 1]);
    await secrets.delete('manager_pin_hash');
  });

  it('an unknown manager id costs a hash like a known one, so timing does not reveal which ids exist', async () => {
    const { pins, secrets } = book({ freeAttempts: 100 });
    await pins.set('M01', '2468');
    // CPU time, not wall time: what the check costs this process, whatever else the machine does.
    const cpu = async (managerId: string) => {
      const before = process.cpuUsage();
      for (let i = 0; i < 3; i++) expect(await pins.check(managerId, '135790', { training: false })).toMatchObject({ ok: false, reason: 'wrong' });
      const used = process.cpuUsage(before);
      return used.user + used.system;
    };
    const known = await cpu('M01');
    const unknown = await cpu('NOBODY');
    expect(unknown).toBeGreaterThan(known / 2);
    await secrets.delete('manager_pin_hash');
  });

  it('admits the practice manager only while training, and says when no PIN is set at all', async () => {
    const { pins } = book();
    expect(await pins.check(TRAINING_MANAGER.managerId, TRAINING_MANAGER.pin, { training: true })).toEqual({ ok: true, managerId: 'TRAIN' });
    expect(await pins.check(TRAINING_MANAGER.managerId, TRAINING_MANAGER.pin, { training: false })).toMatchObject({ ok: false, reason: 'no_pins' });
    expect(await pins.check(TRAINING_MANAGER.managerId, '9999', { training: true })).toMatchObject({ ok: false, reason: 'wrong' });
  });

  it('a damaged keychain entry is an error, not an empty list that would lock every manager out unnoticed', async () => {
    const { pins, secrets } = book();
    await secrets.set('manager_pin_hash', '{"M01":{"salt":1}}');
    await expect(pins.list()).rejects.toThrow(/damaged/);
    await expect(pins.check('M01', '1234', { training: false })).rejects.toThrow(/damaged/);
    await secrets.delete('manager_pin_hash');
  });

  it('removing the last manager deletes the keychain entry', async () => {
    const { pins, secrets } = book();
    await pins.set('M01', '1234');
    expect(await pins.remove('M09')).toBe(false);
    expect(await pins.remove('M01')).toBe(true);
    expect(await secrets.has('manager_pin_hash')).toBe(false);
  });
});
