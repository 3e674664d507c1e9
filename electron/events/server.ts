// The events server's HTTP side. It runs behind the merchant's HTTPS reverse proxy, which
// terminates TLS; WeChat posts COUPON.SEND to the notify path (no credential: the signature is
// the proof), tills call /v1/ with their own credential, finance reads the day's CSV with a
// report credential. Bodies are capped before they are read; every failure is an answer and a
// log line, never a crash.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../log/logger';
import type { CodeEntry, DirectoryStore } from './directory-store';
import { failure, type NotificationAnswer, type NotificationReceiver } from './notifications';
import { redemptionsCsv, reportDay } from './reports';
import { authorize } from './till-credentials';

export const DEFAULT_NOTIFY_PATH = '/wechatpay/notify';
/** A COUPON.SEND envelope is about 1 KB; 64 KB leaves room for whatever WeChat adds. */
export const MAX_NOTIFICATION_BYTES = 64 * 1024;
const MAX_PUSH_BYTES = 1024 * 1024;
export const MAX_PUSH_OPERATIONS = 500;

export interface EventsServerOptions {
  store: DirectoryStore;
  receiver: NotificationReceiver;
  log: Logger;
  host?: string;
  port?: number;
  notifyPath?: string;
  clock?: () => number;
}

export interface EventsServer {
  url: string;
  notifyUrl: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const PushBody = z.object({
  operations: z
    .array(
      z.object({
        requestNo: z.string().min(1).max(64),
        opId: z.string().min(1).max(64),
        kind: z.string().min(1).max(32),
        status: z.string().min(1).max(32),
        couponCode: z.string().min(1).max(128),
        stockId: z.string().max(32).nullable(),
        discountFen: z.number().int().nullable(),
        orderAmountFen: z.number().int().nullable(),
        offlineAccepted: z.boolean(),
        cashierId: z.string().max(64).nullable(),
        shiftId: z.string().max(64).nullable(),
        createdAt: z.number().int(),
        resolvedAt: z.number().int().nullable(),
      }),
    )
    .max(MAX_PUSH_OPERATIONS),
});

/** What a till sees of a directory entry (snake_case, as on the wire). */
export const entryJson = (e: CodeEntry) => ({
  stock_id: e.stockId,
  coupon_code: e.couponCode,
  openid: e.openid,
  unionid: e.unionid,
  send_time: e.sendTime,
  send_channel: e.sendChannel,
  source: e.source,
});

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

function answer(res: ServerResponse, a: NotificationAnswer): void {
  if (a.body) return sendJson(res, a.status, a.body);
  res.writeHead(a.status);
  res.end();
}

/** The body, or null when it is over `limit` (then the connection is closed after the answer). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startEventsServer(opts: EventsServerOptions): Promise<EventsServer> {
  const { store, receiver, log } = opts;
  const notifyPath = opts.notifyPath ?? DEFAULT_NOTIFY_PATH;
  const clock = opts.clock ?? Date.now;

  async function notify(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req, MAX_NOTIFICATION_BYTES);
    if (body === null) {
      res.setHeader('Connection', 'close');
      return answer(res, receiver.refuse('too_large', `body over ${MAX_NOTIFICATION_BYTES} bytes`));
    }
    answer(res, await receiver.receive(req.headers, body));
  }

  async function lookup(req: IncomingMessage, res: ServerResponse, code: string) {
    const auth = await authorize(store, req.headers, 'till');
    if (!auth.ok) return sendJson(res, auth.status, { code: auth.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: auth.message });
    const entries = await store.lookup(code);
    sendJson(res, 200, { coupon_code: code, entries: entries.map(entryJson) });
  }

  async function push(req: IncomingMessage, res: ServerResponse) {
    const auth = await authorize(store, req.headers, 'till');
    if (!auth.ok) return sendJson(res, auth.status, { code: auth.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: auth.message });
    const body = await readBody(req, MAX_PUSH_BYTES);
    if (body === null) return sendJson(res, 413, { code: 'TOO_LARGE', message: `body over ${MAX_PUSH_BYTES} bytes` });
    let parsed;
    try {
      parsed = PushBody.safeParse(JSON.parse(body.toString('utf8')));
    } catch {
      return sendJson(res, 400, { code: 'BAD_REQUEST', message: 'body is not JSON' });
    }
    if (!parsed.success) return sendJson(res, 400, { code: 'BAD_REQUEST', message: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` });
    const { tillId, storeId } = auth.credential;
    const added = await store.recordOperations(tillId, storeId, parsed.data.operations, clock());
    // An empty push is a till's health probe: answered, not logged.
    if (parsed.data.operations.length > 0) log.info('events.operations_pushed', { till: tillId, store: storeId, received: parsed.data.operations.length, added });
    sendJson(res, 200, { received: parsed.data.operations.length, added });
  }

  async function report(req: IncomingMessage, res: ServerResponse, url: URL) {
    const auth = await authorize(store, req.headers, 'report');
    if (!auth.ok) return sendJson(res, auth.status, { code: auth.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', message: auth.message });
    const day = reportDay(url.searchParams.get('date'), clock());
    if (!day) return sendJson(res, 400, { code: 'BAD_REQUEST', message: 'date must be YYYY-MM-DD' });
    const csv = redemptionsCsv(day.date, await store.operationsBetween(day.from, day.to));
    res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="redemptions-${day.date}.csv"`, 'Cache-Control': 'no-store' });
    res.end(csv);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://events');
    const route = `${req.method} ${url.pathname}`;
    if (route === `POST ${notifyPath}`) return notify(req, res);
    if (route === 'GET /healthz') return sendJson(res, 200, { ok: true, store: store.kind });
    const code = /^\/v1\/codes\/([^/]{1,128})$/.exec(url.pathname);
    if (req.method === 'GET' && code) {
      let text: string;
      try {
        text = decodeURIComponent(code[1] as string);
      } catch {
        return sendJson(res, 400, { code: 'BAD_REQUEST', message: 'the code is not valid percent-encoding' });
      }
      return lookup(req, res, text);
    }
    if (route === 'POST /v1/operations') return push(req, res);
    if (route === 'GET /v1/reports/redemptions.csv') return report(req, res, url);
    if (url.pathname === notifyPath) return answer(res, failure(405, 'notifications are POSTed'));
    sendJson(res, 404, { code: 'NOT_FOUND', message: `no route ${route}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error('events.request_failed', { path: req.url?.split('?')[0], error: err });
      if (!res.headersSent) answer(res, failure(500, 'internal error'));
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 }, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info('events.listening', { url, notify_path: notifyPath, store: store.kind });
  return {
    url,
    notifyUrl: `${url}${notifyPath}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
