import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedSummary } from '../../../electron/simulator';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { trainingNamespace } from '../../../electron/settings/settings';
import { testContext } from '../../helpers/context';
import { redeemOnNewOrder } from '../../helpers/orders';

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
    const linkedElsewhere = new Set(seed.associated.map((c) => c.coupon_code));
    const coupon = seed.coupons.SENDED.find((c) => c.stock_type === 'NORMAL' && c.coupon_code_mode === 'WECHATPAY_MODE' && !linkedElsewhere.has(c.coupon_code))!;
    const scanned = await call('till.scan', { raw: `${coupon.coupon_code}\r\n`, orderAmountFen: 6000, stockId: coupon.stock_id });
    expect(scanned).toMatchObject({
      ok: true,
      value: {
        kind: 'coupon',
        coupon: {
          code: coupon.coupon_code,
          stock: { stockType: 'NORMAL', discountAmountFen: 1000, transactionMinimumFen: 5000 },
          quote: { qualifies: true, discountFen: 1000, payableFen: 5000 },
        },
      },
    });
    const order = (await call('order.open', { amountFen: 6000 })) as { ok: true; value: { orderId: string } };
    const orderId = order.value.orderId;
    expect(await call('till.redeem', { orderId, code: coupon.coupon_code, stockId: coupon.stock_id })).toMatchObject({
      ok: true,
      value: { status: 'declined', reason: { code: 'NO_OPEN_SHIFT' } },
    });
    expect(await call('shift.open', { cashierId: 'C001' })).toMatchObject({ ok: true, value: { cashierIds: ['C001'], training: true } });
    // The order has no coupon yet: opening it again with another amount revises the same order.
    expect(await call('order.open', { amountFen: 4000 })).toMatchObject({ ok: true, value: { orderId, amountFen: 4000 } });
    expect(await call('till.redeem', { orderId, code: coupon.coupon_code, stockId: coupon.stock_id })).toMatchObject({
      ok: true,
      value: { status: 'declined', reason: { code: 'BELOW_MINIMUM' } },
    });
    expect(await call('order.open', { amountFen: 6000, outTradeNo: 'T20261128001' })).toMatchObject({ ok: true, value: { orderId, outTradeNo: 'T20261128001' } });
    const done = await call('till.redeem', { orderId, code: coupon.coupon_code, stockId: coupon.stock_id });
    expect(done).toMatchObject({
      ok: true,
      value: {
        status: 'succeeded',
        coupon: { discountFen: 1000, granted: true, offline: false, link: { status: 'succeeded' } },
        order: { orderId, amountFen: 6000, discountFen: 1000, payableFen: 5000, outTradeNo: 'T20261128001' },
      },
    });
    const sim = ctx.till!.simulator!;
    const record = sim.admin.coupon(coupon.stock_id, coupon.coupon_code)!;
    expect(record.coupon_state).toBe('USED');
    // Linked while unused, then used: WeChat Pay (the simulator) saw both, in that order.
    expect(record.associate_out_trade_no).toBe('T20261128001');
    expect(record.history.map((h) => h.op).filter((op) => op === 'associate' || op === 'use')).toEqual(['associate', 'use']);
    expect(record.history.filter((h) => h.to === 'USED')).toHaveLength(1);
    // The same coupon again on the same order is declined by the stacking rules, and on a new order WeChat Pay refuses it.
    expect(await call('till.redeem', { orderId, code: coupon.coupon_code, stockId: coupon.stock_id })).toMatchObject({
      ok: true,
      value: { status: 'declined', reason: { code: 'STACK_SAME_COUPON' } },
    });
    expect(await call('order.finish', { orderId })).toMatchObject({ ok: true, value: { status: 'finished' } });
    const next = (await call('order.open', { amountFen: 6000 })) as { ok: true; value: { orderId: string } };
    const again = await call('till.redeem', { orderId: next.value.orderId, code: coupon.coupon_code, stockId: coupon.stock_id });
    expect(again.ok && (again.value as { status: string }).status).toBe('refused');
    expect(await call('order.cancel', { orderId: next.value.orderId })).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    const queue = await call('queue.list');
    expect(queue).toMatchObject({ ok: true, value: { online: true } });
    expect(
      (queue as { value: { items: { kind: string; status: string; training: boolean }[] } }).value.items.some((i) => i.kind === 'use' && i.status === 'succeeded' && i.training),
    ).toBe(true);
  }, 60_000);

  it('a coupon already linked to another order is still redeemed; the result and the shift report say why the link failed', async () => {
    const other = seed.associated.find((c) => c.stock_type === 'NORMAL' && c.coupon_code_mode === 'WECHATPAY_MODE')!;
    const sim = ctx.till!.simulator!;
    expect(sim.admin.coupon(other.stock_id, other.coupon_code)).toMatchObject({ coupon_state: 'SENDED', associate_out_trade_no: other.out_trade_no });
    const out = await redeemOnNewOrder(call, { code: other.coupon_code, stockId: other.stock_id, amountFen: 8000, outTradeNo: 'T20261128777' });
    expect(out).toMatchObject({ ok: true, value: { status: 'succeeded', coupon: { granted: true, link: { status: 'refused', reason: { code: 'WECHAT_REFUSED' } } } } });
    const record = sim.admin.coupon(other.stock_id, other.coupon_code)!;
    expect(record).toMatchObject({ coupon_state: 'USED', associate_out_trade_no: other.out_trade_no });
    // Nothing waits for a manager because of a refused link, and the desk's report lists it.
    expect(ctx.till!.pos.journal.parked()).toEqual([]);
    expect(await call('manager.signIn', { managerId: 'TRAIN', pin: '0000' })).toMatchObject({ ok: true });
    const report = (await call('shift.report')) as { value: { failedLinks: { code: string; outTradeNo: string; wechatMessage: string | null }[] } };
    expect(report.value.failedLinks).toEqual([
      { operationId: expect.any(String), code: other.coupon_code, outTradeNo: 'T20261128777', wechatMessage: expect.stringContaining('其他订单') },
    ]);
    await call('manager.signOut');
  }, 60_000);

  it('a payment code and a torn scan get clear reasons', async () => {
    expect(await call('till.scan', { raw: '134567890123456789' })).toMatchObject({ ok: true, value: { kind: 'payment_code' } });
    const torn = await call('till.scan', { raw: '12345\n67890' });
    expect(torn).toMatchObject({ ok: true, value: { kind: 'invalid' } });
    expect((torn as { value: { reason: unknown } }).value.reason).toEqual({ code: 'MULTIPLE_LINES', params: {} });
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
