// The desk's connection test against real simulators over loopback: a passing merchant, and
// each usual failure sorted into its cause — host unreachable, a signature WeChat Pay refuses
// (another merchant's key and certificate), answers that do not verify (a wrong public key).
// Then merchant.provision through the router: a failing test puts the till back as it was.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionTest } from '../../../electron/merchant/connection-test';
import { provisionMerchant, sourceFromCredentials } from '../../../electron/merchant/provision';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { trainingNamespace } from '../../../electron/settings/settings';
import { startSimulator, type RunningSimulator } from '../../../electron/simulator';
import { tempDir, testContext } from '../../helpers/context';

let ctx: ReturnType<typeof testContext>;
let simA: RunningSimulator;
let simB: RunningSimulator;
const deps = () => ({ settings: ctx.settings, secretsFor: (namespace: string) => new KeytarSecretStore(namespace), dataDir: ctx.dir });
/** Where a practice merchant's keys are: a simulator is always a practice merchant (test host). */
const practiceSecrets = () => new KeytarSecretStore(trainingNamespace(ctx.settings.read().profileId));
const statuses = (r: Awaited<ReturnType<typeof connectionTest>>) => r.checks.map((c) => `${c.id}:${c.status}${c.failure ? `:${c.failure}` : ''}`);

beforeAll(async () => {
  ctx = testContext();
  simA = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey', stateDir: tempDir('conn-sim-a-') });
  simB = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey', stateDir: tempDir('conn-sim-b-') });
}, 60_000);
afterAll(async () => {
  await simA?.close();
  await simB?.close();
  await ctx?.close();
});

describe('the connection test', () => {
  it('passes every check for a merchant the host accepts', async () => {
    await provisionMerchant(sourceFromCredentials(simA.credentials, { training: true }), deps());
    const r = await connectionTest(deps());
    expect(statuses(r)).toEqual(['keychain:ok', 'reachable:ok', 'signature:ok', 'verification:ok', 'clock:ok']);
    expect(r.ok).toBe(true);
    expect(Math.abs(r.skewSeconds!)).toBeLessThan(5);
  });

  it('names a signature the host refuses: another merchant’s key and certificate', async () => {
    await provisionMerchant({ ...sourceFromCredentials(simB.credentials, { training: true }), baseUrl: simA.credentials.base_url }, deps());
    const r = await connectionTest(deps());
    expect(statuses(r)).toEqual(['keychain:ok', 'reachable:ok', 'signature:fail:signature_refused', 'verification:skipped', 'clock:skipped']);
  });

  it('names answers that do not verify: the wrong WeChat Pay public key', async () => {
    const source = sourceFromCredentials(simA.credentials, { training: true });
    await provisionMerchant({ ...source, publicKeyPem: readFileSync(simB.credentials.files.wechatpay_public_key!, 'utf8') }, deps());
    const r = await connectionTest(deps());
    expect(statuses(r)).toContain('verification:fail:verification_failed');
    expect(r.ok).toBe(false);
  });

  it('names a host that cannot be reached', async () => {
    const gone = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey' });
    await provisionMerchant(sourceFromCredentials(gone.credentials, { training: true }), deps());
    await gone.close();
    const r = await connectionTest(deps());
    expect(statuses(r)).toEqual(['keychain:ok', 'reachable:fail:unreachable', 'signature:skipped', 'verification:skipped', 'clock:skipped']);
  });
});

describe('merchant.provision on the desk', () => {
  it('a failing test keeps nothing: settings and keychain are as they were', async () => {
    await provisionMerchant(sourceFromCredentials(simA.credentials, { training: true }), deps());
    const before = ctx.settings.read();
    const keyBefore = await practiceSecrets().get('merchant_private_key');
    const call = (method: string, input: unknown = {}) => ctx.router.call(method, input, { transport: 'web' });
    expect((await call('manager.signIn', { managerId: 'TRAIN', pin: '0000' })).ok).toBe(true);
    const b = simB.credentials;
    const file = (p: string) => readFileSync(p, 'utf8');
    const r = await call('merchant.provision', {
      mchid: b.mchid,
      appid: b.appid,
      identity: { kind: 'pem', privateKeyPem: file(b.files.merchant_private_key), certificatePem: file(b.files.merchant_certificate) },
      apiv3Key: file(b.files.apiv3_key),
      verification: 'public_key',
      publicKeyId: b.wechatpay_public_key_id,
      publicKeyPem: file(b.files.wechatpay_public_key!),
      baseUrl: simA.credentials.base_url,
    });
    expect(r.ok).toBe(true);
    const out = (r as { value: { kept: string; test: { ok: boolean } } }).value;
    expect(out).toMatchObject({ kept: 'nothing', test: { ok: false } });
    expect(ctx.settings.read()).toMatchObject({ merchant: before.merchant, training: before.training, mode: before.mode });
    expect(await practiceSecrets().get('merchant_private_key')).toBe(keyBefore);
    // Nothing the reply carries is a secret.
    expect(JSON.stringify(out)).not.toContain(file(b.files.apiv3_key).trim());
    expect(JSON.stringify(out)).not.toContain('PRIVATE KEY');
  });
});
