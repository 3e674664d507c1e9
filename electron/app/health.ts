import type { AppHealth, HealthCheck } from '../../shared/contract';
import type { SecretStore } from '../secrets/secret-store';
import { notPrivate, probeWritable, type DataDir } from '../settings/data-dir';
import type { PresetLoad } from '../settings/store-preset';
import type { SettingsStore } from '../settings/settings';
import type { TillRuntime } from '../till/runtime';

export interface HealthDeps {
  dataDir: DataDir;
  settings: SettingsStore;
  secrets: SecretStore;
  preset: PresetLoad;
  /** The till runtime as it stands (absent where there is none, e.g. a bare host in tests). */
  till?: () => { runtime: TillRuntime | null; error: string | null };
}

/** Each check reports what is actually true now; nothing here is assumed. */
export async function checkHealth(deps: HealthDeps, now = new Date()): Promise<AppHealth> {
  const checks: HealthCheck[] = [];

  checks.push(dataDirCheck(deps.dataDir));

  let keychainOk = false;
  try {
    await deps.secrets.ping();
    keychainOk = true;
    checks.push({ id: 'keychain', status: 'ok', reason: 'keychain.reachable', detail: 'round trip ok' });
  } catch (err) {
    checks.push({ id: 'keychain', status: 'fail', reason: 'keychain.unreachable', detail: (err as Error).message });
  }

  const merchant = await merchantCheck(deps, keychainOk);
  checks.push(merchant);
  const live = merchant.reason === 'merchant.provisioned';

  if (deps.preset.error) {
    checks.push({ id: 'store_preset', status: 'fail', reason: 'store_preset.invalid', detail: `${deps.preset.source}: ${deps.preset.error}` });
  } else if (deps.preset.preset) {
    checks.push({ id: 'store_preset', status: 'ok', reason: 'store_preset.loaded', detail: deps.preset.preset.storeId });
  } else if (live) {
    checks.push({ id: 'store_preset', status: 'warn', reason: 'store_preset.none', detail: 'no store preset installed' });
  } else {
    // Practice needs no store: nothing to warn a new cashier about on the first screen.
    checks.push({ id: 'store_preset', status: 'ok', reason: 'store_preset.none_training', detail: 'no store preset installed (training)' });
  }

  if (deps.till) checks.push(wechatpayCheck(deps.till()));
  checks.push(await eventsCheck(deps));

  const worst = checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'ok';
  return { status: worst, checkedAt: now.toISOString(), checks };
}

/** Writable, and the app's files there the OS account's alone (start makes them so; what it could not fix shows here). */
function dataDirCheck(dataDir: DataDir): HealthCheck {
  const writable = probeWritable(dataDir.path);
  if (!writable.ok) return { id: 'data_dir', status: 'fail', reason: 'data_dir.not_writable', detail: `${dataDir.path}: ${writable.reason}` };
  const open = notPrivate(dataDir.path);
  if (open.length > 0) {
    return { id: 'data_dir', status: 'warn', reason: 'data_dir.not_private', detail: `${open.length} readable by other accounts: ${open.slice(0, 3).join(', ')}`.slice(0, 200) };
  }
  return { id: 'data_dir', status: 'ok', reason: 'data_dir.writable', detail: dataDir.path };
}

async function merchantCheck(deps: HealthDeps, keychainOk: boolean): Promise<HealthCheck> {
  let settings;
  try {
    settings = deps.settings.read();
  } catch (err) {
    return { id: 'merchant', status: 'fail', reason: 'settings.invalid', detail: (err as Error).message.slice(0, 200) };
  }
  if (!settings.merchant) {
    // Practising on the simulator is how a till without a live merchant is meant to run: nothing to warn about.
    if (settings.training) return { id: 'merchant', status: 'ok', reason: 'merchant.simulator', detail: `practice merchant ${settings.training.mchid}` };
    return { id: 'merchant', status: 'warn', reason: 'merchant.training', detail: 'no merchant provisioned: training mode' };
  }
  if (!keychainOk) {
    return { id: 'merchant', status: 'fail', reason: 'merchant.keychain_unavailable', detail: settings.merchant.mchid };
  }
  const [key, apiv3] = await Promise.all([deps.secrets.has('merchant_private_key'), deps.secrets.has('apiv3_key')]);
  if (!key || !apiv3) {
    const missing = [!key && 'merchant_private_key', !apiv3 && 'apiv3_key'].filter(Boolean).join(', ');
    return { id: 'merchant', status: 'fail', reason: 'merchant.secret_missing', detail: `missing in keychain: ${missing}` };
  }
  return { id: 'merchant', status: 'ok', reason: 'merchant.provisioned', detail: settings.merchant.mchid };
}

