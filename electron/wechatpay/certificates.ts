// Platform-certificate mode: download /v3/certificates, open each entry with the APIv3 key,
// check the download's own signature, keep the set (and a JSON cache of it), refresh on a
// schedule and — at most once per cooldown — when a response names a serial we lack.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { aeadDecryptText, type AeadCipher } from './aead';
import { errorFromResponse, securityError, WechatPayError } from './errors';
import { validateApiV3Key } from './keys';
import {
  ResponseVerifier,
  verificationError,
  type HeaderSource,
  type KeyResolution,
  type KeyResolver,
} from './verify';

export const MAX_REFRESH_INTERVAL_MS = 12 * 60 * 60 * 1000;
export const DEFAULT_UNKNOWN_SERIAL_COOLDOWN_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

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

export interface CertificateCache {
  load(): Promise<CachedCertificateSet | undefined> | CachedCertificateSet | undefined;
  save(set: CachedCertificateSet): Promise<void> | void;
}

export class MemoryCertificateCache implements CertificateCache {
  value: CachedCertificateSet | undefined;
  saves = 0;
  constructor(initial?: CachedCertificateSet) {
    this.value = initial;
  }
  load(): CachedCertificateSet | undefined {
    return this.value === undefined ? undefined : (JSON.parse(JSON.stringify(this.value)) as CachedCertificateSet);
  }
  save(set: CachedCertificateSet): void {
    this.value = JSON.parse(JSON.stringify(set)) as CachedCertificateSet;
    this.saves += 1;
  }
}

/** The raw, unverified answer to the signed GET /v3/certificates. */
export interface CertificateDownload {
  status: number;
  headers: HeaderSource;
  raw: Buffer;
  requestId?: string;
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
export function decryptCertificateDownload(
  body: Buffer | string | object,
  apiv3Key: Buffer | string,
  cipher: AeadCipher = 'aes-256-gcm',
): DecryptedCertificate[] {
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

function hold(entry: CachedCertificate | DecryptedCertificate): HeldCertificate {
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
      const entry = hold(typeof cert === 'string' ? { serial_no: '', pem: cert } : { serial_no: '', pem: cert.toString(), certificate: cert });
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

export type RefreshOutcome =
  | { kind: 'updated'; serials: string[]; refused: { serial: string; reason: CertificateValidity }[] }
  | { kind: 'public_key_only' };

export interface ExpiryWarning {
  serial: string;
  validTo: Date;
  daysLeft: number;
  /** Another valid certificate outlives the warning horizon: rotation is already under way. */
  replacementAvailable: boolean;
}

export interface PlatformCertificateManagerOptions {
  /** Performs the signed GET /v3/certificates and returns the raw answer, unverified. */
  fetch: () => Promise<CertificateDownload>;
  apiv3Key: Buffer | string;
  cache?: CertificateCache;
  clock?: () => number;
  refreshIntervalMs?: number;
  unknownSerialCooldownMs?: number;
}

export class PlatformCertificateManager implements KeyResolver {
  readonly mode = 'certificate' as const;
  readonly #fetch: () => Promise<CertificateDownload>;
  readonly #apiv3Key: Buffer;
  readonly #cache: CertificateCache | undefined;
  readonly #clock: () => number;
  readonly #interval: number;
  readonly #cooldown: number;
  #held = new Map<string, HeldCertificate>();
  #resolver: CertificateSetResolver;
  #fetchedAt: number | undefined;
  #publicKeyOnly = false;
  #inflight: Promise<RefreshOutcome> | undefined;
  #lastUnknownRefresh = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #lastError: WechatPayError | undefined;

  constructor(options: PlatformCertificateManagerOptions) {
    this.#fetch = options.fetch;
    this.#apiv3Key = validateApiV3Key(options.apiv3Key);
    this.#cache = options.cache;
    this.#clock = options.clock ?? Date.now;
    this.#interval = options.refreshIntervalMs ?? MAX_REFRESH_INTERVAL_MS;
    if (!(this.#interval > 0 && this.#interval <= MAX_REFRESH_INTERVAL_MS)) {
      throw new WechatPayError({ kind: 'configuration', code: 'REFRESH_INTERVAL', message: 'Certificate refresh interval must be between 0 and 12 hours' });
    }
    this.#cooldown = options.unknownSerialCooldownMs ?? DEFAULT_UNKNOWN_SERIAL_COOLDOWN_MS;
    this.#resolver = new CertificateSetResolver(this.#held, this.#clock);
  }

  /** Loads the cache, then downloads if the cache is missing or older than the interval. */
  async init(): Promise<void> {
    const cached = await this.#cache?.load();
    if (cached?.version === 1) {
      try {
        this.#install(cached.certificates.map(hold));
        this.#fetchedAt = cached.fetchedAt;
        this.#publicKeyOnly = cached.publicKeyOnly;
      } catch {
        this.#held.clear(); // a damaged cache is simply re-downloaded
      }
    }
    await this.refreshIfDue();
  }

  get publicKeyOnly(): boolean {
    return this.#publicKeyOnly;
  }

  get lastError(): WechatPayError | undefined {
    return this.#lastError;
  }

  isDue(): boolean {
    return this.#fetchedAt === undefined || this.#clock() - this.#fetchedAt >= this.#interval;
  }

  async refreshIfDue(): Promise<RefreshOutcome | undefined> {
    return this.isDue() ? this.refresh() : undefined;
  }

  /** Downloads now (concurrent callers share one download). */
  refresh(): Promise<RefreshOutcome> {
    this.#inflight ??= this.#download().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #download(): Promise<RefreshOutcome> {
    try {
      const outcome = await this.#downloadOnce();
      this.#lastError = undefined;
      return outcome;
    } catch (err) {
      if (err instanceof WechatPayError) this.#lastError = err;
      throw err;
    }
  }

  async #downloadOnce(): Promise<RefreshOutcome> {
    const response = await this.#fetch();
    if (response.status === 404) {
      const error = errorFromResponse(404, response.raw, response.requestId);
      // Merchants created since late 2024 have no platform certificates: public-key mode only.
      if (error.code === 'RESOURCE_NOT_EXISTS' || error.code === 'NOT_FOUND') return this.#markPublicKeyOnly();
      throw error;
    }
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response.status, response.raw, response.requestId);
    const entries = decryptCertificateDownload(response.raw, this.#apiv3Key);
    // Nothing to install means nothing to trust; the old set (if any) stays.
    if (entries.length === 0) return this.#markPublicKeyOnly();
    const fresh = entries.map(hold);
    // Bootstrap: the download may be signed by a certificate it itself delivers.
    const candidates = new Map(this.#held);
    for (const cert of fresh) candidates.set(cert.serial, cert);
    const verifier = new ResponseVerifier(new CertificateSetResolver(candidates, this.#clock), { clock: this.#clock });
    const verdict = verifier.verify(response.headers, response.raw);
    if (!verdict.ok) throw verificationError(verdict, response.requestId);
    this.#install(fresh);
    this.#fetchedAt = this.#clock();
    this.#publicKeyOnly = false;
    await this.#save();
    const now = this.#clock();
    const refused = fresh
      .map((c) => ({ serial: c.serial, reason: certificateValidity(c.certificate, now) }))
      .filter((r) => r.reason !== 'valid');
    return { kind: 'updated', serials: fresh.map((c) => c.serial), refused };
  }

  async #markPublicKeyOnly(): Promise<RefreshOutcome> {
    this.#publicKeyOnly = true;
    this.#fetchedAt = this.#clock();
    await this.#save();
    return { kind: 'public_key_only' };
  }

  #install(certs: HeldCertificate[]): void {
    this.#held.clear();
    for (const cert of certs) this.#held.set(cert.serial, cert);
  }

  async #save(): Promise<void> {
    if (!this.#cache) return;
    await this.#cache.save({
      version: 1,
      fetchedAt: this.#fetchedAt ?? this.#clock(),
      publicKeyOnly: this.#publicKeyOnly,
      certificates: [...this.#held.values()].map((c) => ({
        serial_no: c.serial,
        effective_time: new Date(c.validFrom).toISOString(),
        expire_time: new Date(c.validTo).toISOString(),
        pem: c.pem,
      })),
    });
  }

