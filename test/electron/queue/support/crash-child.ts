// The process the crash test kills. It opens the journal, starts draining (so whatever an
// earlier, killed run left pending is resent), writes the next `batch` steps of the plan
// that are not in the journal yet (each step once, by client reference), and waits until
// everything written is confirmed. Besides being killed from outside at a random
// moment, it can kill itself with SIGKILL at an exact point: right after the k-th enqueue,
// while the k-th request is on the wire, or after the k-th answer arrived but before the
// drainer could write it down. A step of kind `order` is a checkout: the coupon's order link
// and its use written together in one transaction (as the till writes them), on an order of
// the orders table, which is finished once both are in the journal.
import { readFileSync } from 'node:fs';
import { BusifavorClient, type WechatPayTransport } from '../../../../electron/busifavor';
import { OrderBook } from '../../../../electron/pos/orders';
import { Journal, QueueDrainer, type EnqueueInput } from '../../../../electron/queue';
import { loadPrivateKey, loadPublicKey, PublicKeyResolver, WechatPayClient, type WechatPayRequest, type WechatPayResponse } from '../../../../electron/wechatpay';
import { formatChinaRfc3339 } from '../../../../shared/time';

export type CrashMode = 'none' | 'timer' | 'enqueue' | 'mid-request' | 'after-response';

export interface CrashPlan {
  credentials: { base_url: string; mchid: string; merchant_serial: string; wechatpay_public_key_id: string; files: { merchant_private_key: string; wechatpay_public_key: string } };
  appid: string;
  stockId: string;
  coupons: { code: string; openid: string | null; ops: ('use' | 'return' | 'deactivate' | 'associate' | 'disassociate' | 'order')[] }[];
}

const [dataDir = '', planFile = '', mode = 'none', kArg = '0', batchArg = 'all'] = process.argv.slice(2);
const k = Number(kArg);
const batch = batchArg === 'all' ? Infinity : Number(batchArg);
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as CrashPlan;
const die = () => process.kill(process.pid, 'SIGKILL');

class CrashingTransport implements WechatPayTransport {
  #requests = 0;
  #responses = 0;
  constructor(private readonly inner: WechatPayTransport) {}
  async request<T = unknown>(req: WechatPayRequest): Promise<WechatPayResponse<T>> {
    this.#requests += 1;
    const pending = this.inner.request<T>(req);
    if (mode === 'mid-request' && this.#requests === k) setTimeout(die, 1);
    try {
      return await pending;
    } finally {
      this.#responses += 1;
      if (mode === 'after-response' && this.#responses === k) die();
    }
  }
}

const c = plan.credentials;
const http = new WechatPayClient({
  mchid: c.mchid,
  serialNo: c.merchant_serial,
  privateKey: loadPrivateKey(readFileSync(c.files.merchant_private_key, 'utf8')),
  resolver: new PublicKeyResolver(c.wechatpay_public_key_id, loadPublicKey(readFileSync(c.files.wechatpay_public_key, 'utf8'))),
  environment: 'simulator',
  baseUrl: c.base_url,
  timeoutMs: 3_000,
});
const journal = Journal.open(dataDir);
const drainer = new QueueDrainer({
  journal,
  client: new BusifavorClient(new CrashingTransport(http)),
  // Short backoff so a run makes progress between kills; the shape (full jitter) is the real one.
  backoff: { baseMs: 20, capMs: 400 },
  concurrency: 16,
  refreshIntervalMs: 0,
});
drainer.start();
process.stdout.write('READY\n');

const orders = new OrderBook(journal);

/** A checkout on the coupon's own till (one open order per till): the link, then the use, in one write. */
function checkout(coupon: CrashPlan['coupons'][number], step: number): void {
  const tillId = `T-${coupon.code}`;
  const opened = orders.current(tillId) ?? orders.open({ tillId, shiftId: null, amountFen: 10_000, outTradeNo: `ORD-${coupon.code}`, source: 'till', training: false });
  const order = 'ok' in opened ? (opened.ok ? opened.order : null) : opened;
  if (!order) throw new Error(`order for ${coupon.code} not opened`);
  const base = { coupon_code: coupon.code, stock_id: plan.stockId };
  const owner = coupon.openid ? { openid: coupon.openid, appid: plan.appid } : {};
  drainer.enqueueAll([
    { request: { kind: 'associate', ...base, out_trade_no: order.outTradeNo ?? '' }, ...owner, orderId: order.orderId, clientRef: `${coupon.code}#${step}` },
    {
      request: { kind: 'use', ...base, appid: plan.appid, use_time: formatChinaRfc3339(new Date()) },
      ...owner,
      orderId: order.orderId,
      clientRef: `${coupon.code}#${step}u`,
      discountFen: 500,
      orderAmountFen: 10_000,
    },
  ]);
  orders.finish(order.orderId);
}

function stepInput(coupon: CrashPlan['coupons'][number], step: number): EnqueueInput {
  const kind = coupon.ops[step];
  const base = { coupon_code: coupon.code, stock_id: plan.stockId };
  const owner = coupon.openid ? { openid: coupon.openid, appid: plan.appid } : {};
  const clientRef = `${coupon.code}#${step}`;
  switch (kind) {
    case 'use':
      return { request: { kind, ...base, appid: plan.appid, use_time: formatChinaRfc3339(new Date()) }, ...owner, clientRef };
    case 'associate':
    case 'disassociate':
      return { request: { kind, ...base, out_trade_no: `ORD-${coupon.code}` }, ...owner, clientRef };
    case 'return':
    case 'deactivate':
      return { request: { kind, ...base }, ...owner, clientRef };
    default:
      throw new Error(`bad plan step ${String(kind)}`);
  }
}

const total = plan.coupons.reduce((n, x) => n + x.ops.reduce((m, op) => m + (op === 'order' ? 2 : 1), 0), 0);
const written = new Set(journal.list().map((o) => o.clientRef));
let enqueued = 0;
const rounds = Math.max(...plan.coupons.map((x) => x.ops.length));
outer: for (let step = 0; step < rounds; step++) {
  for (const coupon of plan.coupons) {
    if (step >= coupon.ops.length) continue;
    if (written.has(`${coupon.code}#${step}`)) {
      // Killed between writing a checkout and finishing its order: finish it now.
      const left = coupon.ops[step] === 'order' ? orders.current(`T-${coupon.code}`) : undefined;
      if (left) orders.finish(left.orderId);
      continue;
    }
    if (enqueued >= batch) break outer;
    if (coupon.ops[step] === 'order') checkout(coupon, step);
    else drainer.enqueue(stepInput(coupon, step));
    enqueued += 1;
    if (mode === 'enqueue' && enqueued === k) die();
    // Let answers in between writes, so kills land amid both.
    if (enqueued % 4 === 0) await new Promise((r) => setImmediate(r));
  }
}

for (;;) {
  const counts = journal.countByStatus();
  if (counts.parked + counts.refused + counts.acknowledged > 0) {
    process.stdout.write(`REJECTED ${JSON.stringify(journal.parked().map((o) => [o.couponCode, o.kind, o.lastCode, o.lastMessage]))}\n`);
    process.exit(3);
  }
  if (counts.pending === 0) break;
  await new Promise((r) => setTimeout(r, 10));
}
await drainer.stop(1_000);
const complete = journal.totalOperations() === total;
journal.close();
await http.close();
process.stdout.write(complete ? 'DONE ALL\n' : 'DONE BATCH\n');
process.exit(0);
