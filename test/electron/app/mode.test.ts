import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../../electron/app/context';
import { runPosctl } from '../../../electron/cli/posctl';
import type { SeedSummary } from '../../../electron/simulator';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { trainingNamespace } from '../../../electron/settings/settings';
import { PinBook } from '../../../electron/staff/pin-book';
import { testContext, tempDir } from '../../helpers/context';
import { keyVector } from '../wechatpay/support/vectors';
import { redeemOnNewOrder } from '../../helpers/orders';

// A store's live till whose manager switches to training for a new cashier and back. The live
// merchant points at WeChat Pay's real hosts, which this machine cannot reach: the live till
// runs offline, which is all these checks need (nothing here may touch the live merchant).
const merchant = keyVector('java_merchant_rsa');
const platform = keyVector('java_wechatpay_rsa');
let dir: string;
let ctx: AppContext;
const call = (method: string, input: unknown = {}) => ctx.router.call(method, input, { transport: 'ipc' });
const events: { event: string; payload: unknown }[] = [];

beforeAll(async () => {
  dir = tempDir('pos-mode-');
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const args = [
    'provision',
    '--mchid',
    '1234567891',
    '--appid',
    'wx8888888888888888',
    '--key',
    file('k.pem', merchant.private_key_pkcs8_pem),
    '--cert',
    file('c.pem', merchant.certificate_pem!),
    '--apiv3-key-file',
    file('v3.txt', 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb'),
    '--public-key',
    file('pub.pem', platform.public_key_spki_pem!),
    '--public-key-id',
    'PUB_KEY_ID_0112345678901234567890123456789012',
  ];
  const out: string[] = [];
  expect(await runPosctl(args, (l) => out.push(l), { ...process.env, POS_DATA_DIR: dir })).toBe(0);
  ctx = createAppContext({ host: 'electron', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
  ctx.bus.subscribe((event, payload) => events.push({ event, payload }));
  await new PinBook(ctx.secrets).set('M01', '135790');
  expect((await ctx.startTill())?.mode).toBe('live');
}, 60_000);
afterAll(async () => {
  await ctx?.close();
});

describe('a manager switches a live till to training and back', () => {
  it('the practice manager opens nothing on a live till; a live shift must close before training', async () => {
    expect(await call('manager.status')).toMatchObject({ ok: true, value: { mode: 'live', liveProvisioned: true, training: null } });
    expect(await call('manager.signIn', { managerId: 'TRAIN', pin: '0000' })).toMatchObject({ ok: false, error: { code: 'PIN_REJECTED' } });
    expect(await call('app.setMode', { mode: 'training' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('manager.signIn', { managerId: 'M01', pin: '135790' })).toMatchObject({ ok: true });
    expect(await call('shift.open', { cashierId: 'C001' })).toMatchObject({ ok: true });
    expect(await call('app.setMode', { mode: 'training' })).toMatchObject({ ok: false, error: { code: 'STATE_CONFLICT', message: expect.stringMatching(/shift/) } });
    expect(await call('shift.close')).toMatchObject({ ok: true, value: { closed: true } });
  });

  it('training runs apart: own data dir, keychain namespace and journal; the live merchant is untouched', async () => {
    const liveKey = await ctx.secrets.get('merchant_private_key');
    const liveMerchant = ctx.settings.read().merchant;
    expect(await call('app.setMode', { mode: 'training' })).toMatchObject({ ok: true, value: { mode: 'training' } });
    expect(events.filter((e) => e.event === 'app.info').at(-1)).toMatchObject({ payload: { mode: 'training' } });
    const till = ctx.till!;
    expect(till.mode).toBe('training');
    expect(till.simulator).not.toBeNull();
    expect(ctx.settings.read().merchant).toEqual(liveMerchant);
    expect(await ctx.secrets.get('merchant_private_key')).toBe(liveKey);
    expect(await call('app.info')).toMatchObject({ ok: true, value: { mode: 'training' } });
    // The switch ended the manager's session: the next manager step asks for the PIN again.
    expect(await call('shift.report')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const seed = till.simulator!.credentials.seed as SeedSummary;
    const c = seed.coupons.SENDED.find((x) => x.stock_type === 'NORMAL')!;
    expect(await call('shift.open', { cashierId: 'T001' })).toMatchObject({ ok: true, value: { training: true } });
    expect(await redeemOnNewOrder(call, { code: c.coupon_code, stockId: c.stock_id, amountFen: 9000 })).toMatchObject({ ok: true, value: { status: 'succeeded' } });
    expect(till.pos.journal.list({}).map((o) => o.couponCode)).toContain(c.coupon_code);

    expect(await call('manager.signIn', { managerId: 'M01', pin: '135790' })).toMatchObject({ ok: true });
    // A second switch while one is under way is refused, not interleaved: the first ended the session.
    const [toLive, back] = await Promise.all([call('app.setMode', { mode: 'live' }), call('app.setMode', { mode: 'training' })]);
    expect(toLive).toMatchObject({ ok: true, value: { mode: 'live' } });
    expect(back).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ctx.till!.mode).toBe('live');
    expect(ctx.till!.pos.journal.list({}).map((o) => o.couponCode)).not.toContain(c.coupon_code);
    expect(await call('shift.current')).toEqual({ ok: true, value: null });
  }, 60_000);

  it('live operations still waiting for WeChat Pay keep the till live', async () => {
    const pos = ctx.till!.pos;
    pos.drainer.enqueue({ request: { kind: 'deactivate', coupon_code: 'LIVE-1', stock_id: '1212000000000001' } });
    expect(pos.journal.countByStatus().pending).toBe(1);
    expect(await call('manager.signIn', { managerId: 'M01', pin: '135790' })).toMatchObject({ ok: true });
    expect(await call('app.setMode', { mode: 'training' })).toMatchObject({ ok: false, error: { code: 'STATE_CONFLICT', message: expect.stringMatching(/waiting/) } });
    expect(ctx.till!.mode).toBe('live');
  });
});

describe('a till that never had a live merchant', () => {
  it('cannot be switched to live by a manager: IT provisions it', async () => {
    const t = testContext('web');
    try {
      await t.startTill();
      expect(await t.router.call('manager.signIn', { managerId: 'TRAIN', pin: '0000' }, { transport: 'web' })).toMatchObject({ ok: true });
      expect(await t.router.call('manager.status', {}, { transport: 'web' })).toMatchObject({ ok: true, value: { liveProvisioned: false, mode: 'training' } });
      expect(await t.router.call('app.setMode', { mode: 'live' }, { transport: 'web' })).toMatchObject({
        ok: false,
        error: { code: 'CONFIGURATION', message: expect.stringMatching(/posctl provision/) },
      });
      expect(t.till!.mode).toBe('training');
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('settings.json cannot turn a live merchant into a practice one', () => {
  /** A live till provisioned by IT, then its settings.json edited by hand before the next start. */
  async function editedLiveTill(edit: (merchant: Record<string, unknown>) => void) {
    const d = tempDir('pos-mode-edit-');
    const file = (name: string, text: string) => (writeFileSync(join(d, name), text), join(d, name));
    const args = [
      'provision',
      '--mchid',
      '1234567891',
      '--appid',
      'wx8888888888888888',
      '--key',
      file('k.pem', merchant.private_key_pkcs8_pem),
      '--cert',
      file('c.pem', merchant.certificate_pem!),
      '--apiv3-key-file',
      file('v3.txt', 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb'),
      '--public-key',
      file('pub.pem', platform.public_key_spki_pem!),
      '--public-key-id',
      'PUB_KEY_ID_0112345678901234567890123456789012',
    ];
    expect(await runPosctl(args, () => undefined, { ...process.env, POS_DATA_DIR: d })).toBe(0);
    const settingsFile = join(d, 'settings.json');
    const json = JSON.parse(readFileSync(settingsFile, 'utf8')) as { profileId: string; merchant: Record<string, unknown> };
    edit(json.merchant);
    writeFileSync(settingsFile, JSON.stringify(json));
    const live = new KeytarSecretStore(json.profileId);
    return { dir: d, live, liveKey: (await live.get('merchant_private_key'))!, liveApiV3: (await live.get('apiv3_key'))! };
  }

  it('a training flag written into the live merchant neither re-provisions the simulator over its keys nor switches off the host allow-list', async () => {
    const t = await editedLiveTill((m) => {
      m.training = true;
      m.baseUrl = 'http://127.0.0.1:9';
    });
    const app = createAppContext({ host: 'web', env: { POS_DATA_DIR: t.dir }, healthIntervalMs: 3_600_000 });
    try {
      const till = (await app.startTill())!;
      // The flagged record is not a live merchant: the till practises, on the simulator, in the practice namespace.
      expect(till.mode).toBe('training');
      expect(till.session.training).toBe(true);
      expect(app.settings.read().merchant).toBeNull();
      expect(await t.live.get('merchant_private_key')).toBe(t.liveKey);
      expect(await t.live.get('apiv3_key')).toBe(t.liveApiV3);
      const practice = new KeytarSecretStore(trainingNamespace(app.settings.read().profileId));
      expect(await practice.get('merchant_private_key')).not.toBe(t.liveKey);
    } finally {
      await app.close();
      await t.live.delete('merchant_private_key');
      await t.live.delete('apiv3_key');
    }
  }, 60_000);

  it("a base URL written into the live merchant is refused: the live client talks to WeChat Pay's own hosts only", async () => {
    const t = await editedLiveTill((m) => {
      m.baseUrl = 'http://127.0.0.1:9';
      m.environment = 'training';
    });
    const app = createAppContext({ host: 'web', env: { POS_DATA_DIR: t.dir }, healthIntervalMs: 3_600_000 });
    try {
      expect(await app.startTill()).toBeNull();
      const health = (await app.router.call('app.health', {}, { transport: 'web' })) as { value: { checks: { id: string; status: string; detail: string }[] } };
      expect(health.value.checks.find((c) => c.id === 'wechatpay')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/official WeChat Pay hosts/) });
      expect(await t.live.get('merchant_private_key')).toBe(t.liveKey);
    } finally {
      await app.close();
      await t.live.delete('merchant_private_key');
      await t.live.delete('apiv3_key');
    }
  }, 60_000);
});
