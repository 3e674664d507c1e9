// Response and notification signatures (WeChat Pay → merchant), and the signer the simulator
// uses to produce them. Verification always runs over the raw body bytes: anything parsed
// and re-serialized would no longer be what WeChat Pay signed.
import { randomBytes, type KeyObject } from 'node:crypto';
import { AUTH_SCHEME, signMessage, unixSeconds, verifyMessage } from './sign';
import { securityError, type WechatPayError } from './errors';

export const RESPONSE_WINDOW_SECONDS = 300;
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';
export const PUBLIC_KEY_ID_PREFIX = 'PUB_KEY_ID_';

export const HEADER_TIMESTAMP = 'Wechatpay-Timestamp';
export const HEADER_NONCE = 'Wechatpay-Nonce';
export const HEADER_SIGNATURE = 'Wechatpay-Signature';
export const HEADER_SERIAL = 'Wechatpay-Serial';
export const HEADER_SIGNATURE_TYPE = 'Wechatpay-Signature-Type';

/** Which kind of key verified a message. */
export type VerifierKeyMode = 'public_key' | 'certificate';

export interface ResolvedKey {
  key: KeyObject;
  mode: VerifierKeyMode;
  serial: string;
}

export type KeyResolution = { ok: true; resolved: ResolvedKey } | { ok: false; reason: 'unknown' | 'expired' | 'not_yet_valid' };

/** Chooses the verification key by `Wechatpay-Serial`. Never falls back to "any key". */
export interface KeyResolver {
  readonly mode: VerifierKeyMode | 'combined';
  resolve(serial: string): KeyResolution;
  /** What the client sends as `Wechatpay-Serial`: the key it can verify with. */
  advertisedSerial(): string | undefined;
  /** Optional: fetch fresh keys after an unknown serial; true when the serial is now known. */
  handleUnknownSerial?(serial: string): Promise<boolean>;
}

/** WeChat Pay public-key mode: one `PUB_KEY_ID_…` and its SPKI key. */
export class PublicKeyResolver implements KeyResolver {
  readonly mode = 'public_key' as const;
  readonly keyId: string;
  readonly #key: KeyObject;

  constructor(keyId: string, publicKey: KeyObject) {
    this.keyId = keyId;
    this.#key = publicKey;
  }

