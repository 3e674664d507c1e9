import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo } from '../../shared/contract';
import { queueSnapshot, viewOrder } from '../till/checkout';
import { tillHandlers } from '../till/handlers';
import { managerHandlers } from '../till/manager-handlers';
import { backofficeHandlers } from '../till/backoffice-handlers';
import { ManagerSession } from '../staff/manager-session';
import { SqliteLockStore } from '../staff/lock-store';
import { PinBook } from '../staff/pin-book';
import { startTillRuntime, type TillRuntime } from '../till/runtime';
import { EventBus } from '../host/event-bus';
import { createRouter, type Router } from '../host/router';
import { createLogger, type Logger } from '../log/logger';
import { KeytarSecretStore } from '../secrets/keytar-store';
import type { SecretStore } from '../secrets/secret-store';
import { ensureDataDir, resolveDataDir, type DataDir } from '../settings/data-dir';
import { SettingsStore } from '../settings/settings';
import { loadStorePreset, tillIdFrom, type PresetLoad } from '../settings/store-preset';
import { goingLiveHandlers } from './going-live';
import { checkHealth } from './health';
import { printHandlers, type WindowPrinter } from './printing';
import { appMode, checkSwitch, liveProvisioned, tillPlace } from './mode';

export interface AppContext {
  host: AppInfo['host'];
  dataDir: DataDir;
  settings: SettingsStore;
  secrets: SecretStore;
  preset: PresetLoad;
  log: Logger;
  bus: EventBus;
  router: Router;
  /** Re-checks health now and publishes it to every page. */
  refreshHealth(): Promise<void>;
  /** The desktop shell lends the window's printer, so slips print without a dialog. */
  setPrinter(printer: WindowPrinter): void;
  /** Starts the till (training simulator or the live merchant); failures are reported, not thrown. */
  startTill(): Promise<TillRuntime | null>;
  readonly till: TillRuntime | null;
  close(): Promise<void>;
}

export interface ContextOptions {
  host: AppInfo['host'];
  env?: NodeJS.ProcessEnv;
  electronUserData?: string;
  resourcesPath?: string;
  version?: string;
  secrets?: SecretStore;
  logToStderr?: boolean;
  healthIntervalMs?: number;
  /** The keychain for a profile id (a manager-chosen training till has its own); keytar by default. */
  secretsFor?: (profileId: string) => SecretStore;
  /** How long a manager stays signed in without doing anything. */
  managerIdleMs?: number;
}

/** Without a store preset saying otherwise, an order above ¥2,000 is checked with the cashier once. */
const DEFAULT_LARGE_AMOUNT_FEN = 200_000;

