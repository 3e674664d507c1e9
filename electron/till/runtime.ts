import { createBackoffice, type Backoffice } from '../backoffice';
import { BusifavorClient } from '../busifavor';
import { EventsClient } from '../events/till-client';
import { OperationPusher } from '../events/till-push';
import type { Logger } from '../log/logger';
import { currentMerchant, openMerchantSession, type MerchantSession } from '../merchant/session';
import { createPosServices, type PosServices } from '../pos';
import { tcpProbe } from '../queue/connectivity';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings';
import type { RunningSimulator } from '../simulator';
import type { StorePreset } from '../../shared/store-preset';
import { tillIdFrom } from '../settings/store-preset';
import { seededStockIds, startTrainingBackend, trainingOpenids } from './training';

export interface TillRuntime {
  mode: 'training' | 'live';
  tillId: string;
  session: MerchantSession;
  pos: PosServices;
  /** The manager's back office over the same journal file, client and coupon directory. */
  backoffice: Backoffice;
  simulator: RunningSimulator | null;
  /** Tells every page (and the register's event stream) that this order changed. */
  orderChanged(orderId: string): void;
  /** The chain's events server, when IT configured one (`posctl till events`). */
  events: TillEvents | null;
  close(): Promise<void>;
}

export type TillEvents = { client: EventsClient; pusher: OperationPusher; url: string } | { client: null; url: string; error: 'credential_missing' };

export interface TillRuntimeDeps {
  dataDir: string;
  settings: SettingsStore;
  /** The keychain namespace for the live merchant (the profile id) or the practice one. */
  secretsFor: (namespace: string) => SecretStore;
  preset: StorePreset | null;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  onQueueChange?: () => void;
  onOrderChange?: (orderId: string) => void;
  /** The queue went offline or came back: health should say so now, not at its next round. */
  onConnectivity?: () => void;
}

/**
 * Starts what the cashier's screen needs: in training, the embedded simulator (provisioned
 * afresh each start); then the signed client for the merchant, the journal and its drainer,
 * and the stock cache warmed with the stocks this store accepts.
 */
export async function startTillRuntime(deps: TillRuntimeDeps): Promise<TillRuntime> {
  // No live merchant here: practice against the embedded simulator, in the practice namespace.
  const simulator = deps.settings.read().merchant ? null : await startTrainingBackend(deps);
  const merchant = currentMerchant(deps.settings.read(), deps.secretsFor);
  // A host that does not even accept the connection within 3 s counts as unreachable (offline),
  // well inside the few seconds a cashier waits for a redemption.
  const session = await openMerchantSession(merchant, { dataDir: deps.dataDir, timeoutMs: 15_000, connectTimeoutMs: 3_000 });
  const training = session.training;
  // Certificate mode: the till runs all day, so platform certificates refresh on a schedule (≤ 12 h).
  session.certificates?.start();
  const env = deps.env ?? process.env;
  const tillId = tillIdFrom(env, deps.preset);
  const baseUrl = session.merchant.baseUrl ?? 'https://api.mch.weixin.qq.com';
  const client = new BusifavorClient(session.client);
  const eventsConfig = deps.settings.read().events;
  const credential = eventsConfig ? await deps.secretsFor(deps.settings.read().profileId).get('events_credential') : null;
  const eventsClient = eventsConfig && credential ? new EventsClient({ url: eventsConfig.url, credential, lookupBudgetMs: eventsConfig.lookupBudgetMs }) : null;
  let pusher: OperationPusher | undefined;
  const pos = createPosServices({
    dataDir: deps.dataDir,
    client,
    appid: session.merchant.appid,
    mchid: session.merchant.mchid,
    tillId,
    training,
    probe: tcpProbe(baseUrl),
    ...(deps.preset?.stacking ? { stacking: deps.preset.stacking } : {}),
    ...(eventsClient ? { remote: eventsClient } : {}),
    drainer: {
      onEvent: (event) => {
        if (event.type === 'resolved') void pusher?.pushNow().catch(() => {});
        if (event.type === 'journal_error') deps.log.error('queue.journal_unwritable', { message: event.message });
        else if (event.type === 'lock') {
          if (event.held) deps.log.info('queue.drain_lock_regained');
          else deps.log.error('queue.drain_lock_lost', { holderPid: event.holderPid, note: 'another process took the drain lock: this till stopped sending' });
        } else if (event.type !== 'retry')
          deps.log.info('queue.event', { type: event.type, ...('operation' in event ? { op: event.operation.opId, status: event.operation.status } : {}) });
        deps.onQueueChange?.();
        if (event.type === 'connectivity') deps.onConnectivity?.();
        // A link or a use settling later (after the cashier's wait, or offline) changes its order.
        if ('operation' in event && event.type !== 'retry' && event.operation.orderId) deps.onOrderChange?.(event.operation.orderId);
      },
    },
  });
  if (eventsClient) {
    pusher = new OperationPusher({ db: pos.journal.db, client: eventsClient, log: deps.log });
    pusher.start();
  }
  if (eventsConfig) deps.log.info('till.events', { url: eventsConfig.url, credential: credential !== null });
  const events: TillEvents | null = !eventsConfig
    ? null
    : eventsClient && pusher
      ? { client: eventsClient, pusher, url: eventsClient.url }
      : { client: null, url: eventsConfig.url, error: 'credential_missing' };
  const accepted = simulator ? seededStockIds(simulator.credentials.seed) : (deps.preset?.acceptedStockIds ?? []);
  // Warm the cache so coupons can be valued offline; a stock that fails now is fetched on scan.
  await Promise.allSettled(accepted.map((id) => pos.stocks.get(id)));
  // Training: the practice customers' wallets are listed from WeChat Pay (the simulator), as a
  // store's member system would, so their coupons resolve to a stock and a live state on scan.
  if (simulator) await Promise.allSettled(trainingOpenids(simulator.credentials.seed).map((openid) => pos.lookup.syncCustomer(openid)));
  const backoffice = createBackoffice({
    db: pos.journal.db,
    client,
    directory: pos.directory,
    stocks: pos.stocks,
    mchid: session.merchant.mchid,
    training,
    configuredStockIds: () => accepted,
    // The APIv2 key sits beside the merchant's other secrets (the practice merchant's in training).
    apiV2Key: async () => (merchant ? merchant.secrets.get('apiv2_key') : null),
  });
  // What a restart left pending goes out again with its own number; nobody waits for it.
  void backoffice.resendPending('till-start').catch((err: unknown) => deps.log.error('backoffice.resend_failed', { error: err }));
  deps.log.info('till.started', { mode: training ? 'training' : 'live', tillId, stocks: accepted.length });
  return {
    mode: training ? 'training' : 'live',
    tillId,
    session,
    pos,
    backoffice,
    simulator,
    events,
    orderChanged: (orderId) => deps.onOrderChange?.(orderId),
    async close() {
      await pusher?.stop();
      await pos.close();
      await eventsClient?.close();
      await session.close();
      await simulator?.close();
    },
  };
}
