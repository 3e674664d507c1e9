import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as KeytarModule from 'keytar';
import { rememberSecret } from '../log/known-secrets';
import { KeychainError, type SecretName, type SecretStore } from './secret-store';

type Keytar = typeof KeytarModule;

export const KEYCHAIN_SERVICE = 'busifavor-till';

let keytar: Keytar | undefined;
function loadKeytar(): Keytar {
  // Loaded lazily: a till whose keychain library is missing still starts (in training mode).
  keytar ??= createRequire(import.meta.url)('keytar') as Keytar;
  return keytar;
}

/** keytar-backed store; accounts are `<profileId>/<name>` so profiles never share a key. */
export class KeytarSecretStore implements SecretStore {
  constructor(
    private readonly profileId: string,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}

  private account(name: string) {
    return `${this.profileId}/${name}`;
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      // keytar's messages name the D-Bus or OS failure, never the secret itself.
      const text = err instanceof Error ? err.message : String(err);
      const reason = /locked|prompt|dismissed/i.test(text) ? 'locked' : /denied|not allowed/i.test(text) ? 'denied' : 'unreachable';
      throw new KeychainError(`keychain ${reason}: ${text.split('\n')[0]}`, reason);
    }
  }

  set(name: SecretName, value: string) {
    rememberSecret(value);
    return this.guard(() => loadKeytar().setPassword(this.service, this.account(name), value));
  }
  async get(name: SecretName) {
    const value = await this.guard(() => loadKeytar().getPassword(this.service, this.account(name)));
    rememberSecret(value);
    return value;
  }
  async has(name: SecretName) {
    return (await this.get(name)) !== null;
  }
  delete(name: SecretName) {
    return this.guard(() => loadKeytar().deletePassword(this.service, this.account(name)));
  }
  async ping() {
    const probe = randomBytes(8).toString('hex');
    const account = this.account(`probe-${probe}`);
    await this.guard(async () => {
      const kt = loadKeytar();
      await kt.setPassword(this.service, account, probe);
      const back = await kt.getPassword(this.service, account);
      await kt.deletePassword(this.service, account);
      if (back !== probe) throw new Error('read back a different value');
    });
  }
}
