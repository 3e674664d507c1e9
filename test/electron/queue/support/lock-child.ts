// A drainer in its own process, for the drain-lock test. It takes the lock (waiting while
// another live process holds it), optionally writes the plan's operations, and reports on
// stdout every request it sends and every change of the lock. On "STALL" (stdin) it blocks
// its event loop — as a long pause would — until the resume file exists.
import { existsSync, readFileSync } from 'node:fs';
import { BusifavorClient, type WechatPayTransport } from '../../../../electron/busifavor';
import { DrainLockedError, Journal, QueueDrainer } from '../../../../electron/queue';
import type { WechatPayRequest, WechatPayResponse } from '../../../../electron/wechatpay';
import type { CredentialsLine } from '../../../../electron/simulator';
import { formatChinaRfc3339 } from '../../../../shared/time';
import { wechatpayClientFor } from './sim';

export interface LockPlan {
  credentials: CredentialsLine;
  appid: string;
  stockId: string;
  codes: string[];
}

const [dataDir = '', planFile = '', name = '', ttlArg = '1500', enqueue = 'no', resumeFile = ''] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as LockPlan;
const say = (line: string) => process.stdout.write(`${line}\n`);

class ReportingTransport implements WechatPayTransport {
  constructor(private readonly inner: WechatPayTransport) {}
  request<T = unknown>(req: WechatPayRequest): Promise<WechatPayResponse<T>> {
    say(`SEND ${name}`);
    return this.inner.request<T>(req);
  }
}

const http = wechatpayClientFor(plan.credentials, { timeoutMs: 20_000 });
const journal = Journal.open(dataDir);
const drainer = new QueueDrainer({
  journal,
  client: new BusifavorClient(new ReportingTransport(http)),
  concurrency: 1,
  lockTtlMs: Number(ttlArg),
  refreshIntervalMs: 0,
  onEvent: (event) => {
    if (event.type === 'lock') say(`LOCK ${name} ${event.held ? 'held' : `lost ${event.holderPid}`}`);
  },
});

for (;;) {
  try {
    drainer.start();
    break;
  } catch (err) {
    if (!(err instanceof DrainLockedError)) throw err;
    await new Promise((r) => setTimeout(r, 100));
  }
}
say(`HELD ${name}`);

if (enqueue === 'yes') {
  for (const code of plan.codes) {
    drainer.enqueue({ request: { kind: 'use', coupon_code: code, stock_id: plan.stockId, appid: plan.appid, use_time: formatChinaRfc3339(new Date()) }, clientRef: code });
  }
}

process.stdin.on('data', (chunk: Buffer) => {
  if (!chunk.toString().includes('STALL')) return;
  say('STALLED');
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(resumeFile)) Atomics.wait(cell, 0, 0, 50);
  say('RESUMED');
});

const timer = setInterval(() => {
  if (journal.countByStatus().pending === 0) {
    say(`EMPTY ${name}`);
    clearInterval(timer);
  }
}, 50);
