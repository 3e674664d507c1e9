// /_sim/… on the simulator's own port: plain JSON, never signed, never under /v3, and only
// for callers on this machine (a till on the shop network must not be able to reset it) that
// name it by a loopback Host, come from no foreign page, and hold this start's admin token —
// which only whoever started the simulator has (its credentials line, the in-process handle).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { foreignRequest, hasBearer } from '../host/loopback-guard';
import type { SimAdmin, SimSettings } from './admin';
import { FaultSpecError, type FaultRule } from './faults';
import type { ConsoleStockState, ReceiveInput, SimResult } from './state/index';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK_ADDRESSES.has(address);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function fromResult(res: ServerResponse, result: SimResult): void {
  if (result.ok) send(res, 200, result.body ?? {});
  else send(res, result.status, { code: result.code, message: result.message, ...(result.detail === undefined ? {} : { detail: result.detail }) });
}

class BadInput extends Error {}

function object(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadInput('body is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BadInput('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new BadInput(`${name} must be a non-empty string`);
  return value;
}

function optionalText(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : text(value, name);
}

function clockAdvance(body: Record<string, unknown>): number {
  const units: [string, number][] = [
    ['advance_ms', 1],
    ['advance_seconds', 1000],
    ['advance_minutes', 60_000],
    ['advance_hours', 3_600_000],
    ['advance_days', 86_400_000],
  ];
  let total = 0;
  let given = false;
  for (const [name, factor] of units) {
    const v = body[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadInput(`${name} must be a number`);
    total += v * factor;
    given = true;
  }
  if (!given) throw new BadInput('give advance_ms, advance_seconds, advance_minutes, advance_hours or advance_days');
  return total;
}

function receiveInput(body: Record<string, unknown>): ReceiveInput {
  const input: ReceiveInput = { stock_id: text(body.stock_id, 'stock_id') };
  for (const key of ['user_id', 'appid', 'openid', 'out_request_no', 'coupon_code', 'send_channel', 'received_at'] as const) {
    const value = optionalText(body[key], key);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

function settingsInput(body: Record<string, unknown>): SimSettings {
  const out: SimSettings = {};
  for (const key of ['allow_http_callbacks', 'rate_limits'] as const) {
    if (body[key] === undefined) continue;
    if (typeof body[key] !== 'boolean') throw new BadInput(`${key} must be true or false`);
    out[key] = body[key];
  }
  if (body.notify_time_scale !== undefined) {
    if (typeof body.notify_time_scale !== 'number' || !(body.notify_time_scale > 0)) throw new BadInput('notify_time_scale must be a positive number');
    out.notify_time_scale = body.notify_time_scale;
  }
  return out;
}

const ADMIN_ROUTES = [
  'GET /_sim/state',
  'GET /_sim/credentials',
  'GET /_sim/coupons?stock_id=&user_id=&coupon_state=',
  'GET /_sim/coupons/{stock_id}/{coupon_code}',
  'GET /_sim/stocks/{stock_id} (the stock as held, and its uploaded codes)',
  'GET /_sim/operations',
  'GET|POST /_sim/faults {spec|rules, append?}',
  'POST /_sim/faults/clear',
  'POST /_sim/clock {advance_ms|advance_seconds|advance_minutes|advance_hours|advance_days}',
  'POST /_sim/receive (alias /_sim/send-coupon) {stock_id, user_id?|openid?, appid?, coupon_code?, out_request_no?, send_channel?, received_at?}',
  'POST /_sim/plugin-send {send_coupon_params, send_coupon_merchant, sign, user_id?|openid?, appid?} (the mini-program plugin)',
  'POST /_sim/delete-coupon {stock_id, coupon_code}',
  'POST /_sim/stock-state {stock_id, state: UNAUDIT|PAUSED|STOPED|null}',
  'POST /_sim/certificates/rotate {retire_old?}',
  'POST /_sim/reset {seed?: false}',
  'GET /_sim/notifications',
  'GET|POST /_sim/settings {allow_http_callbacks?, notify_time_scale?, rate_limits?}',
];

const STOCK_STATES = new Set(['UNAUDIT', 'PAUSED', 'STOPED']);

export interface AdminAccess {
  token: string;
  port: number;
}

/** Answers one /_sim/ request; `body` is already read. */
export async function handleAdmin(admin: SimAdmin, access: AdminAccess, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return send(res, 403, { code: 'FORBIDDEN', message: 'the simulator admin API answers loopback callers only' });
  const foreign = foreignRequest(req.headers, access.port);
  if (foreign) return send(res, 403, { code: 'FORBIDDEN', message: `the simulator admin API refuses this request: ${foreign}` });
  if (!hasBearer(req.headers, access.token))
    return send(res, 401, { code: 'UNAUTHORIZED', message: 'the simulator admin API needs Authorization: Bearer <admin_token from the credentials line>' });
  const url = new URL(req.url ?? '/', 'http://simulator');
  const path = url.pathname.replace(/\/+$/, '');
  const route = `${req.method ?? 'GET'} ${path}`;
  try {
    switch (route) {
      case 'GET /_sim/state':
        return send(res, 200, admin.summary());
      case 'GET /_sim/credentials':
        return send(res, 200, admin.credentials());
      case 'GET /_sim/coupons': {
        const filter: { stock_id?: string; user_id?: string; coupon_state?: string } = {};
        for (const key of ['stock_id', 'user_id', 'coupon_state'] as const) {
          const v = url.searchParams.get(key);
          if (v !== null) filter[key] = v;
        }
        return send(res, 200, { data: admin.coupons(filter) });
      }
      case 'GET /_sim/operations':
        return send(res, 200, admin.operations());
      case 'GET /_sim/faults':
        return send(res, 200, { rules: admin.faults() });
      case 'POST /_sim/faults': {
        const input = object(body);
        const rules = typeof input.spec === 'string' ? input.spec : (input.rules as FaultRule[] | undefined);
        if (rules === undefined || (typeof rules !== 'string' && !Array.isArray(rules))) throw new BadInput('give "spec" (the --faults syntax) or "rules" (an array)');
        return send(res, 200, { rules: admin.setFaults(rules, { append: input.append === true }) });
      }
      case 'POST /_sim/faults/clear':
      case 'DELETE /_sim/faults':
        admin.clearFaults();
        return send(res, 200, { rules: [] });
      case 'POST /_sim/clock':
        return send(res, 200, admin.advanceClock(clockAdvance(object(body))));
      case 'GET /_sim':
        return send(res, 200, { routes: ADMIN_ROUTES });
      case 'POST /_sim/receive':
      case 'POST /_sim/send-coupon':
        return fromResult(res, admin.receiveCoupon(receiveInput(object(body))));
      case 'POST /_sim/plugin-send': {
        const input = object(body);
        const user: { user_id?: string; appid?: string; openid?: string } = {};
        for (const key of ['user_id', 'appid', 'openid'] as const) {
          const value = optionalText(input[key], key);
          if (value !== undefined) user[key] = value;
        }
        const sent = admin.pluginSend({ params: { send_coupon_params: input.send_coupon_params, send_coupon_merchant: input.send_coupon_merchant }, sign: input.sign, ...user });
        return sent.ok ? send(res, 200, { send_coupon_result: sent.send_coupon_result }) : send(res, 400, { code: sent.code, message: sent.message });
      }
      case 'POST /_sim/delete-coupon': {
        const input = object(body);
        return fromResult(res, admin.deleteCoupon(text(input.stock_id, 'stock_id'), text(input.coupon_code, 'coupon_code')));
      }
      case 'POST /_sim/stock-state': {
        const input = object(body);
        const state = input.state === null ? null : text(input.state, 'state');
        if (state !== null && !STOCK_STATES.has(state)) throw new BadInput('state must be UNAUDIT, PAUSED, STOPED or null');
        return fromResult(res, admin.setStockState(text(input.stock_id, 'stock_id'), state as ConsoleStockState | null));
      }
      case 'POST /_sim/certificates/rotate':
        return send(res, 200, await admin.rotateCertificate({ retireOld: object(body).retire_old === true }));
      case 'POST /_sim/reset':
        return send(res, 200, { seed: admin.reset({ seed: object(body).seed !== false }) ?? null });
      case 'GET /_sim/notifications':
        return send(res, 200, { data: admin.notifications() });
      case 'GET /_sim/settings':
        return send(res, 200, admin.settings());
      case 'POST /_sim/settings':
        return send(res, 200, admin.settings(settingsInput(object(body))));
    }
    const coupon = /^\/_sim\/coupons\/([^/]+)\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && coupon) {
      const found = admin.coupon(decodeURIComponent(coupon[1] ?? ''), decodeURIComponent(coupon[2] ?? ''));
      return found ? send(res, 200, found) : send(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: 'no such coupon' });
    }
    const stock = /^\/_sim\/stocks\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && stock) {
      const found = admin.stock(decodeURIComponent(stock[1] ?? ''));
      return found ? send(res, 200, found) : send(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: 'no such stock' });
    }
    return send(res, 404, { code: 'NOT_FOUND', message: `no admin route ${route}` });
  } catch (err) {
    if (err instanceof BadInput || err instanceof FaultSpecError) return send(res, 400, { code: 'BAD_INPUT', message: err.message });
    return send(res, 409, { code: 'REFUSED', message: err instanceof Error ? err.message : 'refused' });
  }
}
