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
  secrets: SecretStore;
  log: Logger;
  /** The store's preset, when one is installed (its till ids and stacking rules). */
  preset: StorePreset | null;
}

/** The same data dir, settings file and keychain namespace as the app (POS_DATA_DIR honoured). */
export function createCliContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  const dataDir = resolveDataDir({ env });
  ensureDataDir(dataDir);
  const settings = new SettingsStore(dataDir.path);
  return {
    dataDir,
    settings,
    secrets: new KeytarSecretStore(settings.read().profileId),
    log: createLogger({ dir: dataDir.path }),
    preset: loadStorePreset({ env }).preset,
  };
}
