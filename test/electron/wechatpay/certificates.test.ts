import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomBytes, type KeyObject } from 'node:crypto';
import { decryptCertificateDownload, MemoryCertificateCache, PlatformCertificateManager, type CachedCertificateSet } from '../../../electron/wechatpay/certificates';
import { aeadEncrypt } from '../../../electron/wechatpay/aead';
import { WechatPayClient } from '../../../electron/wechatpay/http';
import { CombinedResolver, PublicKeyResolver, ResponseSigner, type KeyResolver } from '../../../electron/wechatpay/verify';
import { WechatPayError } from '../../../electron/wechatpay/errors';
import { startLoopbackServer, type LoopbackServer, type Reply } from './support/loopback-server';
import { daysFromNow, makeCertificate } from './support/certs';
import { APIV3_KEY, cipherOf, MERCHANT, PLATFORM, privateKeyOf, vectors } from './support/vectors';

describe('certificate download decryption vectors', () => {
  it.each(vectors.platform_certificate_download.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const [entry, ...rest] = decryptCertificateDownload(JSON.stringify(v.response_body), v.apiv3_key, cipherOf(v.cipher));
    expect(rest).toHaveLength(0);
    // The vectors store every PEM with a trailing newline; the decrypted text has none.
    expect(entry?.pem.trimEnd()).toBe(v.decrypted_certificate_pem.trimEnd());
    expect(entry?.serial_no).toBe(v.decrypted_certificate_serial);
    expect(entry?.certificate.serialNumber.toUpperCase()).toBe(v.decrypted_certificate_serial);
  });

  it('refuses an entry whose certificate is not the serial it claims, and a wrong APIv3 key', () => {
    const v = vectors.platform_certificate_download.find((d) => cipherOf(d.cipher) === 'aes-256-gcm');
    if (!v) throw new Error('no AES-256 download vector');
    const relabelled = JSON.parse(JSON.stringify(v.response_body)) as { data: { serial_no: string }[] };
    (relabelled.data[0] as { serial_no: string }).serial_no = '440024045C4A427599D09BB4E3DE0279F2E813FD';
    expect(() => decryptCertificateDownload(relabelled, v.apiv3_key)).toThrow(expect.objectContaining({ kind: 'security', code: 'CERTIFICATE_DOWNLOAD_MALFORMED' }));
    expect(() => decryptCertificateDownload(v.response_body, 'b7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb')).toThrow(
      expect.objectContaining({ kind: 'configuration', code: 'CERTIFICATE_DECRYPT_FAILED' }),
    );
  });
});

interface Platform {
  serial: string;
  pem: string;
  signer: ResponseSigner;
}

function platformCert(serial: string, key: KeyObject, notBefore: Date, notAfter: Date): Platform {
  return { serial, pem: makeCertificate({ privateKey: key, serial, notBefore, notAfter }), signer: new ResponseSigner({ serial, privateKey: key }) };
}

// Several keys, several serials: A current, B its rotation successor, D expired, E not yet
// valid, F about to expire; C is a key WeChat Pay never lists.
const A = platformCert('1A00000000000000000000000000000000000001', PLATFORM.privateKey, daysFromNow(-365), daysFromNow(4 * 365));
const B = platformCert('2B00000000000000000000000000000000000002', privateKeyOf('go_test_rsa'), daysFromNow(-1), daysFromNow(5 * 365));
const C = platformCert('3C00000000000000000000000000000000000003', privateKeyOf('official_doc_test_rsa'), daysFromNow(-1), daysFromNow(365));
const D = platformCert('4D00000000000000000000000000000000000004', privateKeyOf('official_doc_test_rsa'), daysFromNow(-2000), daysFromNow(-1));
const E = platformCert('5E00000000000000000000000000000000000005', privateKeyOf('official_doc_test_rsa'), daysFromNow(10), daysFromNow(400));
const F = platformCert('6F00000000000000000000000000000000000006', privateKeyOf('official_doc_test_rsa'), daysFromNow(-1000), daysFromNow(10));

interface World {
  listed: Platform[];
  downloadSigner: ResponseSigner | false;
  businessSigner: ResponseSigner;
  certificatesReply?: Reply;
}

