// Throwaway X.509 certificates for the vector keys, made with node-forge so tests can have
// expired, not-yet-valid and rotated platform certificates without shipping files.
import forge from 'node-forge';
import type { KeyObject } from 'node:crypto';

export interface TestCertificateOptions {
  privateKey: KeyObject;
  /** Hex; start with a digit below 8 so the DER integer stays positive without padding. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  commonName?: string;
}

export function makeCertificate(options: TestCertificateOptions): string {
  const key = forge.pki.privateKeyFromPem(options.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = options.serial;
  cert.validity.notBefore = options.notBefore;
  cert.validity.notAfter = options.notAfter;
  const attrs = [
    { name: 'commonName', value: options.commonName ?? 'Tenpay.com sign' },
    { name: 'countryName', value: 'CN' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const DAY = 24 * 60 * 60 * 1000;

export function daysFromNow(days: number, now = Date.now()): Date {
  return new Date(now + days * DAY);
}