  resolve(serial: string): KeyResolution {
    if (serial !== this.keyId) return { ok: false, reason: 'unknown' };
    return { ok: true, resolved: { key: this.#key, mode: 'public_key', serial } };
  }

  advertisedSerial(): string {
    return this.keyId;
  }
}

/** Migration period: the public key id first, otherwise a platform certificate. */
export class CombinedResolver implements KeyResolver {
  readonly mode = 'combined' as const;
  readonly #publicKey: PublicKeyResolver;
  readonly #certificates: KeyResolver;

  constructor(publicKey: PublicKeyResolver, certificates: KeyResolver) {
    this.#publicKey = publicKey;
    this.#certificates = certificates;
  }

  resolve(serial: string): KeyResolution {
    if (serial === this.#publicKey.keyId) return this.#publicKey.resolve(serial);
    return this.#certificates.resolve(serial);
  }

  /** Advertising the key id asks WeChat Pay to sign responses with the public key. */
  advertisedSerial(): string {
    return this.#publicKey.keyId;
  }

  async handleUnknownSerial(serial: string): Promise<boolean> {
    if (serial.startsWith(PUBLIC_KEY_ID_PREFIX) || !this.#certificates.handleUnknownSerial) return false;
    return this.#certificates.handleUnknownSerial(serial);
  }
}

/** Anything that can hand out header values: undici / node:http header objects or a `Headers`. */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | number | undefined>;

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | number | undefined>;
  let value = record[name.toLowerCase()] ?? record[name];
  if (value === undefined) {
    const lower = name.toLowerCase();
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === lower) {
        value = record[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value === undefined ? undefined : String(value);
}

export interface SignatureHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
  signatureType?: string;
}

/** True when a response carries any signature header at all (then it must verify). */
export function hasSignatureHeaders(headers: HeaderSource): boolean {
  return [HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE, HEADER_SERIAL].some((name) => headerValue(headers, name) !== undefined);
}

/** `TIMESTAMP\nNONCE\nBODY\n` as bytes. */
export function buildResponseMessage(timestamp: string | number, nonce: string, body: Buffer | string): Buffer {
  const head = Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8');
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const message = Buffer.allocUnsafe(head.length + bytes.length + 1);
  head.copy(message, 0);
  bytes.copy(message, head.length);
  message[message.length - 1] = 0x0a;
  return message;
}

export type ResponseVerificationFailureReason =
  'missing_header' | 'unsupported_signature_type' | 'signtest_probe' | 'stale_timestamp' | 'unknown_serial' | 'expired_key' | 'not_yet_valid_key' | 'bad_signature';

export type ResponseVerificationResult =
  { ok: true; serial: string; mode: VerifierKeyMode } | { ok: false; reason: ResponseVerificationFailureReason; serial?: string; header?: string };

const FAILURE_TEXT: Record<ResponseVerificationFailureReason, string> = {
  missing_header: 'signature header missing',
  unsupported_signature_type: 'unsupported Wechatpay-Signature-Type',
  signtest_probe: 'WeChat Pay probe signature (WECHATPAY/SIGNTEST/) rejected as it must be',
  stale_timestamp: 'Wechatpay-Timestamp outside the ±300 s window (check the till clock)',
  unknown_serial: 'signed by a key this till does not know (Wechatpay-Serial)',
  expired_key: 'signed with an expired platform certificate',
  not_yet_valid_key: 'signed with a platform certificate that is not valid yet',
  bad_signature: 'signature does not match the body',
};

export function describeVerificationFailure(result: Exclude<ResponseVerificationResult, { ok: true }>): string {
  const where = result.header ? ` (${result.header})` : result.serial ? ` (serial ${result.serial})` : '';
  return `WeChat Pay signature verification failed: ${FAILURE_TEXT[result.reason]}${where}`;
}

export interface ResponseVerifierOptions {
  /** Milliseconds since the epoch; injectable for tests and vectors. */
  clock?: () => number;
  windowSeconds?: number;
}

export class ResponseVerifier {
  readonly resolver: KeyResolver;
  readonly #clock: () => number;
  readonly #window: number;

  constructor(resolver: KeyResolver, options: ResponseVerifierOptions = {}) {
    this.resolver = resolver;
    this.#clock = options.clock ?? Date.now;
    this.#window = options.windowSeconds ?? RESPONSE_WINDOW_SECONDS;
  }

  verify(headers: HeaderSource, body: Buffer | string): ResponseVerificationResult {
    const timestamp = headerValue(headers, HEADER_TIMESTAMP);
    const nonce = headerValue(headers, HEADER_NONCE);
    const signature = headerValue(headers, HEADER_SIGNATURE);
    const serial = headerValue(headers, HEADER_SERIAL);
    const missing = [
      [HEADER_TIMESTAMP, timestamp],
      [HEADER_NONCE, nonce],
      [HEADER_SIGNATURE, signature],
      [HEADER_SERIAL, serial],
    ].find(([, value]) => !value);
    if (missing || !timestamp || !nonce || !signature || !serial) {
      return { ok: false, reason: 'missing_header', header: missing?.[0] as string };
    }
    const signatureType = headerValue(headers, HEADER_SIGNATURE_TYPE);
    if (signatureType !== undefined && signatureType !== AUTH_SCHEME) {
      return { ok: false, reason: 'unsupported_signature_type', serial };
    }
    if (signature.startsWith(SIGNTEST_PREFIX)) return { ok: false, reason: 'signtest_probe', serial };
    const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    // Go and Java reject at exactly 300 s; so do we.
    if (!(Math.abs(unixSeconds(this.#clock()) - seconds) < this.#window)) {
      return { ok: false, reason: 'stale_timestamp', serial };
    }
    const resolution = this.resolver.resolve(serial);
    if (!resolution.ok) {
      const reason = resolution.reason === 'expired' ? 'expired_key' : resolution.reason === 'not_yet_valid' ? 'not_yet_valid_key' : 'unknown_serial';
      return { ok: false, reason, serial };
    }
    const message = buildResponseMessage(timestamp, nonce, body);
    if (!verifyMessage(message, signature, resolution.resolved.key)) return { ok: false, reason: 'bad_signature', serial };
    return { ok: true, serial, mode: resolution.resolved.mode };
  }

  /**
   * Like `verify`, but an unknown serial first asks the resolver to fetch fresh keys (the
   * certificate manager rate-limits that) and then verifies once more.
   */
  async verifyWithRefresh(headers: HeaderSource, body: Buffer | string): Promise<ResponseVerificationResult> {
    const first = this.verify(headers, body);
    if (first.ok || first.reason !== 'unknown_serial' || !first.serial || !this.resolver.handleUnknownSerial) return first;
    const known = await this.resolver.handleUnknownSerial(first.serial);
    return known ? this.verify(headers, body) : first;
  }

  /** Verifies or throws a 'security' WechatPayError. */
  async verifyOrThrow(headers: HeaderSource, body: Buffer | string, requestId?: string): Promise<{ serial: string; mode: VerifierKeyMode }> {
    const result = await this.verifyWithRefresh(headers, body);
    if (result.ok) return { serial: result.serial, mode: result.mode };
    throw verificationError(result, requestId);
  }
}

export function verificationError(result: Exclude<ResponseVerificationResult, { ok: true }>, requestId?: string): WechatPayError {
  return securityError(describeVerificationFailure(result), `SIGNATURE_${result.reason.toUpperCase()}`, requestId);
}

export interface ResponseSignerOptions {
  /** Platform certificate serial or `PUB_KEY_ID_…`. */
  serial: string;
  privateKey: KeyObject;
  clock?: () => number;
}

/** Produces the four `Wechatpay-*` headers for a response or notification body. */
export class ResponseSigner {
  readonly serial: string;
  readonly #privateKey: KeyObject;
  readonly #clock: () => number;

  constructor(options: ResponseSignerOptions) {
    this.serial = options.serial;
    this.#privateKey = options.privateKey;
    this.#clock = options.clock ?? Date.now;
  }

  sign(body: Buffer | string, options: { timestamp?: number; nonce?: string; signtestProbe?: boolean } = {}): Record<string, string> {
    const timestamp = options.timestamp ?? unixSeconds(this.#clock());
    const nonce = options.nonce ?? randomBytes(16).toString('hex').toUpperCase();
    const signature = options.signtestProbe
      ? `${SIGNTEST_PREFIX}${randomBytes(48).toString('base64')}`
      : signMessage(buildResponseMessage(timestamp, nonce, body), this.#privateKey);
    return {
      [HEADER_TIMESTAMP]: String(timestamp),
      [HEADER_NONCE]: nonce,
      [HEADER_SIGNATURE]: signature,
      [HEADER_SERIAL]: this.serial,
      [HEADER_SIGNATURE_TYPE]: AUTH_SCHEME,
    };
  }
}