  resolve(serial: string): KeyResolution {
    return this.#resolver.resolve(serial);
  }

  advertisedSerial(): string | undefined {
    return this.#resolver.advertisedSerial();
  }

  /** One download per cooldown window, however many unknown serials arrive. */
  async handleUnknownSerial(serial: string): Promise<boolean> {
    if (this.resolve(serial).ok) return true;
    if (!this.#inflight) {
      const now = this.#clock();
      if (now - this.#lastUnknownRefresh < this.#cooldown) return false;
      this.#lastUnknownRefresh = now;
    }
    try {
      await this.refresh();
    } catch {
      return false; // kept in lastError; the caller reports the unknown serial
    }
    return this.resolve(serial).ok;
  }

  /** Certificates held, including refused ones, for status screens. */
  certificates(): { serial: string; validFrom: Date; validTo: Date; validity: CertificateValidity }[] {
    const now = this.#clock();
    return [...this.#held.values()].map((c) => ({
      serial: c.serial,
      validFrom: new Date(c.validFrom),
      validTo: new Date(c.validTo),
      validity: certificateValidity(c.certificate, now),
    }));
  }

  expiringWithin(days: number): ExpiryWarning[] {
    const now = this.#clock();
    const horizon = now + days * DAY_MS;
    const valid = [...this.#held.values()].filter((c) => certificateValidity(c.certificate, now) === 'valid');
    return valid
      .filter((c) => c.validTo <= horizon)
      .map((c) => ({
        serial: c.serial,
        validTo: new Date(c.validTo),
        daysLeft: Math.floor((c.validTo - now) / DAY_MS),
        replacementAvailable: valid.some((other) => other.validTo > horizon),
      }));
  }

  /** Periodic refresh; the timer never keeps the process alive. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.refresh().catch(() => undefined); // failure is kept in lastError
    }, this.#interval);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