function encryptedList(listed: Platform[]) {
  return {
    data: listed.map((p) => {
      const nonce = randomBytes(6).toString('hex');
      return {
        serial_no: p.serial,
        effective_time: '2024-01-01T00:00:00+08:00',
        expire_time: '2029-01-01T00:00:00+08:00',
        encrypt_certificate: {
          algorithm: 'AEAD_AES_256_GCM',
          nonce,
          associated_data: 'certificate',
          ciphertext: aeadEncrypt({ key: APIV3_KEY, nonce, associatedData: 'certificate', plaintext: p.pem }),
        },
      };
    }),
  };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await (cleanup.pop() as () => Promise<void>)();
});

async function setup(world: World, options: { cache?: MemoryCertificateCache; combined?: boolean } = {}) {
  const time = { offsetMs: 0 };
  const clock = () => Date.now() + time.offsetMs;
  const server: LoopbackServer = await startLoopbackServer(
    (req) => {
      if (req.url.startsWith('/v3/certificates')) {
        return world.certificatesReply ?? { body: encryptedList(world.listed), signer: world.downloadSigner };
      }
      return { body: { stock_id: '100088' }, signer: world.businessSigner };
    },
    { merchants: { [MERCHANT.mchid]: { [MERCHANT.serial]: MERCHANT.publicKey } } },
  );
  cleanup.push(() => server.close());
  const downloads = () => server.requests.filter((r) => r.url.startsWith('/v3/certificates')).length;
  // The manager downloads through the client that, in turn, verifies with the manager.
  const link: { client?: WechatPayClient } = {};
  const manager = new PlatformCertificateManager({
    fetch: () => (link.client as WechatPayClient).fetchRaw({ method: 'GET', path: '/v3/certificates', query: { algorithm_type: 'RSA' } }),
    apiv3Key: APIV3_KEY,
    clock,
    ...(options.cache ? { cache: options.cache } : {}),
  });
  const resolver: KeyResolver = options.combined ? new CombinedResolver(new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey), manager) : manager;
  const c = new WechatPayClient({
    mchid: MERCHANT.mchid,
    serialNo: MERCHANT.serial,
    privateKey: MERCHANT.privateKey,
    resolver,
    environment: 'simulator',
    baseUrl: server.url,
    clock,
  });
  link.client = c;
  cleanup.push(() => c.close());
  const business = () => c.request<{ stock_id: string }>({ method: 'GET', path: '/v3/marketing/busifavor/stocks/100088' });
  return { server, manager, client: c, time, downloads, business };
}

async function failure(promise: Promise<unknown>): Promise<WechatPayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WechatPayError)) throw new Error(`expected a WechatPayError, got ${String(error)}`);
  return error;
}

