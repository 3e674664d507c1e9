import { afterEach, describe, expect, it } from 'vitest';
import type { EnqueueInput } from '../../../electron/queue';
import { formatChinaRfc3339 } from '../../../shared/time';
import { drainRig, drained, until, type DrainRig } from './support/drain';
import { APPID, createStock, historyOps, httpCalls, issueCoupons, startTestSim, type TestSim } from './support/sim';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function world(options: Parameters<typeof startTestSim>[0] = {}): Promise<TestSim> {
  const t = await startTestSim(options);
  cleanup.push(() => t.close());
  return t;
}

function rig(t: TestSim, options: Parameters<typeof drainRig>[1] = {}): DrainRig {
  const r = drainRig(t.http, options);
  cleanup.push(() => r.close());
  return r;
}

const now = () => formatChinaRfc3339(new Date());
const use = (code: string, stockId: string, openid?: string): EnqueueInput => ({
  request: { kind: 'use', coupon_code: code, stock_id: stockId, appid: APPID, use_time: now() },
  ...(openid ? { openid, appid: APPID } : {}),
});
const op = (kind: 'return' | 'deactivate', code: string, stockId: string): EnqueueInput => ({ request: { kind, coupon_code: code, stock_id: stockId } });
const link = (kind: 'associate' | 'disassociate', code: string, stockId: string, outTradeNo: string): EnqueueInput => ({
  request: { kind, coupon_code: code, stock_id: stockId, out_trade_no: outTradeNo },
});

