import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadMerchantIdentity, loadPublicKey, validateApiV2Key, validateApiV3Key, validatePublicKeyId, WechatPayError, type MerchantIdentitySource } from '../wechatpay';
import type { SecretStore } from '../secrets/secret-store';
import { trainingNamespace, type MerchantRecord, type SettingsStore } from '../settings/settings';

/** Everything needed to provision a till; file contents already read, nothing persisted yet. */
export interface ProvisionSource {
  mchid: string;
  appid: string;
  identity: Omit<MerchantIdentitySource, 'mchid'>;
  apiv3Key: string;
  /** Signs the sending plugin's parameters (docs/wechatpay/busifavor.md#sending-coupons); optional, a till that only redeems never needs it. */
  apiv2Key?: string;
  verification: 'public_key' | 'certificate' | 'both';
  publicKeyId?: string;
  publicKeyPem?: string;
  baseUrl?: string;
  training: boolean;
}

export interface ProvisionSummary {
  mchid: string;
  appid: string;
  merchantSerial: string;
  verification: ProvisionSource['verification'];
  wechatpayPublicKeyId: string | null;
  baseUrl: string | null;
  training: boolean;
}

/**
 * Validates the whole set first (key matches certificate, APIv3 key is 32 bytes, public key
 * parses), then writes secrets to the keychain and the rest to settings. Nothing is written
 * if anything is wrong, so a failed provisioning never leaves a half-configured till. A
 * practice merchant goes to its own record and keychain namespace, never over a live one.
 */
export async function provisionMerchant(source: ProvisionSource, deps: { settings: SettingsStore; secretsFor: (namespace: string) => SecretStore }): Promise<ProvisionSummary> {
  const current = deps.settings.read();
  if (source.training && current.merchant) {
    throw configError('this till has a live merchant: a manager switches it to training at the till (or IT runs posctl deprovision first)');
  }
  if (!source.training && source.baseUrl) {
    throw configError('a live merchant talks to WeChat Pay’s own hosts only; a base URL (a simulator) is for training (--training)');
  }
  const identity = loadMerchantIdentity({ mchid: source.mchid, ...source.identity });
  validateApiV3Key(source.apiv3Key);
  if (source.apiv2Key !== undefined) validateApiV2Key(source.apiv2Key);
  // WeChat documents only 1..32 characters (its own example, wxd678efh567hg6787, is not hex): docs/wechatpay/busifavor.md#conventions.
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(source.appid)) throw configError(`appid "${source.appid}" is not a WeChat AppID (1..32 letters and digits)`);
  const usesPublicKey = source.verification !== 'certificate';
  if (usesPublicKey) {
    if (!source.publicKeyId || !source.publicKeyPem) throw configError('public-key mode needs the WeChat Pay public key and its PUB_KEY_ID_…');
    validatePublicKeyId(source.publicKeyId);
    loadPublicKey(source.publicKeyPem);
  }
  const privateKeyPem = identity.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  const secrets = deps.secretsFor(source.training ? trainingNamespace(current.profileId) : current.profileId);
  await secrets.set('merchant_private_key', privateKeyPem);
  await secrets.set('apiv3_key', source.apiv3Key);
  // Provisioning the same merchant again keeps its APIv2 key; another merchant never inherits it.
  if (source.apiv2Key !== undefined) await secrets.set('apiv2_key', source.apiv2Key);
  else if ((source.training ? current.training : current.merchant)?.mchid !== identity.mchid) await secrets.delete('apiv2_key');
  const merchant: MerchantRecord = {
    mchid: identity.mchid,
    appid: source.appid,
    merchantSerial: identity.serialNo,
    verification: source.verification,
    ...(usesPublicKey ? { wechatpayPublicKeyId: source.publicKeyId, wechatpayPublicKeyPem: source.publicKeyPem } : {}),
    ...(source.baseUrl ? { baseUrl: source.baseUrl } : {}),
    provisionedAt: new Date().toISOString(),
  };
  // Going live retires the practice merchant of a till that trained until now.
  deps.settings.update(source.training ? { training: merchant } : { merchant, training: null, mode: 'live' });
  return {
    mchid: merchant.mchid,
    appid: merchant.appid,
    merchantSerial: merchant.merchantSerial,
    verification: merchant.verification,
    wechatpayPublicKeyId: merchant.wechatpayPublicKeyId ?? null,
    baseUrl: merchant.baseUrl ?? null,
    training: source.training,
  };
}

/** Removes the merchant: secrets out of the keychain, settings back to training. */
export async function deprovisionMerchant(deps: { settings: SettingsStore; secrets: SecretStore }): Promise<void> {
  await deps.secrets.delete('merchant_private_key');
  await deps.secrets.delete('apiv3_key');
  await deps.secrets.delete('apiv2_key');
  deps.settings.update({ merchant: null, mode: 'training' });
}

/** The simulator's credentials line (docs/contracts.md#simulator-credentials-line), also accepted by posctl and the benches as --creds. */
export const CredentialsFile = z.object({
  base_url: z.string().url(),
  mode: z.enum(['pubkey', 'cert']),
  mchid: z.string(),
  merchant_serial: z.string(),
  wechatpay_public_key_id: z.string().nullable().optional(),
  platform_serial: z.string().nullable().optional(),
  appid: z.string(),
  files: z.object({
    merchant_private_key: z.string(),
    merchant_certificate: z.string().nullable().optional(),
    wechatpay_public_key: z.string().nullable().optional(),
    platform_certificate: z.string().nullable().optional(),
    apiv3_key: z.string(),
    apiv2_key: z.string().optional(),
  }),
});
export type CredentialsFile = z.infer<typeof CredentialsFile>;

export function sourceFromCredentials(creds: CredentialsFile, opts: { training: boolean }): ProvisionSource {
  const read = (p: string) => readFileSync(p, 'utf8');
  const pubkey = creds.mode === 'pubkey';
  return {
    mchid: creds.mchid,
    appid: creds.appid,
    identity: {
      privateKeyPem: read(creds.files.merchant_private_key),
      ...(creds.files.merchant_certificate ? { certificatePem: read(creds.files.merchant_certificate) } : { serialNo: creds.merchant_serial }),
    },
    apiv3Key: read(creds.files.apiv3_key).trim(),
    ...(creds.files.apiv2_key ? { apiv2Key: read(creds.files.apiv2_key).trim() } : {}),
    verification: pubkey ? 'public_key' : 'certificate',
    ...(pubkey && creds.wechatpay_public_key_id && creds.files.wechatpay_public_key
      ? { publicKeyId: creds.wechatpay_public_key_id, publicKeyPem: read(creds.files.wechatpay_public_key) }
      : {}),
    baseUrl: creds.base_url,
    training: opts.training,
  };
}

function configError(message: string): WechatPayError {
  return new WechatPayError({ kind: 'configuration', code: 'PROVISION', message });
}
