import { afterEach, describe, expect, it } from 'vitest';
import { WechatPayClient, type WechatPayClientOptions } from '../../../electron/wechatpay/http';
import { PublicKeyResolver, ResponseSigner } from '../../../electron/wechatpay/verify';
import { WechatPayError } from '../../../electron/wechatpay/errors';
import { closedPort, startLoopbackServer, type Handler, type LoopbackServer } from './support/loopback-server';
import { MERCHANT, PLATFORM, privateKeyOf } from './support/vectors';

const merchants = { [MERCHANT.mchid]: { [MERCHANT.serial]: MERCHANT.publicKey } };
const platform = new ResponseSigner({ serial: PLATFORM.publicKeyId, privateKey: PLATFORM.privateKey });
const impostor = new ResponseSigner({ serial: PLATFORM.publicKeyId, privateKey: privateKeyOf('go_test_rsa') });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await (cleanup.pop() as () => Promise<void>)();
});

async function server(handler: Handler): Promise<LoopbackServer> {
  const s = await startLoopbackServer(handler, { merchants });
  cleanup.push(() => s.close());
  return s;
}

function client(options: Partial<WechatPayClientOptions> & { baseUrl: string }): WechatPayClient {
  const c = new WechatPayClient({
    mchid: MERCHANT.mchid,
    serialNo: MERCHANT.serial,
    privateKey: MERCHANT.privateKey,
    resolver: new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey),
    environment: 'simulator',
    ...options,
  });
  cleanup.push(() => c.close());
  return c;
}

async function failure(promise: Promise<unknown>): Promise<WechatPayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WechatPayError)) throw new Error(`expected a WechatPayError, got ${String(error)}`);
  return error;
}

describe('requests as they go on the wire', () => {
  it('GET with a query: signs exactly the encoded target it sends, and sends the required headers', async () => {
    const s = await server(() => ({ body: { stock_id: '100088', name: '满减券' }, signer: platform, headers: { 'request-id': 'RID-1' } }));
    const c = client({ baseUrl: s.url });
    const res = await c.request<{ name: string }>({
      method: 'GET',
      path: '/v3/marketing/busifavor/users/o4Gg%2Fau/coupons',
      query: { stock_id: '100088', creator: '商户 A&B', skipped: undefined, limit: '10' },
    });
    const seen = s.requests[0];
    expect(seen?.verification.ok).toBe(true);
    expect(seen?.url).toBe('/v3/marketing/busifavor/users/o4Gg%2Fau/coupons?stock_id=100088&creator=%E5%95%86%E6%88%B7%20A%26B&limit=10');
    expect(seen?.headers.accept).toBe('application/json');
    expect(seen?.headers['user-agent']).toMatch(/^BusifavorTill\/\S+ \(.+\) Node\/\S+ WechatPayClient\/\S+$/);
    expect(seen?.headers['wechatpay-serial']).toBe(PLATFORM.publicKeyId);
    expect(seen?.headers['content-type']).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.data?.name).toBe('满减券');
    expect(res.requestId).toBe('RID-1');
    expect(res.verifiedBy).toEqual({ serial: PLATFORM.publicKeyId, mode: 'public_key' });
    expect(c.verifierMode).toBe('public_key');
  });

  it('POST: the JSON body is serialized once and those bytes are signed and sent; strings go verbatim', async () => {
    const s = await server((req) => ({ body: req.body.toString('utf8'), signer: platform }));
    const c = client({ baseUrl: s.url });
    const body = { coupon_code: 'sxxe34343434', stock_id: '100088', appid: 'wx1234567889999', use_request_no: '1002600620019090123143254435', note: '收银台 №3' };
    const res = await c.request<typeof body>({ method: 'POST', path: '/v3/marketing/busifavor/coupons/use', body });
    expect(s.requests[0]?.verification.ok).toBe(true);
    expect(s.requests[0]?.body.equals(Buffer.from(JSON.stringify(body), 'utf8'))).toBe(true);
    expect(s.requests[0]?.headers['content-type']).toBe('application/json');
    expect(res.data).toEqual(body);
    const pretty = '{\n  "stock_id": "100088"\n}\n';
    await c.request({ method: 'PATCH', path: '/v3/marketing/busifavor/stocks/100088/budget', body: pretty });
    expect(s.requests[1]?.body.toString('utf8')).toBe(pretty);
    expect(s.requests[1]?.verification.ok).toBe(true);
  });

  it('uploads an image as multipart with the meta JSON as the signed body', async () => {
    const s = await server(() => ({ body: { media_url: 'https://qpic.cn/xxx' }, signer: platform }));
    const c = client({ baseUrl: s.url });
    const content = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)]);
    const res = await c.request<{ media_url: string }>({ method: 'POST', path: '/v3/marketing/favor/media/image-upload', upload: { filename: '门店.png', content } });
    expect(s.requests[0]?.verification.ok).toBe(true);
    expect(s.requests[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(s.requests[0]?.signedBody).toMatch(/^\{"filename":"门店.png","sha256":"[0-9a-f]{64}"\}$/);
    expect(res.data?.media_url).toBe('https://qpic.cn/xxx');
  });

  it('a signed 204 with an empty body succeeds without data', async () => {
    const s = await server(() => ({ status: 204, signer: platform }));
    const res = await client({ baseUrl: s.url }).request({ method: 'POST', path: '/v3/marketing/busifavor/callbacks', body: { mchid: MERCHANT.mchid } });
    expect(res.status).toBe(204);
    expect(res.data).toBeUndefined();
    expect(res.raw.length).toBe(0);
  });

  it('caller headers cannot replace the signature or protocol headers', async () => {
    const s = await server(() => ({ body: {}, signer: platform }));
    await client({ baseUrl: s.url }).request({
      method: 'GET',
      path: '/v3/certificates',
      headers: { Authorization: 'forged', Accept: '*/*', 'Idempotency-Key': 'k-1' },
    });
    expect(s.requests[0]?.verification.ok).toBe(true);
    expect(s.requests[0]?.headers.accept).toBe('application/json');
    expect(s.requests[0]?.headers['idempotency-key']).toBe('k-1');
  });
});

