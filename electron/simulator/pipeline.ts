// One /v3 request, in the order WeChat Pay applies its checks: protocol headers, signature,
// route, frequency limit, injected faults before the state, validation and the state
// operation, injected faults after it — then the answer, signed (except a 401) and tagged
// with a Request-ID.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { routeRequest, type EndpointDef } from '../../shared/busifavor/index';
import { parseImageUpload, unixSeconds, WechatPayError, type ParsedImageUpload } from '../wechatpay/index';
import { authenticate, checkProtocolHeaders, type ErrorBody } from './auth';
import type { SimContext } from './context';
import { CERTIFICATES_ENDPOINT, type Fault } from './faults';
import { answerRequest, type Answer } from './routes';
import { NO_PLATFORM_CERTIFICATE_MESSAGE } from './signing';

const JSON_TYPE = 'application/json; charset=utf-8';

const FAULT_ANSWERS: Partial<Record<Fault['kind'], { status: number; body: ErrorBody }>> = {
  system_error: { status: 500, body: { code: 'SYSTEM_ERROR', message: '系统错误，请稍后重试' } },
  bad_gateway: { status: 502, body: { code: 'SERVICE_UNAVAILABLE', message: '服务暂时不可用，请稍后重试' } },
  service_unavailable: { status: 503, body: { code: 'SERVICE_UNAVAILABLE', message: '系统繁忙，请稍后重试' } },
  rate_limited: { status: 429, body: { code: 'FREQUENCY_LIMITED', message: '请求过于频繁，请稍后再试' } },
};

const RATE_LIMITED: ErrorBody = { code: 'FREQUENCY_LIMITED', message: '请求过于频繁，请稍后再试' };

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  requestId: string;
  /** Responses held open by a `timeout` fault; closed with the server. */
  held: Set<ServerResponse>;
}

