// Shared set-up for the events server's tests: a simulator (the WeChat Pay that delivers
// COUPON.SEND), an events server in this process on a fresh SQLite file, and hand-made
// deliveries signed and sealed with the simulator's own keys (for the tampering cases).
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { request } from 'undici';
import type { RunningSimulator, SeedSummary } from '../../../electron/simulator/index';
import { aeadEncrypt, NotificationParser, ResponseSigner, ResponseVerifier } from '../../../electron/wechatpay/index';
import { formatChinaRfc3339 } from '../../../shared/time';
import type { DirectoryStore } from '../../../electron/events/directory-store';
import { NotificationReceiver } from '../../../electron/events/notifications';
import { SqliteStore } from '../../../electron/events/sqlite-store';
import { startEventsServer, type EventsServer } from '../../../electron/events/server';
import { issueCredential } from '../../../electron/events/till-credentials';
import { silentLogger } from '../../../electron/log/logger';
import { tempDir } from '../../helpers/context';
import { onCleanup, post, resolverFor, testKeys, BASE } from '../simulator/support/sim';

export const seedOf = (sim: RunningSimulator) => sim.credentials.seed as SeedSummary;

export async function startServer(
  sim: RunningSimulator,
  store: DirectoryStore = new SqliteStore(join(tempDir('events-'), 'events.sqlite')),
): Promise<{ server: EventsServer; store: DirectoryStore }> {
  const keys = await testKeys();
  const receiver = new NotificationReceiver({
    parser: new NotificationParser({ verifier: new ResponseVerifier(resolverFor(sim)), apiv3Key: keys.apiv3Key }),
    store,
    log: silentLogger,
  });
  const server = await startEventsServer({ store, receiver, log: silentLogger });
  onCleanup(async () => {
    await server.close();
    await store.close();
  });
  return { server, store };
}

/** The simulator delivers to `https://127.0.0.1:port/…` over plain HTTP (loopback, allowed in tests). */
export async function pointSimulatorAt(sim: RunningSimulator, notifyUrl: string): Promise<void> {
  sim.admin.settings({ allow_http_callbacks: true });
  const answer = await post(sim, `${BASE}/callbacks`, { mchid: sim.credentials.mchid, notify_url: notifyUrl.replace(/^http:/, 'https:') });
  if (answer.status !== 200) throw new Error(`callbacks.set answered ${answer.status}`);
}

/** A stock like the seeded ones but with no `notify_config`: its COUPON.SEND carries no openid. */
export function stockWithoutNotifyAppid(sim: RunningSimulator): string {
  const now = Date.now();
  const result = sim.state.createStock(sim.credentials.mchid, {
    stock_name: '无通知AppID的券',
    belong_merchant: sim.credentials.mchid,
    goods_name: '全场通用',
    stock_type: 'NORMAL',
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: formatChinaRfc3339(new Date(now - 86_400_000)), available_end_time: formatChinaRfc3339(new Date(now + 90 * 86_400_000)) },
      use_method: 'OFF_LINE',
      fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 1000 },
    },
    stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 50 },
    coupon_code_mode: 'WECHATPAY_MODE',
    out_request_no: `NOAPPID${now}`,
  });
  if (!result.ok) throw new Error(`stock not created: ${result.message}`);
  return (result.body as { stock_id: string }).stock_id;
}

export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** A COUPON.SEND as WeChat would send it, sealed with `apiv3Key` and signed with the simulator's WeChat Pay key. */
export async function delivery(resource: Record<string, unknown>, options: { id?: string; apiv3Key?: string; eventType?: string; timestamp?: number } = {}): Promise<Delivery> {
  const keys = await testKeys();
  const nonce = 'n0nce1234567';
  const body = JSON.stringify({
    id: options.id ?? `EV-${Math.random().toString(36).slice(2)}`,
    create_time: formatChinaRfc3339(new Date()),
    resource_type: 'encrypt-resource',
    event_type: options.eventType ?? 'COUPON.SEND',
    summary: '商家券领券通知',
    resource: {
      original_type: 'coupon',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: aeadEncrypt({ key: options.apiv3Key ?? keys.apiv3Key, nonce, associatedData: 'coupon', plaintext: JSON.stringify(resource) }),
      associated_data: 'coupon',
      nonce,
    },
  });
  return { headers: await sign(body, options.timestamp), body };
}

export async function sign(body: string, timestamp?: number): Promise<Record<string, string>> {
  const keys = await testKeys();
  const signer = new ResponseSigner({ serial: keys.wechatpayPublicKey.id, privateKey: createPrivateKey(keys.wechatpayPublicKey.privateKeyPem) });
  return signer.sign(body, timestamp === undefined ? {} : { timestamp });
}

export async function deliver(server: EventsServer, d: { headers: Record<string, string>; body: string | Buffer }): Promise<{ status: number; json: unknown }> {
  const res = await request(server.notifyUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...d.headers }, body: d.body });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

export async function tillCredential(store: DirectoryStore, tillId = 'T01', storeId = 'S001', role: 'till' | 'report' = 'till'): Promise<string> {
  return (await issueCredential(store, { role, tillId, storeId, now: Date.now() })).token;
}

export async function lookupCode(
  server: EventsServer,
  code: string,
  token?: string,
): Promise<{ status: number; json: { entries?: { stock_id: string; openid: string | null; source: string }[]; code?: string } }> {
  const res = await request(`${server.url}/v1/codes/${encodeURIComponent(code)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, json: (await res.body.json()) as never };
}
