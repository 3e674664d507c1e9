// What the simulator checks before any business logic (docs/wechatpay/apiv3.md#request-signing): the
// User-Agent and Accept headers, then the Authorization signature against the merchant's
// certificate key, the ±300 s window and the merchant / serial themselves. Failures become
// WeChat-style bodies; a signature failure carries a reason in `detail` but no signature.
import type { KeyObject } from 'node:crypto';
import { REQUEST_WINDOW_SECONDS, verifyRequestSignature, type RequestVerificationFailure } from '../wechatpay/index';

export interface ErrorBody {
  code: string;
  message: string;
  detail?: unknown;
}

export interface AuthRefusal {
  status: number;
  body: ErrorBody;
  /** False only for signature failures: there is nothing trustworthy to sign for. */
  signed: boolean;
}

/** Merchant certificates the simulator knows: mchid → serial → public key. */
export class MerchantKeys {
  readonly #keys = new Map<string, Map<string, KeyObject>>();

  add(mchid: string, serial: string, publicKey: KeyObject): void {
    const serials = this.#keys.get(mchid) ?? new Map<string, KeyObject>();
    serials.set(serial.toUpperCase(), publicKey);
    this.#keys.set(mchid, serials);
  }

  has(mchid: string): boolean {
    return this.#keys.has(mchid);
  }

  get(mchid: string, serial: string): KeyObject | undefined {
    return this.#keys.get(mchid)?.get(serial.toUpperCase());
  }
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
}

/** Missing or empty User-Agent / Accept: 400 INVALID_REQUEST, checked before the signature. */
export function checkProtocolHeaders(headers: Record<string, string | string[] | undefined>): AuthRefusal | undefined {
  const missing = ['user-agent', 'accept'].filter((name) => headerText(headers[name]) === '');
  if (missing.length === 0) return undefined;
  return {
    status: 400,
    signed: true,
    body: {
      code: 'INVALID_REQUEST',
      message: 'Http头缺少Accept或User-Agent',
      detail: { location: 'header', field: missing.map((m) => (m === 'accept' ? 'Accept' : 'User-Agent')).join(','), issue: 'header missing or empty' },
    },
  };
}

function signError(message: string, issue: string, field: string, extra: Record<string, unknown> = {}): AuthRefusal {
  return { status: 401, signed: false, body: { code: 'SIGN_ERROR', message, detail: { field, location: 'authorization', detail: { issue }, ...extra } } };
}

const MESSAGE_PREVIEW = 64;

function describeFailure(failure: RequestVerificationFailure, method: string, url: string, keys: MerchantKeys): AuthRefusal {
  switch (failure.reason) {
    case 'missing_header':
      return signError('缺少Authorization请求头，请按APIv3规则签名', 'Authorization header missing', 'authorization');
    case 'bad_scheme':
      return signError('Authorization认证类型错误，应为WECHATPAY2-SHA256-RSA2048', `unsupported scheme ${failure.scheme}`, 'authorization');
    case 'malformed':
      return signError('Authorization格式错误，应为 key="value" 对并以逗号分隔', 'malformed Authorization header', 'authorization');
    case 'missing_field':
      return signError(`Authorization缺少${failure.field}`, `${failure.field} missing`, failure.field);
    case 'unknown_serial':
      if (!keys.has(failure.fields.mchid)) return signError('商户号不存在或未开通APIv3', `unknown mchid ${failure.fields.mchid}`, 'mchid');
      // Real wording (docs/wechatpay/apiv3.md#request-signing).
      return signError('商户证书序列号有误', `unknown merchant certificate serial ${failure.fields.serial_no}`, 'serial_no');
    case 'stale_timestamp':
      return signError(
        '请求的时间戳与微信支付服务器时间相差超过5分钟，请检查系统时间',
        Number.isFinite(failure.skewSeconds)
          ? `timestamp is ${Math.abs(failure.skewSeconds)} s from server time (limit ${REQUEST_WINDOW_SECONDS} s)`
          : 'timestamp is not a number of seconds',
        'timestamp',
      );
    case 'sign_mismatch': {
      const text = failure.message.toString('utf8');
      return signError('签名错误，请检查后再试', 'sign not match', 'signature', {
        sign_information: {
          method,
          url,
          sign_message_length: failure.message.length,
          truncated_sign_message: text.length > MESSAGE_PREVIEW ? `${text.slice(0, MESSAGE_PREVIEW)}` : text,
        },
      });
    }
  }
}

export interface AuthInput {
  method: string;
  url: string;
  /** Exactly what was signed: the raw body, or an upload's meta JSON. */
  signedBody: Buffer | string;
  authorization: string | undefined;
  nowMs: number;
}

/** The calling merchant's mchid, or the 401 to send. */
export function authenticate(input: AuthInput, keys: MerchantKeys): { ok: true; mchid: string } | { ok: false; refusal: AuthRefusal } {
  const result = verifyRequestSignature(
    { method: input.method, url: input.url, body: input.signedBody, authorization: input.authorization },
    { publicKeyFor: (mchid, serial) => keys.get(mchid, serial), nowMs: input.nowMs },
  );
  if (result.ok) return { ok: true, mchid: result.fields.mchid };
  return { ok: false, refusal: describeFailure(result, input.method, input.url, keys) };
}
