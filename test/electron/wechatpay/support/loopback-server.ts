// A small real HTTP server on 127.0.0.1 that plays WeChat Pay for the tests: it checks the
// request signature the way the production server does and signs its answers.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { verifyRequestSignature, type RequestVerificationResult } from '../../../../electron/wechatpay/sign';
import { parseImageUpload } from '../../../../electron/wechatpay/upload';
import type { ResponseSigner } from '../../../../electron/wechatpay/verify';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body line the signature covers (meta JSON for uploads). */
  signedBody: Buffer | string;
  verification: RequestVerificationResult;
}

export interface Reply {
  status?: number;
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  /** Signs the reply; `false` (or absent) leaves it unsigned. */
  signer?: ResponseSigner | false;
  signOptions?: { timestamp?: number; nonce?: string; signtestProbe?: boolean };
  /** Mutates the signature headers after signing (tamper tests). */
  tamper?: (headers: Record<string, string>) => void;
  /** Drops the connection without answering. */
  destroy?: boolean;
}

export type Handler = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface LoopbackServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export interface LoopbackOptions {
  /** Known merchant keys: mchid → serial → public key. */
  merchants?: Record<string, Record<string, KeyObject>>;
  /** Verify with another implementation (cross-checks); default is our own verifier. */
  verify?: (request: Omit<ReceivedRequest, 'verification'>) => RequestVerificationResult;
  requireSignature?: boolean;
}

function signedBodyOf(method: string, headers: IncomingHttpHeaders, body: Buffer): Buffer | string {
  const type = headers['content-type'] ?? '';
  if (method === 'POST' && /^multipart\/form-data/i.test(type)) return parseImageUpload(body, type).metaJson;
  return body;
}

export async function startLoopbackServer(handler: Handler, options: LoopbackOptions = {}): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = [];
  const requireSignature = options.requireSignature ?? true;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const method = req.method ?? 'GET';
        const url = req.url ?? '/';
        const body = Buffer.concat(chunks);
        const signedBody = signedBodyOf(method, req.headers, body);
        const base = { method, url, headers: req.headers, body, signedBody };
        const verification = options.verify
          ? options.verify(base)
          : verifyRequestSignature(
              { method, url, body: signedBody, authorization: req.headers.authorization },
              { publicKeyFor: (mchid, serial) => options.merchants?.[mchid]?.[serial] },
            );
        const received: ReceivedRequest = { ...base, verification };
        requests.push(received);
        if (requireSignature && !verification.ok) {
          const payload = JSON.stringify({ code: 'SIGN_ERROR', message: `签名错误 (${verification.reason})` });
          res.writeHead(401, { 'content-type': 'application/json', 'request-id': 'sign-error-1' });
          res.end(payload);
          return;
        }
        const reply = await handler(received);
        if (reply.destroy) {
          req.socket.destroy();
          return;
        }
        const payload =
          reply.body === undefined
            ? Buffer.alloc(0)
            : Buffer.isBuffer(reply.body)
              ? reply.body
              : Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), 'utf8');
        const headers: Record<string, string> = {
          'request-id': `req-${requests.length}`,
          ...(payload.length ? { 'content-type': 'application/json' } : {}),
          ...reply.headers,
        };
        if (reply.signer) {
          const signature = reply.signer.sign(payload, reply.signOptions);
          reply.tamper?.(signature);
          Object.assign(headers, signature);
        }
        res.writeHead(reply.status ?? 200, headers);
        res.end(payload);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
