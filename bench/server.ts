// bench:server — the events server where it matters, on SQLite and on PostgreSQL.
// 1. Notifications accepted per second: COUPON.SEND deliveries signed and sealed as WeChat
//    sends them (signatures made beforehand, so signing is not counted), 64 in flight over
//    loopback HTTP from another process (server-load.mjs); each one verified, decrypted, stored
//    durably and answered 204.
// 2. Directory lookups: a till's GET /v1/codes/{code} with its credential, one at a time over a
//    kept-alive connection, against the directory those notifications filled; p50 and p99.
// Options: --notifications N (4000), --lookups N (3000), --in-flight N (64), --database URL.
// PostgreSQL is a private server started for the bench (Debian's package, as in the tests), or
// the one given with --database postgres://…. Prints readable lines, then one JSON line last:
// {"sqlite":{"notifications","accepted_per_s","server_cpu_ms_per_notification","server_cpu_capacity_per_s",
//   "lookups","lookup_p50_ms","lookup_p99_ms"},"postgres":{…},"targets":{…},"met":bool}
// The server's CPU time per notification says what one core could take when the machine is
// shared and wall-clock throughput mostly measures the neighbours.
import { createPrivateKey } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import type { DirectoryStore } from '../electron/events/directory-store';
import { NotificationReceiver } from '../electron/events/notifications';
import { PostgresStore } from '../electron/events/postgres-store';
import { startEventsServer } from '../electron/events/server';
import { SqliteStore } from '../electron/events/sqlite-store';
import { issueCredential } from '../electron/events/till-credentials';
import { silentLogger } from '../electron/log/logger';
import { generateKeys } from '../electron/simulator';
import { aeadEncrypt, loadPublicKey, NotificationParser, PublicKeyResolver, ResponseSigner, ResponseVerifier } from '../electron/wechatpay';
import { formatChinaRfc3339 } from '../shared/time';
import { startPostgres } from '../test/helpers/postgres';
import { argValue, percentile, round } from './support';

const NOTIFICATIONS = Number(argValue('notifications') ?? 4000);
const LOOKUPS = Number(argValue('lookups') ?? 3000);
const IN_FLIGHT = Number(argValue('in-flight') ?? 64);
const TARGETS = { sqlite_accepted_per_s: 1000, lookup_p99_ms: 5 };

interface Delivery {
  headers: Record<string, string>;
  body: string;
  code: string;
}

async function deliveries(keys: Awaited<ReturnType<typeof generateKeys>>): Promise<Delivery[]> {
  const signer = new ResponseSigner({ serial: keys.wechatpayPublicKey.id, privateKey: createPrivateKey(keys.wechatpayPublicKey.privateKeyPem) });
  const now = formatChinaRfc3339(new Date());
  return Array.from({ length: NOTIFICATIONS }, (_, i) => {
    const code = `${String(1_000_000_000_000_000_000_000n + BigInt(i)).slice(1)}`;
    const nonce = `nonce${String(i).padStart(7, '0')}`;
    const resource = {
      event_type: 'EVENT_TYPE_BUSICOUPON_SEND',
      coupon_code: code,
      stock_id: '1212000000000001',
      send_time: now,
      openid: `o-bench-${i}`,
      send_channel: 'BUSICOUPON_SEND_CHANNEL_API',
      send_merchant: keys.mchid,
    };
    const body = JSON.stringify({
      id: `BENCH-${i}-${Date.now()}`,
      create_time: now,
      resource_type: 'encrypt-resource',
      event_type: 'COUPON.SEND',
      summary: '商家券领券通知',
      resource: {
        original_type: 'coupon',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: aeadEncrypt({ key: keys.apiv3Key, nonce, associatedData: 'coupon', plaintext: JSON.stringify(resource) }),
        associated_data: 'coupon',
        nonce,
      },
    });
    return { headers: { ...signer.sign(body), 'content-type': 'application/json' }, body, code };
  });
}

