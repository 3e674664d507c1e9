import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Logger } from '../log/logger';
import type { EventBus } from './event-bus';
import { foreignRequest, hasBearer } from './loopback-guard';
import type { Router } from './router';
import { readJson, sendJson as send } from './http-util';
import { SECURITY_HEADERS } from './security-headers';

export interface WebHostOptions {
  router: Router;
  bus: EventBus;
  /** Built renderer (dist/renderer); served as static files. */
  staticDir: string;
  log: Logger;
  port?: number;
  token?: string;
  maxBodyBytes?: number;
}

export interface WebHost {
  url: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to servers. */
  launchUrl: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
};

/**
 * The loopback web host: the same router as Electron IPC, for kiosks without Electron and
 * for end-to-end tests. Bound to 127.0.0.1 only; every API request needs the per-launch
 * token; Host and Origin must be this host's own (DNS-rebinding and cross-site defence).
 */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const root = resolve(opts.staticDir);
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const maxBody = opts.maxBodyBytes ?? 256 * 1024;
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.log.error('web.request_failed', { error: err });
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'request failed' } });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const foreign = foreignRequest(req.headers, port);
    if (foreign) return send(res, 403, { error: foreign });
    const origin = req.headers.origin;

    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!url.pathname.startsWith('/api/')) return serveStatic(url.pathname, req, res);
    if (!hasBearer(req.headers, token)) return send(res, 401, { error: 'missing or wrong token' });

    if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res);
    const match = /^\/api\/call\/([a-z]+\.[a-zA-Z.]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !match) return send(res, 404, { error: 'no such endpoint' });
    // A browser always sends Origin on POST; requiring it blocks form-based cross-site posts.
    if (origin === undefined) return send(res, 403, { error: 'origin required' });
    const payload = await readJson(req, res, maxBody);
    if (!payload.ok) return;
    const result = await opts.router.call(match[1], payload.value, { transport: 'web', caller: 'page' });
    send(res, 200, result);
  }

  function streamEvents(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = opts.bus.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const stop = () => {
      clearInterval(ping);
      unsubscribe();
    };
    req.on('close', stop);
    res.on('error', stop);
  }

  function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    } catch {
      return send(res, 400, { error: 'bad path' });
    }
    if (rel === '' || rel.endsWith(sep)) rel = join(rel, 'index.html');
    const file = join(root, rel);
    if (!file.startsWith(root + sep)) return send(res, 403, { error: 'forbidden path' });
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      return send(res, 404, { error: 'not found' });
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  opts.log.info('web.listening', { port });
  return {
    url,
    launchUrl: `${url}/#token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
