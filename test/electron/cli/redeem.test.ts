// `posctl redeem`: one order checked out under the till's rules, against the simulator over
// real signed loopback HTTP. Bad input exits 2 and sends nothing; a refusal by the till or by
// WeChat Pay exits 3; every coupon done exits 0; the order is printed as JSON.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import { startSimulator, type RunningSimulator } from '../../../electron/simulator';
import { tempDir } from '../../helpers/context';
import { createStock, issueCoupons } from '../queue/support/sim';

let sim: RunningSimulator;
let data: string;
let stock: string;
let pinFile: string;

async function posctl(...argv: string[]) {
  const lines: string[] = [];
  const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: data });
  return { code, out: JSON.parse(lines.at(-1)!) };
}

/** Every HTTP request the simulator has answered so far, whatever the endpoint. */
const requests = () => Object.values(sim.admin.operations().http as Record<string, { requests: number }>).reduce((n, e) => n + e.requests, 0);

beforeAll(async () => {
  sim = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey' });
  data = tempDir();
  const creds = join(tempDir(), 'creds.json');
  writeFileSync(creds, JSON.stringify(sim.credentials));
  expect((await posctl('provision', '--creds', creds, '--training')).code).toBe(0);
  stock = createStock(sim, { discountFen: 500, minimumFen: 10_000, name: '满100减5' });
  issueCoupons(sim, stock, ['CLI-A', 'CLI-B', 'CLI-LOW']);
  expect((await posctl('shift', 'open', '--till', 'T05', '--cashier', 'C05')).code).toBe(0);
  pinFile = join(tempDir(), 'pin');
  writeFileSync(pinFile, '246810\n');
  expect((await posctl('manager', 'set-pin', '--manager', 'M01', '--pin-file', pinFile)).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await sim.close();
});

describe('posctl redeem', () => {
  it('a ¥250 order with its WeChat Pay order number and two 满100减5 coupons: linked, then used; ¥240 to pay', async () => {
    const r = await posctl('redeem', 'CLI-A', 'CLI-B', '--amount', '250', '--order', 'WX20261129100', '--stock-id', stock, '--till', 'T05');
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({
      ok: true,
      order: { amountFen: 25_000, outTradeNo: 'WX20261129100', status: 'finished', discountFen: 1000, payableFen: 24_000 },
      coupons: [
        { code: 'CLI-A', status: 'succeeded', granted: true },
        { code: 'CLI-B', status: 'succeeded', granted: true },
      ],
    });
    for (const c of r.out.order.coupons) {
      expect(c).toMatchObject({
        status: 'succeeded',
        discountFen: 500,
        link: { status: 'succeeded', requestNo: expect.stringMatching(/^A/) },
        requestNo: expect.stringMatching(/^U/),
      });
    }
    for (const code of ['CLI-A', 'CLI-B']) {
      const coupon = sim.state.coupon(stock, code)!;
      expect(coupon).toMatchObject({ coupon_state: 'USED', associate_out_trade_no: 'WX20261129100' });
      expect(coupon.history.map((h) => h.op).filter((op) => op !== 'send')).toEqual(['associate', 'use']);
    }
  });

  it.each([
    ['a WeChat payment code', '134567890123456789', /payment code/],
    ['an empty code', '', /Nothing was scanned/],
    ['a 33-character code', 'A'.repeat(33), /at most 32 characters/],
    ['an emoji', 'AB😀CD', /cannot be in a coupon code/],
  ])('%s exits 2 as bad input, and WeChat Pay receives nothing', async (_what, code, message) => {
    const before = requests();
    const r = await posctl('redeem', code, '--amount', '250', '--till', 'T05');
    expect(r).toMatchObject({ code: 2, out: { ok: false, error: { kind: 'usage', message: expect.stringMatching(message) } } });
    expect(requests()).toBe(before);
  });

  it('bad amounts and order numbers exit 2 before anything is sent', async () => {
    const before = requests();
    for (const amount of ['-5', '12.345', 'abc', '0']) expect((await posctl('redeem', 'CLI-LOW', '--amount', amount, '--till', 'T05')).out.error.kind).toBe('usage');
    expect(await posctl('redeem', 'CLI-LOW', '--amount', '250', '--order', 'X'.repeat(33), '--till', 'T05')).toMatchObject({ code: 2, out: { error: { kind: 'usage' } } });
    expect(await posctl('redeem', 'CLI-LOW', '--till', 'T05')).toMatchObject({ code: 2, out: { error: { kind: 'usage', message: expect.stringMatching(/--amount/) } } });
    expect(requests()).toBe(before);
  });

  it('an order below the threshold exits 3 with the reason, and no redemption is sent', async () => {
    const r = await posctl('redeem', 'CLI-LOW', '--amount', '99.99', '--stock-id', stock, '--till', 'T05');
    expect(r).toMatchObject({
      code: 3,
      out: {
        ok: false,
        order: { status: 'cancelled', coupons: [] },
        coupons: [{ code: 'CLI-LOW', status: 'declined', reason: { code: 'BELOW_MINIMUM', message: expect.stringContaining('¥0.01 more is needed') } }],
      },
    });
    expect(sim.state.coupon(stock, 'CLI-LOW')!.history.map((h) => h.op)).toEqual(['send']);
  });

  it('without an open shift on the till, the till declines and says so', async () => {
    const r = await posctl('redeem', 'CLI-LOW', '--amount', '200', '--stock-id', stock, '--till', 'T06');
    expect(r).toMatchObject({ code: 3, out: { coupons: [{ status: 'declined', reason: { code: 'NO_OPEN_SHIFT' } }] } });
  });

  it('order policy and order set: the stacking rules, set by a manager with the PIN; nonsense is refused', async () => {
    expect(await posctl('order', 'policy')).toMatchObject({
      code: 0,
      out: { source: 'default', policy: { maxCouponsPerOrder: 5, sameStockTwice: true, thresholdBasis: 'remaining', requireOrderNumber: false } },
    });
    const manager = ['--manager', 'M01', '--pin-file', pinFile];
    expect(await posctl('order', 'set', '--max-coupons', '2', '--same-stock', 'no', '--threshold', 'order', ...manager)).toMatchObject({
      code: 0,
      out: {
        source: 'manager',
        updatedBy: expect.stringMatching(/^M01 \(posctl: .+\)$/),
        policy: { maxCouponsPerOrder: 2, sameStockTwice: false, thresholdBasis: 'order_amount', requireOrderNumber: false },
      },
    });
    expect((await posctl('order', 'set', '--max-coupons', '0', ...manager)).code).toBe(2);
    expect((await posctl('order', 'set', '--same-stock', 'maybe', ...manager)).code).toBe(2);
    // A manager id alone proves nothing; a wrong PIN is a security failure and changes nothing.
    expect((await posctl('order', 'set', '--max-coupons', '3')).code).toBe(2);
    expect((await posctl('order', 'set', '--max-coupons', '3', '--manager', 'M01')).code).toBe(2);
    const wrong = join(tempDir(), 'wrong-pin');
    writeFileSync(wrong, '999999\n');
    expect(await posctl('order', 'set', '--max-coupons', '3', '--manager', 'M01', '--pin-file', wrong)).toMatchObject({
      code: 5,
      out: { error: { kind: 'manager_pin', code: 'PIN_REJECTED' } },
    });
    expect(await posctl('order', 'policy')).toMatchObject({ out: { policy: { maxCouponsPerOrder: 2 } } });
    expect(await posctl('order', 'set', '--max-coupons', '5', '--same-stock', 'yes', '--threshold', 'remaining', ...manager)).toMatchObject({ code: 0 });
  });

  it('posctl coupon use is gone: nothing can send a code around the till rules', async () => {
    expect((await posctl('coupon', 'use', 'CLI-LOW', '--stock-id', stock)).code).toBe(2);
  });
});
