// The typed busifavor client: one generic `call` over the shared endpoint table. Every request
// is validated with the same strict schema the simulator answers with, before a byte is
// signed; every success is checked against the endpoint's documented status and parsed with
// its tolerant schema. Nothing here knows a particular endpoint — the table does.
import { createHash } from 'node:crypto';
import {
  buildPath,
  encodeQuery,
  getEndpoint,
  RequestParamError,
  validateRequest,
  type BodyOf,
  type EndpointId,
  type Endpoints,
  type PathParamsOf,
  type QueryOf,
  type ResponseOf,
} from '../../shared/busifavor';
import { WechatPayError, type ImageUploadInput, type WechatPayRequest, type WechatPayResponse } from '../wechatpay';

/** What the client needs from the protocol layer; `WechatPayClient` is one. */
export interface WechatPayTransport {
  request<T = unknown>(request: WechatPayRequest): Promise<WechatPayResponse<T>>;
}

export interface CallParts<Id extends EndpointId> {
  path?: PathParamsOf<Endpoints[Id]>;
  query?: QueryOf<Endpoints[Id]>;
  body?: BodyOf<Endpoints[Id]>;
  /** Multipart endpoints only: the file; its `meta` (filename, sha256) is derived and validated. */
  upload?: ImageUploadInput;
  signal?: AbortSignal;
}

export interface CallResult<Id extends EndpointId> {
  data: ResponseOf<Endpoints[Id]>;
  status: number;
  requestId?: string;
}

/** Code of the error thrown when a verified success does not match the documented shape. */
export const RESPONSE_SCHEMA = 'RESPONSE_SCHEMA';
/** Code of the error thrown when a 2xx is not the endpoint's documented success status. */
export const UNEXPECTED_STATUS = 'UNEXPECTED_STATUS';

/**
 * A verified 2xx that we could not read as documented. WeChat did finish the request (its
 * signed answer says so); only the body is unusable. Callers that only need to know whether
 * the operation happened (the queue) may treat it as success.
 */
export function isUnreadableSuccess(err: unknown): err is WechatPayError {
  return err instanceof WechatPayError && err.code === RESPONSE_SCHEMA && err.httpStatus !== undefined && err.httpStatus >= 200 && err.httpStatus < 300;
}

function stringQuery(def: Endpoints[EndpointId], query: unknown): Record<string, string> | undefined {
  if (def.query === null || query === undefined) return undefined;
  // Validated values in the schema's key order (the order encodeQuery signs), as strings.
  const parsed = def.query.parse(Object.fromEntries(Object.entries(query as Record<string, unknown>).filter(([, v]) => v !== undefined))) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of Object.keys(def.query.shape)) {
    const v = parsed[key];
    if (v !== undefined) out[key] = String(v);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export class BusifavorClient {
  readonly #transport: WechatPayTransport;

  constructor(transport: WechatPayTransport) {
    this.#transport = transport;
  }

  /**
   * Calls one endpoint. Throws `RequestParamError` (nothing was sent) when the request does
   * not match the endpoint's schema, and `WechatPayError` for everything the network or
   * WeChat Pay answered other than the documented success.
   */
  async call<Id extends EndpointId>(id: Id, parts: CallParts<Id> = {}): Promise<CallResult<Id>> {
    const def = getEndpoint(id) as Endpoints[EndpointId];
    let body: unknown = parts.body;
    if (def.bodyKind === 'multipart') {
      if (!parts.upload) throw new RequestParamError({ code: 'PARAM_ERROR', message: '缺少上传文件', detail: { field: '/body', location: 'body', issue: 'upload is required' } });
      body = { filename: parts.upload.filename, sha256: createHash('sha256').update(parts.upload.content).digest('hex') };
    }
    const checked = validateRequest(def, { path: parts.path, query: parts.query, body });
    if (!checked.ok) throw new RequestParamError(checked.error);
    // buildPath/encodeQuery re-check and produce the exact path and the signed parameter order.
    const path = buildPath(def, parts.path as never);
    encodeQuery(def, parts.query as never);
    const request: WechatPayRequest = { method: def.method, path };
    const query = stringQuery(def, parts.query);
    if (query) request.query = query;
    if (def.bodyKind === 'json' && checked.value.body !== undefined) request.body = JSON.stringify(checked.value.body);
    if (def.bodyKind === 'multipart' && parts.upload) request.upload = parts.upload;
    if (parts.signal) request.signal = parts.signal;

    const response = await this.#transport.request(request);
    const requestId = response.requestId;
    if (response.status !== def.successStatus) {
      throw new WechatPayError({
        kind: 'unknown_outcome',
        code: UNEXPECTED_STATUS,
        httpStatus: response.status,
        message: `WeChat Pay answered HTTP ${response.status} where ${def.successStatus} was documented for ${def.id}`,
        ...(requestId ? { requestId } : {}),
      });
    }
    if (def.response === null) return { data: undefined as ResponseOf<Endpoints[Id]>, status: response.status, ...(requestId ? { requestId } : {}) };
    const parsed = def.response.safeParse(response.data);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') ?? '';
      throw new WechatPayError({
        kind: 'unknown_outcome',
        code: RESPONSE_SCHEMA,
        httpStatus: response.status,
        message: `WeChat Pay's answer to ${def.id} does not have the documented shape${where ? ` (at ${where})` : ''}`,
        ...(requestId ? { requestId } : {}),
      });
    }
    return { data: parsed.data as ResponseOf<Endpoints[Id]>, status: response.status, ...(requestId ? { requestId } : {}) };
  }

  // Thin helpers for what the till calls by name.

  useCoupon(body: BodyOf<Endpoints['coupons.use']>, signal?: AbortSignal) {
    return this.call('coupons.use', { body, ...(signal ? { signal } : {}) });
  }

  associate(body: BodyOf<Endpoints['coupons.associate']>) {
    return this.call('coupons.associate', { body });
  }

  disassociate(body: BodyOf<Endpoints['coupons.disassociate']>) {
    return this.call('coupons.disassociate', { body });
  }

  returnCoupon(body: BodyOf<Endpoints['coupons.return']>) {
    return this.call('coupons.return', { body });
  }

  deactivate(body: BodyOf<Endpoints['coupons.deactivate']>) {
    return this.call('coupons.deactivate', { body });
  }

  async getStock(stockId: string) {
    return (await this.call('stocks.get', { path: { stock_id: stockId } })).data;
  }

  async getUserCoupon(ref: { openid: string; coupon_code: string; appid: string }) {
    return (await this.call('userCoupons.get', { path: ref })).data;
  }

  async listUserCoupons(openid: string, query: QueryOf<Endpoints['userCoupons.list']>) {
    return (await this.call('userCoupons.list', { path: { openid }, query })).data;
  }
}
