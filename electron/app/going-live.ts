// Going live from the manager's desk (what `posctl provision` + `posctl health` do for IT):
// the live merchant's files arrive once, are checked and stored (secrets in the keychain only),
// then tested against WeChat Pay. A failing test puts the till back exactly as it was, so a
// wrong file never leaves it half-configured. A passing one keeps the merchant: a practising
// till stays in training until the manager switches it live (the desk's mode tab); a live till
// whose keys were replaced restarts on them at once. Files for a test host (a simulator) are
// only tested, never kept: only WeChat Pay's own hosts may serve a live merchant.
import type { z } from 'zod';
import { PosError, type LiveMerchantView, type MerchantProvisionInput, type MerchantProvisionResult } from '../../shared/contract';
import type { Logger } from '../log/logger';
import { connectionTest } from '../merchant/connection-test';
import { provisionMerchant, type ProvisionSource } from '../merchant/provision';
import type { SecretStore } from '../secrets/secret-store';
import type { Settings, SettingsStore } from '../settings/settings';
import type { TillRuntime } from '../till/runtime';
import { WechatPayError } from '../wechatpay';
import { appMode, liveProvisioned } from './mode';

export interface GoingLiveDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  dataDir: string;
  log: Logger;
  till: () => TillRuntime | null;
  /** Stops the running till and starts it again on the settings as they are now. */
  restart: () => Promise<void>;
}

export function liveMerchantView(s: Settings): LiveMerchantView | null {
  const m = s.merchant;
  if (!m || !liveProvisioned(s)) return null;
  return {
    mchid: m.mchid,
    appid: m.appid,
    merchantSerial: m.merchantSerial,
    verification: m.verification,
    publicKeyId: m.wechatpayPublicKeyId ?? null,
    baseUrl: m.baseUrl ?? null,
    provisionedAt: m.provisionedAt,
  };
}

function sourceOf(input: z.output<typeof MerchantProvisionInput>): ProvisionSource {
  return {
    mchid: input.mchid,
    appid: input.appid,
    identity:
      input.identity.kind === 'pem'
        ? { privateKeyPem: input.identity.privateKeyPem, certificatePem: input.identity.certificatePem }
        : { p12: Buffer.from(input.identity.p12Base64, 'base64'), ...(input.identity.p12Password ? { p12Password: input.identity.p12Password } : {}) },
    apiv3Key: input.apiv3Key.trim(),
    verification: input.verification,
    ...(input.publicKeyId ? { publicKeyId: input.publicKeyId.trim() } : {}),
    ...(input.publicKeyPem ? { publicKeyPem: input.publicKeyPem } : {}),
    ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
    // A test host is allowed only outside production (the client refuses any other host for a live merchant).
    training: input.baseUrl !== undefined,
  };
}

export function goingLiveHandlers(deps: GoingLiveDeps) {
  const test = () => connectionTest({ settings: deps.settings, secrets: deps.secrets, dataDir: deps.dataDir });
  return {
    'merchant.live': async () => liveMerchantView(deps.settings.read()),
    'merchant.test': async () => {
      if (!liveProvisioned(deps.settings.read())) throw new PosError('NOT_PROVISIONED', 'no live merchant is provisioned on this till');
      return test();
    },
    'merchant.provision': async (input: z.output<typeof MerchantProvisionInput>, ctx: { managerId?: string }): Promise<MerchantProvisionResult> => {
      const running = deps.till();
      if (running?.pos.shifts.current(running.tillId)) throw new PosError('STATE_CONFLICT', 'close the open shift before changing the merchant');
      if (running && running.pos.journal.countByStatus().pending > 0) throw new PosError('STATE_CONFLICT', 'operations are still waiting for WeChat Pay; change the merchant when the queue is empty');
      const before = deps.settings.read();
      const saved = { key: await deps.secrets.get('merchant_private_key'), apiv3: await deps.secrets.get('apiv3_key') };
      try {
        await provisionMerchant(sourceOf(input), deps);
      } catch (err) {
        // A file that is not what it should be: said in a sentence, nothing stored.
        if (err instanceof WechatPayError && err.kind === 'configuration') {
          deps.log.info('merchant.provision_refused', { managerId: ctx.managerId, code: err.code });
          return { test: { ok: false, checks: [{ id: 'files', status: 'fail', failure: 'files_invalid', detail: err.message.slice(0, 300) }], skewSeconds: null }, kept: 'nothing' };
        }
        await restore(deps, before, saved).catch(() => undefined);
        throw new PosError('KEYCHAIN', 'the merchant secrets could not be stored in the OS keychain');
      }
      const result = await test();
      const checks = { ...result, checks: [{ id: 'files' as const, status: 'ok' as const }, ...result.checks] };
      if (!result.ok || input.baseUrl !== undefined) {
        await restore(deps, before, saved);
        deps.log.info('merchant.provision_tested', { managerId: ctx.managerId, ok: result.ok, testHost: input.baseUrl !== undefined, failures: result.checks.flatMap((c) => c.failure ?? []) });
        return { test: checks, kept: result.ok ? 'test_host' : 'nothing' };
      }
      const wasLive = appMode(before) === 'live';
      const now = deps.settings.update({ mode: wasLive ? 'live' : 'training' });
      deps.log.info('merchant.provisioned', { managerId: ctx.managerId, mchid: now.merchant?.mchid, verification: now.merchant?.verification });
      if (wasLive) await deps.restart();
      return { test: checks, kept: 'live' };
    },
  };
}

/** Puts back the merchant the till had (settings and its two secrets), as if nothing happened. */
async function restore(deps: GoingLiveDeps, before: Settings, saved: { key: string | null; apiv3: string | null }): Promise<void> {
  for (const [name, value] of [['merchant_private_key', saved.key], ['apiv3_key', saved.apiv3]] as const) {
    if (value === null) await deps.secrets.delete(name);
    else await deps.secrets.set(name, value);
  }
  deps.settings.update({ merchant: before.merchant, mode: before.mode });
}