describe('draining against the simulator', () => {
  it('an answer the journal cannot record (disk full) is not lost: sending pauses, then the same number is resent', async () => {
    const t = await world();
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['FULL-1']);
    const events: string[] = [];
    const r = rig(t, { journalRetryMs: 300, onEvent: (e) => events.push(e.type) });
    const written = r.drainer.enqueue(use('FULL-1', stock));
    r.drainer.start();
    // The journal stops taking writes after the operation was written and sent, before its answer is recorded.
    r.journal.db.pragma('query_only = ON');
    await until(() => events.includes('journal_error'), 'journal error reported');
    expect(t.sim.state.coupon(stock, 'FULL-1')?.coupon_state).toBe('USED');
    expect(r.journal.get(written.opId)?.status).toBe('pending');
    r.journal.db.pragma('query_only = OFF');
    await until(drained(r.journal), 'drain once the journal takes writes again');
    expect(r.journal.get(written.opId)).toMatchObject({ status: 'succeeded', requestNo: written.requestNo });
    const sends = r.spy.sent.filter((x) => x.bodyText?.includes(written.requestNo));
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(historyOps(t.sim, stock, 'FULL-1').filter((o) => o === 'use')).toHaveLength(1);
  });

  it('writes every operation to the journal before its first byte is sent, and sends exactly what it wrote', async () => {
    const t = await world();
    const stock = createStock(t.sim);
    const coupons = issueCoupons(t.sim, stock, ['JB-1', 'JB-2', 'JB-3']);
    const r = rig(t);
    r.drainer.start();
    for (const c of coupons) r.drainer.enqueue(use(c.code, stock));
    await until(drained(r.journal), 'drain');
    expect(r.spy.sent).toHaveLength(3);
    for (const s of r.spy.sent) {
      expect(s.journalRow?.status).toBe('pending');
      expect(s.bodyText).toBe(s.journalRow?.body);
    }
    expect(r.journal.countByStatus().succeeded).toBe(3);
  });

  it('keeps each coupon in order (associate → use → return → use) even when its head fails first', async () => {
    const t = await world({ faults: 'coupons.associate:before:script=system_error/bad_gateway' });
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['FIFO-A', 'FIFO-B']);
    const r = rig(t);
    r.drainer.enqueue(link('associate', 'FIFO-A', stock, 'ORDER-A1'));
    r.drainer.enqueue(use('FIFO-A', stock));
    r.drainer.enqueue(use('FIFO-B', stock));
    r.drainer.enqueue(op('return', 'FIFO-A', stock));
    r.drainer.enqueue(use('FIFO-A', stock));
    r.drainer.start();
    await until(drained(r.journal), 'drain');
    expect(historyOps(t.sim, stock, 'FIFO-A')).toEqual(['associate', 'use', 'return', 'use']);
    expect(historyOps(t.sim, stock, 'FIFO-B')).toEqual(['use']);
    const aPaths = r.spy.sent.filter((s) => s.body?.coupon_code === 'FIFO-A').map((s) => s.path.split('/').pop());
    expect(aPaths).toEqual(['associate', 'associate', 'associate', 'use', 'return', 'use']);
    expect(r.spy.maxPerCoupon).toBe(1);
  });

  it('sends many coupons in parallel but never two operations of one coupon at once', async () => {
    const t = await world({ faults: 'coupons.use:latency=150' });
    const stock = createStock(t.sim);
    const codes = Array.from({ length: 8 }, (_, i) => `PAR-${i}`);
    issueCoupons(t.sim, stock, codes);
    const r = rig(t, { concurrency: 8 });
    for (const c of codes) {
      r.drainer.enqueue(use(c, stock));
      r.drainer.enqueue(op('return', c, stock));
    }
    r.drainer.start();
    await until(drained(r.journal), 'drain');
    expect(r.spy.maxInFlight).toBe(8);
    expect(r.spy.maxPerCoupon).toBe(1);
    for (const c of codes) expect(historyOps(t.sim, stock, c)).toEqual(['use', 'return']);
  });

  it('resends an unknown outcome with the same request number, and WeChat applies it once', async () => {
    const t = await world({ faults: 'coupons.use:after:script=system_error' });
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['SAME-1']);
    const r = rig(t);
    const written = r.drainer.enqueue(use('SAME-1', stock));
    r.drainer.start();
    await until(drained(r.journal), 'drain');
    const sentNumbers = r.spy.sent.map((s) => s.body?.use_request_no);
    expect(sentNumbers).toEqual([written.requestNo, written.requestNo]);
    expect(r.journal.attempts(written.opId).map((a) => [a.outcome, a.httpStatus])).toEqual([
      ['unknown_outcome', 500],
      ['succeeded', 200],
    ]);
    const ledger = t.sim.state.requestNumbers().find((n) => n.request_no === written.requestNo);
    expect(ledger).toMatchObject({ changes: 1, replays: 1 });
    expect(historyOps(t.sim, stock, 'SAME-1')).toEqual(['use']);
  });

  it('retries 429 with the same number after backing off', async () => {
    const t = await world({ faults: 'coupons.use:before:script=rate_limited/rate_limited' });
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['RL-1']);
    const r = rig(t);
    const written = r.drainer.enqueue(use('RL-1', stock));
    r.drainer.start();
    await until(drained(r.journal), 'drain');
    expect(r.journal.attempts(written.opId).map((a) => a.httpStatus)).toEqual([429, 429, 200]);
    expect(new Set(r.spy.sent.map((s) => s.body?.use_request_no))).toEqual(new Set([written.requestNo]));
    expect(r.journal.get(written.opId)?.attempts).toBe(3);
  });

  it('after an unknown outcome, queries the coupon and settles it without resending when it shows our number', async () => {
    const t = await world({ faults: 'coupons.use:after:script=reset' });
    const stock = createStock(t.sim);
    const [c] = issueCoupons(t.sim, stock, ['REC-1']);
    const r = rig(t);
    const written = r.drainer.enqueue(use('REC-1', stock, c?.openid));
    r.drainer.start();
    await until(drained(r.journal), 'drain');
    expect(r.journal.get(written.opId)).toMatchObject({ status: 'succeeded', resolution: 'reconciled', attempts: 1 });
    expect(r.journal.attempts(written.opId).map((a) => [a.action, a.outcome])).toEqual([
      ['send', 'unknown_outcome'],
      ['reconcile', 'applied'],
    ]);
    expect(httpCalls(t.sim, 'coupons.use')).toBe(1);
    expect(historyOps(t.sim, stock, 'REC-1')).toEqual(['use']);
  });

  it('resends when the query does not show the operation (it never arrived)', async () => {
    const t = await world({ faults: 'coupons.use:before:script=service_unavailable' });
    const stock = createStock(t.sim);
    const [c] = issueCoupons(t.sim, stock, ['REC-2']);
    const r = rig(t);
    const written = r.drainer.enqueue(use('REC-2', stock, c?.openid));
    r.drainer.start();
    await until(drained(r.journal), 'drain');
    expect(r.journal.attempts(written.opId).map((a) => [a.action, a.outcome])).toEqual([
      ['send', 'unknown_outcome'],
      ['reconcile', 'inconclusive'],
      ['send', 'succeeded'],
    ]);
    expect(historyOps(t.sim, stock, 'REC-2')).toEqual(['use']);
  });

  it('parks a refusal for a manager: it blocks its own coupon only, until acknowledged', async () => {
    const t = await world();
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['ATT-A', 'ATT-B']);
    const r = rig(t);
    const refused = r.drainer.enqueue(op('return', 'ATT-A', stock)); // not used yet: WeChat refuses
    const blocked = r.drainer.enqueue(use('ATT-A', stock));
    const b1 = r.drainer.enqueue(use('ATT-B', stock));
    const b2 = r.drainer.enqueue(op('return', 'ATT-B', stock));
    r.drainer.start();
    await until(() => r.journal.get(b2.opId)?.status === 'succeeded' && r.journal.get(refused.opId)?.status === 'parked', 'B done, A refused');
    expect(r.journal.get(b1.opId)?.status).toBe('succeeded');
    expect(r.journal.get(blocked.opId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(r.journal.parked().map((o) => o.opId)).toEqual([refused.opId]);
    expect(r.journal.get(refused.opId)).toMatchObject({ lastHttpStatus: 400, lastCode: 'INVALID_REQUEST' });
    expect(r.events.some((e) => e.type === 'parked' && e.operation.opId === refused.opId)).toBe(true);
    expect(r.drainer.status().parked).toBe(1);

    r.drainer.acknowledge(refused.opId, 'manager-1', 'returned by mistake');
    await until(() => r.journal.get(blocked.opId)?.status === 'succeeded', 'blocked use sent');
    expect(historyOps(t.sim, stock, 'ATT-A')).toEqual(['use']);
    expect(r.journal.get(refused.opId)?.status).toBe('acknowledged');
  });

  it('lets a manager retry a refusal with its original number once the cause is fixed', async () => {
    const t = await world();
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['RETRY-1']);
    const mchid = t.sim.credentials.mchid;
    const r = rig(t);
    // A return sent with nobody watching, before the coupon was used: WeChat refuses, so it is parked.
    const written = r.drainer.enqueue(op('return', 'RETRY-1', stock));
    r.drainer.start();
    await until(() => r.journal.get(written.opId)?.status === 'parked', 'refusal');
    expect(t.sim.state.useCoupon(mchid, { stock_id: stock, coupon_code: 'RETRY-1', appid: APPID, use_time: now(), use_request_no: 'SIMUSE1' }).ok).toBe(true);
    r.drainer.retry(written.opId, 'manager-2');
    await until(() => r.journal.get(written.opId)?.status === 'succeeded', 'retried');
    expect(r.spy.sent.map((s) => s.body?.return_request_no)).toEqual([written.requestNo, written.requestNo]);
    expect(r.journal.attempts(written.opId).map((a) => a.action)).toEqual(['send', 'manager_retry', 'send']);
    expect(t.sim.state.coupon(stock, 'RETRY-1')?.coupon_state).toBe('SENDED');
  });

  it('a refused order link is final even with nobody watching: the use behind it goes ahead', async () => {
    const t = await world();
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['LINKED-ELSEWHERE']);
    const mchid = t.sim.credentials.mchid;
    expect(t.sim.state.associateOrder(mchid, { stock_id: stock, coupon_code: 'LINKED-ELSEWHERE', out_trade_no: 'OTHER-ORDER', out_request_no: 'SIMASSOC1' }).ok).toBe(true);
    const r = rig(t);
    const linkOp = r.drainer.enqueue(link('associate', 'LINKED-ELSEWHERE', stock, 'MY-ORDER'));
    const useOp = r.drainer.enqueue(use('LINKED-ELSEWHERE', stock));
    r.drainer.start();
    await until(() => r.journal.get(useOp.opId)?.status === 'succeeded', 'the use after the refused link');
    expect(r.journal.get(linkOp.opId)?.status).toBe('refused');
    expect(r.journal.parked()).toEqual([]);
    expect(historyOps(t.sim, stock, 'LINKED-ELSEWHERE')).toEqual(['associate', 'use']);
  });

  it('treats a refusal the cashier saw as final, not as something needing a manager', async () => {
    const t = await world();
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['SEEN-1']);
    const r = rig(t);
    r.drainer.start();
    const written = r.drainer.enqueue(op('return', 'SEEN-1', stock), { attended: true });
    const settled = await r.drainer.settle(written.opId, 10_000);
    expect(settled.status).toBe('refused');
    expect(r.journal.parked()).toEqual([]);
    const next = r.drainer.enqueue(use('SEEN-1', stock));
    await until(() => r.journal.get(next.opId)?.status === 'succeeded', 'next op on the coupon');
  });

  it('finishes in-flight attempts on a graceful stop', async () => {
    const t = await world({ faults: 'coupons.use:latency=300' });
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['STOP-1']);
    const r = rig(t);
    r.drainer.start();
    const written = r.drainer.enqueue(use('STOP-1', stock));
    await until(() => r.spy.inFlight === 1, 'request in flight');
    await r.drainer.stop(5_000);
    expect(r.journal.get(written.opId)?.status).toBe('succeeded');
  });

  it('leaves an attempt that outlives the grace period pending, and the next drainer settles it without a second change', async () => {
    const t = await world({ faults: 'coupons.use:latency=1500x1' });
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['STOP-2']);
    const r = rig(t);
    r.drainer.start();
    const written = r.drainer.enqueue(use('STOP-2', stock));
    await until(() => r.spy.inFlight === 1, 'request in flight');
    await r.drainer.stop(20);
    expect(r.journal.get(written.opId)).toMatchObject({ status: 'pending', attempts: 0 });
    // The abandoned request still lands at WeChat Pay after its latency.
    await until(() => historyOps(t.sim, stock, 'STOP-2').length === 1, 'late arrival');
    r.drainer.start();
    await until(drained(r.journal), 'second drain');
    expect(historyOps(t.sim, stock, 'STOP-2')).toEqual(['use']);
    expect(t.sim.state.requestNumbers().find((n) => n.request_no === written.requestNo)).toMatchObject({ changes: 1, replays: 1 });
  });

  it('stays coherent when the journal is re-read while a request is in flight', async () => {
    const t = await world({ faults: 'coupons.use:before:latency=200x1,coupons.use:after:script=system_error' });
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['KICK-1']);
    const r = rig(t);
    r.drainer.start();
    const written = r.drainer.enqueue(use('KICK-1', stock));
    await until(() => r.spy.inFlight === 1, 'request in flight');
    r.drainer.kick();
    await until(drained(r.journal), 'drain');
    expect(r.journal.get(written.opId)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(r.journal.attempts(written.opId).map((a) => a.httpStatus)).toEqual([500, 200]);
    expect(r.spy.sent).toHaveLength(2);
    expect(historyOps(t.sim, stock, 'KICK-1')).toEqual(['use']);
  });

  it('reports idle once only refusals and nothing due are left (posctl queue drain)', async () => {
    const t = await world();
    const stock = createStock(t.sim);
    issueCoupons(t.sim, stock, ['IDLE-1', 'IDLE-2']);
    const r = rig(t);
    r.drainer.enqueue(use('IDLE-1', stock));
    r.drainer.enqueue(op('return', 'IDLE-2', stock));
    r.drainer.enqueue(use('IDLE-2', stock));
    r.drainer.start();
    const status = await r.drainer.whenIdle();
    expect(status).toMatchObject({ running: true, inFlight: 0, pending: 1, parked: 1 });
    expect(r.journal.countByStatus()).toMatchObject({ succeeded: 1, parked: 1, pending: 1 });
  });

  it('refuses a second drainer on the same journal while the first is alive', async () => {
    const t = await world();
    const r = rig(t);
    r.drainer.start();
    const second = drainRig(t.http, { dir: r.dir });
    expect(() => second.drainer.start()).toThrow(/another process|draining/);
    second.spy.close();
    second.journal.close();
  });
});
