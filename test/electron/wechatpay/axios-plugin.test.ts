// Cross-check against an independent implementation (wechatpay-axios-plugin): its signer
// must pass our server-side check and ours must pass its, in both directions, with a query
// string, Chinese text and empty bodies.
import { afterEach, describe, expect, it } from 'vitest';
import { Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { WechatPayClient } from '../../../electron/wechatpay/http';
import { PublicKeyResolver, ResponseSigner } from '../../../electron/wechatpay/verify';
import type { RequestVerificationResult } from '../../../electron/wechatpay/sign';
import { startLoopbackServer, type LoopbackServer, type ReceivedRequest, type Reply } from './support/loopback-server';
import { keyVector, MERCHANT, PLATFORM } from './support/vectors';

const merchantPem = keyVector('java_merchant_rsa').private_key_pkcs8_pem;
const merchantPublicPem = MERCHANT.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const platformPem = keyVector('java_wechatpay_rsa').private_key_pkcs8_pem;
const platformPublicPem = keyVector('java_wechatpay_rsa').public_key_spki_pem as string;
const ourPlatformSigner = new ResponseSigner({ serial: PLATFORM.publicKeyId, privateKey: PLATFORM.privateKey });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await (cleanup.pop() as () => Promise<void>)();
});

/** Replies with what the request carried, so the response body varies with the request. */
function echo(req: ReceivedRequest): { status: number; body: string } {
  if (req.url.includes('/empty')) return { status: 204, body: '' };
  return { status: 200, body: JSON.stringify({ method: req.method, url: req.url, received: req.body.toString('utf8'), note: '已收到 ✓' }) };
}

const requests: { name: string; method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: object }[] = [
  { name: 'GET with a query string', method: 'GET', path: '/v3/marketing/busifavor/stocks', query: { stock_id: '100088', creator: '商户 A&B', limit: '10' } },
  {
    name: 'POST with Chinese text in the body',
    method: 'POST',
    path: '/v3/marketing/busifavor/coupons/use',
    body: { coupon_code: 'sxxe34343434', comment: '满100减10 商家券', appid: 'wx1234567889999' },
  },
  { name: 'GET with empty request and response bodies', method: 'GET', path: '/v3/marketing/busifavor/empty' },
];

describe('wechatpay-axios-plugin signs, we verify; we sign responses, it verifies', () => {
  let server: LoopbackServer;
  const plugin = () => {
    const wxpay = new Wechatpay({
      mchid: MERCHANT.mchid,
      serial: MERCHANT.serial,
      privateKey: merchantPem,
      certs: { [PLATFORM.publicKeyId]: platformPublicPem },
      baseURL: `${server.url}/`,
    });
    return wxpay.client.v3;
  };

  it.each(requests)('$name', async ({ method, path, query, body }) => {
    server = await startLoopbackServer((req): Reply => ({ ...echo(req), signer: ourPlatformSigner }), {
      merchants: { [MERCHANT.mchid]: { [MERCHANT.serial]: MERCHANT.publicKey } },
    });
    cleanup.push(() => server.close());
    const response = await plugin().request({ method, url: path.slice(1), params: query, data: body });
    const seen = server.requests[0] as ReceivedRequest;
    expect(seen.verification.ok).toBe(true);
    if (query) expect(seen.url).toContain('?stock_id=100088&creator=');
    if (body) expect(seen.body.toString('utf8')).toBe(JSON.stringify(body));
    else expect(seen.body.length).toBe(0);
    // The plugin throws when our response signature does not verify; reaching here means it did.
    if (path.endsWith('/empty')) expect(response.status).toBe(204);
    else expect(response.data).toMatchObject({ method, note: '已收到 ✓' });
  });

  it('the plugin rejects a response we signed over a different body (the check is real)', async () => {
    server = await startLoopbackServer(() => ({ body: '{"a":2}', headers: ourPlatformSigner.sign('{"a":1}') }), {
      merchants: { [MERCHANT.mchid]: { [MERCHANT.serial]: MERCHANT.publicKey } },
    });
    cleanup.push(() => server.close());
    await expect(plugin().get('v3/marketing/busifavor/stocks/1')).rejects.toThrow(/Verify the response's data/);
  });
});

/** The plugin as the server's judge: parses Authorization itself, verifies with its own Rsa. */
function pluginVerify(request: Omit<ReceivedRequest, 'verification'>): RequestVerificationResult {
  const auth = String(request.headers.authorization ?? '');
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(auth)?.[1] ?? '';
  const message = Formatter.request(request.method, request.url, field('timestamp'), field('nonce_str'), request.signedBody.toString());
  const ok = auth.startsWith('WECHATPAY2-SHA256-RSA2048 ') && Rsa.verify(message, field('signature'), merchantPublicPem);
  return (ok ? { ok: true } : { ok: false, reason: 'sign_mismatch' }) as RequestVerificationResult;
}

/** Response headers produced with the plugin's own formatter and signer. */
function pluginSignedReply(body: string, status = 200): Reply {
  const timestamp = String(Formatter.timestamp());
  const nonce = Formatter.nonce();
  return {
    status,
    body,
    headers: {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': PLATFORM.publicKeyId,
      'Wechatpay-Signature': Rsa.sign(Formatter.response(timestamp, nonce, body), platformPem),
    },
  };
}

describe('we sign, wechatpay-axios-plugin verifies; it signs responses, we verify', () => {
  it.each(requests)('$name', async ({ method, path, query, body }) => {
    const server = await startLoopbackServer(
      (req) => {
        const { status, body: text } = echo(req);
        return pluginSignedReply(text, status);
      },
      { verify: pluginVerify },
    );
    cleanup.push(() => server.close());
    const client = new WechatPayClient({
      mchid: MERCHANT.mchid,
      serialNo: MERCHANT.serial,
      privateKey: MERCHANT.privateKey,
      resolver: new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey),
      environment: 'simulator',
      baseUrl: server.url,
    });
    cleanup.push(() => client.close());
    const response = await client.request<{ method: string; received: string }>({ method, path, ...(query ? { query } : {}), ...(body ? { body } : {}) });
    expect(server.requests[0]?.verification.ok).toBe(true);
    expect(response.verifiedBy).toEqual({ serial: PLATFORM.publicKeyId, mode: 'public_key' });
    if (path.endsWith('/empty')) expect(response.status).toBe(204);
    else expect(response.data?.received).toBe(body ? JSON.stringify(body) : '');
  });

  it('the plugin-backed server refuses a request whose signature we broke (the check is real)', async () => {
    const server = await startLoopbackServer(() => pluginSignedReply('{}'), { verify: pluginVerify });
    cleanup.push(() => server.close());
    const client = new WechatPayClient({
      mchid: MERCHANT.mchid,
      serialNo: MERCHANT.serial,
      privateKey: PLATFORM.privateKey, // not the merchant's key
      resolver: new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey),
      environment: 'simulator',
      baseUrl: server.url,
    });
    cleanup.push(() => client.close());
    await expect(client.request({ method: 'GET', path: '/v3/x' })).rejects.toMatchObject({ kind: 'rejected', httpStatus: 401 });
  });
});
