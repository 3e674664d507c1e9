// The acceptance crash test: a real child process enqueues and drains a few hundred coupon
// operations against the simulator with faults on, and is killed with SIGKILL again and
// again — from outside at random moments, and at exact points (just after an enqueue, with a
// request on the wire, after an answer but before the journal write). After every restart
// and a final drain, the simulator must show each coupon changed exactly as planned.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../electron/queue';
import type { CrashMode, CrashPlan } from './support/crash-child';
import { APPID, createStock, historyOps, issueCoupons, startTestSim, tempDir, type TestSim } from './support/sim';

const KILLS = 110;
const COUPONS = 200;
const PATTERNS: CrashPlan['coupons'][number]['ops'][] = [
  ['use'],
  ['use', 'return', 'use'],
  ['associate', 'use'],
  ['associate', 'disassociate', 'use', 'return'],
  ['deactivate'],
  ['use', 'return', 'use', 'return'],
];

let t: TestSim;
let dir: ReturnType<typeof tempDir>;
let plan: CrashPlan;
let planFile: string;

// A seeded generator, so a failing run can be replayed.
let seed = 0x5eed1234;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let x = seed;
  x = Math.imul(x ^ (x >>> 15), x | 1);
  x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};

beforeAll(async () => {
  t = await startTestSim({
    faults: '*:before:system_error@0.03,*:after:system_error@0.03,*:after:reset@0.02,*:before:rate_limited@0.02,coupons.use:after:bad_signature@0.02',
  });
  dir = tempDir('crash-');
  const stockId = createStock(t.sim);
  const codes = Array.from({ length: COUPONS }, (_, i) => `CRASH-${String(i).padStart(3, '0')}`);
  const issued = issueCoupons(t.sim, stockId, codes);
  plan = {
    credentials: t.sim.credentials,
    appid: APPID,
    stockId,
    // Half the coupons have a known owner, so reconciliation is exercised too.
    coupons: issued.map((c, i) => ({ code: c.code, openid: i % 2 === 0 ? c.openid : null, ops: PATTERNS[i % PATTERNS.length] ?? ['use'] })),
  };
  planFile = join(dir.path, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
});

afterAll(async () => {
  await t.close();
  dir.remove();
});

interface Run {
  exit: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

function runChild(mode: CrashMode, k: number, batch: number | 'all', killAfterMs?: number): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/electron/queue/support/crash-child.ts', join(dir.path, 'data'), planFile, mode, String(k), String(batch)], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    if (killAfterMs !== undefined && out.includes('READY')) {
      killAfterMs = undefined;
      setTimeout(() => child.kill('SIGKILL'), Math.floor(random() * 120));
    }
  });
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  // A child that neither finishes nor gets killed is a hung drain: stop it and let the test fail on its output.
  const watchdog = setTimeout(() => {
    out += '\nHUNG';
    child.kill('SIGTERM');
  }, 30_000);
  return new Promise((resolve) =>
    child.on('exit', (exit, signal) => {
      clearTimeout(watchdog);
      resolve({ exit, signal, out });
    }),
  );
}

describe('crash safety with real processes', () => {
  it(`loses and duplicates nothing across ${KILLS}+ SIGKILLs`, async () => {
    const modes: CrashMode[] = ['timer', 'enqueue', 'mid-request', 'after-response'];
    const kills: Record<string, number> = {};
    let killed = 0;
    let finishedEarly = 0;
    while (killed < KILLS) {
      const mode = modes[Math.floor(random() * modes.length)] ?? 'timer';
      // Each run writes a few new steps and is killed within them, so kills land amid work.
      const batch = 1 + Math.floor(random() * 4);
      const k = 1 + Math.floor(random() * (mode === 'enqueue' ? batch : 8));
      const run = await runChild(mode, k, batch, mode === 'timer' ? 0 : undefined);
      if (run.signal === 'SIGKILL') {
        killed += 1;
        kills[mode] = (kills[mode] ?? 0) + 1;
      } else {
        // A run may finish its batch before the chosen kill point: it simply completed.
        expect(run.out, run.out).toContain('DONE');
        finishedEarly += 1;
      }
    }
    const before = Journal.open(join(dir.path, 'data'));
    const writtenByKilledRuns = before.totalOperations();
    const confirmedByKilledRuns = before.countByStatus().succeeded;
    before.close();
    // Most of the plan went through runs that were killed, not through the last clean one.
    expect(writtenByKilledRuns).toBeGreaterThanOrEqual(150);
    expect(confirmedByKilledRuns).toBeGreaterThanOrEqual(100);
    // The last run writes whatever of the plan is left and drains everything.
    const final = await runChild('none', 0, 'all');
    expect(final.exit, final.out).toBe(0);
    expect(final.out).toContain('DONE ALL');

    // Every coupon changed state exactly as planned: nothing lost, nothing twice.
    const lost: string[] = [];
    const duplicated: string[] = [];
    for (const c of plan.coupons) {
      const actual = historyOps(t.sim, plan.stockId, c.code);
      if (actual.length < c.ops.length) lost.push(`${c.code}: ${actual.join(',')} vs ${c.ops.join(',')}`);
      else if (actual.length > c.ops.length) duplicated.push(`${c.code}: ${actual.join(',')} vs ${c.ops.join(',')}`);
      else expect(actual, c.code).toEqual(c.ops);
    }
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    const ledger = t.sim.state.requestNumbers();
    expect(ledger.filter((n) => n.changes > 1)).toEqual([]);

    const journal = Journal.open(join(dir.path, 'data'));
    const ops = journal.list();
    journal.close();
    const planned = plan.coupons.reduce((n, c) => n + c.ops.length, 0);
    expect(ops).toHaveLength(planned);
    expect(ops.every((o) => o.status === 'succeeded')).toBe(true);
    const changedBy = new Set(ledger.filter((n) => n.changes === 1).map((n) => n.request_no));
    expect(ops.filter((o) => !changedBy.has(o.requestNo)).map((o) => o.opId)).toEqual([]);
    // Each kind of kill point was really hit.
    for (const m of modes) expect(kills[m] ?? 0, `kills by ${m}`).toBeGreaterThan(0);
    console.log(
      `crash test: ${killed} kills ${JSON.stringify(kills)}, ${finishedEarly} runs finished before their kill point; ` +
        `${writtenByKilledRuns} of ${planned} operations written (${confirmedByKilledRuns} confirmed) before the last run`,
    );
  }, 180_000);
});
