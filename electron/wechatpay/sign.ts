// Request signing (merchant → WeChat Pay) and its mirror image, request verification, which
// the simulator uses to judge what the till sends. Both build the same five-line message, so
// a client and a server built from this file cannot disagree about it.
import { randomBytes, sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat Pay refuses requests signed further than this from its clock (observed ±5 min). */
export const REQUEST_WINDOW_SECONDS = 300;

const LF = 0x0a;
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 32 characters from [0-9a-zA-Z], the SDKs' nonce shape. Rejection sampling keeps it unbiased. */
export function requestNonce(length = 32): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length + 8)) {
      if (byte < 248) out += ALPHANUMERIC[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function unixSeconds(nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000);
}

/** `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` as bytes; the body goes in untouched. */
export function buildRequestMessage(method: string, url: string, timestamp: number | string, nonce: string, body: Buffer | string = ''): Buffer {
  const head = `${method.toUpperCase()}\n${url}\n${timestamp}\n${nonce}\n`;
  if (typeof body === 'string') return Buffer.from(`${head}${body}\n`, 'utf8');
  const headLength = Buffer.byteLength(head);
  const message = Buffer.allocUnsafe(headLength + body.length + 1);
  message.write(head, 0, 'utf8');
  body.copy(message, headLength);
  message[message.length - 1] = LF;
  return message;
}

/** RSASSA-PKCS1-v1_5 / SHA-256, base64. */
export function signMessage(message: Buffer | string, privateKey: KeyObject): string {
  const data = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  return rsaSign('sha256', data, privateKey).toString('base64');
}

export function verifyMessage(message: Buffer | string, signatureBase64: string, publicKey: KeyObject): boolean {
  const data = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0) return false;
  try {
    return rsaVerify('sha256', data, publicKey, signature);
  } catch {
    return false;
  }
}

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

const FIELD_NAMES = ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'] as const;

/** The header value, pairs in the order the Go and Java SDKs emit them. */
export function formatAuthorization(fields: AuthorizationFields): string {
  return (
    `${AUTH_SCHEME} mchid="${fields.mchid}",nonce_str="${fields.nonce_str}",` + `timestamp="${fields.timestamp}",serial_no="${fields.serial_no}",signature="${fields.signature}"`
  );
}

export type AuthorizationParseFailure =
  | { ok: false; reason: 'missing_header' }
  | { ok: false; reason: 'bad_scheme'; scheme: string }
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'missing_field'; field: keyof AuthorizationFields };

export type AuthorizationParseResult = { ok: true; fields: AuthorizationFields } | AuthorizationParseFailure;

const PAIR = /\s*([A-Za-z_]+)\s*=\s*"([^"]*)"\s*(,|$)/y;

/** Parses `SCHEME k="v",k="v",…`; pair order is free, unknown pairs are ignored. */
export function parseAuthorization(header: string | undefined): AuthorizationParseResult {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_header' };
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const scheme = space < 0 ? trimmed : trimmed.slice(0, space);
  if (scheme !== AUTH_SCHEME) return { ok: false, reason: 'bad_scheme', scheme: scheme.slice(0, 64) };
  const rest = trimmed.slice(space + 1);
  const found = new Map<string, string>();
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < rest.length) {
    const match = PAIR.exec(rest);
    if (!match) return { ok: false, reason: 'malformed' };
    const [, key = '', value = '', separator] = match;
    if (found.has(key)) return { ok: false, reason: 'malformed' };
    found.set(key, value);
    if (separator === '') break;
  }
  for (const field of FIELD_NAMES) {
    if (!found.get(field)) return { ok: false, reason: 'missing_field', field };
  }
  return {
    ok: true,
    fields: {
      mchid: found.get('mchid') as string,
      nonce_str: found.get('nonce_str') as string,
      timestamp: found.get('timestamp') as string,
      serial_no: found.get('serial_no') as string,
      signature: found.get('signature') as string,
    },
  };
}

