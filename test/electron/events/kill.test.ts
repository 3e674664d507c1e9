import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import type { DeliveryRecord } from '../../../electron/simulator/index';
import { tempDir } from '../../helpers/context';
import { freePort, startEventsServerProcess, stopProcess, type EventsServerProcess } from '../../helpers/events-server-process';
import { startTestSim } from '../simulator/support/sim';
import { pointSimulatorAt, seedOf } from './support';

// The server as its own process, killed with SIGKILL while the simulator's deliveries are in
// flight, twice, and started again on the same port: WeChat's retries (here every 3 s) bring
// every notification in, each is stored exactly once, and none the server answered with
// success is missing from the database.
let server: EventsServerProcess | undefined;
afterEach(() => stopProcess(server?.process));

describe('events server killed mid-write', () => {
  it('stores every notification exactly once and loses none it answered with success', async () => {
    const sim = await startTestSim({ notifyTimeScale: 0.05, seedUsers: 6 });
    const dataDir = tempDir('events-kill-');
    const creds = join(tempDir('events-kill-creds-'), 'creds.json');
    writeFileSync(creds, JSON.stringify(sim.credentials));
    const lines: string[] = [];
    expect(await runPosctl(['provision', '--creds', creds, '--training'], (l) => lines.push(l), { ...process.env, POS_DATA_DIR: dataDir })).toBe(0);
    const port = await freePort();
    server = await startEventsServerProcess(dataDir, ['--port', String(port)]);
    await pointSimulatorAt(sim, server.notifyUrl);

    const seed = seedOf(sim);
    const stock = seed.stocks.find((s) => s.coupon_code_mode === 'WECHATPAY_MODE')!.stock_id;
    const codes: string[] = [];
    const send = (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = sim.admin.receiveCoupon({ stock_id: stock, user_id: seed.users[codes.length % seed.users.length]!.user_id });
        if (!r.ok) throw new Error(r.message);
        codes.push((r.body as { send_coupon_result: { coupon_code: string } }).send_coupon_result.coupon_code);
      }
    };
    for (let round = 0; round < 3; round++) {
      send(60);
      if (round === 2) break;
      // Some of this burst is being verified, stored or answered right now.
      await new Promise((r) => setTimeout(r, 30));
      await stopProcess(server.process, 'SIGKILL');
      server = await startEventsServerProcess(dataDir, ['--port', String(port)]);
    }

    const settled = await Promise.all(codes.map((code) => sim.admin.waitForNotification((r) => r.coupon_code === code && r.state !== 'pending')));
    expect(settled.filter((r) => r.state !== 'delivered')).toEqual([]);
    const retried = settled.filter((r) => r.attempts.length > 1);
    expect(retried.length).toBeGreaterThan(0);
    await stopProcess(server.process);

    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    const stored = db.prepare('SELECT id FROM notifications').all() as { id: string }[];
    const directory = db.prepare('SELECT coupon_code FROM coupon_codes WHERE stock_id = ?').all(stock) as { coupon_code: string }[];
    db.close();
    expect(stored).toHaveLength(codes.length);
    const ids = new Set(stored.map((r) => r.id));
    const answeredOk = (r: DeliveryRecord) => r.attempts.some((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
    expect(settled.filter(answeredOk).filter((r) => !ids.has(r.notification_id))).toEqual([]);
    expect(new Set(directory.map((r) => r.coupon_code))).toEqual(new Set(codes));
  }, 120_000);
});
