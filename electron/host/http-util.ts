// Small pieces both loopback hosts (the page's web host and the register's API) need, written
// once: a JSON reply with the security headers, and a request body read with a size cap.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './security-headers';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The whole body, or null once it grows past `limit` bytes (the rest is read and dropped). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A JSON body: `undefined` when empty, an error reply already sent when it is too big or not JSON. */
export async function readJson(req: IncomingMessage, res: ServerResponse, limit: number): Promise<{ ok: true; value: unknown } | { ok: false }> {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
    sendJson(res, 415, { ok: false, error: { code: 'VALIDATION', message: 'content-type must be application/json' } });
    return { ok: false };
  }
  const body = await readBody(req, limit);
  if (body === null) {
    sendJson(res, 413, { ok: false, error: { code: 'VALIDATION', message: `body over ${limit} bytes` } });
    return { ok: false };
  }
  try {
    return { ok: true, value: body.length ? JSON.parse(body.toString('utf8')) : undefined };
  } catch {
    sendJson(res, 400, { ok: false, error: { code: 'VALIDATION', message: 'body is not valid JSON' } });
    return { ok: false };
  }
}