/**
 * Whether operations can reach WeChat Pay and be trusted: a failed start, answers that fail
 * verification or a configuration WeChat refuses are faults for IT (the operations keep
 * waiting with their numbers meanwhile); being offline is a warning the queue rides out.
 */
function wechatpayCheck(t: { runtime: TillRuntime | null; error: string | null }): HealthCheck {
  if (!t.runtime) {
    return t.error
      ? { id: 'wechatpay', status: 'fail', reason: 'wechatpay.start_failed', detail: t.error.slice(0, 200) }
      : { id: 'wechatpay', status: 'warn', reason: 'wechatpay.starting', detail: 'the till services are starting' };
  }
  const waiting = t.runtime.pos.journal.list({ status: 'pending' });
  const stuck = (kind: string) => {
    const ops = waiting.filter((op) => op.lastOutcome === kind);
    return ops.length === 0 ? null : `${ops.length} operation(s) waiting; last: ${ops.at(-1)!.lastMessage ?? kind}`.slice(0, 200);
  };
  const security = stuck('security');
  if (security) return { id: 'wechatpay', status: 'fail', reason: 'wechatpay.security', detail: security };
  const configuration = stuck('configuration');
  if (configuration) return { id: 'wechatpay', status: 'fail', reason: 'wechatpay.configuration', detail: configuration };
  const status = t.runtime.pos.drainer.status();
  if (status.running && !status.lockHeld) {
    return {
      id: 'wechatpay',
      status: 'warn',
      reason: 'wechatpay.drain_lock_lost',
      detail: `another process (pid ${status.lockHolderPid}) took the queue; this till sends nothing until it can take it back`,
    };
  }
  return status.online
    ? { id: 'wechatpay', status: 'ok', reason: 'wechatpay.online', detail: t.runtime.mode }
    : { id: 'wechatpay', status: 'warn', reason: 'wechatpay.offline', detail: `${waiting.length} operation(s) waiting` };
}

/** How recent the last lookup or push must be to stand for the events server's state without asking again. */
const EVENTS_FRESH_MS = 60_000;

/**
 * The chain's events server, when IT configured one: reachable (codes new to this till are
 * looked up), unreachable (scans go on with what the till knows, marked 未核实), or refusing
 * this till's credential (revoked or never set: a fault for IT).
 */
async function eventsCheck(deps: HealthDeps, now = Date.now()): Promise<HealthCheck> {
  let configured;
  try {
    configured = deps.settings.read().events;
  } catch {
    configured = undefined;
  }
  const events = deps.till?.().runtime?.events;
  if (!configured && !events) return { id: 'events', status: 'ok', reason: 'events.not_configured', detail: 'no events server configured' };
  if (!events) return { id: 'events', status: 'warn', reason: 'events.starting', detail: configured?.url ?? '' };
  if (!events.client) return { id: 'events', status: 'fail', reason: 'events.credential_missing', detail: events.url };
  let status = events.client.status;
  if (status.state === 'unknown' || status.at === null || now - status.at > EVENTS_FRESH_MS) status = await events.client.probe();
  if (status.state === 'ok') return { id: 'events', status: 'ok', reason: 'events.reachable', detail: events.url };
  if (status.state === 'unauthorized') return { id: 'events', status: 'fail', reason: 'events.unauthorized', detail: `${events.url}: ${status.detail}`.slice(0, 200) };
  return { id: 'events', status: 'warn', reason: 'events.unreachable', detail: `${events.url}: ${status.detail}`.slice(0, 200) };
}
