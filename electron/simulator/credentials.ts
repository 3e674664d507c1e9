// Throwaway identities for the simulator: the merchant's API key and self-signed certificate
// (what a till is provisioned with), the "WeChat Pay" public key with its PUB_KEY_ID_, the
// platform certificates (with their private keys, which only the simulator holds), the APIv3
// key and an AppID. They are written as the PEM/text files the credentials line points at,
// and kept as one JSON document so a simulator restarted on the same state dir keeps them.
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, randomInt, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateRsa = promisify(generateKeyPair);
const YEAR_MS = 365 * 24 * 3600 * 1000;

export type KeyMode = 'pubkey' | 'cert' | 'migrating';

export interface PlatformEntry {
  serial: string;
  certificatePem: string;
  privateKeyPem: string;
}

/** Everything secret and public the simulator knows about its one merchant and itself. */
export interface SimKeys {
  mchid: string;
  appid: string;
  apiv3Key: string;
  merchant: { serial: string; privateKeyPem: string; certificatePem: string };
  wechatpayPublicKey: { id: string; privateKeyPem: string; publicKeyPem: string };
  /** Oldest first; the last one is the newest (the one that signs in certificate mode). */
  platform: PlatformEntry[];
}

export interface CredentialFiles {
  merchant_private_key: string;
  merchant_certificate: string;
  wechatpay_public_key: string;
  platform_certificate: string;
  apiv3_key: string;
}

/** The line `npm run sim` prints (docs/contracts.md#simulator-credentials-line). */
export interface CredentialsLine {
  base_url: string;
  /** The contract's two modes; a migrating simulator reports `cert` plus `migrating: true`. */
  mode: 'pubkey' | 'cert';
  /** Present when both keys sign (responses by the request's Wechatpay-Serial, notifications either). */
  migrating?: true;
  mchid: string;
  merchant_serial: string;
  wechatpay_public_key_id: string;
  platform_serial: string;
  appid: string;
  files: CredentialFiles;
  seed: unknown;
  /** Bearer token for the /_sim/ admin API; valid until this simulator stops. */
  admin_token: string;
}

/** 40 upper-case hex digits, first one 1–7 so the DER integer is positive without padding. */
function certificateSerial(): string {
  return `${1 + randomInt(7)}${randomBytes(20).toString('hex').slice(1)}`.toUpperCase();
}

function digits(n: number): string {
  let out = String(1 + randomInt(9));
  while (out.length < n) out += String(randomInt(10));
  return out;
}