export interface SignedRequest {
  authorization: string;
  timestamp: number;
  nonce: string;
  signature: string;
}

export interface RequestSignerOptions {
  mchid: string;
  /** Serial of the merchant API certificate (not the platform certificate). */
  serialNo: string;
  /** Parsed once by the caller (keys.ts); never a PEM string here. */
  privateKey: KeyObject;
  clock?: () => number;
}

export class RequestSigner {
  readonly mchid: string;
  readonly serialNo: string;
  readonly #privateKey: KeyObject;
  readonly #clock: () => number;

  constructor(options: RequestSignerOptions) {
    this.mchid = options.mchid;
    this.serialNo = options.serialNo;
    this.#privateKey = options.privateKey;
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * Signs one request. `url` is the request target exactly as sent (path + `?query`);
   * `body` the exact bytes sent, or for uploads the meta JSON.
   */
  sign(request: { method: string; url: string; body?: Buffer | string; timestamp?: number; nonce?: string }): SignedRequest {
    const timestamp = request.timestamp ?? unixSeconds(this.#clock());
    const nonce = request.nonce ?? requestNonce();
    const message = buildRequestMessage(request.method, request.url, timestamp, nonce, request.body ?? '');
    const signature = signMessage(message, this.#privateKey);
    const authorization = formatAuthorization({
      mchid: this.mchid,
      nonce_str: nonce,
      timestamp: String(timestamp),
      serial_no: this.serialNo,
      signature,
    });
    return { authorization, timestamp, nonce, signature };
  }
}

export type RequestVerificationFailure =
  | AuthorizationParseFailure
  | { ok: false; reason: 'unknown_serial'; fields: AuthorizationFields }
  | { ok: false; reason: 'stale_timestamp'; fields: AuthorizationFields; skewSeconds: number }
  | { ok: false; reason: 'sign_mismatch'; fields: AuthorizationFields; message: Buffer };

export type RequestVerificationResult = { ok: true; fields: AuthorizationFields } | RequestVerificationFailure;

export interface IncomingSignedRequest {
  method: string;
  /** Raw request target as received (path + `?query`), not re-encoded. */
  url: string;
  /** Raw body bytes as received (for uploads: the meta JSON string). */
  body: Buffer | string;
  authorization: string | undefined;
}

export interface RequestVerificationOptions {
  /** Looks up the merchant's public key; `undefined` means unknown mchid/serial. */
  publicKeyFor: (mchid: string, serialNo: string) => KeyObject | undefined;
  nowMs?: number;
  windowSeconds?: number;
}

/** Server-side check of a merchant request, in the order WeChat Pay documents it. */
export function verifyRequestSignature(request: IncomingSignedRequest, options: RequestVerificationOptions): RequestVerificationResult {
  const parsed = parseAuthorization(request.authorization);
  if (!parsed.ok) return parsed;
  const { fields } = parsed;
  const publicKey = options.publicKeyFor(fields.mchid, fields.serial_no);
  if (!publicKey) return { ok: false, reason: 'unknown_serial', fields };
  const window = options.windowSeconds ?? REQUEST_WINDOW_SECONDS;
  const now = unixSeconds(options.nowMs ?? Date.now());
  const timestamp = /^\d{1,12}$/.test(fields.timestamp) ? Number(fields.timestamp) : Number.NaN;
  const skewSeconds = Number.isNaN(timestamp) ? Number.POSITIVE_INFINITY : now - timestamp;
  if (!(Math.abs(skewSeconds) <= window)) return { ok: false, reason: 'stale_timestamp', fields, skewSeconds };
  const message = buildRequestMessage(request.method, request.url, fields.timestamp, fields.nonce_str, request.body);
  if (!verifyMessage(message, fields.signature, publicKey)) return { ok: false, reason: 'sign_mismatch', fields, message };
  return { ok: true, fields };
}
