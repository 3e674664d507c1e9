// The APIv3 HTTP client: signs exactly the bytes it sends, verifies every response that can
// be verified, turns failures into WechatPayError kinds, and fails over to the backup domain
// only when the primary could not be reached at all.
import { platform, release } from 'node:os';
import type { KeyObject } from 'node:crypto';
import { Pool } from 'undici';
import { configurationError, errorFromResponse, isConnectionFailure, WechatPayError } from './errors';
import { RequestSigner } from './sign';
import { buildImageUpload, type ImageUploadInput } from './upload';
import { hasSignatureHeaders, HEADER_SERIAL, ResponseVerifier, type KeyResolver, type VerifierKeyMode } from './verify';

export const PRIMARY_BASE_URL = 'https://api.mch.weixin.qq.com';
export const BACKUP_BASE_URL = 'https://api2.mch.weixin.qq.com';

/** Base-URL overrides exist only for the simulator and training; production is fixed. */
export type ClientEnvironment = 'production' | 'training' | 'simulator';

export interface WechatPayClientOptions {
  mchid: string;
  /** Merchant API certificate serial (the `serial_no` of Authorization). */
  serialNo: string;
  privateKey: KeyObject;
  /** Public key, platform certificates, or both. */
  resolver: KeyResolver;
  environment?: ClientEnvironment;
  baseUrl?: string;
  backupBaseUrl?: string;
  connectTimeoutMs?: number;
  /** Whole request, both attempts included. */
  timeoutMs?: number;
  connections?: number;
  userAgent?: string;
  clock?: () => number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface WechatPayRequest {
  method: HttpMethod;
  /** Absolute path, path variables already substituted and percent-encoded. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: object | string;
  upload?: ImageUploadInput;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  requestId?: string;
  raw: Buffer;
}

export interface WechatPayResponse<T = unknown> extends RawResponse {
  data: T | undefined;
  /** Set whenever the response carried signature headers (always for 2xx). */
  verifiedBy?: { serial: string; mode: VerifierKeyMode };
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
const OFFICIAL_HOSTS = new Set(['api.mch.weixin.qq.com', 'api2.mch.weixin.qq.com']);
// Set by us; a caller-supplied header of the same name is ignored.
const RESERVED = new Set(['authorization', 'accept', 'user-agent', 'content-type', 'content-length', 'host', 'wechatpay-serial']);

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function checkBaseUrl(value: string, environment: ClientEnvironment): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configurationError('The WeChat Pay base URL is not a URL', 'BASE_URL');
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw configurationError('The WeChat Pay base URL must be an origin only (scheme, host, port)', 'BASE_URL');
  }
  if (url.protocol === 'https:' && OFFICIAL_HOSTS.has(url.hostname) && !url.port) return url.origin;
  if (environment === 'production') {
    throw configurationError('Only the official WeChat Pay hosts are allowed in production', 'BASE_URL_NOT_ALLOWED');
  }
  if (!isLoopbackHost(url.hostname) || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw configurationError('A base URL override must point at this machine (127.0.0.1, ::1 or localhost)', 'BASE_URL_NOT_ALLOWED');
  }
  return url.origin;
}

function defaultUserAgent(): string {
  return `BusifavorTill/0.1.0 (${platform()}/${release()}) Node/${process.versions.node} WechatPayClient/1.0`;
}