function apiv3Key(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

async function rsaPair(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

interface CertificateRequest {
  privateKeyPem: string;
  serial: string;
  subject: { name: string; value: string }[];
  notBefore: Date;
  notAfter: Date;
}

/** node:crypto cannot issue certificates; node-forge can (once per identity, so its speed is fine). */
function selfSigned(request: CertificateRequest): string {
  const key = forge.pki.privateKeyFromPem(request.privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = request.serial.toLowerCase();
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  cert.setSubject(request.subject);
  cert.setIssuer(request.subject);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** A new platform certificate, valid five years from a day ago (as WeChat issues them). */
export async function newPlatformEntry(nowMs: number = Date.now()): Promise<PlatformEntry> {
  const pair = await rsaPair();
  const serial = certificateSerial();
  const certificatePem = selfSigned({
    privateKeyPem: pair.privateKeyPem,
    serial,
    subject: [
      { name: 'commonName', value: 'Tenpay.com sign (simulator)' },
      { name: 'organizationName', value: 'Tenpay.com' },
      { name: 'countryName', value: 'CN' },
    ],
    notBefore: new Date(nowMs - 24 * 3600 * 1000),
    notAfter: new Date(nowMs + 5 * YEAR_MS),
  });
  return { serial: new X509Certificate(certificatePem).serialNumber.toUpperCase(), certificatePem, privateKeyPem: pair.privateKeyPem };
}

export async function generateKeys(options: { mchid?: string; appid?: string } = {}): Promise<SimKeys> {
  const mchid = options.mchid ?? `19${digits(8)}`;
  const [merchantPair, publicKeyPair, platform] = await Promise.all([rsaPair(), rsaPair(), newPlatformEntry()]);
  const merchantSerial = certificateSerial();
  const certificatePem = selfSigned({
    privateKeyPem: merchantPair.privateKeyPem,
    serial: merchantSerial,
    subject: [
      { name: 'commonName', value: mchid },
      { name: 'organizationName', value: 'Busifavor Simulator Merchant' },
      { name: 'organizationalUnitName', value: 'busifavor simulator' },
      { name: 'countryName', value: 'CN' },
    ],
    notBefore: new Date(Date.now() - 24 * 3600 * 1000),
    notAfter: new Date(Date.now() + 5 * YEAR_MS),
  });
  return {
    mchid,
    appid: options.appid ?? `wx${randomBytes(8).toString('hex')}`,
    apiv3Key: apiv3Key(),
    merchant: { serial: new X509Certificate(certificatePem).serialNumber.toUpperCase(), privateKeyPem: merchantPair.privateKeyPem, certificatePem },
    wechatpayPublicKey: { id: `PUB_KEY_ID_${digits(34)}`, ...publicKeyPair },
    platform: [platform],
  };
}

/** The newest platform certificate: what signs in certificate mode and what the credentials name. */
export function currentPlatform(keys: SimKeys): PlatformEntry {
  const entry = keys.platform[keys.platform.length - 1];
  if (!entry) throw new Error('the simulator has no platform certificate');
  return entry;
}

/** Parsed key objects, made once per simulator. */
export interface LoadedKeys {
  merchantPublicKey: KeyObject;
  wechatpayPrivateKey: KeyObject;
  platform: { serial: string; certificatePem: string; privateKey: KeyObject; validFrom: number; validTo: number }[];
}

export function loadKeyObjects(keys: SimKeys): LoadedKeys {
  return {
    merchantPublicKey: createPublicKey(keys.merchant.certificatePem),
    wechatpayPrivateKey: createPrivateKey(keys.wechatpayPublicKey.privateKeyPem),
    platform: keys.platform.map(loadPlatform),
  };
}

export function loadPlatform(entry: PlatformEntry): LoadedKeys['platform'][number] {
  const cert = new X509Certificate(entry.certificatePem);
  return {
    serial: entry.serial,
    certificatePem: entry.certificatePem,
    privateKey: createPrivateKey(entry.privateKeyPem),
    validFrom: Date.parse(cert.validFrom),
    validTo: Date.parse(cert.validTo),
  };
}

/** Write-then-rename, so a reader never sees half a file. Private material is owner-only. */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, content, { mode });
  renameSync(temp, path);
}

const KEYS_FILE = 'simulator-keys.json';

/** Writes the client-side files the credentials line names, plus the simulator's own key store. */
export function writeCredentialFiles(dir: string, keys: SimKeys): CredentialFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: CredentialFiles = {
    merchant_private_key: join(dir, 'apiclient_key.pem'),
    merchant_certificate: join(dir, 'apiclient_cert.pem'),
    wechatpay_public_key: join(dir, 'wechatpay_public_key.pem'),
    platform_certificate: join(dir, 'wechatpay_platform_cert.pem'),
    apiv3_key: join(dir, 'apiv3_key.txt'),
  };
  writeFileAtomic(files.merchant_private_key, keys.merchant.privateKeyPem);
  writeFileAtomic(files.merchant_certificate, keys.merchant.certificatePem, 0o644);
  writeFileAtomic(files.wechatpay_public_key, keys.wechatpayPublicKey.publicKeyPem, 0o644);
  writeFileAtomic(files.platform_certificate, currentPlatform(keys).certificatePem, 0o644);
  writeFileAtomic(files.apiv3_key, keys.apiv3Key);
  writeFileAtomic(join(dir, KEYS_FILE), JSON.stringify(keys, null, 2));
  return files;
}

/** Keys saved by an earlier run in `dir`, if any. */
export function readSavedKeys(dir: string): SimKeys | undefined {
  const path = join(dir, KEYS_FILE);
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as SimKeys;
  if (typeof parsed.mchid !== 'string' || !Array.isArray(parsed.platform) || parsed.platform.length === 0) {
    throw new Error(`${path} is not a simulator key store`);
  }
  return parsed;
}

const CREDENTIAL_FILE_NAMES = ['apiclient_key.pem', 'apiclient_cert.pem', 'wechatpay_public_key.pem', 'wechatpay_platform_cert.pem', 'apiv3_key.txt', KEYS_FILE];

/**
 * For a state dir that must not hold keys: the merchant id and AppID to generate fresh keys
 * under (from key files an earlier version left, which are deleted here, or from the saved
 * seed), so the saved stocks and coupons still belong to the merchant that starts now.
 */
export function forgetSavedKeys(dir: string): { mchid?: string; appid?: string } {
  let ids: { mchid?: string; appid?: string } = {};
  const saved = existsSync(join(dir, KEYS_FILE)) ? readSavedKeys(dir) : undefined;
  if (saved) ids = { mchid: saved.mchid, appid: saved.appid };
  else if (existsSync(join(dir, 'seed.json'))) {
    const seed = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as { mchid?: unknown; appid?: unknown } | null;
    if (typeof seed?.mchid === 'string' && typeof seed.appid === 'string') ids = { mchid: seed.mchid, appid: seed.appid };
  }
  for (const name of CREDENTIAL_FILE_NAMES) rmSync(join(dir, name), { force: true });
  return ids;
}

export function credentialsLine(keys: SimKeys, parts: { baseUrl: string; mode: KeyMode; files: CredentialFiles; seed: unknown; adminToken: string }): CredentialsLine {
  return {
    base_url: parts.baseUrl,
    mode: parts.mode === 'pubkey' ? 'pubkey' : 'cert',
    ...(parts.mode === 'migrating' ? { migrating: true as const } : {}),
    mchid: keys.mchid,
    merchant_serial: keys.merchant.serial,
    wechatpay_public_key_id: keys.wechatpayPublicKey.id,
    platform_serial: currentPlatform(keys).serial,
    appid: keys.appid,
    files: parts.files,
    seed: parts.seed,
    admin_token: parts.adminToken,
  };
}
