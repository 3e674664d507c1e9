// Loading and checking merchant credentials. Everything is parsed once into KeyObjects here;
// the signing path never sees a PEM string. Errors are 'configuration' and never quote input.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { configurationError } from './errors';
import { PUBLIC_KEY_ID_PREFIX } from './verify';

export function validateMchid(mchid: string): string {
  if (!/^\d{1,32}$/.test(mchid)) throw configurationError('The merchant id (mchid) must be digits only', 'BAD_MCHID');
  return mchid;
}

/** Certificate serials are compared upper-case (that is how WeChat Pay prints them). */
export function normalizeSerial(serial: string): string {
  const upper = serial.trim().toUpperCase();
  if (!/^[0-9A-F]{1,64}$/.test(upper)) {
    throw configurationError('A certificate serial number must be hexadecimal', 'BAD_SERIAL');
  }
  return upper;
}

/** `PUB_KEY_ID_` + digits (every sample has 34; the length is not documented, so not enforced). */
export function validatePublicKeyId(id: string): string {
  const trimmed = id.trim();
  if (!trimmed.startsWith(PUBLIC_KEY_ID_PREFIX) || !/^\d{1,64}$/.test(trimmed.slice(PUBLIC_KEY_ID_PREFIX.length))) {
    throw configurationError('The WeChat Pay public key id must look like PUB_KEY_ID_ followed by digits', 'BAD_PUBLIC_KEY_ID');
  }
  return trimmed;
}

/** The APIv3 key: exactly 32 ASCII bytes. The message never echoes it. */
export function validateApiV3Key(key: string | Buffer): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  const printable = bytes.every((b) => b > 0x20 && b < 0x7f);
  if (bytes.length !== 32 || !printable) {
    throw configurationError(`The APIv3 key must be exactly 32 printable ASCII characters (got ${bytes.length} bytes); the APIv2 key will not work`, 'BAD_APIV3_KEY');
  }
  return bytes;
}

function looksLikePem(text: string, label: RegExp): boolean {
  return label.test(text);
}

/** Merchant API private key (`apiclient_key.pem`), PKCS#8 or PKCS#1, RSA ≥ 2048 bits. */
export function loadPrivateKey(pem: string | Buffer): KeyObject {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  if (/ENCRYPTED/.test(text)) {
    throw configurationError('The merchant private key is password-protected; export it without a password', 'PRIVATE_KEY_ENCRYPTED');
  }
  if (!looksLikePem(text, /-----BEGIN (RSA )?PRIVATE KEY-----/)) {
    throw configurationError('The merchant private key must be a PEM file (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)', 'PRIVATE_KEY_FORMAT');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw configurationError('The merchant private key could not be read (damaged PEM?)', 'PRIVATE_KEY_UNREADABLE');
  }
  assertRsa2048(key, 'merchant private key');
  return key;
}

/** WeChat Pay public key (SPKI PEM, `-----BEGIN PUBLIC KEY-----`). */
export function loadPublicKey(pem: string | Buffer): KeyObject {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  if (!looksLikePem(text, /-----BEGIN (RSA )?PUBLIC KEY-----/)) {
    throw configurationError('The WeChat Pay public key must be a PEM public key (BEGIN PUBLIC KEY)', 'PUBLIC_KEY_FORMAT');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw configurationError('The WeChat Pay public key could not be read (damaged PEM?)', 'PUBLIC_KEY_UNREADABLE');
  }
  assertRsa2048(key, 'WeChat Pay public key');
  return key;
}

function assertRsa2048(key: KeyObject, what: string): void {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 2048) {
    throw configurationError(`The ${what} must be an RSA key of at least 2048 bits`, 'KEY_TYPE');
  }
}

export interface LoadedCertificate {
  certificate: X509Certificate;
  /** Upper-case hex. */
  serial: string;
}

export function readCertificate(pem: string | Buffer): LoadedCertificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw configurationError('The certificate could not be read (expected a PEM X.509 certificate)', 'CERTIFICATE_UNREADABLE');
  }
  return { certificate, serial: certificate.serialNumber.toUpperCase() };
}

export function certificateSerial(pem: string | Buffer): string {
  return readCertificate(pem).serial;
}