function encodeQuery(query: Record<string, string | undefined> | undefined): string {
  if (!query) return '';
  let out = '';
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    out += `${out ? '&' : ''}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
  }
  return out;
}

interface Prepared {
  method: HttpMethod;
  target: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

export class WechatPayClient {
  readonly verifier: ResponseVerifier;
  readonly #signer: RequestSigner;
  readonly #resolver: KeyResolver;
  readonly #primary: Pool;
  readonly #backup: Pool | undefined;
  readonly #timeoutMs: number;
  readonly #userAgent: string;

  constructor(options: WechatPayClientOptions) {
    const environment = options.environment ?? 'production';
    const primary = checkBaseUrl(options.baseUrl ?? PRIMARY_BASE_URL, environment);
    const backup = options.backupBaseUrl !== undefined ? checkBaseUrl(options.backupBaseUrl, environment) : options.baseUrl === undefined ? BACKUP_BASE_URL : undefined;
    if (!options.mchid || !options.serialNo) throw configurationError('mchid and the merchant certificate serial are required', 'MISSING_SETTINGS');
    this.#signer = new RequestSigner({
      mchid: options.mchid,
      serialNo: options.serialNo,
      privateKey: options.privateKey,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.#resolver = options.resolver;
    this.verifier = new ResponseVerifier(options.resolver, options.clock ? { clock: options.clock } : {});
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? defaultUserAgent();
    const poolOptions: Pool.Options = {
      connections: options.connections ?? 8,
      connect: { timeout: options.connectTimeoutMs ?? 5_000 },
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
    };
    this.#primary = new Pool(primary, poolOptions);
    this.#backup = backup ? new Pool(backup, poolOptions) : undefined;
  }

  /** 'public_key', 'certificate' or 'combined': what this client verifies responses with. */
  get verifierMode(): KeyResolver['mode'] {
    return this.#resolver.mode;
  }

  /** Sends, verifies and decodes; throws WechatPayError for anything but a finished success. */
  async request<T = unknown>(request: WechatPayRequest): Promise<WechatPayResponse<T>> {
    const response = await this.fetchRaw(request);
    const { status, headers, raw, requestId } = response;
    const success = status >= 200 && status < 300;
    let verifiedBy: WechatPayResponse['verifiedBy'];
    // A 2xx without signature headers is a forgery; a signed error must verify too.
    if (success || hasSignatureHeaders(headers)) verifiedBy = await this.verifier.verifyOrThrow(headers, raw, requestId);
    if (!success || status === 202) throw errorFromResponse(status, raw, requestId);
    let data: T | undefined;
    if (raw.length > 0) {
      try {
        data = JSON.parse(raw.toString('utf8')) as T;
      } catch {
        throw new WechatPayError({
          kind: 'unknown_outcome',
          code: 'RESPONSE_NOT_JSON',
          httpStatus: status,
          message: 'WeChat Pay answered with a signed body that is not JSON',
          ...(requestId ? { requestId } : {}),
        });
      }
    }
    return { ...response, data, ...(verifiedBy ? { verifiedBy } : {}) };
  }

  /**
   * Signs and sends, returning the raw answer without verifying or judging it. Only for the
   * certificate download, which verifies itself against the certificates it delivers.
   */
  async fetchRaw(request: WechatPayRequest): Promise<RawResponse> {
    const prepared = this.#prepare(request);
    // The deadline is a plain timer raced against the attempts: passing an AbortSignal to
    // undici costs ~15 µs per request, so a signal is only used when the caller brings one.
    // The attempt left behind is bounded by undici's own headers/body timeouts.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(timeoutError()), this.#timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.#attempts(prepared, request.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #attempts(prepared: Prepared, signal: AbortSignal | undefined): Promise<RawResponse> {
    try {
      return await this.#send(this.#primary, prepared, signal);
    } catch (err) {
      if (this.#backup && isConnectionFailure(err) && !signal?.aborted) {
        try {
          return await this.#send(this.#backup, prepared, signal);
        } catch (second) {
          throw networkError(second, signal?.aborted ?? false);
        }
      }
      throw networkError(err, signal?.aborted ?? false);
    }
  }

  #prepare(request: WechatPayRequest): Prepared {
    const method = request.method.toUpperCase() as HttpMethod;
    if (!METHODS.has(method)) throw configurationError(`Unsupported HTTP method ${request.method}`, 'BAD_REQUEST_SHAPE');
    if (!PATH.test(request.path)) {
      throw configurationError('The request path must be absolute, percent-encoded and without a query string', 'BAD_REQUEST_SHAPE');
    }
    const query = encodeQuery(request.query);
    const target = query ? `${request.path}?${query}` : request.path;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (!RESERVED.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
    let body: Buffer | undefined;
    let signedBody: Buffer | string = '';
    if (request.upload) {
      const upload = buildImageUpload(request.upload);
      body = upload.body;
      signedBody = upload.signedBody;
      headers['content-type'] = upload.contentType;
    } else if (request.body !== undefined) {
      if (method === 'GET') throw configurationError('A GET request cannot carry a body', 'BAD_REQUEST_SHAPE');
      // Serialized once: these exact bytes are both signed and sent.
      body = Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body), 'utf8');
      signedBody = body;
      headers['content-type'] = 'application/json';
    }
    const signed = this.#signer.sign({ method, url: target, body: signedBody });
    headers.authorization = signed.authorization;
    headers.accept = 'application/json';
    headers['user-agent'] = this.#userAgent;
    const serial = this.#resolver.advertisedSerial();
    if (serial) headers[HEADER_SERIAL.toLowerCase()] = serial;
    return { method, target, headers, body };
  }

  async #send(pool: Pool, prepared: Prepared, signal: AbortSignal | undefined): Promise<RawResponse> {
    const response = await pool.request({
      method: prepared.method,
      path: prepared.target,
      headers: prepared.headers,
      body: prepared.body ?? null,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
      ...(signal ? { signal } : {}),
    });
    const raw = Buffer.from(await response.body.arrayBuffer());
    const requestId = response.headers['request-id'];
    return {
      status: response.statusCode,
      headers: response.headers,
      raw,
      ...(typeof requestId === 'string' ? { requestId } : {}),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.#primary.close(), this.#backup?.close()]);
  }
}

function timeoutError(): WechatPayError {
  return new WechatPayError({
    kind: 'unknown_outcome',
    code: 'TIMEOUT',
    message: 'The request to WeChat Pay timed out; its outcome is unknown — retry with the same request number',
  });
}

function networkError(err: unknown, aborted: boolean): WechatPayError {
  if (err instanceof WechatPayError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return timeoutError();
  const reason = aborted ? 'was cancelled' : `failed (${typeof code === 'string' ? code : ((err as Error | null)?.name ?? 'network error')})`;
  return new WechatPayError({
    kind: 'unknown_outcome',
    code: aborted ? 'ABORTED' : 'NETWORK',
    message: `The request to WeChat Pay ${reason}; its outcome is unknown — retry with the same request number`,
    cause: err,
  });
}
