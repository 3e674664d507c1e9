import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import { startSimulator, type RunningSimulator, type SeedWithPartner } from '../../../electron/simulator';
import { tempDir } from '../../helpers/context';

// posctl against the simulator over real signed loopback HTTP, then a scan of everything the
// till wrote and printed for the merchant key and the APIv3 key.
let sim: RunningSimulator;
let data: string;
let seed: SeedWithPartner;
let pinFile: string;
const osUser = userInfo().username;
const printed: string[] = [];

async function posctl(...argv: string[]) {
  return posctlIn(data, ...argv);
}

async function posctlIn(dir: string, ...argv: string[]) {
  const lines: string[] = [];
  const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: dir, POS_TILL_ID: 'T09' });
  printed.push(...lines);
  return { code, out: JSON.parse(lines.at(-1)!) };
}

beforeAll(async () => {
  sim = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey' });
  seed = sim.credentials.seed as SeedWithPartner;
  data = tempDir();
  const creds = join(tempDir(), 'creds.json');
  writeFileSync(creds, JSON.stringify(sim.credentials));
  expect((await posctl('provision', '--creds', creds, '--training')).code).toBe(0);
  pinFile = join(tempDir(), 'pin.txt');
  writeFileSync(pinFile, '470312\n');
  for (const m of ['M01', 'M02']) expect((await posctl('manager', 'set-pin', '--manager', m, '--pin-file', pinFile)).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await sim.close();
});

describe('posctl against the simulator', () => {
  it('health: signature accepted, response verified with the public key, clock skew measured', async () => {
    const r = await posctl('health');
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({ ok: true, signature_accepted: true, response_verified_with: 'public_key', clock_ok: true });
    expect(r.out.checks.map((c: { status: string }) => c.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(Math.abs(r.out.clock_skew_seconds)).toBeLessThan(5);
  });

  it('health says which check failed, with the exit code of its kind: answers that fail verification 5, a host gone 4', async () => {
    const other = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey', faults: 'callbacks.get:skew=900' });
    const dir = tempDir();
    const creds = join(tempDir(), 'creds.json');
    writeFileSync(creds, JSON.stringify(other.credentials));
    expect((await posctlIn(dir, 'provision', '--creds', creds, '--training')).code).toBe(0);
    const forged = await posctlIn(dir, 'health');
    expect(forged).toMatchObject({ code: 5, out: { ok: false, signature_accepted: true, response_verified_with: null } });
    expect(forged.out.checks).toContainEqual(expect.objectContaining({ id: 'verification', status: 'fail', failure: 'verification_failed' }));
    await other.close();
    const gone = await posctlIn(dir, 'health');
    expect(gone).toMatchObject({ code: 4, out: { ok: false, signature_accepted: false } });
    expect(gone.out.checks).toEqual([
      { id: 'keychain', status: 'ok' },
      expect.objectContaining({ id: 'reachable', status: 'fail', failure: 'unreachable' }),
      { id: 'signature', status: 'skipped' },
      { id: 'verification', status: 'skipped' },
      { id: 'clock', status: 'skipped' },
    ]);
  }, 60_000);

  it('stock get, coupon get and list', async () => {
    const c = seed.coupons.SENDED[0]!;
    expect(await posctl('stock', 'get', c.stock_id)).toMatchObject({ code: 0, out: { stock: { stock_id: c.stock_id } } });
    expect(await posctl('coupon', 'get', c.coupon_code, '--openid', c.openid)).toMatchObject({ code: 0, out: { coupon: { coupon_code: c.coupon_code, coupon_state: 'SENDED' } } });
    const list = await posctl('coupon', 'list', '--openid', c.openid);
    expect(list.code).toBe(0);
    expect(list.out.coupons.data.length).toBeGreaterThan(0);
    expect((await posctl('stock', 'get', '99999999')).code).toBe(3);
  });

  it('redeem / return / deactivate through the journal, with exit codes per outcome', async () => {
    const c = seed.coupons.SENDED.find((x) => x.coupon_code_mode === 'WECHATPAY_MODE')!;
    expect((await posctl('shift', 'open', '--till', 'T07', '--cashier', 'C07')).code).toBe(0);
    const used = await posctl('redeem', c.coupon_code, '--amount', '1000', '--stock-id', c.stock_id, '--till', 'T07');
    expect(used).toMatchObject({
      code: 0,
      out: { order: { status: 'finished', coupons: [{ code: c.coupon_code, status: 'succeeded', granted: true }] }, coupons: [{ status: 'succeeded' }] },
    });
    expect(used.out.order.coupons[0].requestNo).toMatch(/^U\d{14}/);
    const again = await posctl('redeem', c.coupon_code, '--amount', '1000', '--stock-id', c.stock_id, '--till', 'T07');
    expect(again).toMatchObject({ code: 3, out: { coupons: [{ status: 'refused', reason: { code: 'WECHAT_REFUSED', message: expect.stringContaining('WeChat Pay refused') } }] } });
    expect(await posctl('coupon', 'return', c.coupon_code, '--stock-id', c.stock_id, '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 0,
      out: { status: 'succeeded' },
    });
    expect(sim.admin.coupon(c.stock_id, c.coupon_code)!.coupon_state).toBe('SENDED');
    expect(await posctl('coupon', 'deactivate', c.coupon_code, '--stock-id', c.stock_id, '--manager', 'M01', '--pin-file', pinFile, '--reason', '顾客要求作废')).toMatchObject({
      code: 0,
    });
    expect(sim.admin.coupon(c.stock_id, c.coupon_code)!.coupon_state).toBe('DEACTIVATED');
    expect((await posctl('coupon', 'deactivate', c.coupon_code, '--stock-id', c.stock_id)).code).toBe(2);
    const q = await posctl('queue', 'list');
    expect(q.out.operations.map((o: { kind: string }) => o.kind)).toEqual(expect.arrayContaining(['use', 'return', 'deactivate']));
  }, 60_000);

  it('coupon associate / disassociate: links a coupon to a WeChat Pay order and takes the link back, exit 0 each', async () => {
    const c = seed.coupons.SENDED.filter((x) => x.coupon_code_mode === 'WECHATPAY_MODE')[1]!;
    const order = 'POSCTL20261130000001';
    expect(await posctl('coupon', 'associate', c.coupon_code, '--order', order, '--stock-id', c.stock_id)).toMatchObject({ code: 0, out: { status: 'succeeded' } });
    expect(sim.admin.coupon(c.stock_id, c.coupon_code)!.associate_out_trade_no).toBe(order);
    expect(await posctl('coupon', 'disassociate', c.coupon_code, '--order', order, '--stock-id', c.stock_id)).toMatchObject({ code: 0, out: { status: 'succeeded' } });
    expect(sim.admin.coupon(c.stock_id, c.coupon_code)!.associate_out_trade_no ?? null).toBeNull();
    expect((await posctl('coupon', 'associate', c.coupon_code, '--stock-id', c.stock_id)).code).toBe(2);
  }, 60_000);

  it('shift open, report as CSV with a BOM for Excel, close', async () => {
    expect((await posctl('shift', 'open', '--till', 'T09', '--cashier', 'C01')).code).toBe(0);
    const out = join(tempDir(), 'report.csv');
    expect((await posctl('shift', 'report', '--till', 'T09', '--csv', '--out', out)).code).toBe(0);
    expect(readFileSync(out).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(await posctl('shift', 'close', '--till', 'T09', '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({ code: 0, out: { closed: true } });
  });

  it('offline policy: off until a manager sets limits; bad limits are refused with the reason', async () => {
    expect(await posctl('offline', 'policy')).toMatchObject({ code: 0, out: { policy: { mode: 'off' }, updatedBy: null } });
    const set = await posctl('offline', 'set', '--mode', 'limited', '--max-discount', '20', '--max-count', '5', '--max-total', '99.5', '--manager', 'M01', '--pin-file', pinFile);
    expect(set).toMatchObject({
      code: 0,
      out: { policy: { mode: 'limited', maxDiscountPerCouponFen: 2000, maxCountPerShift: 5, maxTotalPerShiftFen: 9950 }, updatedBy: `M01 (posctl: ${osUser})` },
    });
    expect(await posctl('offline', 'policy')).toMatchObject({ out: { policy: { mode: 'limited', maxTotalPerShiftFen: 9950 } } });
    expect(
      await posctl('offline', 'set', '--mode', 'limited', '--max-discount', '-1', '--max-count', '5', '--max-total', '1', '--manager', 'M01', '--pin-file', pinFile),
    ).toMatchObject({ code: 2, out: { error: { message: expect.stringMatching(/max-discount/) } } });
    expect(
      await posctl('offline', 'set', '--mode', 'limited', '--max-discount', '1', '--max-count', 'many', '--max-total', '1', '--manager', 'M01', '--pin-file', pinFile),
    ).toMatchObject({ code: 2 });
    expect(await posctl('offline', 'set', '--mode', 'sometimes', '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({ code: 2 });
    expect(await posctl('offline', 'set', '--mode', 'off', '--pin-file', pinFile)).toMatchObject({ code: 2, out: { error: { message: '--manager is required' } } });
    expect(await posctl('offline', 'set', '--mode', 'off', '--manager', 'M02', '--pin-file', pinFile)).toMatchObject({
      code: 0,
      out: { policy: { mode: 'off' }, updatedBy: `M02 (posctl: ${osUser})` },
    });
  });

  it('manager actions need the manager’s PIN: none, a wrong one or an unknown manager changes nothing (exit 5)', async () => {
    const before = (await posctl('offline', 'policy')).out;
    const wrong = join(tempDir(), 'wrong.txt');
    writeFileSync(wrong, '999999\n');
    const loose = ['offline', 'set', '--mode', 'limited', '--max-discount', '10000', '--max-count', '100000', '--max-total', '10000'];
    expect(await posctl(...loose, '--manager', 'NOBODY')).toMatchObject({ code: 2, out: { error: { message: expect.stringMatching(/--pin-file/) } } });
    expect(await posctl(...loose, '--manager', 'NOBODY', '--pin-file', pinFile)).toMatchObject({ code: 5, out: { error: { kind: 'manager_pin', code: 'PIN_REJECTED' } } });
    expect(await posctl(...loose, '--manager', 'M01', '--pin-file', wrong)).toMatchObject({ code: 5, out: { error: { code: 'PIN_REJECTED' } } });
    for (const argv of [
      ['coupon', 'return', 'X1', '--manager', 'M01'],
      ['coupon', 'deactivate', 'X1', '--manager', 'M01'],
      ['queue', 'retry', 'OP1', '--manager', 'M01'],
      ['queue', 'ack', 'OP1', '--manager', 'M01'],
      ['shift', 'close', '--till', 'T09', '--manager', 'M01'],
    ]) {
      expect(await posctl(...argv, '--pin-file', wrong), argv.join(' ')).toMatchObject({ code: 5 });
    }
    // Five wrong PINs: the lock fell, and now the right PIN is refused too.
    expect(await posctl(...loose, '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({ code: 5, out: { error: { code: 'PIN_LOCKED' } } });
    expect((await posctl('offline', 'policy')).out).toEqual(before);
  });

  it('no key material in the data dir, logs or anything posctl printed', () => {
    const keyPem = readFileSync(sim.credentials.files.merchant_private_key, 'utf8');
    const apiv3 = readFileSync(sim.credentials.files.apiv3_key, 'utf8').trim();
    const keyLines = keyPem.split('\n').filter((l) => l.length > 40);
    let everything = printed.join('\n');
    for (const name of readdirSync(data, { recursive: true }) as string[]) {
      const p = join(data, name);
      if (statSync(p).isFile()) everything += readFileSync(p).toString('latin1');
    }
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(apiv3);
    for (const line of keyLines) expect(everything).not.toContain(line);
    expect(everything).not.toMatch(/PRIVATE KEY/);
  });
});
