// The store register's API: the cash register / ERP that rings up the goods and takes the
// WeChat Pay payment opens the order on this till (amount, its out_trade_no), follows it while
// the cashier scans coupons, reads the outcome, and may cancel an order nothing was redeemed
// on. Loopback only, its own credential (never the page's launch token), and only the contract
// methods marked `register`: the router refuses the rest with FORBIDDEN (HTTP 403).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { contract, registerMethods, type ErrorCode } from '../../shared/contract';
import type { EventBus } from '../host/event-bus';
import { readJson, sendJson } from '../host/http-util';
import { bearerToken, foreignRequest } from '../host/loopback-guard';
import type { Router } from '../host/router';
import { SECURITY_HEADERS } from '../host/security-headers';
import type { Logger } from '../log/logger';
import type { RegisterCredentialCheck } from './credential';

export interface RegisterHostOptions {
  router: Router;
  bus: EventBus;
  credential: RegisterCredentialCheck;
  log: Logger;
  port?: number;
  maxBodyBytes?: number;
}

export interface RegisterHost {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const PREFIX = '/register/v1';

/** The HTTP status a typed error reply travels with, so plain HTTP clients can branch on it. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNKNOWN_METHOD: 404,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  STATE_CONFLICT: 409,
  NOT_PROVISIONED: 503,
  CONFIGURATION: 503,
  INTERNAL: 500,
};

/** The register's methods with their input and output as JSON Schema, generated from the contract. */
export function registerSchema(): Record<string, unknown> {
  const methods = Object.fromEntries(
    registerMethods.map((m) => [
      m,
      {
        request: `POST ${PREFIX}/call/${m}`,
        input: z.toJSONSchema(contract[m].input, { io: 'input' }),
        output: z.toJSONSchema(contract[m].output),
        errors: ['VALIDATION', 'FORBIDDEN', ...contract[m].errors],
      },
    ]),
  );
  return {
    title: '商家券收银台 register API',
    auth: 'Authorization: Bearer <credential issued by `posctl register issue`>',
    reply: '{"ok":true,"value":…} or {"ok":false,"error":{"code","message",…}} with the HTTP status of the error code',
    events: { request: `GET ${PREFIX}/events`, event: 'order.status', payload: z.toJSONSchema(contract['order.get'].output) },
    methods,
  };
}

export async function startRegisterHost(opts: RegisterHostOptions): Promise<RegisterHost> {
  const maxBody = opts.maxBodyBytes ?? 16 * 1024;
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.log.error('register.request_failed', { error: err });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'request failed' } });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    // DNS rebinding and browser pages: only this host's own name, and no browser origin at all,
    // not even its own (the register is a program, not a page).
    const foreign = foreignRequest(req.headers, port);
    if (foreign) return sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: foreign } });
    if (req.headers.origin !== undefined) return sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'browser requests are not accepted' } });
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!(await opts.credential.accepts(bearerToken(req.headers)))) {
      return sendJson(res, 401, { ok: false, error: { code: 'FORBIDDEN', message: 'missing or wrong register credential' } });
    }
    if (url.pathname === `${PREFIX}/schema` && req.method === 'GET') return sendJson(res, 200, registerSchema());
    if (url.pathname === `${PREFIX}/events` && req.method === 'GET') return streamOrders(req, res);
    const match = new RegExp(`^${PREFIX}/call/([a-z]+\\.[a-zA-Z.]+)$`).exec(url.pathname);
    if (req.method !== 'POST' || !match) return sendJson(res, 404, { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'no such endpoint' } });
    const payload = await readJson(req, res, maxBody);
    if (!payload.ok) return;
    const result = await opts.router.call(match[1], payload.value, { transport: 'register', caller: 'register' });
    const status = result.ok ? 200 : (STATUS[result.error.code] ?? 422);
    opts.log.info('register.call', { method: match[1], status });
    sendJson(res, status, result);
  }

  function streamOrders(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = opts.bus.subscribe((event, payload) => {
      if (event === 'order.status') res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const stop = () => {
      clearInterval(ping);
      unsubscribe();
    };
    req.on('close', stop);
    res.on('error', stop);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  opts.log.info('register.listening', { port });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
