// `npm run bench:sim -- [--requests 6000] [--concurrency 16] [--creds FILE]`: a mixed, fully
// signed workload against the simulator in its own process (public-key mode, rate limits off
// — they would cap the measurement at the documented limits). Each unit is what a till does
// around one coupon: send, look it up, redeem, retry the redemption with the same request
// number, read the stock, list the customer's coupons. Every answer is verified. Last line:
// {"requests":N,"req_per_s":X}.
import { sign as rsaSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import {
  buildRequestMessage,
  formatAuthorization,
  loadPrivateKey,
  loadPublicKey,
  PublicKeyResolver,
  requestNonce,
  ResponseVerifier,
  unixSeconds,
} from '../electron/wechatpay/index';
import { argValue, round, simulatorOrCreds } from './support';

const REQUESTS = Number(argValue('requests') ?? 6000);
const CONCURRENCY = Number(argValue('concurrency') ?? 16);
const CONNECTIONS = Number(argValue('connections') ?? CONCURRENCY);
const PIPELINING = Number(argValue('pipelining') ?? 1);
const WARMUP_UNITS = 20;

const sim = await simulatorOrCreds(argValue('creds'), ['--mode', 'pubkey', '--no-rate-limits', '--seed', '7']);
const { creds } = sim;
if (creds.mode !== 'pubkey' || !creds.wechatpay_public_key_id || !creds.files.wechatpay_public_key) throw new Error('bench:sim runs in public-key mode');
const privateKey = loadPrivateKey(readFileSync(creds.files.merchant_private_key, 'utf8'));
const verifier = new ResponseVerifier(new PublicKeyResolver(creds.wechatpay_public_key_id, loadPublicKey(readFileSync(creds.files.wechatpay_public_key, 'utf8'))));
const pool = new Pool(creds.base_url, { connections: CONNECTIONS, pipelining: PIPELINING, keepAliveTimeout: 30_000 });
const BASE = '/v3/marketing/busifavor';

let failures = 0;
let firstFailure = '';

/**
 * The protocol core's request message and Authorization format, with the RSA operation on the
 * thread pool: the client's 16 workers then sign in parallel instead of queueing on one thread.
 */
function authorize(method: string, url: string, body: string): Promise<string> {
  const timestamp = String(unixSeconds());
  const nonce = requestNonce();
  return new Promise((resolve, reject) => {
    rsaSign('sha256', buildRequestMessage(method, url, timestamp, nonce, body), privateKey, (err, signature) => {
      if (err) return reject(err);
      resolve(formatAuthorization({ mchid: creds.mchid, nonce_str: nonce, timestamp, serial_no: creds.merchant_serial, signature: signature.toString('base64') }));
    });
  });
}

async function call(method: 'GET' | 'POST', url: string, body?: object): Promise<Record<string, unknown>> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const authorization = await authorize(method, url, text);
  const response = await pool.request({
    method,
    path: url,
    headers: {
      authorization,
      accept: 'application/json',
      'user-agent': 'bench-sim/1.0',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : text,
  });
  const raw = Buffer.from(await response.body.arrayBuffer());
  const verdict = verifier.verify(response.headers, raw);
  if (response.statusCode !== 200 || !verdict.ok) {
    failures += 1;
    firstFailure ||= `${method} ${url} → ${response.statusCode} ${verdict.ok ? '' : verdict.reason} ${raw.toString().slice(0, 200)}`;
    return {};
  }
  return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
}

const china = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
const start = Date.now();
const created = await call('POST', `${BASE}/stocks`, {
  stock_name: '压测满减券',
  belong_merchant: creds.mchid,
  goods_name: '全场通用',
  stock_type: 'NORMAL',
  coupon_use_rule: {
    coupon_available_time: { available_begin_time: china(start - 3_600_000), available_end_time: china(start + 30 * 86_400_000), available_day_after_receive: 10 },
    fixed_normal_coupon: { discount_amount: 100, transaction_minimum: 1000 },
    use_method: 'OFF_LINE',
  },
  stock_send_rule: { max_coupons: 100_000_000, max_coupons_per_user: 100 },
  out_request_no: `BENCHSTOCK${start}`,
  coupon_code_mode: 'WECHATPAY_MODE',
});
const stockId = created.stock_id as string;
const appid = creds.appid;
if (!stockId || !appid) throw new Error(`could not create the bench stock: ${firstFailure}`);

let issued = 0;
let completed = 0;
let unitSeq = 0;

/** One coupon's life at the till: 6 signed requests. */
async function unit(): Promise<void> {
  const n = (unitSeq += 1);
  const openid = `obench${start}x${n}`;
  const sent = await call('POST', `${BASE}/coupons/send`, { openid, appid, stock_id: stockId, out_request_no: `BS${n}` });
  const code = (sent.send_coupon_result as { coupon_code?: string } | undefined)?.coupon_code ?? '0';
  await call('GET', `${BASE}/users/${openid}/coupons/${code}/appids/${appid}`);
  const use = { coupon_code: code, stock_id: stockId, appid, use_time: china(Date.now()), use_request_no: `BU${n}` };
  await call('POST', `${BASE}/coupons/use`, use);
  await call('POST', `${BASE}/coupons/use`, use);
  await call('GET', `${BASE}/stocks/${stockId}`);
  await call('GET', `${BASE}/users/${openid}/coupons?appid=${appid}&stock_id=${stockId}&creator_merchant=${creds.mchid}`);
  completed += 6;
}

async function worker(limit: number): Promise<void> {
  while (issued < limit) {
    issued += 6;
    await unit();
  }
}

let clientCpuMs = 0;

async function run(requests: number): Promise<number> {
  issued = 0;
  completed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(requests)));
  const cpu = process.cpuUsage(cpu0);
  clientCpuMs = (cpu.user + cpu.system) / 1000;
  return performance.now() - t0;
}

await run(WARMUP_UNITS * 6);
failures = 0;
const elapsed = await run(REQUESTS);
const reqPerS = round((completed / elapsed) * 1000, 1);
process.stderr.write(
  `bench:sim ${completed} requests, concurrency ${CONCURRENCY} over ${CONNECTIONS} connections, ${round(elapsed, 1)} ms, ` +
    `client CPU ${round((clientCpuMs * 1000) / completed, 0)} µs/request, failures ${failures}${firstFailure ? ` (first: ${firstFailure})` : ''}\n`,
);
await pool.close();
sim.stop();
if (failures > 0) process.exitCode = 1;
process.stdout.write(`${JSON.stringify({ requests: completed, req_per_s: reqPerS })}\n`);
