// `--state DIR`: the state is on disk before the answer that reports a change leaves, written
// by rename (no torn or temp files left), and a simulator restarted on the same directory has
// the same keys, the same coupons and the same answers for replayed request numbers.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningSimulator, SeedWithPartner } from '../../../electron/simulator/index';
import type { SeedCoupon, SimSnapshot } from '../../../electron/simulator/state/index';
import { spawnSim } from './support/cli';
import { adminFetch, BASE, post, startTestSim, verify } from './support/sim';

const freshDir = () => mkdtempSync(join(tmpdir(), 'sim-state-test-'));
const seedOf = (sim: RunningSimulator) => sim.credentials.seed as SeedWithPartner;

function firstSended(sim: RunningSimulator): SeedCoupon {
  const c = seedOf(sim).coupons.SENDED.find((x) => x.coupon_code_mode === 'WECHATPAY_MODE');
  if (!c) throw new Error('no SENDED coupon in the seed');
  return c;
}

function useBody(sim: RunningSimulator, coupon: SeedCoupon, requestNo: string) {
  return { coupon_code: coupon.coupon_code, stock_id: coupon.stock_id, appid: seedOf(sim).appid, use_time: '2026-02-01T10:00:00+08:00', use_request_no: requestNo };
}

function savedCoupon(dir: string, coupon: SeedCoupon) {
  const snapshot = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SimSnapshot;
  return snapshot.coupons.find((c) => c.stock_id === coupon.stock_id && c.coupon_code === coupon.coupon_code);
}

describe('in memory (no --state)', () => {
  it('writes throwaway credential files for clients and removes them on close', async () => {
    const sim = await startTestSim();
    const { files } = sim.credentials;
    expect(readFileSync(files.merchant_private_key, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(readFileSync(files.apiv3_key, 'utf8')).toMatch(/^[A-Za-z0-9]{32}$/);
    await sim.close();
    expect(existsSync(files.merchant_private_key)).toBe(false);
  });
});

describe('--state DIR', () => {
  it('writes each change before answering, atomically', async () => {
    const dir = freshDir();
    const sim = await startTestSim({ stateDir: dir });
    const coupon = firstSended(sim);
    expect(savedCoupon(dir, coupon)?.coupon_state).toBe('SENDED');
    const used = await post(sim, `${BASE}/coupons/use`, useBody(sim, coupon, 'PERSISTUSE1'));
    expect(used.status).toBe(200);
    // Read while the simulator still runs: the answer implies the file already says so.
    expect(savedCoupon(dir, coupon)).toMatchObject({ coupon_state: 'USED', use_request_no: 'PERSISTUSE1' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('restarts with the same keys, coupons and replay answers', async () => {
    const dir = freshDir();
    const first = await startTestSim({ stateDir: dir, seed: 9 });
    const coupon = firstSended(first);
    const used = await post(first, `${BASE}/coupons/use`, useBody(first, coupon, 'PERSISTUSE2'));
    expect(used.status).toBe(200);
    const before = first.credentials;
    await first.close();

    // No `keys` this time: everything must come from the directory.
    const second = await startTestSim({ stateDir: dir, keys: undefined });
    expect(second.credentials).toMatchObject({
      mchid: before.mchid,
      merchant_serial: before.merchant_serial,
      wechatpay_public_key_id: before.wechatpay_public_key_id,
      platform_serial: before.platform_serial,
      files: before.files,
    });
    expect(second.credentials.seed).toEqual(before.seed);
    expect(second.state.coupon(coupon.stock_id, coupon.coupon_code)?.coupon_state).toBe('USED');
    const replay = await post(second, `${BASE}/coupons/use`, useBody(second, coupon, 'PERSISTUSE2'));
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual(used.json);
    expect(verify(second, replay).ok).toBe(true);
    const fresh = await post(second, `${BASE}/coupons/use`, useBody(second, coupon, 'PERSISTUSE3'));
    expect(fresh.status).toBe(400);
    expect(second.state.requestNumbers().find((r) => r.request_no === 'PERSISTUSE2')).toMatchObject({ changes: 1, replays: 1 });
  });

  it('keeps a rotated platform certificate across a restart', async () => {
    const dir = freshDir();
    const first = await startTestSim({ stateDir: dir, mode: 'cert' });
    const { serial } = await first.admin.rotateCertificate();
    await first.close();
    const second = await startTestSim({ stateDir: dir, mode: 'cert', keys: undefined });
    expect(second.credentials.platform_serial).toBe(serial);
    const download = await adminFetch(second, 'state');
    expect(((await download.json()) as { platform_serials: string[] }).platform_serials).toHaveLength(2);
  });

  it('works through `npm run sim -- --state DIR`: same identity after a restart', async () => {
    const dir = freshDir();
    const first = await spawnSim(['--state', dir, '--seed', '4']);
    await first.stop();
    const second = await spawnSim(['--state', dir]);
    await second.stop();
    expect(second.credentials.mchid).toBe(first.credentials.mchid);
    expect(second.credentials.merchant_serial).toBe(first.credentials.merchant_serial);
    expect(second.credentials.seed).toEqual(first.credentials.seed);
    expect(second.credentials.files.merchant_private_key).toBe(join(dir, 'apiclient_key.pem'));
  }, 60_000);
});

describe('--state DIR without keys (persistKeys: false, as training uses it)', () => {
  it('keeps the merchant and its coupons, drops key files an earlier run left, and writes new ones only to a temp dir', async () => {
    const dir = freshDir();
    const first = await startTestSim({ stateDir: dir });
    const { mchid, appid } = first.credentials;
    expect(existsSync(join(dir, 'apiclient_key.pem'))).toBe(true);
    await first.close();

    const second = await startTestSim({ stateDir: dir, persistKeys: false, keys: undefined });
    try {
      expect(second.credentials).toMatchObject({ mchid, appid });
      expect(readdirSync(dir).filter((f) => /key|\.pem$/.test(f))).toEqual([]);
      expect(second.credentials.files.merchant_private_key.startsWith(dir)).toBe(false);
      expect(readFileSync(second.credentials.files.merchant_private_key, 'utf8')).toContain('PRIVATE KEY');
      expect(seedOf(second).coupons.SENDED.length).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
    expect(existsSync(second.credentials.files.merchant_private_key)).toBe(false);
  }, 30_000);
});
