import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CombinedResolver,
  loadPrivateKey,
  loadPublicKey,
  PlatformCertificateManager,
  PublicKeyResolver,
  WechatPayClient,
  WechatPayError,
  type CachedCertificateSet,
  type CertificateCache,
} from '../wechatpay';
import type { SecretStore } from '../secrets/secret-store';
import { trainingNamespace, type MerchantRecord, type Settings } from '../settings/settings';

/** Platform certificates are public material: cached as JSON in the data dir, written atomically. */
export class FileCertificateCache implements CertificateCache {
  constructor(private readonly file: string) {}
  load(): CachedCertificateSet | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as CachedCertificateSet;
    } catch {
      return undefined; // damaged cache: the manager downloads again
    }
  }
  save(set: CachedCertificateSet): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(set), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

/** A provisioned merchant and where its keys are: the live one, or the practice one in its own namespace. */
export interface ProvisionedMerchant {
  record: MerchantRecord;
  secrets: SecretStore;
  training: boolean;
}

/** The merchant this till works for: the live one when provisioned, else the practice one (or none yet). */
export function currentMerchant(settings: Settings, secretsFor: (namespace: string) => SecretStore): ProvisionedMerchant | null {
  if (settings.merchant) return { record: settings.merchant, secrets: secretsFor(settings.profileId), training: false };
  if (settings.training) return { record: settings.training, secrets: secretsFor(trainingNamespace(settings.profileId)), training: true };
  return null;
}

export interface MerchantSession {
  merchant: MerchantRecord;
  training: boolean;
  client: WechatPayClient;
  certificates?: PlatformCertificateManager;
  close(): Promise<void>;
}

/**
 * Opens the signed WeChat Pay client for the provisioned merchant: private key and APIv3
 * key from the keychain, verification keys per the configured mode. The keys stay inside
 * this process; callers only get the client. A live merchant's client accepts WeChat Pay's
 * own hosts only — which record it is, not any field in it, decides that.
 */
export async function openMerchantSession(
  merchant: ProvisionedMerchant | null,
  opts: { dataDir: string; timeoutMs?: number; connectTimeoutMs?: number },
): Promise<MerchantSession> {
  if (!merchant) throw new WechatPayError({ kind: 'configuration', code: 'NOT_PROVISIONED', message: 'No merchant is provisioned on this till' });
  const { record, secrets, training } = merchant;
  const [keyPem, apiv3Key] = await Promise.all([secrets.get('merchant_private_key'), secrets.get('apiv3_key')]);
  if (!keyPem || !apiv3Key) {
    throw new WechatPayError({ kind: 'configuration', code: 'SECRET_MISSING', message: 'The merchant key or APIv3 key is missing from the keychain; provision again' });
  }
  const privateKey = loadPrivateKey(keyPem);
  const environment = training ? 'training' : 'production';
  const base = {
    mchid: record.mchid,
    serialNo: record.merchantSerial,
    privateKey,
    environment,
    ...(record.baseUrl ? { baseUrl: record.baseUrl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
  } as const;

  const publicKey =
    record.verification !== 'certificate' && record.wechatpayPublicKeyId && record.wechatpayPublicKeyPem
      ? new PublicKeyResolver(record.wechatpayPublicKeyId, loadPublicKey(record.wechatpayPublicKeyPem))
      : undefined;
  if (record.verification === 'public_key') {
    const client: WechatPayClient = new WechatPayClient({ ...base, resolver: publicKey! });
    return { merchant: record, training, client, close: () => client.close() };
  }

  // The manager downloads through the client it verifies for: the first download verifies
  // itself against the certificates it delivers (bootstrap), later ones against the cache.
  const manager: PlatformCertificateManager = new PlatformCertificateManager({
    apiv3Key,
    cache: new FileCertificateCache(join(opts.dataDir, 'platform-certificates.json')),
    fetch: () => client.fetchRaw({ method: 'GET', path: '/v3/certificates' }),
  });
  const client: WechatPayClient = new WechatPayClient({ ...base, resolver: publicKey ? new CombinedResolver(publicKey, manager) : manager });
  await manager.init();
  return {
    merchant: record,
    training,
    client,
    certificates: manager,
    close: async () => {
      manager.stop();
      await client.close();
    },
  };
}
