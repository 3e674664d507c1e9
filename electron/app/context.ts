import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo } from '../../shared/contract';
import { tillHandlers, queueSnapshot } from '../till/handlers';
import { managerHandlers } from '../till/manager-handlers';
import { ManagerSession } from '../staff/manager-session';
import { PinBook } from '../staff/pin-book';
import { startTillRuntime, type TillRuntime } from '../till/runtime';
import { EventBus } from '../host/event-bus';
import { createRouter, type Router } from '../host/router';
import { createLogger, type Logger } from '../log/logger';
import { KeytarSecretStore } from '../secrets/keytar-store';
import type { SecretStore } from '../secrets/secret-store';
import { ensureDataDir, resolveDataDir, type DataDir } from '../settings/data-dir';
import { SettingsStore, type Settings } from '../settings/settings';
import { loadStorePreset, type PresetLoad } from '../settings/store-preset';
import { checkHealth } from './health';

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
  /** How long a manager stays signed in without doing anything. */
  managerIdleMs?: number;
}

/** The composition root shared by the Electron shell and the plain-Node web host. */
export function createAppContext(opts: ContextOptions): AppContext {
  const dataDir = resolveDataDir({ env: opts.env, electronUserData: opts.electronUserData });
  ensureDataDir(dataDir);
  const settings = new SettingsStore(dataDir.path);
  const secrets = opts.secrets ?? new KeytarSecretStore(settings.read().profileId);
  const preset = loadStorePreset({ env: opts.env, resourcesPath: opts.resourcesPath });
  const log = createLogger({ dir: dataDir.path, stderr: opts.logToStderr });
  const bus = new EventBus();
  const version = opts.version ?? packageVersion();
  const healthDeps = { dataDir, settings, secrets, preset };
  let till: TillRuntime | null = null;
  let tillError: string | null = null;
  let queueTimer: NodeJS.Timeout | undefined;
  // Queue changes come in bursts while draining; the page gets at most a few snapshots a second.
  const publishQueue = () => {
    if (queueTimer) return;
    queueTimer = setTimeout(() => {
      queueTimer = undefined;
      if (till) bus.publish('queue.status', queueSnapshot(till));
    }, 200);
  };

  const managerSession = new ManagerSession({ idleMs: opts.managerIdleMs });
  const tillState = () => ({ runtime: till, error: tillError });
  const router = createRouter(
    {
      'app.info': async () => ({
        name: '商家券收银台',
        version,
        mode: appMode(settings.read()),
        host: opts.host,
        dataDir,
        store: preset.preset ? { id: preset.preset.storeId, name: preset.preset.storeName } : null,
      }),
      'app.health': async () => {
        const health = await checkHealth(healthDeps);
        bus.publish('app.health', health);
        return health;
      },
      ...tillHandlers(tillState),
      ...managerHandlers({
        current: tillState,
        session: managerSession,
        pins: new PinBook(secrets),
        training: () => (till ? till.mode === 'training' : appMode(settings.read()) === 'training'),
        reportsDir: join(dataDir.path, 'reports'),
        log,
      }),
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
      till = await startTillRuntime({ dataDir: dataDir.path, settings, secrets, preset: preset.preset, log, env: opts.env, onQueueChange: publishQueue });
      tillError = null;
      publishQueue();
    } catch (err) {
      tillError = `the till could not start: ${(err as Error).message}`;
      log.error('till.start_failed', { error: err });
    }
    return till;
  };

  log.info('app.start', { host: opts.host, version, dataDir: dataDir.kind });
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
    startTill,
    get till() {
      return till;
    },
    async close() {
      clearInterval(timer);
      clearTimeout(queueTimer);
      await till?.close();
      till = null;
    },
  };
}

/** Live only with a real merchant; an unprovisioned till or one provisioned against the simulator trains. */
export function appMode(s: Settings): 'training' | 'live' {
  return s.merchant && !s.merchant.training ? 'live' : 'training';
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    return String(pkg.version);
  } catch {
    return '0.0.0';
  }
}
