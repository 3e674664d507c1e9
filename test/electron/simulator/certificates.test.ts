// The three key modes (docs/wechatpay/apiv3.md#verification-keys): public key only (/v3/certificates → 404), platform
// certificates (downloaded, AEAD-sealed, rotated on demand so clients can be tested across a
// rotation) and migrating (the request's Wechatpay-Serial picks the key). Judged by the
// protocol core's own certificate manager and verifier.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PlatformCertificateManager, type CertificateDownload } from '../../../electron/wechatpay/index';
import type { RunningSimulator } from '../../../electron/simulator/index';
import type { SeedSummary } from '../../../electron/simulator/state/index';
import { adminFetch, BASE, clientFor, get, resolverFor, startTestSim, verify } from './support/sim';

const stockPath = (sim: RunningSimulator) => `${BASE}/stocks/${(sim.credentials.seed as SeedSummary).stocks[0]?.stock_id}`;

function managerFor(sim: RunningSimulator): PlatformCertificateManager {
  // The download itself goes through a client that cannot verify yet: the manager checks it.
  const downloader = clientFor(sim, resolverFor(sim, 'pubkey'));
  return new PlatformCertificateManager({
    apiv3Key: readFileSync(sim.credentials.files.apiv3_key, 'utf8'),
    fetch: async (): Promise<CertificateDownload> => {
      const raw = await downloader.fetchRaw({ method: 'GET', path: '/v3/certificates', query: { algorithm_type: 'RSA' } });
      return { status: raw.status, headers: raw.headers, raw: raw.raw, ...(raw.requestId ? { requestId: raw.requestId } : {}) };
    },
  });
}

describe('public-key mode', () => {
  it('answers /v3/certificates with a signed 404 RESOURCE_NOT_EXISTS, which clients read as "public key only"', async () => {
    const sim = await startTestSim({ mode: 'pubkey' });
    const answer = await get(sim, '/v3/certificates');
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ code: 'RESOURCE_NOT_EXISTS', message: expect.stringContaining('微信支付公钥') });
    expect(verify(sim, answer).ok).toBe(true);
    const manager = managerFor(sim);
    expect(await manager.refresh()).toEqual({ kind: 'public_key_only' });
  });

  it('has no certificate to rotate', async () => {
    const sim = await startTestSim({ mode: 'pubkey' });
    const answer = await adminFetch(sim, 'certificates/rotate', { method: 'POST' });
    expect(answer.status).toBe(409);
  });
});

describe('certificate mode', () => {
  it('serves the platform certificate sealed with the APIv3 key, signed by itself', async () => {
    const sim = await startTestSim({ mode: 'cert' });
    const manager = managerFor(sim);
    await manager.init();
    expect(manager.certificates().map((c) => [c.serial, c.validity])).toEqual([[sim.credentials.platform_serial, 'valid']]);
    const client = clientFor(sim, manager);
    const response = await client.request({ method: 'GET', path: stockPath(sim) });
    expect(response.verifiedBy).toEqual({ serial: sim.credentials.platform_serial, mode: 'certificate' });
    const raw = await get(sim, '/v3/certificates');
    const entry = (raw.json?.data as { encrypt_certificate: Record<string, string> }[])[0];
    expect(entry?.encrypt_certificate).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', associated_data: 'certificate' });
  });

  it('refuses an unknown algorithm_type', async () => {
    const sim = await startTestSim({ mode: 'cert' });
    const answer = await get(sim, '/v3/certificates?algorithm_type=DSA');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'PARAM_ERROR', detail: { field: 'algorithm_type' } });
  });

  it('rotates on demand: the next answer is signed by a serial the client must download', async () => {
    const sim = await startTestSim({ mode: 'cert' });
    const manager = managerFor(sim);
    await manager.init();
    const client = clientFor(sim, manager);
    const old = sim.credentials.platform_serial;
    const oldOnly = resolverFor(sim, 'cert');

    const rotated = await adminFetch(sim, 'certificates/rotate', { method: 'POST' });
    const { serial, previous } = (await rotated.json()) as { serial: string; previous: string[] };
    expect(previous).toEqual([old]);
    expect(serial).not.toBe(old);

    // A client holding only the old certificate cannot verify the new signature on its own…
    const before = await get(sim, stockPath(sim));
    expect(before.headers['wechatpay-serial']).toBe(serial);
    expect(verify(sim, before, oldOnly)).toMatchObject({ ok: false, reason: 'unknown_serial' });
    // …the certificate manager downloads the new set when it meets the unknown serial.
    const response = await client.request({ method: 'GET', path: stockPath(sim) });
    expect(response.verifiedBy).toEqual({ serial, mode: 'certificate' });
    expect(
      manager
        .certificates()
        .map((c) => c.serial)
        .sort(),
    ).toEqual([old, serial].sort());
    expect(sim.admin.credentials().platform_serial).toBe(serial);
    expect(readFileSync(sim.credentials.files.platform_certificate, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(verify(sim, await get(sim, stockPath(sim)), resolverFor(sim, 'cert'))).toMatchObject({ ok: true, serial });
  });

  it('can retire the old certificate in a rotation', async () => {
    const sim = await startTestSim({ mode: 'cert' });
    const { serial } = await sim.admin.rotateCertificate({ retireOld: true });
    const manager = managerFor(sim);
    await manager.init();
    expect(manager.certificates().map((c) => c.serial)).toEqual([serial]);
  });
});

describe('migrating mode', () => {
  it('signs with the key the request advertises in Wechatpay-Serial', async () => {
    const sim = await startTestSim({ mode: 'migrating' });
    const { wechatpay_public_key_id: keyId, platform_serial: certSerial } = sim.credentials;
    const byKey = await get(sim, stockPath(sim), { headers: { 'wechatpay-serial': keyId } });
    expect(verify(sim, byKey, resolverFor(sim, 'pubkey'))).toMatchObject({ ok: true, serial: keyId });
    const byCert = await get(sim, stockPath(sim), { headers: { 'wechatpay-serial': certSerial } });
    expect(verify(sim, byCert, resolverFor(sim, 'cert'))).toMatchObject({ ok: true, serial: certSerial });
    expect((await get(sim, '/v3/certificates')).status).toBe(200);
  });

  it('uses either key when the request advertises none', async () => {
    const sim = await startTestSim({ mode: 'migrating', seed: 3 });
    const serials = new Set<string>();
    for (let i = 0; i < 16; i++) serials.add(String((await get(sim, stockPath(sim))).headers['wechatpay-serial']));
    expect([...serials].sort()).toEqual([sim.credentials.platform_serial, sim.credentials.wechatpay_public_key_id].sort());
  });
});