/** The composition root shared by the Electron shell and the plain-Node web host. */
export function createAppContext(opts: ContextOptions): AppContext {
  const dataDir = resolveDataDir({ env: opts.env, electronUserData: opts.electronUserData });
  const notPrivate = ensureDataDir(dataDir);
  const settings = new SettingsStore(dataDir.path);
  const secretsFor = opts.secretsFor ?? ((profileId: string) => new KeytarSecretStore(profileId));
  const secrets = opts.secrets ?? secretsFor(settings.read().profileId);
  const preset = loadStorePreset({ env: opts.env, resourcesPath: opts.resourcesPath });
  const log = createLogger({ dir: dataDir.path, stderr: opts.logToStderr });
  const bus = new EventBus();
  const version = opts.version ?? packageVersion();
  const healthDeps = { dataDir, settings, secrets, preset, till: () => ({ runtime: till, error: tillError }) };
  let till: TillRuntime | null = null;
  let tillError: string | null = null;
  let printer: WindowPrinter | null = null;
  let queueTimer: NodeJS.Timeout | undefined;
  // Queue changes come in bursts while draining; the page gets at most a few snapshots a second.
  const publishQueue = () => {
    if (queueTimer) return;
    queueTimer = setTimeout(() => {
      queueTimer = undefined;
      if (till) bus.publish('queue.status', queueSnapshot(till));
    }, 200);
  };

  const publishOrder = (orderId: string) => {
    const order = till?.pos.orders.find(orderId);
    if (till && order) bus.publish('order.status', viewOrder(till, order));
  };

  const managerSession = new ManagerSession({ idleMs: opts.managerIdleMs });
  const pinLock = new SqliteLockStore(dataDir.path);
  const tillState = () => ({ runtime: till, error: tillError });
  const info = () => ({
    name: '商家券收银台',
    version,
    mode: appMode(settings.read()),
    host: opts.host,
    dataDir,
    store: preset.preset ? { id: preset.preset.storeId, name: preset.preset.storeName } : null,
    tillId: tillIdFrom(opts.env ?? process.env, preset.preset),
    largeAmountFen: preset.preset?.largeAmountFen ?? DEFAULT_LARGE_AMOUNT_FEN,
  });
  const router = createRouter(
    {
      'app.info': async () => info(),
      'app.setMode': async ({ mode }) => {
        if (mode === appMode(settings.read())) return info();
        checkSwitch(mode, settings.read(), till);
        log.info('app.mode_switch', { to: mode });
        settings.update({ mode });
        await restartTill();
        return info();
      },
      'app.health': async () => {
        const health = await checkHealth(healthDeps);
        bus.publish('app.health', health);
        return health;
      },
      ...tillHandlers(tillState),
      ...printHandlers({ settings, printer: () => printer, log }),
      ...goingLiveHandlers({ settings, secretsFor, dataDir: dataDir.path, log, till: () => till, restart: () => restartTill() }),
      ...managerHandlers({
        current: tillState,
        session: managerSession,
        pins: new PinBook(secrets, { lockStore: pinLock }),
        mode: () => appMode(settings.read()),
        liveProvisioned: () => liveProvisioned(settings.read()),
        reportsDir: join(dataDir.path, 'reports'),
        log,
      }),
      ...backofficeHandlers(tillState),
    },
    log,
    managerSession,
  );

  const refreshHealth = async () => {
    bus.publish('app.health', await checkHealth(healthDeps));
  };
  const timer = setInterval(() => void refreshHealth().catch((err) => log.error('health.failed', { error: err })), opts.healthIntervalMs ?? 30_000);
  timer.unref();

  const startTill = async () => {
    try {
      const place = tillPlace({ dataDir: dataDir.path, settings });
      till = await startTillRuntime({
        ...place,
        secretsFor,
        preset: preset.preset,
        log,
        env: opts.env,
        onQueueChange: publishQueue,
        onOrderChange: publishOrder,
        onConnectivity: () => void refreshHealth().catch((err) => log.error('health.failed', { error: err })),
      });
      tillError = null;
      publishQueue();
    } catch (err) {
      tillError = `the till could not start: ${(err as Error).message}`;
      log.error('till.start_failed', { error: err });
    }
    return till;
  };
  /** The settings changed under the running till (a mode switch, a new merchant): start it afresh. */
  const restartTill = async () => {
    // Ended before the first await: the session belonged to the till that is stopping, and no
    // other manager call (another switch included) can get in while this one runs.
    managerSession.end();
    await till?.close();
    till = null;
    await startTill();
    bus.publish('app.info', info());
    void refreshHealth().catch((err) => log.error('health.failed', { error: err }));
  };

  log.info('app.start', { host: opts.host, version, dataDir: dataDir.kind });
  if (notPrivate.length > 0) log.warn('data_dir.not_private', { paths: notPrivate.slice(0, 20) });
  return {
    host: opts.host,
    dataDir,
    settings,
    secrets,
    preset,
    log,
    bus,
    router,
    refreshHealth,
    setPrinter: (p) => void (printer = p),
    startTill,
    get till() {
      return till;
    },
    async close() {
      clearInterval(timer);
      clearTimeout(queueTimer);
      await till?.close();
      till = null;
      pinLock.close();
    },
  };
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    return String(pkg.version);
  } catch {
    return '0.0.0';
  }
}
