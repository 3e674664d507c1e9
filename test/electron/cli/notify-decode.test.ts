import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import type { SeedSummary } from '../../../electron/simulator';
import { tempDir } from '../../helpers/context';
import { BASE, post, startTestSim } from '../simulator/support/sim';

// A real COUPON.SEND notification from the simulator, saved to files as IT would, decoded by
// `posctl notify decode` with the till's own keys; a tampered copy is a security failure (exit 5).
describe('posctl notify decode', () => {
  it('verifies and decrypts a saved notification; a tampered body exits 5', async () => {
    const sim = await startTestSim({ allowHttpCallbacks: true });
    const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const seed = sim.credentials.seed as SeedSummary;
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
      expect((await post(sim, `${BASE}/callbacks`, { mchid: sim.credentials.mchid, notify_url: url })).status).toBe(200);
      const stock = seed.stocks.find((s) => s.coupon_code_mode === 'WECHATPAY_MODE')!.stock_id;
      await post(sim, `${BASE}/coupons/send`, { openid: seed.users[0]!.openid, appid: seed.appid, stock_id: stock, out_request_no: 'POSCTLNOTIFY1' });
      await sim.admin.waitForNotification((r) => r.state !== 'pending');
      expect(received).toHaveLength(1);

      const dir = tempDir();
      const data = tempDir();
      const creds = join(dir, 'creds.json');
      writeFileSync(creds, JSON.stringify(sim.credentials));
      const headers = join(dir, 'headers.json');
      const body = join(dir, 'body.json');
      writeFileSync(headers, JSON.stringify(received[0]!.headers));
      writeFileSync(body, received[0]!.body);
      const run = async (...argv: string[]) => {
        const lines: string[] = [];
        const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: data });
        return { code, out: JSON.parse(lines.at(-1)!) };
      };
      const provisioned = await run('provision', '--creds', creds, '--training');
      expect(provisioned.out).toMatchObject({ ok: true });
      const ok = await run('notify', 'decode', '--headers', headers, '--body', body);
      expect(ok.out.error).toBeUndefined();
      expect(ok).toMatchObject({ code: 0, out: { event: { event_type: 'COUPON.SEND', resource: { stock_id: stock, event_type: 'EVENT_TYPE_BUSICOUPON_SEND' } } } });
      writeFileSync(body, received[0]!.body.toString().replace('COUPON.SEND', 'COUPON.SENT'));
      const bad = await run('notify', 'decode', '--headers', headers, '--body', body);
      expect(bad.code).toBe(5);
      expect(bad.out.error.kind).toBe('security');
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 60_000);

  it('a notification saved an hour ago verifies against --received-at; without it the live ±300 s rule refuses it', async () => {
    // The simulator signs as of an hour ago: what the till saved then is what IT decodes now.
    const hourAgo = () => Date.now() - 3_600_000;
    const sim = await startTestSim({ allowHttpCallbacks: true, now: hourAgo });
    const earlier = { timestampOffsetSeconds: -3_600 };
    const received: { headers: IncomingHttpHeaders; body: Buffer; at: number }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks), at: hourAgo() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const seed = sim.credentials.seed as SeedSummary;
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
      expect((await post(sim, `${BASE}/callbacks`, { mchid: sim.credentials.mchid, notify_url: url }, earlier)).status).toBe(200);
      const stock = seed.stocks.find((s) => s.coupon_code_mode === 'WECHATPAY_MODE')!.stock_id;
      await post(sim, `${BASE}/coupons/send`, { openid: seed.users[0]!.openid, appid: seed.appid, stock_id: stock, out_request_no: 'POSCTLNOTIFY2' }, earlier);
      await sim.admin.waitForNotification((r) => r.state !== 'pending');
      expect(received).toHaveLength(1);

      const dir = tempDir();
      const data = tempDir();
      const creds = join(dir, 'creds.json');
      writeFileSync(creds, JSON.stringify(sim.credentials));
      const headers = join(dir, 'headers.json');
      const body = join(dir, 'body.json');
      writeFileSync(headers, JSON.stringify(received[0]!.headers));
      writeFileSync(body, received[0]!.body);
      const run = async (...argv: string[]) => {
        const lines: string[] = [];
        const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: data });
        return { code, out: JSON.parse(lines.at(-1)!) };
      };
      expect((await run('provision', '--creds', creds, '--training')).code).toBe(0);
      const decode = (...extra: string[]) => run('notify', 'decode', '--headers', headers, '--body', body, ...extra);

      const live = await decode();
      expect(live).toMatchObject({ code: 5, out: { error: { kind: 'security', message: expect.stringMatching(/300 s/) } } });
      const at = new Date(received[0]!.at + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
      expect(await decode('--received-at', at)).toMatchObject({ code: 0, out: { event: { event_type: 'COUPON.SEND', resource: { stock_id: stock } } } });
      expect(await decode('--received-at', String(Math.floor(received[0]!.at / 1000)))).toMatchObject({ code: 0 });
      // The time of receipt has to be right to the window, and the signature still has to match.
      expect(await decode('--received-at', new Date().toISOString())).toMatchObject({ code: 5 });
      expect(await decode('--received-at', 'yesterday')).toMatchObject({ code: 2, out: { error: { message: expect.stringMatching(/--received-at/) } } });
      expect(await decode('--received-at', '2026-03-01T10:00:00')).toMatchObject({ code: 2 });
      writeFileSync(body, received[0]!.body.toString().replace('COUPON.SEND', 'COUPON.SENT'));
      expect(await decode('--received-at', at)).toMatchObject({ code: 5, out: { error: { kind: 'security' } } });
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 60_000);
});
