import { createLogger, type Logger } from '../log/logger';
import { KeytarSecretStore } from '../secrets/keytar-store';
import type { SecretStore } from '../secrets/secret-store';
import { ensureDataDir, resolveDataDir, type DataDir } from '../settings/data-dir';
import { SettingsStore } from '../settings/settings';
import { loadStorePreset } from '../settings/store-preset';
import type { StorePreset } from '../../shared/store-preset';

export interface CliContext {
  dataDir: DataDir;
  settings: SettingsStore;
  /** The profile's namespace: the live merchant's keys and managers' PINs. */
  secrets: SecretStore;
  /** Any namespace (the practice merchant has its own). */
  secretsFor: (namespace: string) => SecretStore;
  log: Logger;
  /** The store's preset, when one is installed (its till ids and stacking rules). */
  preset: StorePreset | null;
}

/** The same data dir, settings file and keychain namespace as the app (POS_DATA_DIR honoured). */
export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const dataDir = resolveDataDir({ env });
  const notPrivate = ensureDataDir(dataDir);
  const settings = new SettingsStore(dataDir.path);
  const log = createLogger({ dir: dataDir.path });
  if (notPrivate.length > 0) log.warn('data_dir.not_private', { paths: notPrivate.slice(0, 20) });
  const secretsFor = (namespace: string) => new KeytarSecretStore(namespace);
  return { dataDir, settings, secrets: secretsFor(settings.read().profileId), secretsFor, log, preset: loadStorePreset({ env }).preset };
}
