// The connection test for a merchant, the desk's and `posctl health`'s alike: a list the
// manager's screen words one by one, each failure sorted into the usual causes (clock, key
// against serial, verification mode, keychain, host unreachable) instead of a stack trace.
import { z } from 'zod';
import type { ConnectionCheck, ConnectionCheckId, ConnectionTest } from '../../shared/contract';
import { couldNotConnect } from '../queue/attempt';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings';
import { headerValue, WechatPayError } from '../wechatpay';
import { currentMerchant, openMerchantSession, type MerchantSession } from './session';

/** WeChat Pay refuses requests whose timestamp is off by more than five minutes (docs/wechatpay/apiv3.md#clock-skew); two already deserve a warning. */
const SKEW_REFUSED_S = 300;
const SKEW_WARN_S = 120;

const ORDER: ConnectionCheckId[] = ['keychain', 'reachable', 'signature', 'verification', 'clock'];

/** Tests the merchant this till works for now: the live one, else the practice one (a test host). */
export async function connectionTest(
  deps: { settings: SettingsStore; secretsFor: (namespace: string) => SecretStore; dataDir: string },
  /** Reads more from the open session (posctl health lists the platform certificates) once WeChat Pay answered. */
  inspect?: (session: MerchantSession) => void,
): Promise<ConnectionTest> {
  const checks: ConnectionCheck[] = [];
  const done = (skewSeconds: number | null = null): ConnectionTest => {
    for (const id of ORDER) if (!checks.some((c) => c.id === id)) checks.push({ id, status: 'skipped' });
    return { ok: checks.every((c) => c.status === 'ok'), checks, skewSeconds };
  };
  const merchant = currentMerchant(deps.settings.read(), deps.secretsFor);
  try {
    await (merchant?.secrets ?? deps.secretsFor(deps.settings.read().profileId)).ping();
    checks.push({ id: 'keychain', status: 'ok' });
  } catch {
    checks.push({ id: 'keychain', status: 'fail', failure: 'keychain' });
    return done();
  }
  let session: MerchantSession;
  try {
    session = await openMerchantSession(merchant, { dataDir: deps.dataDir, timeoutMs: 10_000, connectTimeoutMs: 3_000 });
  } catch (err) {
    checks.push(openFailure(err));
    return done();
  }
  try {
    const before = Date.now();
    let res: Awaited<ReturnType<MerchantSession['client']['fetchRaw']>>;
    try {
      res = await session.client.fetchRaw({ method: 'GET', path: '/v3/marketing/busifavor/callbacks' });
    } catch (err) {
      checks.push(
        couldNotConnect(err)
          ? { id: 'reachable', status: 'fail', failure: 'unreachable', detail: hostOf(session) }
          : { id: 'reachable', status: 'fail', failure: 'unexpected', detail: short(err) },
      );
      return done();
    }
    const after = Date.now();
    checks.push({ id: 'reachable', status: 'ok', detail: hostOf(session) });
    inspect?.(session);
    const serverTs = Number(headerValue(res.headers, 'Wechatpay-Timestamp'));
    const skew = Number.isFinite(serverTs) && serverTs > 0 ? Math.round(serverTs - (before + after) / 2000) : null;
    if (res.status === 401) {
      const clock = skew !== null && Math.abs(skew) > SKEW_REFUSED_S;
      checks.push({
        id: 'signature',
        status: 'fail',
        failure: clock ? 'clock_skew' : 'signature_refused',
        detail: clock ? `clock off by ${skew} s` : `certificate serial ${session.merchant.merchantSerial}`,
      });
      return done(skew);
    }
    checks.push({ id: 'signature', status: 'ok', detail: `certificate serial ${session.merchant.merchantSerial}` });
    try {
      const verified = await session.client.verifier.verifyOrThrow(res.headers, res.raw, res.requestId);
      checks.push({ id: 'verification', status: 'ok', detail: verified.mode });
    } catch (err) {
      checks.push({ id: 'verification', status: 'fail', failure: 'verification_failed', detail: `${session.merchant.verification}: ${short(err)}` });
    }
    if (skew === null || Math.abs(skew) >= SKEW_WARN_S)
      checks.push({ id: 'clock', status: 'fail', failure: 'clock_skew', detail: skew === null ? 'no server time in the answer' : `clock off by ${skew} s` });
    else checks.push({ id: 'clock', status: 'ok', detail: `${skew} s` });
    return done(skew);
  } finally {
    await session.close().catch(() => undefined);
  }
}

/** Opening the session can fail on the keychain's content, on the certificates download (its own verification), or on the host. */
function openFailure(err: unknown): ConnectionCheck {
  if (couldNotConnect(err)) return { id: 'reachable', status: 'fail', failure: 'unreachable' };
  if (err instanceof WechatPayError && err.kind === 'security') return { id: 'verification', status: 'fail', failure: 'verification_failed', detail: short(err) };
  if (err instanceof WechatPayError && err.code === 'SECRET_MISSING') return { id: 'keychain', status: 'fail', failure: 'keychain', detail: short(err) };
  return { id: 'signature', status: 'fail', failure: 'unexpected', detail: short(err) };
}

const hostOf = (s: MerchantSession) => {
  const parsed = z.string().url().safeParse(s.merchant.baseUrl);
  return parsed.success ? new URL(parsed.data).host : 'api.mch.weixin.qq.com';
};

/** Error texts from our own layers name files, serials and modes, never key material. */
const short = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);
