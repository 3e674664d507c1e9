// Platform-certificate mode: download /v3/certificates, open each entry with the APIv3 key,
// check the download's own signature, keep the set (and a JSON cache of it), refresh on a
// schedule and — at most once per cooldown — when a response names a serial we lack.
import { errorFromResponse, WechatPayError } from './errors';
import { validateApiV3Key } from './keys';
import { ResponseVerifier, verificationError, type HeaderSource, type KeyResolution, type KeyResolver } from './verify';
import {
  certificateValidity,
  CertificateSetResolver,
  decryptCertificateDownload,
  holdCertificate,
  type CachedCertificateSet,
  type CertificateValidity,
  type HeldCertificate,
} from './certificate-set';

export {
  certificateValidity,
  CertificateSetResolver,
  decryptCertificateDownload,
  type CachedCertificate,
  type CachedCertificateSet,
  type CertificateValidity,
  type DecryptedCertificate,
  type HeldCertificate,
} from './certificate-set';

export const MAX_REFRESH_INTERVAL_MS = 12 * 60 * 60 * 1000;
export const DEFAULT_UNKNOWN_SERIAL_COOLDOWN_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateCache {
  load(): Promise<CachedCertificateSet | undefined> | CachedCertificateSet | undefined;
  save(set: CachedCertificateSet): Promise<void> | void;
}

export class MemoryCertificateCache implements CertificateCache {
  value: CachedCertificateSet | undefined;
  constructor(initial?: CachedCertificateSet) {
    this.value = initial;
  }
  load(): CachedCertificateSet | undefined {
    return this.value === undefined ? undefined : (JSON.parse(JSON.stringify(this.value)) as CachedCertificateSet);
  }
  save(set: CachedCertificateSet): void {
    this.value = JSON.parse(JSON.stringify(set)) as CachedCertificateSet;
  }
}

/** The raw, unverified answer to the signed GET /v3/certificates. */
export interface CertificateDownload {
  status: number;
  headers: HeaderSource;
  raw: Buffer;
  requestId?: string;
}

export type RefreshOutcome = { kind: 'updated'; serials: string[]; refused: { serial: string; reason: CertificateValidity }[] } | { kind: 'public_key_only' };

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
        this.#install(cached.certificates.map(holdCertificate));
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
    const fresh = entries.map(holdCertificate);
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
    const refused = fresh.map((c) => ({ serial: c.serial, reason: certificateValidity(c.certificate, now) })).filter((r) => r.reason !== 'valid');
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
