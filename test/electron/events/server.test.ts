// The events server on real loopback HTTP with a real SQLite file: the simulator's COUPON.SEND
// deliveries (signed, encrypted, retried) are stored before the answer and fill the directory;
// a resend is success and stored once; every kind of tampering is a failure answer with nothing
// stored; and the directory answers only tills with a live credential.
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { ResponseSigner } from '../../../electron/wechatpay/index';
import { startTestSim } from '../simulator/support/sim';
import { deliver, delivery, lookupCode, pointSimulatorAt, seedOf, sign, startServer, stockWithoutNotifyAppid, tillCredential } from './support';

const stockWithAppid = (sim: Awaited<ReturnType<typeof startTestSim>>) => seedOf(sim).stocks.find((s) => s.coupon_code_mode === 'WECHATPAY_MODE')!.stock_id;

describe('events server: COUPON.SEND from the simulator', () => {
  it('stores each delivery, with the owner when the stock has notify_appid and without when it has none', async () => {
    const sim = await startTestSim({ notifyTimeScale: 0.001 });
    const { server, store } = await startServer(sim);
    await pointSimulatorAt(sim, server.notifyUrl);
    const token = await tillCredential(store);
    const user = seedOf(sim).users[0]!;

    const withOwner = sim.admin.receiveCoupon({ stock_id: stockWithAppid(sim), user_id: user.user_id });
    const noAppid = stockWithoutNotifyAppid(sim);
    const withoutOwner = sim.admin.receiveCoupon({ stock_id: noAppid, user_id: user.user_id });
    expect(withOwner.ok && withoutOwner.ok).toBe(true);
    const codeOf = (r: typeof withOwner) => (r as { body: { send_coupon_result: { coupon_code: string } } }).body.send_coupon_result.coupon_code;
    for (const code of [codeOf(withOwner), codeOf(withoutOwner)]) {
      const record = await sim.admin.waitForNotification((r) => r.coupon_code === code && r.state !== 'pending');
      expect(record.state).toBe('delivered');
      expect(record.attempts.at(-1)?.status).toBe(204);
    }

    const owned = await lookupCode(server, codeOf(withOwner), token);
    expect(owned.status).toBe(200);
    expect(owned.json.entries).toEqual([expect.objectContaining({ stock_id: stockWithAppid(sim), openid: user.openid, source: 'send', send_channel: expect.any(String) })]);
    const anonymous = await lookupCode(server, codeOf(withoutOwner), token);
    expect(anonymous.json.entries).toEqual([expect.objectContaining({ stock_id: noAppid, openid: null, source: 'send' })]);
    expect((await lookupCode(server, 'NOSUCHCODE', token)).json.entries).toEqual([]);
    expect(await store.notificationCount()).toBe(2);
  });

  it('certificate mode: deliveries signed with the platform certificate are verified and stored too', async () => {
    const sim = await startTestSim({ mode: 'cert', notifyTimeScale: 0.001 });
    const { server, store } = await startServer(sim);
    await pointSimulatorAt(sim, server.notifyUrl);
    const sent = sim.admin.receiveCoupon({ stock_id: stockWithAppid(sim), user_id: seedOf(sim).users[0]!.user_id });
    const code = (sent as { body: { send_coupon_result: { coupon_code: string } } }).body.send_coupon_result.coupon_code;
    expect((await sim.admin.waitForNotification((r) => r.coupon_code === code && r.state !== 'pending')).state).toBe('delivered');
    expect(await store.lookup(code)).toEqual([expect.objectContaining({ stockId: stockWithAppid(sim), openid: seedOf(sim).users[0]!.openid })]);
  });

  it('a delivery answered with a failure is retried by the simulator and stores nothing; the next, to the right path, is stored', async () => {
    const sim = await startTestSim({ notifyTimeScale: 0.001 });
    const { server, store } = await startServer(sim);
    // First point the simulator at a path the server refuses (404 → failure), then at the real one.
    await pointSimulatorAt(sim, `${server.url}/wrong-path`);
    const sent = sim.admin.receiveCoupon({ stock_id: stockWithAppid(sim), user_id: seedOf(sim).users[1]!.user_id });
    const code = (sent as { body: { send_coupon_result: { coupon_code: string } } }).body.send_coupon_result.coupon_code;
    const failed = await sim.admin.waitForNotification((r) => r.coupon_code === code && r.state === 'failed');
    expect(failed.attempts.every((a) => a.status === 404)).toBe(true);
    expect(await store.notificationCount()).toBe(0);
    await pointSimulatorAt(sim, server.notifyUrl);
    const again = sim.admin.receiveCoupon({ stock_id: stockWithAppid(sim), user_id: seedOf(sim).users[1]!.user_id });
    const code2 = (again as { body: { send_coupon_result: { coupon_code: string } } }).body.send_coupon_result.coupon_code;
    expect((await sim.admin.waitForNotification((r) => r.coupon_code === code2 && r.state !== 'pending')).state).toBe('delivered');
    expect(await store.notificationCount()).toBe(1);
  });

  it('a notification delivered twice (WeChat resends) is success both times and stored once', async () => {
    const sim = await startTestSim();
    const { server, store } = await startServer(sim);
    const d = await delivery({ event_type: 'EVENT_TYPE_BUSICOUPON_SEND', coupon_code: 'DUP000000001', stock_id: '1212000000000001', openid: 'o-first' }, { id: 'EV-DUPLICATE-1' });
    expect((await deliver(server, d)).status).toBe(204);
    // WeChat signs each delivery afresh: same body, new timestamp and nonce.
    expect((await deliver(server, { headers: await sign(d.body), body: d.body })).status).toBe(204);
    expect(await store.notificationCount()).toBe(1);
    expect(await store.lookup('DUP000000001')).toHaveLength(1);
  });
});

