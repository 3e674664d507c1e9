// `npm run bench:client -- [--creds FILE] [--n 2000]`: sequential signed GETs against the
// simulator (or any APIv3 server given its credentials file) for three clients in one run —
// ours, wechatpay-axios-plugin, and the floor (bare undici + one sign + one verify). Blocks
// of requests alternate between clients so machine noise hits all three alike.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { buildResponseMessage, loadPrivateKey, loadPublicKey, PublicKeyResolver, RequestSigner, verifyMessage, WechatPayClient } from '../electron/wechatpay';
import { argValue, round, simulatorOrCreds, summarize } from './support';

const N = Number(argValue('n') ?? 2000);
const BLOCK = 50;
// The documented limits would throttle a single-client benchmark; this measures client overhead.
const sim = await simulatorOrCreds(argValue('creds'), ['--mode', 'pubkey', '--no-rate-limits']);
const { creds } = sim;
if (creds.mode !== 'pubkey' || !creds.wechatpay_public_key_id || !creds.files.wechatpay_public_key) {
  throw new Error('bench:client compares clients in public-key mode: give it a pubkey-mode credentials file');
}
const keyPem = readFileSync(creds.files.merchant_private_key, 'utf8');
const pubPem = readFileSync(creds.files.wechatpay_public_key, 'utf8');
const privateKey = loadPrivateKey(keyPem);
const publicKey = loadPublicKey(pubPem);
const path = `/v3/marketing/busifavor/stocks/${argValue('stock') ?? firstStockId(creds.seed)}`;

const ours = new WechatPayClient({
  mchid: creds.mchid,
  serialNo: creds.merchant_serial,
  privateKey,
  resolver: new PublicKeyResolver(creds.wechatpay_public_key_id, publicKey),
  environment: 'simulator',
  baseUrl: creds.base_url,
  connections: 1,
});
const axiosClient = new Wechatpay({
  mchid: creds.mchid,
  serial: creds.merchant_serial,
  privateKey: keyPem,
  certs: { [creds.wechatpay_public_key_id]: pubPem },
  baseURL: `${creds.base_url}/`,
}).client.v3;
const floorPool = new Pool(creds.base_url, { connections: 1 });
const floorSigner = new RequestSigner({ mchid: creds.mchid, serialNo: creds.merchant_serial, privateKey });

const clients: Record<string, () => Promise<void>> = {
  ours: async () => {
    await ours.request({ method: 'GET', path });
  },
  axios_plugin: async () => {
    await axiosClient.request({ method: 'GET', url: path.slice(1) });
  },
  floor: async () => {
    const signed = floorSigner.sign({ method: 'GET', url: path });
    const res = await floorPool.request({
      method: 'GET',
      path,
      headers: { authorization: signed.authorization, accept: 'application/json', 'user-agent': 'bench-floor/1', 'wechatpay-serial': creds.wechatpay_public_key_id! },
    });
    const raw = Buffer.from(await res.body.arrayBuffer());
    const h = res.headers;
    const ok = verifyMessage(buildResponseMessage(String(h['wechatpay-timestamp']), String(h['wechatpay-nonce']), raw), String(h['wechatpay-signature']), publicKey);
    if (res.statusCode !== 200 || !ok) throw new Error(`floor request failed: ${res.statusCode} verified=${ok}`);
  },
};

const samples: Record<string, number[]> = { ours: [], axios_plugin: [], floor: [] };
try {
  for (const run of Object.values(clients)) for (let i = 0; i < 50; i++) await run(); // warm-up: connections, JIT
  for (let done = 0; done < N; done += BLOCK) {
    for (const [name, run] of Object.entries(clients)) {
      for (let i = 0; i < Math.min(BLOCK, N - done); i++) {
        const t0 = performance.now();
        await run();
        samples[name]!.push(performance.now() - t0);
      }
    }
  }
} finally {
  await ours.close();
  await floorPool.close();
  sim.stop();
}

const result = {
  n: N,
  ours: summarize(samples.ours!),
  axios_plugin: summarize(samples.axios_plugin!),
  floor: summarize(samples.floor!),
  ratio_floor: 0,
  ratio_axios: 0,
};
result.ratio_floor = round(result.ours.median_ms / result.floor.median_ms);
result.ratio_axios = round(result.ours.median_ms / result.axios_plugin.median_ms);
console.log(`path ${path}; targets: ratio_floor ≤ 1.15, ratio_axios ≤ 0.8`);
console.log(JSON.stringify(result));

function firstStockId(seed: unknown): string {
  const text = JSON.stringify(seed ?? {});
  const m = /"stock_id":"(\d+)"/.exec(text) ?? /"(\d{8,20})"/.exec(text);
  if (!m) throw new Error('no stock id in the credentials seed: pass --stock ID');
  return m[1]!;
}
