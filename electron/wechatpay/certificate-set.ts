// A set of platform certificates: opening a /v3/certificates download, judging validity,
// and resolving a `Wechatpay-Serial` to a certificate's public key.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { aeadDecryptText, type AeadCipher } from './aead';
import { securityError, WechatPayError } from './errors';
import type { KeyResolution, KeyResolver } from './verify';

/** One entry as cached: public material only, safe to write to disk as JSON. */
export interface CachedCertificate {
  serial_no: string;
  effective_time?: string;
  expire_time?: string;
  pem: string;
}

export interface CachedCertificateSet {
  version: 1;
  /** When the set was last downloaded (ms since epoch). */
  fetchedAt: number;
  publicKeyOnly: boolean;
  certificates: CachedCertificate[];
}

export interface DecryptedCertificate extends CachedCertificate {
  certificate: X509Certificate;
}

interface EncryptedEntry {
  serial_no?: unknown;
  effective_time?: unknown;
  expire_time?: unknown;
  encrypt_certificate?: { algorithm?: unknown; nonce?: unknown; associated_data?: unknown; ciphertext?: unknown };
}

function malformed(what: string): WechatPayError {
  return securityError(`Malformed certificate download: ${what}`, 'CERTIFICATE_DOWNLOAD_MALFORMED');
}

/** Opens every entry of a /v3/certificates body and checks each PEM's serial against its entry. */
export function decryptCertificateDownload(body: Buffer | string | object, apiv3Key: Buffer | string, cipher: AeadCipher = 'aes-256-gcm'): DecryptedCertificate[] {
  let parsed: unknown = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      parsed = JSON.parse(body.toString());
    } catch {
      throw malformed('not JSON');
    }
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw malformed('no data array');
  return (data as EncryptedEntry[]).map((entry) => {
    const enc = entry.encrypt_certificate;
    if (typeof entry.serial_no !== 'string' || !enc || typeof enc.ciphertext !== 'string' || typeof enc.nonce !== 'string') {
      throw malformed('entry without serial_no or encrypt_certificate');
    }
    if (enc.algorithm !== 'AEAD_AES_256_GCM') throw malformed('unsupported algorithm');
    let pem: string;
    try {
      pem = aeadDecryptText({
        key: apiv3Key,
        nonce: enc.nonce,
        associatedData: typeof enc.associated_data === 'string' ? enc.associated_data : '',
        ciphertext: enc.ciphertext,
        cipher,
      });
    } catch (err) {
      if (!(err instanceof WechatPayError) || err.code !== 'AEAD_TAG_MISMATCH') throw err;
      // Over TLS from WeChat Pay, a tag mismatch means our APIv3 key is not the console's.
      throw new WechatPayError({
        kind: 'configuration',
        code: 'CERTIFICATE_DECRYPT_FAILED',
        message: 'The platform certificates could not be decrypted: the APIv3 key configured here is not the one set in the merchant console',
      });
    }
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      throw malformed(`entry ${entry.serial_no} is not an X.509 certificate`);
    }
    const serial = certificate.serialNumber.toUpperCase();
    if (serial.replace(/^0+/, '') !== entry.serial_no.toUpperCase().replace(/^0+/, '')) {
      throw malformed(`entry ${entry.serial_no} holds the certificate of serial ${serial}`);
    }
    return {
      serial_no: serial,
      pem,
      certificate,
      ...(typeof entry.effective_time === 'string' ? { effective_time: entry.effective_time } : {}),
      ...(typeof entry.expire_time === 'string' ? { expire_time: entry.expire_time } : {}),
    };
  });
}

export type CertificateValidity = 'valid' | 'expired' | 'not_yet_valid';

export function certificateValidity(certificate: X509Certificate, nowMs: number): CertificateValidity {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  if (!(nowMs >= from)) return 'not_yet_valid';
  if (!(nowMs <= to)) return 'expired';
  return 'valid';
}

export interface HeldCertificate {
  serial: string;
  pem: string;
  certificate: X509Certificate;
  key: KeyObject;
  validFrom: number;
  validTo: number;
}

export function holdCertificate(entry: CachedCertificate | DecryptedCertificate): HeldCertificate {
  const certificate = 'certificate' in entry ? entry.certificate : new X509Certificate(entry.pem);
  return {
    serial: certificate.serialNumber.toUpperCase(),
    pem: entry.pem,
    certificate,
    key: certificate.publicKey,
    validFrom: Date.parse(certificate.validFrom),
    validTo: Date.parse(certificate.validTo),
  };
}

/** Resolves over a set of certificates, reporting expired / not-yet-valid ones as such. */
export class CertificateSetResolver implements KeyResolver {
  readonly mode = 'certificate' as const;
  readonly #held: Map<string, HeldCertificate>;
  readonly #now: () => number;

  constructor(held: Map<string, HeldCertificate>, now: () => number = Date.now) {
    this.#held = held;
    this.#now = now;
  }

  /** A fixed set, e.g. certificates provisioned by hand or a simulator's own. */
  static fromCertificates(certificates: (string | X509Certificate)[], now: () => number = Date.now): CertificateSetResolver {
    const held = new Map<string, HeldCertificate>();
    for (const cert of certificates) {
      const entry = holdCertificate(typeof cert === 'string' ? { serial_no: '', pem: cert } : { serial_no: '', pem: cert.toString(), certificate: cert });
      held.set(entry.serial, entry);
    }
    return new CertificateSetResolver(held, now);
  }

  resolve(serial: string): KeyResolution {
    const cert = this.#held.get(serial.toUpperCase());
    if (!cert) return { ok: false, reason: 'unknown' };
    const validity = certificateValidity(cert.certificate, this.#now());
    if (validity !== 'valid') return { ok: false, reason: validity };
    return { ok: true, resolved: { key: cert.key, mode: 'certificate', serial: cert.serial } };
  }

  /** The newest currently valid certificate: what the client advertises in Wechatpay-Serial. */
  advertisedSerial(): string | undefined {
    const now = this.#now();
    let newest: HeldCertificate | undefined;
    for (const cert of this.#held.values()) {
      if (now < cert.validFrom || now > cert.validTo) continue;
      if (!newest || cert.validFrom > newest.validFrom) newest = cert;
    }
    return newest?.serial;
  }
}
