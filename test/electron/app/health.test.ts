import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testContext } from '../../helpers/context';

const check = async (ctx: ReturnType<typeof testContext>, id: string) => {
  const r = await ctx.router.call('app.health', {}, { transport: 'web' });
  if (!r.ok) throw new Error('health failed');
  return (r.value as { checks: { id: string; status: string; reason: string }[] }).checks.find((c) => c.id === id)!;
};

describe('app.health reports what is really true', () => {
  it('fresh install: data dir ok, keychain ok, training mode, no preset', async () => {
    const ctx = testContext();
    expect(await check(ctx, 'data_dir')).toMatchObject({ status: 'ok' });
    expect(await check(ctx, 'keychain')).toMatchObject({ status: 'ok', reason: 'keychain.reachable' });
    expect(await check(ctx, 'merchant')).toMatchObject({ status: 'warn', reason: 'merchant.training' });
    // Nothing provisioned: training needs no store preset, so a new cashier sees no warning for it.
    expect(await check(ctx, 'store_preset')).toMatchObject({ status: 'ok', reason: 'store_preset.none_training' });
    expect(await check(ctx, 'wechatpay')).toMatchObject({ status: 'warn', reason: 'wechatpay.starting' });
    ctx.close();
  });

  it('WeChat Pay: online once the till runs; answers that fail verification are a fault for IT, with the count', async () => {
    const ctx = testContext();
    try {
      const till = (await ctx.startTill())!;
      expect(await check(ctx, 'wechatpay')).toMatchObject({ status: 'ok', reason: 'wechatpay.online' });
      // Every answer to a use now carries a signature that does not verify.
      till.simulator!.admin.setFaults('coupons.use:after:bad_signature');
      const seed = till.simulator!.credentials.seed as { coupons: { SENDED: { coupon_code: string; stock_id: string }[] } };
      const c = seed.coupons.SENDED[0]!;
      const op = till.pos.drainer.enqueue({
        request: { kind: 'use', coupon_code: c.coupon_code, stock_id: c.stock_id, appid: till.session.merchant.appid, use_time: new Date().toISOString().replace('Z', '+00:00') },
      });
      await expect.poll(() => till.pos.journal.get(op.opId)?.lastOutcome, { timeout: 15_000 }).toBe('security');
      const r = await check(ctx, 'wechatpay');
      expect(r).toMatchObject({ status: 'fail', reason: 'wechatpay.security' });
      expect((r as unknown as { detail: string }).detail).toMatch(/^1 operation/);
      expect(till.pos.journal.get(op.opId)?.status).toBe('pending');
    } finally {
      await ctx.close();
    }
  }, 60_000);

  it('a till whose drain lock another process took says so: a log line, and health until it has it back', async () => {
    const ctx = testContext();
    try {
      const till = (await ctx.startTill())!;
      const db = till.pos.journal.db;
      // Another process took the lock (as after this one stalled past the lock's life).
      db.prepare('UPDATE drain_lock SET holder = ?, expires_at = ? WHERE id = 1').run('another-process', Date.now() + 120_000);
      await expect.poll(() => check(ctx, 'wechatpay'), { timeout: 20_000, interval: 500 }).toMatchObject({ status: 'warn', reason: 'wechatpay.drain_lock_lost' });
      expect(till.pos.drainer.status()).toMatchObject({ lockHeld: false, lockHolderPid: process.pid });
      expect(readFileSync(join(ctx.dir, 'logs', 'app.log'), 'utf8')).toMatch(/"event":"queue\.drain_lock_lost"/);
      // The other process let go: the till takes the lock back and sends again.
      db.prepare('DELETE FROM drain_lock WHERE holder = ?').run('another-process');
      await expect.poll(() => check(ctx, 'wechatpay'), { timeout: 20_000, interval: 500 }).toMatchObject({ status: 'ok', reason: 'wechatpay.online' });
      expect(readFileSync(join(ctx.dir, 'logs', 'app.log'), 'utf8')).toMatch(/"event":"queue\.drain_lock_regained"/);
    } finally {
      await ctx.close();
    }
  }, 60_000);

  it('a data dir that cannot be written is a failure', async () => {
    const ctx = testContext();
    chmodSync(ctx.dir, 0o500);
    try {
      // root ignores mode bits, so also fill the probe's name with a directory it cannot replace.
      const r = await check(ctx, 'data_dir');
      if (process.getuid?.() !== 0) expect(r).toMatchObject({ status: 'fail', reason: 'data_dir.not_writable' });
    } finally {
      chmodSync(ctx.dir, 0o700);
    }
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(ctx.dir, `.write-probe-${process.pid}`));
    writeFileSync(join(ctx.dir, `.write-probe-${process.pid}`, 'x'), 'x');
    expect(await check(ctx, 'data_dir')).toMatchObject({ status: 'fail', reason: 'data_dir.not_writable' });
    ctx.close();
  });

  it('a provisioned merchant whose keys are missing from the keychain is a failure', async () => {
    const ctx = testContext();
    // As live provisioning writes it: the merchant, and the mode it puts the till in.
    ctx.settings.update({
      mode: 'live',
      merchant: { mchid: '1900007291', appid: 'wx8888888888888888', merchantSerial: 'ABCDEF12', verification: 'public_key', provisionedAt: 'x' },
    });
    expect(await check(ctx, 'merchant')).toMatchObject({ status: 'fail', reason: 'merchant.secret_missing' });
    const info = await ctx.router.call('app.info', {}, { transport: 'web' });
    expect(info).toMatchObject({ ok: true, value: { mode: 'live' } });
    await ctx.secrets.set('merchant_private_key', 'k');
    await ctx.secrets.set('apiv3_key', 'a'.repeat(32));
    expect(await check(ctx, 'merchant')).toMatchObject({ status: 'ok' });
    await ctx.secrets.delete('merchant_private_key');
    await ctx.secrets.delete('apiv3_key');
    ctx.close();
  });

  it('a damaged settings file or invalid store preset is reported, not ignored', async () => {
    const presetFile = join(testContext().dir, 'bad-preset.json');
    writeFileSync(presetFile, JSON.stringify({ storeId: 'BAD ID' }));
    const ctx = testContext('web', { POS_STORE_PRESET: presetFile });
    expect(await check(ctx, 'store_preset')).toMatchObject({ status: 'fail', reason: 'store_preset.invalid' });
    writeFileSync(join(ctx.dir, 'settings.json'), JSON.stringify({ profileId: 'not-a-uuid' }));
    expect(await check(ctx, 'merchant')).toMatchObject({ status: 'fail', reason: 'settings.invalid' });
    ctx.close();
  });
});
