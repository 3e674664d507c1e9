// bench:queue — how fast the durable queue is where it matters.
// 1. Durable enqueue: each operation is its own fsync'd transaction (WAL, synchronous=FULL)
//    in a journal already holding 10,000 rows; p99 of the measured enqueues.
// 2. Drain: 5,000 redemptions through the simulator (real loopback HTTP, signed and verified
//    both ways) with 5% injected faults before and after the state change, the documented
//    backoff (1 s base, full jitter) and pacing (80% of 500/s). Duplicates and losses are
//    counted from the simulator's own coupon histories.
// Prints readable lines, then one JSON line last:
// {"journal_rows","enqueue_p99_ms","drain_ops","faults_pct","drain_ops_per_s","duplicates","lost"}
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusifavorClient } from '../electron/busifavor';
import { Journal, QueueDrainer, type EnqueueInput } from '../electron/queue';
import { generateKeys, startSimulator } from '../electron/simulator';
import { loadPrivateKey, loadPublicKey, PublicKeyResolver, WechatPayClient } from '../electron/wechatpay';
import { addDays, formatChinaRfc3339, startOfChinaDay } from '../shared/time';

const JOURNAL_ROWS = 10_000;
const MEASURED_ENQUEUES = 2_000;
const DRAIN_OPS = 5_000;
const FAULTS = ['before:system_error', 'after:system_error', 'after:reset', 'before:rate_limited', 'after:bad_signature'];
const FAULT_SHARE = 0.01; // each of the five: 5% of requests in all

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

function useInput(code: string, stockId: string, appid: string): EnqueueInput {
  return { request: { kind: 'use', coupon_code: code, stock_id: stockId, appid, use_time: formatChinaRfc3339(new Date()) } };
}

async function benchEnqueue(): Promise<{ rows: number; p50: number; p99: number; max: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-queue-'));
  const journal = Journal.open(dir);
  try {
    for (let i = 0; i < JOURNAL_ROWS; i++) journal.enqueue(useInput(`FILL-${i}`, '1234567', 'wxd678efh567hg6787'));
    const rows = journal.totalOperations();
    const times: number[] = [];
    for (let i = 0; i < MEASURED_ENQUEUES; i++) {
      const t0 = process.hrtime.bigint();
      journal.enqueue(useInput(`BENCH-${i}`, '1234567', 'wxd678efh567hg6787'));
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    return { rows, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] ?? NaN };
  } finally {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchDrain(): Promise<{ seconds: number; opsPerSecond: number; duplicates: number; lost: number; retried: number }> {
  const keys = await generateKeys({ mchid: '1900000109', appid: 'wxd678efh567hg6787' });
  const faults = FAULTS.map((f) => `coupons.use:${f}@${FAULT_SHARE}`).join(',');
  const sim = await startSimulator({ keys, seedData: false, faults });
  const dir = mkdtempSync(join(tmpdir(), 'bench-drain-'));
  const c = sim.credentials;
  const http = new WechatPayClient({
    mchid: c.mchid,
    serialNo: c.merchant_serial,
    privateKey: loadPrivateKey(readFileSync(c.files.merchant_private_key, 'utf8')),
    resolver: new PublicKeyResolver(c.wechatpay_public_key_id, loadPublicKey(readFileSync(c.files.wechatpay_public_key, 'utf8'))),
    environment: 'simulator',
    baseUrl: sim.url,
    timeoutMs: 5_000,
    connections: 32,
  });
  const journal = Journal.open(dir);
  try {
    const now = sim.state.now();
    const created = sim.state.createStock(c.mchid, {
      stock_name: '压测满减券',
      belong_merchant: c.mchid,
      goods_name: '全场通用',
      stock_type: 'NORMAL',
      coupon_use_rule: {
        coupon_available_time: {
          available_begin_time: formatChinaRfc3339(addDays(startOfChinaDay(now), -1)),
          available_end_time: formatChinaRfc3339(addDays(startOfChinaDay(now), 30)),
        },
        fixed_normal_coupon: { discount_amount: 100, transaction_minimum: 1000 },
        use_method: 'OFF_LINE',
      },
      stock_send_rule: { max_coupons: DRAIN_OPS * 2, max_coupons_per_user: 100 },
      coupon_code_mode: 'MERCHANT_API',
      out_request_no: `BENCHSTOCK${Date.now()}`,
    });
    if (!created.ok) throw new Error(`stock: ${created.message}`);
    const stockId = (created.body as { stock_id: string }).stock_id;
    const codes: string[] = [];
    let user = sim.state.addUser(c.appid);
    for (let i = 0; i < DRAIN_OPS; i++) {
      if (i % 100 === 0) user = sim.state.addUser(c.appid);
      const code = `B${String(i).padStart(6, '0')}`;
      const r = sim.admin.receiveCoupon({ stock_id: stockId, user_id: user.user_id, coupon_code: code, out_request_no: `BRECV${i}` });
      if (!r.ok) throw new Error(`receive ${code}: ${r.message}`);
      codes.push(code);
    }
    for (const code of codes) journal.enqueue(useInput(code, stockId, c.appid));

    let finished = 0;
    let done: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => (done = resolve));
    const drainer = new QueueDrainer({
      journal,
      client: new BusifavorClient(http),
      concurrency: 32,
      refreshIntervalMs: 0,
      onEvent: (e) => {
        if (e.type === 'resolved' || e.type === 'parked') {
          finished += 1;
          if (finished === DRAIN_OPS) done();
        }
      },
    });
    const t0 = process.hrtime.bigint();
    drainer.start();
    await allDone;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await drainer.stop();

    let duplicates = 0;
    let lost = 0;
    for (const code of codes) {
      const uses = sim.state.coupon(stockId, code)?.history.filter((h) => h.op === 'use').length ?? 0;
      if (uses === 0) lost += 1;
      duplicates += Math.max(0, uses - 1);
    }
    lost += DRAIN_OPS - journal.countByStatus().succeeded;
    const retried = journal.list().filter((o) => o.attempts > 1 || o.resolution === 'reconciled').length;
    return { seconds, opsPerSecond: DRAIN_OPS / seconds, duplicates, lost, retried };
  } finally {
    journal.close();
    await http.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const enqueue = await benchEnqueue();
console.log(
  `durable enqueue with ${enqueue.rows} rows: p50 ${enqueue.p50.toFixed(3)} ms, p99 ${enqueue.p99.toFixed(3)} ms, max ${enqueue.max.toFixed(3)} ms (${MEASURED_ENQUEUES} measured)`,
);
const drain = await benchDrain();
console.log(
  `drain: ${DRAIN_OPS} ops in ${drain.seconds.toFixed(2)} s = ${drain.opsPerSecond.toFixed(0)} ops/s through ${FAULTS.length * FAULT_SHARE * 100}% faults (${drain.retried} needed a retry); duplicates ${drain.duplicates}, lost ${drain.lost}`,
);
console.log(
  JSON.stringify({
    journal_rows: enqueue.rows,
    enqueue_p99_ms: Number(enqueue.p99.toFixed(3)),
    drain_ops: DRAIN_OPS,
    faults_pct: FAULTS.length * FAULT_SHARE * 100,
    drain_ops_per_s: Number(drain.opsPerSecond.toFixed(1)),
    duplicates: drain.duplicates,
    lost: drain.lost,
  }),
);
