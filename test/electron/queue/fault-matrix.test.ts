// Every fault the simulator can inject, before and after the state change: the first attempt
// is classified as it should be, and the operation still ends applied exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChinaRfc3339 } from '../../../shared/time';
import { drainRig, drained, until, type DrainRig } from './support/drain';
import { APPID, createStock, historyOps, issueCoupons, startTestSim, type TestSim } from './support/sim';

let t: TestSim;
let r: DrainRig;
let stock: string;

beforeAll(async () => {
  t = await startTestSim({ timeoutMs: 400 });
  stock = createStock(t.sim);
  r = drainRig(t.http);
  r.drainer.start();
});
afterAll(async () => {
  await r.close();
  await t.close();
});

interface Case {
  fault: string;
  phase: 'before' | 'after';
  /** The first attempt's outcome, HTTP status and code (null where none applies). */
  first: [outcome: string, httpStatus: number | null, code: RegExp | null];
}

const unknown = (status: number, code: RegExp): Case['first'] => ['unknown_outcome', status, code];

const cases: Case[] = [
  ...(['before', 'after'] as const).flatMap((phase): Case[] => [
    { fault: 'system_error', phase, first: unknown(500, /^SYSTEM_ERROR$/) },
    { fault: 'bad_gateway', phase, first: ['unknown_outcome', 502, null] },
    { fault: 'service_unavailable', phase, first: ['unknown_outcome', 503, null] },
    { fault: 'rate_limited', phase, first: ['unknown_outcome', 429, null] },
    { fault: 'timeout', phase, first: ['unknown_outcome', null, /^TIMEOUT$/] },
    { fault: 'reset', phase, first: ['unknown_outcome', null, /^NETWORK$/] },
    { fault: 'latency=50', phase, first: ['succeeded', 200, null] },
  ]),
  { fault: 'bad_signature', phase: 'after', first: ['security', null, /^SIGNATURE_/] },
  { fault: 'skewed_timestamp', phase: 'after', first: ['security', null, /^SIGNATURE_/] },
  { fault: 'signtest', phase: 'after', first: ['security', null, /^SIGNATURE_/] },
];

describe('fault matrix', () => {
  it.each(cases.map((c, i) => [`${c.phase}:${c.fault}`, c, i] as const))('%s', async (_name, c, i) => {
    const code = `FM-${i}`;
    issueCoupons(t.sim, stock, [code]);
    t.sim.admin.setFaults(`coupons.use:${c.phase}:script=${c.fault}`);
    const written = r.drainer.enqueue({ request: { kind: 'use', coupon_code: code, stock_id: stock, appid: APPID, use_time: formatChinaRfc3339(new Date()) } });
    await until(drained(r.journal), `drain ${c.phase}:${c.fault}`);
    t.sim.admin.clearFaults();

    const attempts = r.journal.attempts(written.opId);
    const [outcome, status, codePattern] = c.first;
    expect(attempts[0]?.outcome).toBe(outcome);
    if (status !== null) expect(attempts[0]?.httpStatus).toBe(status);
    if (codePattern) expect(attempts[0]?.wechatCode).toMatch(codePattern);
    expect(attempts.at(-1)?.outcome).toBe('succeeded');
    expect(r.journal.get(written.opId)?.status).toBe('succeeded');
    // Whatever the fault, exactly one state change and one request number.
    expect(historyOps(t.sim, stock, code)).toEqual(['use']);
    expect(new Set(r.spy.sent.filter((s) => s.body?.coupon_code === code).map((s) => s.body?.use_request_no))).toEqual(new Set([written.requestNo]));
  });
});
