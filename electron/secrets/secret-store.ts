/** Names of the secrets this app keeps; nothing else may be stored. */
export const SecretName = ['merchant_private_key', 'apiv3_key', 'apiv2_key', 'manager_pin_hash', 'register_credential_hash', 'events_credential'] as const;
export type SecretName = (typeof SecretName)[number];

/**
 * The keychain behind a small interface (keytar today; Electron safeStorage could replace
 * it). `get` exists for the main process only: no IPC method or CLI command exposes it.
 */
export interface SecretStore {
  set(name: SecretName, value: string): Promise<void>;
  get(name: SecretName): Promise<string | null>;
  has(name: SecretName): Promise<boolean>;
  delete(name: SecretName): Promise<boolean>;
  /** Proves the keychain answers (round trip of a throwaway entry); throws with a reason if not. */
  ping(): Promise<void>;
}

export class KeychainError extends Error {
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'locked' | 'denied',
  ) {
    super(message);
    this.name = 'KeychainError';
  }
}