describe('response verification', () => {
  const cases: [string, Handler, string][] = [
    ['unsigned 200', () => ({ body: { ok: true } }), 'SIGNATURE_MISSING_HEADER'],
    ['200 signed by another key', () => ({ body: { ok: true }, signer: impostor }), 'SIGNATURE_BAD_SIGNATURE'],
    ['200 with a SIGNTEST probe', () => ({ body: { ok: true }, signer: platform, signOptions: { signtestProbe: true } }), 'SIGNATURE_SIGNTEST_PROBE'],
    ['200 signed 301 s ago', () => ({ body: { ok: true }, signer: platform, signOptions: { timestamp: Math.floor(Date.now() / 1000) - 301 } }), 'SIGNATURE_STALE_TIMESTAMP'],
    [
      '200 with an unknown serial',
      () => ({ body: { ok: true }, signer: new ResponseSigner({ serial: '5157F09EFDC096DE15EBE81A47057A72', privateKey: PLATFORM.privateKey }) }),
      'SIGNATURE_UNKNOWN_SERIAL',
    ],
    ['signed 400 whose signature fails', () => ({ status: 400, body: { code: 'PARAM_ERROR', message: 'x' }, signer: impostor }), 'SIGNATURE_BAD_SIGNATURE'],
    [
      '200 whose nonce header was changed after signing',
      () => ({
        body: '{"ok":true}',
        signer: platform,
        tamper: (h) => {
          h['Wechatpay-Nonce'] = 'changed';
        },
      }),
      'SIGNATURE_BAD_SIGNATURE',
    ],
    ['200 whose body was changed after signing', () => ({ body: '{"ok":false}', headers: platform.sign('{"ok":true}') }), 'SIGNATURE_BAD_SIGNATURE'],
  ];
  it.each(cases)('%s → security error', async (_name, handler, code) => {
    const s = await server(handler);
    const error = await failure(client({ baseUrl: s.url }).request({ method: 'GET', path: '/v3/marketing/busifavor/stocks/1' }));
    expect(error).toMatchObject({ kind: 'security', code });
    expect(error.requestId).toBe('req-1');
  });
});

