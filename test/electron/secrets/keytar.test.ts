import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { KeychainError } from '../../../electron/secrets/secret-store';

// Runs against the real gnome-keyring that scripts/test.sh starts in a private D-Bus session.
describe('SecretStore backed by keytar (real gnome-keyring)', () => {
  it('stores, reads back and deletes a secret', async () => {
    const store = new KeytarSecretStore(randomUUID());
    const value = `test-secret-${randomUUID()}`;
    expect(await store.has('apiv3_key')).toBe(false);
    await store.set('apiv3_key', value);
    expect(await store.get('apiv3_key')).toBe(value);
    expect(await store.has('apiv3_key')).toBe(true);
    expect(await store.delete('apiv3_key')).toBe(true);
    expect(await store.get('apiv3_key')).toBeNull();
    expect(await store.delete('apiv3_key')).toBe(false);
  });

  it('keeps profiles apart', async () => {
    const a = new KeytarSecretStore(randomUUID());
    const b = new KeytarSecretStore(randomUUID());
    await a.set('merchant_private_key', 'A');
    expect(await b.get('merchant_private_key')).toBeNull();
    await a.delete('merchant_private_key');
  });

  it('ping proves a round trip and leaves nothing behind', async () => {
    const profile = randomUUID();
    await new KeytarSecretStore(profile).ping();
    const keytar = (await import('keytar')).default;
    const left = await keytar.findCredentials('busifavor-till');
    expect(left.filter((c) => c.account.startsWith(profile))).toEqual([]);
  });

  it('reports an unreachable keychain as a KeychainError, without the secret', async () => {
    // A separate process with no D-Bus session: the real failure a till without a keyring sees.
    const script = `
      import { KeytarSecretStore } from './electron/secrets/keytar-store.ts';
      try { await new KeytarSecretStore('p').set('apiv3_key', 'SECRET-VALUE-123'); console.log('stored'); }
      catch (e) { console.log(JSON.stringify({ name: e.name, reason: e.reason, message: e.message })); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.name).toBe('KeychainError');
    expect(out.reason).toBe('unreachable');
    expect(out.message).not.toContain('SECRET-VALUE-123');
    expect(new KeychainError('x', 'locked')).toBeInstanceOf(Error);
  });
});
