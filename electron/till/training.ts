import { join } from 'node:path';
import { provisionMerchant, sourceFromCredentials } from '../merchant/provision';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings';
import { startSimulator, type RunningSimulator } from '../simulator';
import { writeFileAtomic } from '../simulator/credentials';

export const TRAINING_DIR = 'training-simulator';
/** In TRAINING_DIR: the running simulator's base URL and admin token. */
export const ADMIN_FILE = 'admin.json';

/**
 * Training mode: the embedded simulator on loopback, with its state kept in the data dir, and
 * the till provisioned against it. Provisioning is repeated on every start because the
 * simulator's port and keys change.
 */
export async function startTrainingBackend(deps: { dataDir: string; settings: SettingsStore; secretsFor: (namespace: string) => SecretStore }): Promise<RunningSimulator> {
  // The state (coupons redeemed in training stay redeemed) persists; the keys do not: fresh ones
  // each start, so no private key file ever sits in the till's data dir.
  const stateDir = join(deps.dataDir, TRAINING_DIR);
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey', stateDir, persistKeys: false });
  try {
    // Where store IT and the end-to-end tests find the practice simulator's admin API: in the
    // data dir, owner-only, never in anything a page can read.
    writeFileAtomic(join(stateDir, ADMIN_FILE), JSON.stringify({ base_url: sim.url, admin_token: sim.adminToken }));
    await provisionMerchant(sourceFromCredentials(sim.credentials, { training: true }), deps);
  } catch (err) {
    await sim.close();
    throw err;
  }
  return sim;
}

/** Stock ids the simulator seeded, so the training till can value coupons of every type. */
export function seededStockIds(seed: unknown): string[] {
  const stocks = (seed as { stocks?: { stock_id?: unknown }[] } | null)?.stocks ?? [];
  return stocks.map((s) => s.stock_id).filter((id): id is string => typeof id === 'string');
}

/** The openids of the simulator's seeded customers. */
export function trainingOpenids(seed: unknown): string[] {
  const users = (seed as { users?: { openid?: unknown }[] } | null)?.users ?? [];
  return users.map((u) => u.openid).filter((id): id is string => typeof id === 'string');
}
