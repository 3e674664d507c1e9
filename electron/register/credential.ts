// The store register's credential: a random token IT issues once with posctl and copies into
// the register software. Only its SHA-256 is kept, in the OS keychain, so neither the keychain
// entry nor a log can be replayed; issuing again replaces it, revoking removes it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretStore } from '../secrets/secret-store';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** A new credential; the token is returned once and never stored. */
export async function issueRegisterCredential(secrets: SecretStore): Promise<string> {
  const token = `reg_${randomBytes(32).toString('base64url')}`;
  await secrets.set('register_credential_hash', digest(token).toString('hex'));
  return token;
}

export async function revokeRegisterCredential(secrets: SecretStore): Promise<boolean> {
  return secrets.delete('register_credential_hash');
}

export async function hasRegisterCredential(secrets: SecretStore): Promise<boolean> {
  return secrets.has('register_credential_hash');
}

/**
 * Checks a presented token against the stored hash, reading the keychain at most every
 * `ttlMs` so a revoke by posctl takes effect within seconds without a restart.
 */
export class RegisterCredentialCheck {
  readonly #secrets: SecretStore;
  readonly #ttlMs: number;
  #cached: { hash: Buffer | null; at: number } | null = null;

  constructor(secrets: SecretStore, ttlMs = 5_000) {
    this.#secrets = secrets;
    this.#ttlMs = ttlMs;
  }

  async #hash(): Promise<Buffer | null> {
    const now = Date.now();
    if (this.#cached && now - this.#cached.at < this.#ttlMs) return this.#cached.hash;
    const hex = await this.#secrets.get('register_credential_hash');
    const hash = hex && /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
    this.#cached = { hash, at: now };
    return hash;
  }

  async accepts(token: string | null): Promise<boolean> {
    const stored = await this.#hash();
    // Hashing first makes the comparison length-independent of what was presented.
    const given = digest(token ?? '');
    return stored !== null && token !== null && timingSafeEqual(given, stored);
  }
}