export function assertKeyMatchesCertificate(privateKey: KeyObject, certificate: X509Certificate): void {
  if (!certificate.checkPrivateKey(privateKey)) {
    throw configurationError(
      `The merchant private key does not belong to the merchant certificate (serial ${certificate.serialNumber.toUpperCase()}); ` +
        'use apiclient_key.pem and apiclient_cert.pem from the same download',
      'KEY_CERTIFICATE_MISMATCH',
    );
  }
}

export interface Pkcs12Contents {
  privateKey: KeyObject;
  certificatePem: string;
  serial: string;
}

/** `apiclient_cert.p12`; WeChat Pay protects it with the merchant id as password. */
export function loadPkcs12(p12: Buffer, password: string): Pkcs12Contents {
  let bags: { key?: forge.pki.PrivateKey; certs: forge.pki.Certificate[] };
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
    const archive = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
    const keyBags = [
      ...(archive.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag as string })[forge.pki.oids.pkcs8ShroudedKeyBag as string] ?? []),
      ...(archive.getBags({ bagType: forge.pki.oids.keyBag as string })[forge.pki.oids.keyBag as string] ?? []),
    ];
    const certBags = archive.getBags({ bagType: forge.pki.oids.certBag as string })[forge.pki.oids.certBag as string] ?? [];
    const key = keyBags.find((bag) => bag.key)?.key;
    bags = { certs: certBags.flatMap((bag) => (bag.cert ? [bag.cert] : [])), ...(key ? { key } : {}) };
  } catch {
    throw configurationError('The PKCS#12 file (apiclient_cert.p12) could not be opened: wrong password (default: the merchant id) or damaged file', 'P12_UNREADABLE');
  }
  if (!bags.key || bags.certs.length === 0) {
    throw configurationError('The PKCS#12 file must contain the merchant RSA private key and its certificate', 'P12_INCOMPLETE');
  }
  const privateKey = createPrivateKey({ key: forge.pki.privateKeyToPem(bags.key), format: 'pem' });
  assertRsa2048(privateKey, 'merchant private key');
  const loaded = bags.certs.map((cert) => readCertificate(forge.pki.certificateToPem(cert)));
  // A .p12 may also carry CA certificates; the merchant certificate is the one the key fits.
  const own = loaded.find((c) => c.certificate.checkPrivateKey(privateKey));
  if (!own) assertKeyMatchesCertificate(privateKey, (loaded[0] as LoadedCertificate).certificate);
  const chosen = own as LoadedCertificate;
  return { privateKey, certificatePem: chosen.certificate.toString(), serial: chosen.serial };
}

export interface MerchantIdentitySource {
  mchid: string;
  privateKeyPem?: string | Buffer;
  certificatePem?: string | Buffer;
  p12?: Buffer;
  /** Defaults to the merchant id, as WeChat Pay issues it. */
  p12Password?: string;
  /** Needed only when no certificate is given. */
  serialNo?: string;
}

export interface MerchantIdentity {
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
  certificate?: X509Certificate;
}

/** Builds the signing identity from whatever the merchant provisioned, checking it hangs together. */
export function loadMerchantIdentity(source: MerchantIdentitySource): MerchantIdentity {
  const mchid = validateMchid(source.mchid);
  let privateKey: KeyObject | undefined;
  let certificate: LoadedCertificate | undefined;
  if (source.p12) {
    const contents = loadPkcs12(source.p12, source.p12Password ?? mchid);
    privateKey = contents.privateKey;
    certificate = readCertificate(contents.certificatePem);
  }
  if (source.privateKeyPem !== undefined) privateKey = loadPrivateKey(source.privateKeyPem);
  if (source.certificatePem !== undefined) certificate = readCertificate(source.certificatePem);
  if (!privateKey) throw configurationError('No merchant private key configured', 'PRIVATE_KEY_MISSING');
  if (certificate) assertKeyMatchesCertificate(privateKey, certificate.certificate);
  const configuredSerial = source.serialNo !== undefined ? normalizeSerial(source.serialNo) : undefined;
  if (certificate && configuredSerial && configuredSerial !== certificate.serial) {
    throw configurationError(`The configured merchant serial ${configuredSerial} is not the certificate's serial ${certificate.serial}`, 'SERIAL_MISMATCH');
  }
  const serialNo = certificate?.serial ?? configuredSerial;
  if (!serialNo) throw configurationError('No merchant certificate or certificate serial configured', 'SERIAL_MISSING');
  return { mchid, serialNo, privateKey, ...(certificate ? { certificate: certificate.certificate } : {}) };
}
