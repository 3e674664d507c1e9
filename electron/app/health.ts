import type { AppHealth, HealthCheck } from '../../shared/contract';
import type { SecretStore } from '../secrets/secret-store';
import { probeWritable, type DataDir } from '../settings/data-dir';
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

  const writable = probeWritable(deps.dataDir.path);
  checks.push(
    writable.ok
      ? { id: 'data_dir', status: 'ok', reason: 'data_dir.writable', detail: deps.dataDir.path }
      : { id: 'data_dir', status: 'fail', reason: 'data_dir.not_writable', detail: `${deps.dataDir.path}: ${writable.reason}` },
  );

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

  const worst = checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'ok';
  return { status: worst, checkedAt: now.toISOString(), checks };
}

async function merchantCheck(deps: HealthDeps, keychainOk: boolean): Promise<HealthCheck> {
  let settings;
  try {
    settings = deps.settings.read();
  } catch (err) {
    return { id: 'merchant', status: 'fail', reason: 'settings.invalid', detail: (err as Error).message.slice(0, 200) };
  }
  if (!settings.merchant) {
    return { id: 'merchant', status: 'warn', reason: 'merchant.training', detail: 'no merchant provisioned: training mode' };
  }
  if (settings.merchant.training) {
    return { id: 'merchant', status: 'ok', reason: 'merchant.simulator', detail: `practice merchant ${settings.merchant.mchid}` };
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
  return t.runtime.pos.drainer.status().online
    ? { id: 'wechatpay', status: 'ok', reason: 'wechatpay.online', detail: t.runtime.mode }
    : { id: 'wechatpay', status: 'warn', reason: 'wechatpay.offline', detail: `${waiting.length} operation(s) waiting` };
}