describe('status handling', () => {
  const cases: [number, boolean, string][] = [
    [400, false, 'rejected'],
    [403, false, 'rejected'],
    [404, false, 'rejected'],
    [401, false, 'rejected'],
    [429, false, 'unknown_outcome'],
    [500, false, 'unknown_outcome'],
    [503, true, 'unknown_outcome'],
    [202, true, 'unknown_outcome'],
  ];
  it.each(cases)('HTTP %i (signed: %s) → %s, with code, message, detail and Request-ID', async (status, signed, kind) => {
    const body = { code: 'SOME_CODE', message: '错误说明', detail: { field: 'stock_id', location: 'path' } };
    const s = await server(() => ({ status, body, ...(signed ? { signer: platform } : {}) }));
    const error = await failure(client({ baseUrl: s.url }).request({ method: 'POST', path: '/v3/marketing/busifavor/coupons/use', body: {} }));
    expect(error).toMatchObject({ kind, httpStatus: status, code: 'SOME_CODE', message: '错误说明', requestId: 'req-1' });
    expect(error.detail).toEqual(body.detail);
  });

  it('our own bad signature comes back as 401 SIGN_ERROR, rejected', async () => {
    const s = await server(() => ({ body: {}, signer: platform }));
    const wrongKey = client({ baseUrl: s.url, privateKey: privateKeyOf('go_test_rsa') });
    const error = await failure(wrongKey.request({ method: 'GET', path: '/v3/certificates' }));
    expect(error).toMatchObject({ kind: 'rejected', httpStatus: 401, code: 'SIGN_ERROR' });
  });

  it('a timeout is an unknown outcome', async () => {
    const s = await server(() => new Promise(() => undefined));
    const error = await failure(client({ baseUrl: s.url, timeoutMs: 200 }).request({ method: 'POST', path: '/v3/marketing/busifavor/coupons/use', body: {} }));
    expect(error).toMatchObject({ kind: 'unknown_outcome', code: 'TIMEOUT' });
    expect(s.requests.length).toBe(1);
  });
});

describe('cancellation', () => {
  it('a caller abort while waiting is an unknown outcome, not a failover', async () => {
    const s = await server(() => {
      setImmediate(() => controller.abort()); // the request has arrived: cancel while waiting
      return new Promise(() => undefined);
    });
    const backup = await server(() => ({ body: {}, signer: platform }));
    const controller = new AbortController();
    const c = client({ baseUrl: s.url, backupBaseUrl: backup.url });
    const error = await failure(c.request({ method: 'POST', path: '/v3/marketing/busifavor/coupons/use', body: {}, signal: controller.signal }));
    expect(error).toMatchObject({ kind: 'unknown_outcome', code: 'ABORTED' });
    expect(backup.requests.length).toBe(0);
  });
});