describe('events server: tampered or malformed deliveries are failure answers, nothing stored, server up', () => {
  const resource = { event_type: 'EVENT_TYPE_BUSICOUPON_SEND', coupon_code: 'TAMPER000001', stock_id: '1212000000000001', openid: 'o-x' };

  const cases: [string, (d: { headers: Record<string, string>; body: string }) => Promise<{ headers: Record<string, string>; body: string | Buffer }>, number][] = [
    ['tampered signature', async (d) => ({ ...d, headers: { ...d.headers, 'Wechatpay-Signature': flip(d.headers['Wechatpay-Signature']!) } }), 401],
    [
      'a signature by an unknown serial',
      async (d) => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return { body: d.body, headers: new ResponseSigner({ serial: 'PUB_KEY_ID_0114232134912410000000000000000', privateKey }).sign(d.body) };
      },
      401,
    ],
    ['a stale timestamp', async (d) => ({ body: d.body, headers: await sign(d.body, Math.floor(Date.now() / 1000) - 301) }), 401],
    ['a changed ciphertext byte (not re-signed)', async (d) => ({ ...d, body: changeCiphertext(d.body) }), 401],
    ['a changed ciphertext byte (re-signed)', async (d) => ({ body: changeCiphertext(d.body), headers: await sign(changeCiphertext(d.body)) }), 500],
    ['a wrong APIv3 key', async () => delivery(resource, { apiv3Key: 'A'.repeat(32) }), 500],
    ['a 1 MB body', async (d) => ({ headers: d.headers, body: Buffer.alloc(1024 * 1024, 0x61) }), 413],
    ['a non-JSON body (signed)', async () => ({ body: 'not json at all', headers: await sign('not json at all') }), 400],
    ['a non-JSON body (unsigned)', async () => ({ body: '<xml>nope</xml>', headers: {} }), 401],
    ['an event type this server does not handle', async () => delivery(resource, { eventType: 'COUPON.USE' }), 400],
    ['a resource without coupon_code', async () => delivery({ stock_id: '1212000000000001' }), 400],
  ];

  it.each(cases)('%s', async (_name, tamper, status) => {
    const sim = await startTestSim();
    const { server, store } = await startServer(sim);
    const sent = await deliver(server, await tamper(await delivery(resource)));
    expect(sent.status).toBe(status);
    expect(sent.json).toEqual({ code: 'FAIL', message: expect.any(String) });
    expect(await store.notificationCount()).toBe(0);
    expect(await store.lookup('TAMPER000001')).toEqual([]);
    // Still up, and still storing what is genuine.
    expect((await deliver(server, await delivery(resource))).status).toBe(204);
    expect(await store.notificationCount()).toBe(1);
  });
});

describe('events server: who may read the directory', () => {
  it('401 without a credential or with a revoked one; a till credential reaches lookups and pushes only', async () => {
    const sim = await startTestSim();
    const { server, store } = await startServer(sim);
    const till = await tillCredential(store, 'T01');
    const other = await tillCredential(store, 'T02');
    expect((await lookupCode(server, 'ANYCODE0001')).status).toBe(401);
    expect((await lookupCode(server, 'ANYCODE0001', 'evt_0123456789abcdef.' + 'x'.repeat(43))).status).toBe(401);
    expect((await lookupCode(server, 'ANYCODE0001', till)).status).toBe(200);

    const id = /^evt_([0-9a-f]{16})\./.exec(till)![1]!;
    expect(await store.revokeCredential(id, Date.now())).toBe(true);
    expect((await lookupCode(server, 'ANYCODE0001', till)).status).toBe(401);
    // Revoking one till leaves the others working.
    expect((await lookupCode(server, 'ANYCODE0001', other)).status).toBe(200);

    const report = await request(`${server.url}/v1/reports/redemptions.csv`, { headers: { authorization: `Bearer ${other}` } });
    expect(report.statusCode).toBe(403);
    await report.body.dump();
    const push = await request(`${server.url}/v1/operations`, { method: 'POST', headers: { authorization: `Bearer ${other}` }, body: JSON.stringify({ operations: [] }) });
    expect(push.statusCode).toBe(200);
    await push.body.dump();
    const reader = await tillCredential(store, 'finance', 'HQ', 'report');
    expect((await lookupCode(server, 'ANYCODE0001', reader)).status).toBe(403);
  });
});

function flip(text: string): string {
  const i = 10;
  return text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
}

function changeCiphertext(body: string): string {
  const parsed = JSON.parse(body);
  const bytes = Buffer.from(parsed.resource.ciphertext, 'base64');
  bytes[3] = (bytes[3] ?? 0) ^ 0x01;
  parsed.resource.ciphertext = bytes.toString('base64');
  return JSON.stringify(parsed);
}
