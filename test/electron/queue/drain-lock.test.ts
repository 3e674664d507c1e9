// Two drainers on one journal in two real processes. The first stalls (its event loop
// blocked, as by a long pause) for longer than the drain lock lives; the second takes the
// lock and sends. When the first wakes it must send nothing more — it cannot renew its lock —
// and say so; every coupon is still used exactly once.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockPlan } from './support/lock-child';
import { APPID, createStock, historyOps, issueCoupons, startTestSim, tempDir, type TestSim } from './support/sim';

let t: TestSim;
let dir: ReturnType<typeof tempDir>;
let plan: LockPlan;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  // Each use takes a while, so the first drainer is still busy when it stalls.
  t = await startTestSim({ faults: 'coupons.use:latency=200' });
  dir = tempDir('drain-lock-');
  const stockId = createStock(t.sim);
  const codes = Array.from({ length: 24 }, (_, i) => `LOCK-${String(i).padStart(2, '0')}`);
  issueCoupons(t.sim, stockId, codes);
  plan = { credentials: t.sim.credentials, appid: APPID, stockId, codes };
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await t.close();
  dir.remove();
});

interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves once a line matching `test` has been printed `times` times. */
  until(test: RegExp, times?: number): Promise<void>;
}

function drainer(name: string, enqueue: boolean, resumeFile: string): Child {
  const planFile = join(dir.path, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/electron/queue/support/lock-child.ts', join(dir.path, 'data'), planFile, name, '1500', enqueue ? 'yes' : 'no', resumeFile],
    {
      cwd: process.cwd(),
    },
  );
  children.push(child);
  const lines: string[] = [];
  const waiting: { test: RegExp; times: number; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiting]) {
      if (lines.filter((l) => w.test.test(l)).length >= w.times) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  let partial = '';
  child.stdout.on('data', (b: Buffer) => {
    partial += b.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    check();
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${stderr.slice(0, 2000)}`))));
  return {
    process: child,
    lines,
    until: (test, times = 1) =>
      Promise.race([
        new Promise<void>((resolve) => {
          waiting.push({ test, times, resolve });
          check();
        }),
        exited,
      ]),
  };
}

describe('the drain lock across processes', () => {
  it('a drainer that stalled past its lock stops sending the moment it cannot renew it, and says so', async () => {
    const resume = join(dir.path, 'resume');
    const a = drainer('A', true, resume);
    await a.until(/^SEND A$/, 3);
    a.process.stdin.write('STALL\n');
    await a.until(/^STALLED$/);

    // A is frozen with operations still pending; its lock lapses and B takes it.
    const b = drainer('B', false, resume);
    await b.until(/^HELD B$/);
    await b.until(/^SEND B$/, 2);
    writeFileSync(resume, '');
    await a.until(/^RESUMED$/);
    await b.until(/^EMPTY B$/);

    const afterWaking = a.lines.slice(a.lines.indexOf('RESUMED'));
    expect(afterWaking.filter((l) => l === 'SEND A')).toEqual([]);
    expect(afterWaking).toContain(`LOCK A lost ${b.process.pid}`);
    expect(b.lines).not.toContain('LOCK B lost');
    // However the work was split, each coupon was used once: both sent with the same request numbers.
    for (const code of plan.codes) expect(historyOps(t.sim, plan.stockId, code), code).toEqual(['use']);
  }, 120_000);
});