describe('platform certificate mode over loopback HTTP', () => {
  it('downloads with a signed request, decrypts, verifies the download with what it delivers, caches, then verifies responses', async () => {
    const cache = new MemoryCertificateCache();
    const w = await setup({ listed: [A], downloadSigner: A.signer, businessSigner: A.signer }, { cache });
    await w.manager.init();
    expect(w.downloads()).toBe(1);
    expect(w.server.requests[0]?.url).toBe('/v3/certificates?algorithm_type=RSA');
    expect(w.server.requests[0]?.verification.ok).toBe(true);
    expect(w.manager.certificates().map((c) => [c.serial, c.validity])).toEqual([[A.serial, 'valid']]);
    const saved = cache.value as CachedCertificateSet;
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    expect(saved.certificates.map((c) => [c.serial_no, c.pem])).toEqual([[A.serial, A.pem]]);
    expect(JSON.stringify(saved)).not.toContain(APIV3_KEY);

    const res = await w.business();
    expect(res.verifiedBy).toEqual({ serial: A.serial, mode: 'certificate' });
    expect(w.server.requests.at(-1)?.headers['wechatpay-serial']).toBe(A.serial);
    expect(w.client.verifierMode).toBe('certificate');
  });

  it('starts from a fresh cache without downloading, and downloads once the cache is older than the interval', async () => {
    const cache = new MemoryCertificateCache();
    const first = await setup({ listed: [A], downloadSigner: A.signer, businessSigner: A.signer }, { cache });
    await first.manager.init();
    expect(first.downloads()).toBe(1);
    const w = await setup({ listed: [A], downloadSigner: A.signer, businessSigner: A.signer }, { cache });
    await w.manager.init();
    expect(w.downloads()).toBe(0);
    expect((await w.business()).verifiedBy?.serial).toBe(A.serial);

    const aged = (ageMs: number) => new MemoryCertificateCache({ ...(cache.value as CachedCertificateSet), fetchedAt: Date.now() - ageMs });
    const almost = await setup({ listed: [A], downloadSigner: A.signer, businessSigner: A.signer }, { cache: aged(12 * 3600_000 - 60_000) });
    await almost.manager.init();
    expect(almost.downloads()).toBe(0);
    const old = await setup({ listed: [A], downloadSigner: A.signer, businessSigner: A.signer }, { cache: aged(12 * 3600_000 + 60_000) });
    await old.manager.init();
    expect(old.downloads()).toBe(1);
    expect(await old.manager.refreshIfDue()).toBeUndefined();
  });

  it('rotation: an unknown serial triggers one rate-limited download', async () => {
    const world: World = { listed: [A], downloadSigner: A.signer, businessSigner: A.signer };
    const w = await setup(world);
    await w.manager.init();
    world.listed = [A, B];
    world.businessSigner = B.signer;
    expect((await w.business()).verifiedBy).toEqual({ serial: B.serial, mode: 'certificate' });
    expect(w.downloads()).toBe(2);
    expect(w.manager.advertisedSerial()).toBe(B.serial);

    world.businessSigner = C.signer; // a serial WeChat Pay does not list
    expect(await failure(w.business())).toMatchObject({ kind: 'security', code: 'SIGNATURE_UNKNOWN_SERIAL' });
    expect(w.downloads()).toBe(2); // within the cooldown of the download just made
    expect(await failure(w.business())).toMatchObject({ kind: 'security' });
    expect(w.downloads()).toBe(2);
    w.time.offsetMs = 61_000;
    expect(await failure(w.business())).toMatchObject({ kind: 'security', code: 'SIGNATURE_UNKNOWN_SERIAL' });
    expect(w.downloads()).toBe(3);
  });

  it('refuses expired and not-yet-valid certificates', async () => {
    const world: World = { listed: [A, D, E], downloadSigner: A.signer, businessSigner: D.signer };
    const w = await setup(world);
    expect(await w.manager.refresh()).toEqual({
      kind: 'updated',
      serials: [A.serial, D.serial, E.serial],
      refused: [
        { serial: D.serial, reason: 'expired' },
        { serial: E.serial, reason: 'not_yet_valid' },
      ],
    });
    expect(await failure(w.business())).toMatchObject({ kind: 'security', code: 'SIGNATURE_EXPIRED_KEY' });
    world.businessSigner = E.signer;
    expect(await failure(w.business())).toMatchObject({ kind: 'security', code: 'SIGNATURE_NOT_YET_VALID_KEY' });
    expect(w.manager.advertisedSerial()).toBe(A.serial);
    expect(w.downloads()).toBe(1); // a known-but-refused serial is not a reason to download again
  });

  it('refuses a download signed by an expired certificate or by a key it does not deliver', async () => {
    for (const world of [
      { listed: [D], downloadSigner: D.signer, businessSigner: A.signer, code: 'SIGNATURE_EXPIRED_KEY' },
      { listed: [A], downloadSigner: C.signer, businessSigner: A.signer, code: 'SIGNATURE_UNKNOWN_SERIAL' },
      { listed: [A], downloadSigner: false as const, businessSigner: A.signer, code: 'SIGNATURE_MISSING_HEADER' },
    ]) {
      const w = await setup(world);
      expect(await failure(w.manager.init())).toMatchObject({ kind: 'security', code: world.code });
      expect(w.manager.certificates()).toEqual([]);
      expect(w.manager.lastError?.code).toBe(world.code);
    }
  });

  it('warns about certificates expiring soon, noting when a successor is already there', async () => {
    const world: World = { listed: [F], downloadSigner: F.signer, businessSigner: F.signer };
    const w = await setup(world);
    await w.manager.init();
    expect(w.manager.expiringWithin(30)).toEqual([{ serial: F.serial, validTo: expect.any(Date), daysLeft: expect.any(Number), replacementAvailable: false }]);
    expect(w.manager.expiringWithin(30)[0]?.daysLeft).toBeGreaterThanOrEqual(9);
    expect(w.manager.expiringWithin(30)[0]?.daysLeft).toBeLessThanOrEqual(10);
    expect(w.manager.expiringWithin(5)).toEqual([]);
    world.listed = [F, B];
    await w.manager.refresh();
    expect(w.manager.expiringWithin(30)).toMatchObject([{ serial: F.serial, replacementAvailable: true }]);
  });

  it('404 RESOURCE_NOT_EXISTS / NOT_FOUND or an empty list mean a public-key-only merchant; other errors are raised', async () => {
    for (const reply of [
      { status: 404, body: { code: 'RESOURCE_NOT_EXISTS', message: '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥' } },
      { status: 404, body: { code: 'NOT_FOUND', message: 'not found' } },
      { status: 200, body: { data: [] }, signer: new ResponseSigner({ serial: PLATFORM.publicKeyId, privateKey: PLATFORM.privateKey }) },
    ]) {
      const w = await setup({ listed: [], downloadSigner: false, businessSigner: A.signer, certificatesReply: reply });
      await w.manager.init();
      expect(w.manager.publicKeyOnly).toBe(true);
      expect(w.manager.advertisedSerial()).toBeUndefined();
    }
    const expired = await setup({
      listed: [],
      downloadSigner: false,
      businessSigner: A.signer,
      certificatesReply: { status: 403, body: { code: 'NOT_ENOUGH', message: '平台证书已过期失效' } },
    });
    expect(await failure(expired.manager.init())).toMatchObject({ kind: 'rejected', httpStatus: 403, code: 'NOT_ENOUGH' });
    expect(expired.manager.publicKeyOnly).toBe(false);
  });

  it('combined mode: public-key signatures and certificate signatures both verify, with the mode reported', async () => {
    const world: World = { listed: [A], downloadSigner: A.signer, businessSigner: new ResponseSigner({ serial: PLATFORM.publicKeyId, privateKey: PLATFORM.privateKey }) };
    const w = await setup(world, { combined: true });
    await w.manager.init();
    expect((await w.business()).verifiedBy).toEqual({ serial: PLATFORM.publicKeyId, mode: 'public_key' });
    expect(w.server.requests.at(-1)?.headers['wechatpay-serial']).toBe(PLATFORM.publicKeyId);
    world.listed = [A, B];
    world.businessSigner = B.signer;
    expect((await w.business()).verifiedBy).toEqual({ serial: B.serial, mode: 'certificate' });
    expect(w.client.verifierMode).toBe('combined');
  });

  it('a damaged cache is ignored and re-downloaded', async () => {
    const cache = new MemoryCertificateCache({
      version: 1,
      fetchedAt: Date.now(),
      publicKeyOnly: false,
      certificates: [{ serial_no: A.serial, pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }],
    });
    const w = await setup({ listed: [A], downloadSigner: A.signer, businessSigner: A.signer }, { cache });
    await w.manager.init();
    expect(w.downloads()).toBe(1);
    expect(cache.value?.certificates[0]?.pem).toBe(A.pem);
  });

  it('start() refreshes on its interval until stop()', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const w = await setup({ listed: [A], downloadSigner: A.signer, businessSigner: A.signer });
      await w.manager.init();
      w.manager.start();
      w.manager.start(); // idempotent
      expect(vi.getTimerCount()).toBe(1);
      vi.advanceTimersByTime(12 * 3600_000 - 1);
      expect(w.downloads()).toBe(1);
      vi.advanceTimersByTime(1);
      await vi.waitFor(() => expect(w.downloads()).toBe(2));
      w.manager.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a refresh interval above 12 hours', () => {
    expect(
      () => new PlatformCertificateManager({ fetch: async () => ({ status: 500, headers: {}, raw: Buffer.alloc(0) }), apiv3Key: APIV3_KEY, refreshIntervalMs: 13 * 3600_000 }),
    ).toThrow(expect.objectContaining({ kind: 'configuration' }));
  });
});
