import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedSummary } from '../../../electron/simulator';
import { testContext } from '../../helpers/context';
import { redeemOnNewOrder } from '../../helpers/orders';
import { managerMethods, managerSamples } from '../../helpers/manager-calls';

// The shift manager's work through the router, in training against the embedded simulator
// over real signed HTTP: sign in with the PIN, return and deactivate coupons, deal with an
// operation WeChat Pay refused, and close the shift with its report saved as CSV.
let ctx: ReturnType<typeof testContext>;
let seed: SeedSummary;
const call = (method: string, input: unknown = {}) => ctx.router.call(method, input, { transport: 'web' });
const value = <T = Record<string, unknown>>(r: unknown) => {
  const reply = r as { ok: boolean; value?: T; error?: unknown };
  if (!reply.ok) throw new Error(`expected ok, got ${JSON.stringify(reply.error)}`);
  return reply.value as T;
};

beforeAll(async () => {
  ctx = testContext('web');
  const till = await ctx.startTill();
  seed = till!.simulator!.credentials.seed as SeedSummary;
}, 60_000);
afterAll(async () => {
  await ctx.close();
});

const sample = managerSamples;

describe('manager work in training', () => {
  it('every manager method is refused without a manager session, and a wrong PIN does not open one', async () => {
    expect([...managerMethods].sort()).toEqual(Object.keys(sample).sort());
    for (const m of managerMethods) expect(await call(m, sample[m])).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const status = value(await call('manager.status'));
    expect(status).toEqual({ session: null, pinsSet: false, mode: 'training', liveProvisioned: false, training: { managerId: 'TRAIN', pin: '0000' } });
    const wrong = await call('manager.signIn', { managerId: 'TRAIN', pin: '1234' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'PIN_REJECTED' } });
    expect(JSON.stringify(wrong)).not.toContain('1234');
    expect(await call('shift.report')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('returns a redeemed coupon and deactivates an unused one; WeChat Pay (the simulator) agrees', async () => {
    const sim = ctx.till!.simulator!;
    const [a, b] = seed.coupons.SENDED.filter((c) => c.stock_type === 'NORMAL' && c.coupon_code_mode === 'WECHATPAY_MODE');
    value(await call('shift.open', { cashierId: 'C001' }));
    expect(await redeemOnNewOrder(call, { code: a!.coupon_code, stockId: a!.stock_id, amountFen: 6000 })).toMatchObject({ value: { status: 'succeeded' } });

    expect(value(await call('manager.signIn', { managerId: 'TRAIN', pin: '0000' }))).toMatchObject({ managerId: 'TRAIN' });
    expect(value(await call('manager.status'))).toMatchObject({ session: { managerId: 'TRAIN' } });
    const returned = value(await call('coupon.return', { code: a!.coupon_code, stockId: a!.stock_id }));
    expect(returned).toMatchObject({ status: 'succeeded', requestNo: expect.any(String) });
    expect(sim.admin.coupon(a!.stock_id, a!.coupon_code)!.coupon_state).toBe('SENDED');

    // Deactivating the coupon just returned is allowed (it is unused again); a used one is not.
    expect(value(await call('coupon.deactivate', { code: b!.coupon_code, stockId: b!.stock_id, reason: '顾客投诉，券码外泄' }))).toMatchObject({ status: 'succeeded' });
    expect(sim.admin.coupon(b!.stock_id, b!.coupon_code)).toMatchObject({ coupon_state: 'DEACTIVATED', deactivate_reason: '顾客投诉，券码外泄' });
    expect(await redeemOnNewOrder(call, { code: a!.coupon_code, stockId: a!.stock_id, amountFen: 6000 })).toMatchObject({ value: { status: 'succeeded' } });
    expect(value(await call('coupon.deactivate', { code: a!.coupon_code, stockId: a!.stock_id, reason: '误操作' }))).toMatchObject({
      status: 'declined',
      reason: { code: 'DEACTIVATE_NEEDS_UNUSED' },
    });
    expect(await call('coupon.deactivate', { code: a!.coupon_code, reason: '表情😀' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const queue = value<{ items: { kind: string; status: string }[] }>(await call('queue.list'));
    expect(
      queue.items
        .filter((i) => i.status === 'succeeded')
        .map((i) => i.kind)
        .sort(),
    ).toEqual(['deactivate', 'return', 'use', 'use']);
  }, 60_000);

  it('retries and acknowledges an operation WeChat Pay refused; the shift closes only once it is resolved', async () => {
    const pos = ctx.till!.pos;
    const shift = pos.shifts.current(ctx.till!.tillId)!;
    const c = seed.coupons.SENDED.filter((x) => x.stock_type === 'NORMAL' && x.coupon_code_mode === 'WECHATPAY_MODE')[2]!;
    // Queued with nobody watching (as after an offline spell): a return of an unused coupon, which WeChat refuses.
    const parked = pos.drainer.enqueue({
      request: { kind: 'return', coupon_code: c.coupon_code, stock_id: c.stock_id },
      shiftId: shift.shiftId,
      tillId: ctx.till!.tillId,
      training: true,
    });
    await expect.poll(() => pos.journal.get(parked.opId)?.status, { timeout: 15_000 }).toBe('parked');
    expect(value(await call('queue.list'))).toMatchObject({ parked: 1 });

    const closing = value<{ closed: boolean; unresolved: { operationId: string; status: string }[] }>(await call('shift.close'));
    expect(closing).toMatchObject({ closed: false, unresolved: [{ operationId: parked.opId, status: 'parked' }] });

    expect(value(await call('queue.retry', { operationId: parked.opId }))).toMatchObject({ operationId: parked.opId, status: 'pending' });
    await expect.poll(() => pos.journal.get(parked.opId)?.status, { timeout: 15_000 }).toBe('parked');
    expect(pos.journal.get(parked.opId)!.attempts).toBeGreaterThanOrEqual(2);
    expect(await call('queue.retry', { operationId: 'OP-NOPE' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    expect(value(await call('queue.ack', { operationId: parked.opId, note: '顾客未退货，已核实' }))).toMatchObject({ status: 'acknowledged' });
    expect(await call('queue.ack', { operationId: parked.opId })).toMatchObject({ ok: false, error: { code: 'STATE_CONFLICT' } });
    expect(await call('queue.retry', { operationId: parked.opId })).toMatchObject({ ok: false, error: { code: 'STATE_CONFLICT' } });
    expect(pos.journal.get(parked.opId)).toMatchObject({ acknowledgedBy: 'TRAIN' });

    // The first coupon was returned: its discount is not counted as given.
    const report = value<{ redeemed: { count: number; discountFen: number }; returned: { count: number }; orders: unknown[]; shift: { closedAt: string | null } }>(
      await call('shift.report'),
    );
    expect(report).toMatchObject({ redeemed: { count: 1, discountFen: 1000 }, returned: { count: 1, discountFen: 1000 }, shift: { closedAt: null } });
    expect(report.orders).toHaveLength(2);

    const closed = value<{ closed: true; csvFile: string; report: { shift: { closedBy: string } } }>(await call('shift.close'));
    expect(closed).toMatchObject({ closed: true, report: { shift: { closedBy: 'TRAIN' } } });
    expect(existsSync(closed.csvFile)).toBe(true);
    const csv = readFileSync(closed.csvFile, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(shift.shiftId);
    expect(await call('shift.current')).toEqual({ ok: true, value: null });
    expect(await call('shift.close')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  }, 60_000);

  it("lists every refusal waiting for a manager, even beyond the queue panel's 50 rows", async () => {
    const pos = ctx.till!.pos;
    const stockId = seed.coupons.SENDED[0]!.stock_id;
    // Sent with nobody watching, for codes WeChat Pay never issued: each is refused.
    const ops = Array.from({ length: 56 }, (_, i) => pos.drainer.enqueue({ request: { kind: 'deactivate', coupon_code: `NOPE${String(i).padStart(4, '0')}`, stock_id: stockId } }));
    await expect.poll(() => ops.filter((o) => pos.journal.get(o.opId)?.status === 'parked').length, { timeout: 30_000 }).toBe(56);
    const queue = value<{ parked: number; items: { operationId: string; status: string }[] }>(await call('queue.list'));
    expect(queue.parked).toBeGreaterThanOrEqual(56);
    const listed = new Set(queue.items.filter((i) => i.status === 'parked').map((i) => i.operationId));
    for (const op of ops) expect(listed.has(op.opId)).toBe(true);
  }, 60_000);

  it('sets the offline policy: who and when are kept, nonsense is refused', async () => {
    expect(value(await call('offline.policy'))).toEqual({ policy: { mode: 'off' }, updatedBy: null, updatedAt: null });
    const policy = { mode: 'limited', maxDiscountPerCouponFen: 2000, maxCountPerShift: 10, maxTotalPerShiftFen: 10000 };
    expect(value(await call('offline.setPolicy', { policy }))).toMatchObject({ policy, updatedBy: 'TRAIN', updatedAt: expect.any(String) });
    expect(ctx.till!.pos.policy.get()).toEqual(policy);
    expect(await call('offline.setPolicy', { policy: { ...policy, maxCountPerShift: -1 } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('offline.setPolicy', { policy: { mode: 'sometimes' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(ctx.till!.pos.policy.get()).toEqual(policy);
  });

  it('signing out closes the door again', async () => {
    expect(value(await call('manager.signOut'))).toEqual({ signedOut: true });
    expect(await call('shift.report')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
