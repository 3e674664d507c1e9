// COUPON.SEND notifications reach a real local receiver, verify and decrypt with the protocol
// core's NotificationParser, and are retried on the documented schedule (compressed) until the
// receiver answers 2xx — or given up after 11 deliveries.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NotificationParser, ResponseVerifier, type KeyResolver } from '../../../electron/wechatpay/index';
import type { RunningSimulator } from '../../../electron/simulator/index';
import type { SeedSummary } from '../../../electron/simulator/state/index';
import { adminFetch, BASE, onCleanup, post, resolverFor, startTestSim } from './support/sim';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A merchant's notify endpoint: answers with the next status from `statuses` (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status < 300 ? '' : JSON.stringify({ code: 'FAIL', message: '失败' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(() => resolve())));
  // The notify URL must be https; the simulator delivers loopback URLs over plain HTTP when allowed.
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/wxpay/notify`, received };
}

const seedOf = (sim: RunningSimulator) => sim.credentials.seed as SeedSummary;
const wechatpayStock = (sim: RunningSimulator) => seedOf(sim).stocks.find((s) => s.coupon_code_mode === 'WECHATPAY_MODE')?.stock_id as string;

async function setNotifyUrl(sim: RunningSimulator, url: string): Promise<void> {
  const answer = await post(sim, `${BASE}/callbacks`, { mchid: sim.credentials.mchid, notify_url: url });
  expect(answer.status).toBe(200);
}

async function sendCoupon(sim: RunningSimulator, requestNo: string): Promise<string> {
  const user = seedOf(sim).users[0];
  const answer = await post(sim, `${BASE}/coupons/send`, { openid: user?.openid, appid: seedOf(sim).appid, stock_id: wechatpayStock(sim), out_request_no: requestNo });
  expect(answer.status).toBe(200);
  return (answer.json?.send_coupon_result as { coupon_code: string }).coupon_code;
}

function parser(sim: RunningSimulator, resolver: KeyResolver = resolverFor(sim)): NotificationParser {
  return new NotificationParser({ verifier: new ResponseVerifier(resolver), apiv3Key: readFileSync(sim.credentials.files.apiv3_key, 'utf8') });
}

describe('COUPON.SEND notifications', () => {
  it('arrive signed and encrypted, and open with the merchant APIv3 key', async () => {
    const sim = await startTestSim({ allowHttpCallbacks: true });
    const merchant = await receiver([204]);
    await setNotifyUrl(sim, merchant.url);
    const code = await sendCoupon(sim, 'NOTIFYSEND1');
    const record = await sim.admin.waitForNotification((r) => r.coupon_code === code && r.state !== 'pending');
    expect(record).toMatchObject({ state: 'delivered', url: merchant.url, stock_id: wechatpayStock(sim) });
    expect(record.attempts).toHaveLength(1);
    expect(merchant.received).toHaveLength(1);
    const { headers, body } = merchant.received[0] as Received;
    const event = await parser(sim).parse<Record<string, unknown>>(headers, body);
    expect(event).toMatchObject({ id: record.notification_id, event_type: 'COUPON.SEND', resource_type: 'encrypt-resource', summary: '商家券领券通知', original_type: 'coupon' });
    expect(event.verifiedBy).toEqual({ serial: sim.credentials.wechatpay_public_key_id, mode: 'public_key' });
    expect(event.resource).toMatchObject({
      event_type: 'EVENT_TYPE_BUSICOUPON_SEND',
      coupon_code: code,
      stock_id: wechatpayStock(sim),
      send_channel: 'BUSICOUPON_SEND_CHANNEL_API',
      send_merchant: sim.credentials.mchid,
      openid: seedOf(sim).users[0]?.openid,
    });
    expect(JSON.parse(body.toString()).resource.associated_data).toBe('coupon');
  });

  it('are retried until the receiver answers 2xx, with the same id each time', async () => {
    const sim = await startTestSim({ allowHttpCallbacks: true, notifyTimeScale: 0.001 });
    const merchant = await receiver([500, 503, 200]);
    await setNotifyUrl(sim, merchant.url);
    const code = await sendCoupon(sim, 'NOTIFYRETRY1');
    const record = await sim.admin.waitForNotification((r) => r.coupon_code === code && r.state !== 'pending');
    expect(record.state).toBe('delivered');
    expect(record.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    const ids = await Promise.all(merchant.received.map(async (r) => (await parser(sim).parse(r.headers, r.body)).id));
    expect(ids).toEqual([record.notification_id, record.notification_id, record.notification_id]);
  });

  it('stop after 11 deliveries when the receiver keeps failing', async () => {
    const sim = await startTestSim({ allowHttpCallbacks: true, notifyTimeScale: 0.0005 });
    const merchant = await receiver([500]);
    await setNotifyUrl(sim, merchant.url);
    const code = await sendCoupon(sim, 'NOTIFYGIVEUP1');
    const record = await sim.admin.waitForNotification((r) => r.coupon_code === code && r.state !== 'pending');
    expect(record.state).toBe('failed');
    expect(record.attempts).toHaveLength(11);
    expect(merchant.received).toHaveLength(11);
  });

  it('follow an admin "customer receives coupon" too, signed by the platform certificate in cert mode', async () => {
    const sim = await startTestSim({ allowHttpCallbacks: true, mode: 'cert' });
    const merchant = await receiver([200]);
    await setNotifyUrl(sim, merchant.url);
    const received = sim.admin.receiveCoupon({ stock_id: wechatpayStock(sim), user_id: seedOf(sim).users[1]?.user_id as string });
    expect(received.ok).toBe(true);
    const code = (received.ok ? (received.body as { send_coupon_result: { coupon_code: string } }) : undefined)?.send_coupon_result.coupon_code;
    const record = await sim.admin.waitForNotification((r) => r.coupon_code === code && r.state !== 'pending');
    expect(record.state).toBe('delivered');
    const { headers, body } = merchant.received[0] as Received;
    const event = await parser(sim, resolverFor(sim, 'cert')).parse<Record<string, unknown>>(headers, body);
    expect(event.verifiedBy).toEqual({ serial: sim.credentials.platform_serial, mode: 'certificate' });
    expect(event.resource).toMatchObject({ coupon_code: code, send_channel: 'BUSICOUPON_SEND_CHANNEL_MINIAPP' });
  });

  it('go out over TLS unless the admin flag allows plain HTTP to loopback, and are logged either way', async () => {
    const sim = await startTestSim();
    const merchant = await receiver([200]);
    await setNotifyUrl(sim, merchant.url);
    const code = await sendCoupon(sim, 'NOTIFYTLS1');
    // The receiver speaks plain HTTP, so the TLS attempt fails and waits for its retry.
    const record = await sim.admin.waitForNotification((r) => r.coupon_code === code && r.attempts.length > 0);
    expect(record.state).toBe('pending');
    expect(record.attempts[0]?.error).toBeTruthy();
    expect(merchant.received).toHaveLength(0);

    const flag = await adminFetch(sim, 'settings', { method: 'POST', body: JSON.stringify({ allow_http_callbacks: true }) });
    expect(await flag.json()).toMatchObject({ allow_http_callbacks: true });
    const second = await sendCoupon(sim, 'NOTIFYALLOWED1');
    expect((await sim.admin.waitForNotification((r) => r.coupon_code === second && r.state !== 'pending')).state).toBe('delivered');
    const log = (await (await adminFetch(sim, 'notifications')).json()) as { data: { coupon_code: string; state: string }[] };
    expect(log.data.map((r) => [r.coupon_code, r.state])).toEqual([
      [code, 'pending'],
      [second, 'delivered'],
    ]);
  });

  it('are skipped (and logged) when no notify URL is set', async () => {
    const sim = await startTestSim({ allowHttpCallbacks: true });
    const code = await sendCoupon(sim, 'NOTIFYNOURL1');
    const record = await sim.admin.waitForNotification((r) => r.coupon_code === code);
    expect(record).toMatchObject({ state: 'skipped', reason: 'no notify URL set for the creator merchant' });
  });
});