function count(ctx: SimContext, key: string, status: number): void {
  let stats = ctx.stats.get(key);
  if (!stats) {
    stats = { requests: 0, statuses: {} };
    ctx.stats.set(key, stats);
  }
  stats.requests += 1;
  stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The four Wechatpay-* headers a fault asks for instead of an honest signature. */
function faultySignature(ctx: SimContext, ex: Exchange, body: string, fault: Fault): Record<string, string> {
  const signer = ctx.signing.signerFor(header(ex.req, 'wechatpay-serial'));
  if (fault.kind === 'skewed_timestamp') return signer.sign(body, { timestamp: unixSeconds(ctx.now()) + fault.skewSeconds });
  if (fault.kind === 'signtest') return signer.sign(body, { signtestProbe: true });
  // A well-formed signature over other bytes: only a real verification notices.
  const genuine = signer.sign(body);
  const forged = signer.sign(`${body} `, { timestamp: Number(genuine['Wechatpay-Timestamp']), nonce: genuine['Wechatpay-Nonce'] as string });
  return { ...genuine, 'Wechatpay-Signature': forged['Wechatpay-Signature'] as string };
}

const SIGNATURE_FAULTS = new Set<Fault['kind']>(['bad_signature', 'skewed_timestamp', 'signtest']);

/** Writes one answer; `fault` may corrupt or skew its signature. */
async function respond(ctx: SimContext, ex: Exchange, key: string, status: number, body: string, options: { signed: boolean; fault?: Fault }): Promise<void> {
  count(ctx, key, status);
  const headers: Record<string, string> = { 'Request-ID': ex.requestId };
  if (body !== '') headers['Content-Type'] = JSON_TYPE;
  headers['Content-Length'] = String(Buffer.byteLength(body));
  if (options.signed) {
    const fault = options.fault && SIGNATURE_FAULTS.has(options.fault.kind) ? options.fault : undefined;
    Object.assign(headers, fault ? faultySignature(ctx, ex, body, fault) : await ctx.signing.signAsync(body, header(ex.req, 'wechatpay-serial')));
  }
  ex.res.writeHead(status, headers);
  ex.res.end(body);
}

function respondError(ctx: SimContext, ex: Exchange, key: string, status: number, body: ErrorBody, signed = true): Promise<void> {
  return respond(ctx, ex, key, status, JSON.stringify(body), { signed });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Carries out a fault that replaces the answer. Returns true when the exchange is over
 * (answered, held or reset); latency and signature faults return false and let it go on.
 */
async function applyFault(ctx: SimContext, ex: Exchange, key: string, fault: Fault | undefined): Promise<boolean> {
  if (!fault) return false;
  switch (fault.kind) {
    case 'latency':
      await sleep(fault.latencyMs);
      return false;
    case 'timeout':
      count(ctx, key, 0);
      ex.held.add(ex.res);
      ex.res.on('close', () => ex.held.delete(ex.res));
      return true;
    case 'reset': {
      count(ctx, key, 0);
      const socket = ex.req.socket as typeof ex.req.socket & { resetAndDestroy?: () => void };
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return true;
    }
    case 'bad_signature':
    case 'skewed_timestamp':
    case 'signtest':
      return false;
    default: {
      const answer = FAULT_ANSWERS[fault.kind];
      if (!answer) return false;
      await respondError(ctx, ex, key, answer.status, answer.body);
      return true;
    }
  }
}

function certificatesAnswer(ctx: SimContext, rawQuery: string): Answer {
  const params = new URLSearchParams(rawQuery);
  for (const [name, value] of params) {
    if (name !== 'algorithm_type')
      return {
        status: 400,
        body: JSON.stringify({ code: 'PARAM_ERROR', message: `输入源“${name}”不是可识别的字段`, detail: { field: name, location: 'query', issue: 'unknown field' } }),
      };
    if (!['RSA', 'SM2', 'ALL'].includes(value)) {
      return {
        status: 400,
        body: JSON.stringify({
          code: 'PARAM_ERROR',
          message: 'algorithm_type 只能是 RSA、SM2 或 ALL',
          detail: { field: 'algorithm_type', location: 'query', issue: 'must be one of RSA, SM2, ALL', value },
        }),
      };
    }
  }
  if (!ctx.signing.servesCertificates) return { status: 404, body: JSON.stringify({ code: 'RESOURCE_NOT_EXISTS', message: NO_PLATFORM_CERTIFICATE_MESSAGE }) };
  return { status: 200, body: ctx.signing.certificatesBody() };
}

type Target = { kind: 'certificates' } | { kind: 'endpoint'; def: EndpointDef; params: Record<string, string> } | { kind: 'none'; status: 404 | 405 };

function locate(method: string, url: string): Target {
  const pathname = url.split('?')[0] ?? '';
  if (pathname === '/v3/certificates') return method === 'GET' ? { kind: 'certificates' } : { kind: 'none', status: 405 };
  const match = routeRequest(method, url);
  if (match.kind === 'match') return { kind: 'endpoint', def: match.def, params: match.params };
  return { kind: 'none', status: match.kind === 'method_not_allowed' ? 405 : 404 };
}

/** Handles one request under /v3 (the body already read). */
export async function handleApi(ctx: SimContext, ex: Exchange): Promise<void> {
  const { req } = ex;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  const target = locate(method, url);
  const key = target.kind === 'certificates' ? CERTIFICATES_ENDPOINT : target.kind === 'endpoint' ? target.def.id : 'unrouted';

  const headerProblem = checkProtocolHeaders(req.headers);
  if (headerProblem) return respondError(ctx, ex, key, headerProblem.status, headerProblem.body, headerProblem.signed);

  // An upload signs its meta JSON, not the multipart body, so it is opened before the check.
  let upload: ParsedImageUpload | undefined;
  if (target.kind === 'endpoint' && target.def.bodyKind === 'multipart') {
    try {
      upload = parseImageUpload(ex.body, header(req, 'content-type') ?? '');
    } catch (err) {
      const code = err instanceof WechatPayError && err.code ? err.code : 'INVALID_REQUEST';
      return respondError(ctx, ex, key, 400, { code, message: err instanceof Error ? err.message : '上传格式错误' });
    }
  }
  const auth = authenticate({ method, url, signedBody: upload ? upload.metaJson : ex.body, authorization: header(req, 'authorization'), nowMs: ctx.now() }, ctx.merchantKeys);
  if (!auth.ok) return respondError(ctx, ex, key, auth.refusal.status, auth.refusal.body, auth.refusal.signed);

  if (target.kind === 'none') {
    if (target.status === 405) return respondError(ctx, ex, key, 405, { code: 'METHOD_NOT_ALLOWED', message: `不支持的请求方法 ${method}` });
    return respondError(ctx, ex, key, 404, { code: 'RESOURCE_NOT_EXISTS', message: '请求的接口不存在，请检查URL' });
  }
  const documented = target.kind === 'endpoint' ? target.def.rateLimit : null;
  if (!ctx.rateLimiter.take(auth.mchid, key, documented)) return respondError(ctx, ex, key, 429, RATE_LIMITED);

  const decision = ctx.faults.empty ? {} : ctx.faults.plan(key);
  if (await applyFault(ctx, ex, key, decision.before)) return;

  const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const answer =
    target.kind === 'certificates'
      ? certificatesAnswer(ctx, rawQuery)
      : answerRequest(ctx.state, auth.mchid, { def: target.def, params: target.params, rawQuery, rawBody: ex.body, ...(upload ? { upload } : {}) });
  if (target.kind === 'endpoint' && target.def.id === 'coupons.send' && answer.status === 200) ctx.notifier.poll();
  // Durable before anyone hears about it.
  ctx.stateDir?.flush(() => ctx.state.toJSON());

  if (await applyFault(ctx, ex, key, decision.after)) return;
  await respond(ctx, ex, key, answer.status, answer.body, { signed: true, ...(decision.after ? { fault: decision.after } : {}) });
}

/** Anything outside /v3 and /_sim: a signed 404 like any unknown API path. */
export function handleUnknown(ctx: SimContext, ex: Exchange): Promise<void> {
  return respondError(ctx, ex, 'unrouted', 404, { code: 'RESOURCE_NOT_EXISTS', message: '请求的接口不存在，请检查URL' });
}

export function handleTooLarge(ctx: SimContext, ex: Exchange): Promise<void> {
  return respondError(ctx, ex, 'unrouted', 413, { code: 'INVALID_REQUEST', message: '请求体过大' });
}
