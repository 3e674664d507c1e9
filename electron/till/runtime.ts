import { BusifavorClient } from '../busifavor';
import type { Logger } from '../log/logger';
import { currentMerchant, openMerchantSession, type MerchantSession } from '../merchant/session';
import { createPosServices, type PosServices } from '../pos';
import { tcpProbe } from '../queue/connectivity';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings';
import type { RunningSimulator } from '../simulator';
import type { StorePreset } from '../../shared/store-preset';
import { seededStockIds, startTrainingBackend, trainingOpenids } from './training';

export interface TillRuntime {
  mode: 'training' | 'live';
  tillId: string;
  session: MerchantSession;
  pos: PosServices;
  simulator: RunningSimulator | null;
  close(): Promise<void>;
}

export interface TillRuntimeDeps {
  dataDir: string;
  settings: SettingsStore;
  /** The keychain namespace for the live merchant (the profile id) or the practice one. */
  secretsFor: (namespace: string) => SecretStore;
  preset: StorePreset | null;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  onQueueChange?: () => void;
}

/**
 * Starts what the cashier's screen needs: in training, the embedded simulator (provisioned
 * afresh each start); then the signed client for the merchant, the journal and its drainer,
 * and the stock cache warmed with the stocks this store accepts.
 */
export async function startTillRuntime(deps: TillRuntimeDeps): Promise<TillRuntime> {
  // No live merchant here: practice against the embedded simulator, in the practice namespace.
  const simulator = deps.settings.read().merchant ? null : await startTrainingBackend(deps);
  const session = await openMerchantSession(currentMerchant(deps.settings.read(), deps.secretsFor), { dataDir: deps.dataDir, timeoutMs: 15_000 });
  const training = session.training;
  // Certificate mode: the till runs all day, so platform certificates refresh on a schedule (≤ 12 h).
  session.certificates?.start();
  const env = deps.env ?? process.env;
  const tillId = env.POS_TILL_ID ?? deps.preset?.tillIds?.[0] ?? 'T01';
  const baseUrl = session.merchant.baseUrl ?? 'https://api.mch.weixin.qq.com';
  const pos = createPosServices({
    dataDir: deps.dataDir,
    client: new BusifavorClient(session.client),
    appid: session.merchant.appid,
    mchid: session.merchant.mchid,
    tillId,
    training,
    probe: tcpProbe(baseUrl),
    drainer: {
      onEvent: (event) => {
        if (event.type === 'journal_error') deps.log.error('queue.journal_unwritable', { message: event.message });
        else if (event.type === 'lock') {
          if (event.held) deps.log.info('queue.drain_lock_regained');
          else deps.log.error('queue.drain_lock_lost', { holderPid: event.holderPid, note: 'another process took the drain lock: this till stopped sending' });
        } else if (event.type !== 'retry') deps.log.info('queue.event', { type: event.type, ...('operation' in event ? { op: event.operation.opId, status: event.operation.status } : {}) });
        deps.onQueueChange?.();
      },
    },
  });
  const accepted = simulator ? seededStockIds(simulator.credentials.seed) : (deps.preset?.acceptedStockIds ?? []);
  // Warm the cache so coupons can be valued offline; a stock that fails now is fetched on scan.
  await Promise.allSettled(accepted.map((id) => pos.stocks.get(id)));
  // Training: the practice customers' wallets are listed from WeChat Pay (the simulator), as a
  // store's member system would, so their coupons resolve to a stock and a live state on scan.
  if (simulator) await Promise.allSettled(trainingOpenids(simulator.credentials.seed).map((openid) => pos.redemption.syncCustomer(openid)));
  deps.log.info('till.started', { mode: training ? 'training' : 'live', tillId, stocks: accepted.length });
  return {
    mode: training ? 'training' : 'live',
    tillId,
    session,
    pos,
    simulator,
    async close() {
      await pos.close();
      await session.close();
      await simulator?.close();
    },
  };
}
