import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext, type AppContext } from '../../../electron/app/context';
import { runPosctl } from '../../../electron/cli/posctl';
import type { SeedSummary } from '../../../electron/simulator';
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
  const args = ['provision', '--mchid', '1234567891', '--appid', 'wx8888888888888888', '--key', file('k.pem', merchant.private_key_pkcs8_pem), '--cert', file('c.pem', merchant.certificate_pem!),
    '--apiv3-key-file', file('v3.txt', 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb'), '--public-key', file('pub.pem', platform.public_key_spki_pem!), '--public-key-id', 'PUB_KEY_ID_0112345678901234567890123456789012'];
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
      expect(await t.router.call('app.setMode', { mode: 'live' }, { transport: 'web' })).toMatchObject({ ok: false, error: { code: 'CONFIGURATION', message: expect.stringMatching(/posctl provision/) } });
      expect(t.till!.mode).toBe('training');
    } finally {
      await t.close();
    }
  }, 60_000);
});
