import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedSummary } from '../../../electron/simulator';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { trainingNamespace } from '../../../electron/settings/settings';
import { testContext } from '../../helpers/context';

// Training mode end to end through the router: nothing provisioned → the embedded simulator
// starts on loopback, the till provisions itself against it, and a seeded coupon is redeemed
// over real signed HTTP, exactly once.
let ctx: ReturnType<typeof testContext>;
let seed: SeedSummary;
const call = (method: string, input: unknown = {}) => ctx.router.call(method, input, { transport: 'web' });

beforeAll(async () => {
  ctx = testContext('web');
  const till = await ctx.startTill();
  expect(till?.mode).toBe('training');
  seed = till!.simulator!.credentials.seed as SeedSummary;
}, 60_000);
afterAll(async () => {
  await ctx.close();
});

describe('training mode', () => {
  it('starts in training with the practice merchant on loopback, in its own record and keychain namespace', async () => {
    expect(await call('app.info')).toMatchObject({ ok: true, value: { mode: 'training' } });
    const settings = ctx.settings.read();
    expect(settings.merchant).toBeNull();
    expect(new URL(settings.training!.baseUrl!).hostname).toBe('127.0.0.1');
    expect(await new KeytarSecretStore(trainingNamespace(settings.profileId)).has('merchant_private_key')).toBe(true);
    // The live merchant's namespace stays empty: practice never writes where live keys go.
    expect(await ctx.secrets.has('merchant_private_key')).toBe(false);
    expect(await ctx.secrets.has('apiv3_key')).toBe(false);
  });

  it('values a seeded coupon, refuses below threshold, redeems once, and the simulator agrees', async () => {
    const coupon = seed.coupons.SENDED.find((c) => c.stock_type === 'NORMAL' && c.coupon_code_mode === 'WECHATPAY_MODE')!;
    const scanned = await call('till.scan', { raw: `${coupon.coupon_code}\r\n`, orderAmountFen: 6000, stockId: coupon.stock_id });
    expect(scanned).toMatchObject({
      ok: true,
      value: { kind: 'coupon', coupon: { code: coupon.coupon_code, stock: { stockType: 'NORMAL', discountAmountFen: 1000, transactionMinimumFen: 5000 }, quote: { qualifies: true, discountFen: 1000, payableFen: 5000 } } },
    });
    expect(await call('till.redeem', { code: coupon.coupon_code, stockId: coupon.stock_id, orderAmountFen: 6000 })).toMatchObject({
      ok: true,
      value: { status: 'refused', reason: { code: 'NO_OPEN_SHIFT' } },
    });
    expect(await call('shift.open', { cashierId: 'C001' })).toMatchObject({ ok: true, value: { cashierIds: ['C001'], training: true } });
    expect(await call('till.redeem', { code: coupon.coupon_code, stockId: coupon.stock_id, orderAmountFen: 4000 })).toMatchObject({
      ok: true,
      value: { status: 'refused', reason: { code: 'BELOW_MINIMUM' } },
    });
    const done = await call('till.redeem', { code: coupon.coupon_code, stockId: coupon.stock_id, orderAmountFen: 6000, outTradeNo: 'T20261128001' });
    expect(done).toMatchObject({ ok: true, value: { status: 'done', discountFen: 1000, payableFen: 5000, offline: false } });
    const sim = ctx.till!.simulator!;
    const record = sim.admin.coupon(coupon.stock_id, coupon.coupon_code)!;
    expect(record.coupon_state).toBe('USED');
    expect(record.history.filter((h) => h.to === 'USED')).toHaveLength(1);
    const again = await call('till.redeem', { code: coupon.coupon_code, stockId: coupon.stock_id, orderAmountFen: 6000 });
    expect(again.ok && (again.value as { status: string }).status).not.toBe('done');
    const queue = await call('queue.list');
    expect(queue).toMatchObject({ ok: true, value: { online: true } });
    expect((queue as { value: { items: { kind: string; status: string; training: boolean }[] } }).value.items.some((i) => i.kind === 'use' && i.status === 'done' && i.training)).toBe(true);
  }, 60_000);

  it('a payment code and a torn scan get clear reasons', async () => {
    expect(await call('till.scan', { raw: '134567890123456789' })).toMatchObject({ ok: true, value: { kind: 'payment_code' } });
    const torn = await call('till.scan', { raw: '12345\n67890' });
    expect(torn).toMatchObject({ ok: true, value: { kind: 'invalid' } });
    expect((torn as { value: { reason: { zh: string } } }).value.reason.zh.length).toBeGreaterThan(4);
  });

  it("knows the practice customers' coupons: a scan goes straight to the card with WeChat Pay's state", async () => {
    const sended = seed.coupons.SENDED.find((c) => c.stock_type === 'DISCOUNT')!;
    expect(await call('till.scan', { raw: sended.coupon_code })).toMatchObject({
      ok: true,
      value: { kind: 'coupon', coupon: { code: sended.coupon_code, state: 'SENDED', usable: { ok: true }, stock: { stockId: sended.stock_id } } },
    });
    const used = seed.coupons.USED[0]!;
    const scanned = await call('till.scan', { raw: used.coupon_code });
    expect(scanned).toMatchObject({ ok: true, value: { kind: 'coupon', coupon: { state: 'USED', usable: { ok: false } } } });
  });

  it('an unknown code offers every stock, those whose code mode fits the code first', async () => {
    const modeOf = new Map((seed.stocks as { stock_id: string; coupon_code_mode: string }[]).map((st) => [st.stock_id, st.coupon_code_mode]));
    const modes = async (raw: string) => {
      const r = await call('till.scan', { raw });
      const v = (r as { value: { kind: string; stocks: { stockId: string }[] } }).value;
      expect(v.kind).toBe('choose_stock');
      expect(v.stocks).toHaveLength(modeOf.size);
      return v.stocks.map((st) => modeOf.get(st.stockId));
    };
    const wechatShaped = await modes('1234567890123456789012');
    const wechatCount = wechatShaped.filter((m) => m === 'WECHATPAY_MODE').length;
    expect(wechatCount).toBeGreaterThan(0);
    expect(wechatShaped.slice(0, wechatCount).every((m) => m === 'WECHATPAY_MODE')).toBe(true);
    const merchantShaped = await modes('SHOP2026A001');
    expect(merchantShaped.slice(-wechatCount).every((m) => m === 'WECHATPAY_MODE')).toBe(true);
    expect(merchantShaped[0]).not.toBe('WECHATPAY_MODE');
  });
});
