import type { ConnectionCheck, ConnectionFailure } from '../../shared/contract';
import { connectionTest } from '../merchant/connection-test';
import { currentMerchant } from '../merchant/session';
import type { CliContext } from './context';
import { EXIT } from './exit-codes';
import type { CommandResult } from './pos-commands';

/** The exit code that says what kind of failure the first failing check is (docs/contracts.md#posctl-exit-codes). */
const EXIT_FOR: Record<ConnectionFailure, number> = {
  files_invalid: EXIT.configuration,
  keychain: EXIT.configuration,
  signature_refused: EXIT.configuration,
  clock_skew: EXIT.configuration,
  unexpected: EXIT.configuration,
  unreachable: EXIT.pending,
  verification_failed: EXIT.security,
};

/**
 * What IT needs to know before a till goes live: the same checks as the manager's connection
 * test (keychain, host reachable, the merchant key accepted for its serial, responses verified,
 * clock skew), plus the merchant, key expiry and the platform certificates. Exit 0 only when
 * every check passed.
 */
export async function healthCommand(ctx: CliContext): Promise<CommandResult> {
  await ctx.secrets.ping();
  const merchant = currentMerchant(ctx.settings.read(), ctx.secretsFor);
  if (!merchant) return { body: { keychain: 'ok', merchant: null, mode: 'training', note: 'no merchant provisioned' } };
  let certificates: object = { platform_certificates: null, expiring_within_30_days: [] };
  const test = await connectionTest({ settings: ctx.settings, secretsFor: ctx.secretsFor, dataDir: ctx.dataDir.path }, (session) => {
    certificates = {
      platform_certificates: session.certificates?.certificates().map((c) => ({ serial: c.serial, valid_to: c.validTo.toISOString(), validity: c.validity })) ?? null,
      expiring_within_30_days: session.certificates?.expiringWithin(30).map((w) => ({ serial: w.serial, days_left: w.daysLeft })) ?? [],
    };
  });
  const check = (id: ConnectionCheck['id']) => test.checks.find((c) => c.id === id);
  const failed = test.checks.find((c) => c.status === 'fail');
  const m = merchant.record;
  return {
    body: {
      keychain: check('keychain')?.status === 'ok' ? 'ok' : 'failed',
      mode: merchant.training ? 'training' : 'live',
      merchant: { mchid: m.mchid, appid: m.appid, serial: m.merchantSerial },
      checks: test.checks,
      signature_accepted: check('signature')?.status === 'ok',
      response_verified_with: check('verification')?.status === 'ok' ? (check('verification')?.detail ?? null) : null,
      verification: m.verification,
      public_key: m.wechatpayPublicKeyId ? { id: m.wechatpayPublicKeyId, expires: 'never' } : null,
      ...certificates,
      clock_skew_seconds: test.skewSeconds,
      clock_ok: check('clock')?.status === 'ok',
    },
    ...(failed?.failure ? { exit: EXIT_FOR[failed.failure] } : {}),
  };
}
