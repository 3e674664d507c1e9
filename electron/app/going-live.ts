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
import { trainingNamespace, type Settings, type SettingsStore } from '../settings/settings';
import type { TillRuntime } from '../till/runtime';
import { WechatPayError } from '../wechatpay';
import { appMode, liveProvisioned } from './mode';

export interface GoingLiveDeps {
  settings: SettingsStore;
  /** The keychain namespace of the live merchant (the profile id) or of the practice one. */
  secretsFor: (namespace: string) => SecretStore;
  dataDir: string;
  log: Logger;
  till: () => TillRuntime | null;
  /** Stops the running till and starts it again on the settings as they are now. */
  restart: () => Promise<void>;
}

export function liveMerchantView(s: Settings): LiveMerchantView | null {
  const m = s.merchant;
  if (!m) return null;
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
  const test = () => connectionTest({ settings: deps.settings, secretsFor: deps.secretsFor, dataDir: deps.dataDir });
  return {
    'merchant.live': async () => liveMerchantView(deps.settings.read()),
    'merchant.test': async () => {
      if (!liveProvisioned(deps.settings.read())) throw new PosError('NOT_PROVISIONED', 'no live merchant is provisioned on this till');
      return test();
    },
    'merchant.provision': async (input: z.output<typeof MerchantProvisionInput>, ctx: { managerId?: string }): Promise<MerchantProvisionResult> => {
      const running = deps.till();
      if (running?.pos.shifts.current(running.tillId)) throw new PosError('STATE_CONFLICT', 'close the open shift before changing the merchant');
      if (running && running.pos.journal.countByStatus().pending > 0)
        throw new PosError('STATE_CONFLICT', 'operations are still waiting for WeChat Pay; change the merchant when the queue is empty');
      const before = deps.settings.read();
      const testHost = input.baseUrl !== undefined;
      // A test host's merchant is a practice merchant, and a till with a live one takes no other.
      if (testHost && before.merchant) throw new PosError('STATE_CONFLICT', 'a test host can be tried only on a till without a live merchant');
      const secrets = deps.secretsFor(testHost ? trainingNamespace(before.profileId) : before.profileId);
      const saved = { key: await secrets.get('merchant_private_key'), apiv3: await secrets.get('apiv3_key') };
      const undo = () => restore(deps.settings, secrets, before, saved);
      try {
        await provisionMerchant(sourceOf(input), deps);
      } catch (err) {
        // A file that is not what it should be: said in a sentence, nothing stored.
        if (err instanceof WechatPayError && err.kind === 'configuration') {
          deps.log.info('merchant.provision_refused', { managerId: ctx.managerId, code: err.code });
          return {
            test: { ok: false, checks: [{ id: 'files', status: 'fail', failure: 'files_invalid', detail: err.message.slice(0, 300) }], skewSeconds: null },
            kept: 'nothing',
          };
        }
        await undo().catch(() => undefined);
        throw new PosError('KEYCHAIN', 'the merchant secrets could not be stored in the OS keychain');
      }
      const result = await test();
      const checks = { ...result, checks: [{ id: 'files' as const, status: 'ok' as const }, ...result.checks] };
      if (!result.ok || testHost) {
        await undo();
        deps.log.info('merchant.provision_tested', { managerId: ctx.managerId, ok: result.ok, testHost, failures: result.checks.flatMap((c) => c.failure ?? []) });
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

/** Puts back the merchants the till had (both records, the mode, the namespace's two secrets), as if nothing happened. */
async function restore(settings: SettingsStore, secrets: SecretStore, before: Settings, saved: { key: string | null; apiv3: string | null }): Promise<void> {
  for (const [name, value] of [
    ['merchant_private_key', saved.key],
    ['apiv3_key', saved.apiv3],
  ] as const) {
    if (value === null) await secrets.delete(name);
    else await secrets.set(name, value);
  }
  settings.update({ merchant: before.merchant, training: before.training, mode: before.mode });
}