describe('failover to the backup domain', () => {
  it('goes to the backup when the primary refuses the connection, re-sending the same signed request', async () => {
    const backup = await server(() => ({ body: { served_by: 'backup' }, signer: platform }));
    const c = client({ baseUrl: `http://127.0.0.1:${await closedPort()}`, backupBaseUrl: backup.url });
    const res = await c.request<{ served_by: string }>({ method: 'POST', path: '/v3/marketing/busifavor/coupons/use', body: { n: 1 } });
    expect(res.data?.served_by).toBe('backup');
    expect(backup.requests.length).toBe(1);
    expect(backup.requests[0]?.verification.ok).toBe(true);
  });

  it('goes to the backup when the primary resets the connection', async () => {
    const primary = await server(() => ({ destroy: true }));
    const backup = await server(() => ({ body: { served_by: 'backup' }, signer: platform }));
    const res = await client({ baseUrl: primary.url, backupBaseUrl: backup.url }).request<{ served_by: string }>({ method: 'GET', path: '/v3/x' });
    expect(res.data?.served_by).toBe('backup');
    expect(primary.requests.length).toBe(1);
  });

  it('never fails over on an HTTP status', async () => {
    const primary = await server(() => ({ status: 500, body: { code: 'SYSTEM_ERROR', message: '系统异常' } }));
    const backup = await server(() => ({ body: {}, signer: platform }));
    const error = await failure(client({ baseUrl: primary.url, backupBaseUrl: backup.url }).request({ method: 'GET', path: '/v3/x' }));
    expect(error).toMatchObject({ kind: 'unknown_outcome', httpStatus: 500, code: 'SYSTEM_ERROR' });
    expect(backup.requests.length).toBe(0);
  });

  it('both unreachable → unknown outcome, network', async () => {
    const c = client({ baseUrl: `http://127.0.0.1:${await closedPort()}`, backupBaseUrl: `http://localhost:${await closedPort()}` });
    expect(await failure(c.request({ method: 'GET', path: '/v3/x' }))).toMatchObject({ kind: 'unknown_outcome', code: 'NETWORK' });
  });
});

describe('configuration', () => {
  const base = {
    mchid: MERCHANT.mchid,
    serialNo: MERCHANT.serial,
    privateKey: MERCHANT.privateKey,
    resolver: new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey),
  };
  const refused = (options: Partial<WechatPayClientOptions>) => {
    try {
      new WechatPayClient({ ...base, ...options });
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it('refuses non-loopback overrides, and any override outside training/simulator mode', () => {
    for (const baseUrl of ['http://example.com', 'https://api.mch.weixin.qq.com.evil.cn', 'http://10.0.0.5:8080', 'http://128.0.0.1', 'file:///etc/passwd']) {
      expect([baseUrl, refused({ environment: 'simulator', baseUrl })]).toEqual([baseUrl, expect.objectContaining({ kind: 'configuration' })]);
    }
    expect(refused({ baseUrl: 'http://127.0.0.1:9000' })).toMatchObject({ kind: 'configuration', code: 'BASE_URL_NOT_ALLOWED' });
    expect(refused({ environment: 'production', backupBaseUrl: 'http://127.0.0.1:9000' })).toMatchObject({ kind: 'configuration' });
    expect(refused({ environment: 'training', baseUrl: 'http://127.0.0.1:9000/v3' })).toMatchObject({ code: 'BASE_URL' });
    expect(refused({ mchid: '' })).toMatchObject({ kind: 'configuration', code: 'MISSING_SETTINGS' });
  });

  it('accepts the official hosts in production and loopback hosts in training/simulator mode', async () => {
    for (const options of [
      {},
      { baseUrl: 'https://api2.mch.weixin.qq.com' },
      { environment: 'training' as const, baseUrl: 'http://127.3.2.1:8080' },
      { environment: 'simulator' as const, baseUrl: 'http://[::1]:8080' },
      { environment: 'simulator' as const, baseUrl: 'https://localhost:8443' },
    ]) {
      const c = new WechatPayClient({ ...base, ...options });
      await c.close();
      expect(c.verifierMode).toBe('public_key');
    }
  });

  it('refuses request shapes it could not sign faithfully', async () => {
    const c = client({ baseUrl: 'http://127.0.0.1:9' });
    expect(await failure(c.request({ method: 'GET', path: '/v3/x?a=1' }))).toMatchObject({ kind: 'configuration' });
    expect(await failure(c.request({ method: 'GET', path: 'v3/x' }))).toMatchObject({ kind: 'configuration' });
    expect(await failure(c.request({ method: 'GET', path: '/v3/券' }))).toMatchObject({ kind: 'configuration' });
    expect(await failure(c.request({ method: 'GET', path: '/v3/x', body: {} }))).toMatchObject({ kind: 'configuration' });
  });
});
