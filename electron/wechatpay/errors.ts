// One error type for everything the WeChat Pay layer can fail with. `kind` is what callers
// act on (retry with the same request number, stop, alert, fix settings); `code`/`message`/
// `detail`/`requestId` are what the journal keeps and support asks for.

export type WechatPayErrorKind =
  /** WeChat Pay answered and refused (4xx): retrying the same request will not help. */
  | 'rejected'
  /** We do not know whether WeChat Pay executed it: retry with the same request number. */
  | 'unknown_outcome'
  /** A signature or certificate check failed: the answer cannot be trusted. */
  | 'security'
  /** Our own settings are wrong: bad key, missing value, disallowed base URL. */
  | 'configuration';

export interface WechatPayErrorInit {
  kind: WechatPayErrorKind;
  message: string;
  httpStatus?: number;
  code?: string;
  detail?: unknown;
  requestId?: string;
  cause?: unknown;
}

const PEM_BLOCK = /-----BEGIN [^-]+-----[\s\S]*?(?:-----END [^-]+-----|$)/g;
// Long base64 runs are what leaked key material looks like once the PEM armour is gone.
const LONG_BASE64 = /[A-Za-z0-9+/]{120,}={0,2}/g;

/** Defence in depth: no code path should put key material into a message, but if one ever
 * does, it is cut out here before it can reach a log or a dialog. */
export function redactSecrets(text: string): string {
  return text.replace(PEM_BLOCK, '[redacted PEM]').replace(LONG_BASE64, '[redacted]');
}

export class WechatPayError extends Error {
  override readonly name = 'WechatPayError';
  readonly kind: WechatPayErrorKind;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly detail?: unknown;
  readonly requestId?: string;

  constructor(init: WechatPayErrorInit) {
    super(redactSecrets(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.code !== undefined) this.code = init.code;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }

  /** Retrying is only meaningful when the outcome is unknown (and must reuse the request number). */
  get retryable(): boolean {
    return this.kind === 'unknown_outcome';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      httpStatus: this.httpStatus,
      code: this.code,
      message: this.message,
      detail: this.detail,
      requestId: this.requestId,
    };
  }
}

export function isWechatPayError(value: unknown): value is WechatPayError {
  return value instanceof WechatPayError;
}

export function configurationError(message: string, code = 'CONFIGURATION'): WechatPayError {
  return new WechatPayError({ kind: 'configuration', code, message });
}

export function securityError(message: string, code: string, requestId?: string): WechatPayError {
  return new WechatPayError({ kind: 'security', code, message, ...(requestId ? { requestId } : {}) });
}

/**
 * What an HTTP status means for the caller; `undefined` for a finished success.
 * 202 means "accepted, not finished": the same request must be sent again.
 */
export function classifyHttpStatus(status: number): WechatPayErrorKind | undefined {
  if (status === 202) return 'unknown_outcome';
  if (status >= 200 && status < 300) return undefined;
  if (status === 429 || status >= 500) return 'unknown_outcome';
  // 3xx is not part of the API; treat it like any other refusal rather than follow it.
  return 'rejected';
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when the request most likely never reached an application server: DNS, refused,
 * reset, connect timeout, TLS. Those (and only those) justify trying the backup domain.
 */
export function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = errorCode(e);
    if (code === undefined) continue;
    if (CONNECTION_CODES.has(code)) return true;
    if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_)/.test(code)) return true;
  }
  return false;
}

/** Classifies anything thrown by the WeChat Pay layer (or underneath it). */
export function classifyError(err: unknown): WechatPayErrorKind {
  if (err instanceof WechatPayError) return err.kind;
  // Anything else escaped from the network stack mid-flight: we cannot know what happened.
  return 'unknown_outcome';
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
}

/** Builds the error for a non-success status from the `{code,message,detail}` body. */
export function errorFromResponse(status: number, raw: Buffer | string, requestId?: string): WechatPayError {
  const kind = classifyHttpStatus(status) ?? 'unknown_outcome';
  let body: ErrorBody | undefined;
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.length > 0) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed as ErrorBody;
    } catch {
      body = undefined;
    }
  }
  const code = typeof body?.code === 'string' ? body.code : undefined;
  const message =
    typeof body?.message === 'string' && body.message.length > 0
      ? body.message
      : status === 202
        ? 'WeChat Pay accepted the request but has not finished it; send the same request again'
        : `WeChat Pay answered HTTP ${status}`;
  return new WechatPayError({
    kind,
    httpStatus: status,
    message,
    ...(code ? { code } : {}),
    ...(body?.detail !== undefined ? { detail: body.detail } : {}),
    ...(requestId ? { requestId } : {}),
  });
}
