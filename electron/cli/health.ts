import { headerValue, WechatPayError } from '../wechatpay';
import { currentMerchant, openMerchantSession } from '../merchant/session';
import type { CliContext } from './context';

/**
 * What IT needs to know before a till goes live: keychain, merchant key against its serial
 * (a signed call WeChat Pay — or the simulator — accepts), how responses are verified, key
 * expiry, and clock skew against the server's signed timestamp.
 */
export async function healthCommand(ctx: CliContext) {
  await ctx.secrets.ping();
  const merchant = currentMerchant(ctx.settings.read(), ctx.secretsFor);
  if (!merchant) return { keychain: 'ok', merchant: null, mode: 'training', note: 'no merchant provisioned' };
  const session = await openMerchantSession(merchant, { dataDir: ctx.dataDir.path, timeoutMs: 10_000 });
  try {
    const before = Date.now();
    const res = await session.client.fetchRaw({ method: 'GET', path: '/v3/marketing/busifavor/callbacks' });
    const after = Date.now();
    const serverTs = Number(headerValue(res.headers, 'Wechatpay-Timestamp'));
    // A 401 here means WeChat Pay did not accept our signature: wrong key for this serial, or clock.
    if (res.status === 401) {
      throw new WechatPayError({
        kind: 'configuration',
        code: 'SIGN_ERROR',
        httpStatus: 401,
        message: `WeChat Pay refused this till's signature: the private key does not belong to certificate ${session.merchant.merchantSerial}, or the clock is wrong`,
        ...(res.requestId ? { requestId: res.requestId } : {}),
      });
    }
    const verified = (await session.client.verifier.verifyOrThrow(res.headers, res.raw, res.requestId)).mode;
    const skewSeconds = Number.isFinite(serverTs) ? Math.round(serverTs - (before + after) / 2000) : null;
    return {
      keychain: 'ok',
      mode: session.training ? 'training' : 'live',
      merchant: { mchid: session.merchant.mchid, appid: session.merchant.appid, serial: session.merchant.merchantSerial },
      signature_accepted: true,
      response_verified_with: verified,
      verification: session.merchant.verification,
      public_key: session.merchant.wechatpayPublicKeyId ? { id: session.merchant.wechatpayPublicKeyId, expires: 'never' } : null,
      platform_certificates: session.certificates?.certificates().map((c) => ({ serial: c.serial, valid_to: c.validTo.toISOString(), validity: c.validity })) ?? null,
      expiring_within_30_days: session.certificates?.expiringWithin(30).map((w) => ({ serial: w.serial, days_left: w.daysLeft })) ?? [],
      clock_skew_seconds: skewSeconds,
      clock_ok: skewSeconds !== null && Math.abs(skewSeconds) < 120,
      request_id: res.requestId ?? null,
    };
  } finally {
    await session.close();
  }
}