async function run(name: string, store: DirectoryStore, keys: Awaited<ReturnType<typeof generateKeys>>, batch: Delivery[], workDir: string) {
  const resolver = new PublicKeyResolver(keys.wechatpayPublicKey.id, loadPublicKey(keys.wechatpayPublicKey.publicKeyPem));
  const receiver = new NotificationReceiver({ parser: new NotificationParser({ verifier: new ResponseVerifier(resolver), apiv3Key: keys.apiv3Key }), store, log: silentLogger });
  const server = await startEventsServer({ store, receiver, log: silentLogger });
  try {
    const work = join(workDir, `${name}-load.json`);
    writeFileSync(
      work,
      JSON.stringify({ origin: server.url, path: new URL(server.notifyUrl).pathname, batch: batch.map(({ headers, body }) => ({ headers, body })), inFlight: IN_FLIGHT }),
    );
    const cpu = process.cpuUsage();
    const child = spawn(process.execPath, [fileURLToPath(new URL('./server-load.mjs', import.meta.url)), work], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load process exited with ${code}`)))));
    const { accepted, seconds } = JSON.parse(out) as { accepted: number; seconds: number };
    if (accepted !== batch.length) throw new Error(`${name}: only ${accepted} of ${batch.length} notifications were accepted`);
    // CPU time of this process (the server alone): what it costs per notification, whatever else the machine ran meanwhile.
    const used = process.cpuUsage(cpu);

    const { token } = await issueCredential(store, { role: 'till', tillId: 'BENCH', storeId: 'S001', now: Date.now() });
    const lookupPool = new Pool(server.url, { connections: 1 });
    const times: number[] = [];
    try {
      for (let i = 0; i < LOOKUPS + 100; i++) {
        const code = batch[(i * 7919) % batch.length]!.code;
        const s = process.hrtime.bigint();
        const res = await lookupPool.request({ method: 'GET', path: `/v1/codes/${code}`, headers: { authorization: `Bearer ${token}` } });
        const json = (await res.body.json()) as { entries: unknown[] };
        if (res.statusCode !== 200 || json.entries.length !== 1) throw new Error(`${name}: lookup of ${code} answered ${res.statusCode}`);
        // The first 100 warm the connection and the caches.
        if (i >= 100) times.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    } finally {
      await lookupPool.close();
    }
    times.sort((a, b) => a - b);
    const cpuMs = (used.user + used.system) / 1000 / batch.length;
    const result = {
      notifications: batch.length,
      accepted_per_s: Math.round(batch.length / seconds),
      server_cpu_ms_per_notification: round(cpuMs),
      server_cpu_capacity_per_s: Math.round(1000 / cpuMs),
      lookups: times.length,
      lookup_p50_ms: round(percentile(times, 50)),
      lookup_p99_ms: round(percentile(times, 99)),
    };
    console.log(
      `${name}: ${result.accepted_per_s} notifications/s accepted (${batch.length} in ${round(seconds, 2)} s, ${IN_FLIGHT} in flight; server CPU ${result.server_cpu_ms_per_notification} ms each); lookup p50 ${result.lookup_p50_ms} ms, p99 ${result.lookup_p99_ms} ms`,
    );
    return result;
  } finally {
    await server.close();
    await store.close();
  }
}

async function main() {
  const keys = await generateKeys({ mchid: '1900000109', appid: 'wxd678efh567hg6787' });
  const batch = await deliveries(keys);
  const dir = mkdtempSync(join(tmpdir(), 'bench-server-'));
  const given = argValue('database');
  const pg = given ? undefined : await startPostgres();
  try {
    const sqlite = await run('sqlite', new SqliteStore(join(dir, 'events.sqlite')), keys, batch, dir);
    const postgres = await run('postgres', await PostgresStore.open(given ?? pg!.url, { max: 20 }), keys, batch, dir);
    const met = sqlite.accepted_per_s >= TARGETS.sqlite_accepted_per_s && sqlite.lookup_p99_ms <= TARGETS.lookup_p99_ms;
    console.log(JSON.stringify({ sqlite, postgres, targets: TARGETS, met }));
  } finally {
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
