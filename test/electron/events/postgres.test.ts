// The directory over a real PostgreSQL server (started here, stopped after): two events server
// instances share one database, as a chain runs them behind a load balancer. The same
// notifications delivered to both at once are stored once each; tills reading through either
// see the same answer; a credential revoked through one is refused by both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import { PostgresStore } from '../../../electron/events/postgres-store';
import { tempDir } from '../../helpers/context';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { startTestSim } from '../simulator/support/sim';
import { deliver, delivery, lookupCode, sign, startServer } from './support';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
});

describe('events directory on PostgreSQL', () => {
  it('two instances, interleaved deliveries of the same notifications: each stored once, both answer lookups the same', async () => {
    const sim = await startTestSim();
    const a = await startServer(sim, await PostgresStore.open(pg.url));
    const b = await startServer(sim, await PostgresStore.open(pg.url));
    const lines: string[] = [];
    const out = `${tempDir('events-pg-')}/till.credential`;
    expect(
      await runPosctl(['events', 'till', 'add', '--till', 'T07', '--store', 'S009', '--out', out, '--database', pg.url], (l) => lines.push(l), {
        ...process.env,
        POS_DATA_DIR: tempDir(),
      }),
    ).toBe(0);
    const token = (await import('node:fs')).readFileSync(out, 'utf8').trim();
    const before = await a.store.notificationCount();

    const codes = Array.from({ length: 40 }, (_, i) => `PGCODE${String(i).padStart(6, '0')}`);
    const deliveries = await Promise.all(
      codes.map((code, i) => delivery({ event_type: 'EVENT_TYPE_BUSICOUPON_SEND', coupon_code: code, stock_id: '1212000000000042', openid: `o-${i}` }, { id: `PG-EV-${i}` })),
    );
    // Each notification reaches both instances at once, and then once more (WeChat's resend), re-signed.
    const answers = await Promise.all(
      deliveries.flatMap((d, i) => [
        deliver(i % 2 ? a.server : b.server, d),
        deliver(i % 2 ? b.server : a.server, d),
        sign(d.body).then((headers) => deliver(a.server, { headers, body: d.body })),
      ]),
    );
    expect(answers.map((x) => x.status)).toEqual(answers.map(() => 204));
    expect((await a.store.notificationCount()) - before).toBe(codes.length);
    expect(await b.store.notificationCount()).toBe(await a.store.notificationCount());

    for (const [i, code] of codes.entries()) {
      const viaA = await lookupCode(a.server, code, token);
      const viaB = await lookupCode(b.server, code, token);
      expect(viaA.status).toBe(200);
      expect(viaA.json).toEqual(viaB.json);
      expect(viaA.json.entries).toEqual([expect.objectContaining({ stock_id: '1212000000000042', openid: `o-${i}` })]);
    }

    const id = /^evt_([0-9a-f]{16})\./.exec(token)![1]!;
    expect(await runPosctl(['events', 'till', 'revoke', id, '--database', pg.url], (l) => lines.push(l), { ...process.env, POS_DATA_DIR: tempDir() })).toBe(0);
    expect((await lookupCode(a.server, codes[0]!, token)).status).toBe(401);
    expect((await lookupCode(b.server, codes[0]!, token)).status).toBe(401);
  }, 60_000);

  it('uploaded codes and pushed operations are shared too, idempotent on (stock, code) and on the request number', async () => {
    const store = await PostgresStore.open(pg.url);
    try {
      expect(await store.recordUploaded('1212000000000077', ['UP001', 'UP002', 'UP002'], Date.now())).toBe(2);
      expect(await store.recordUploaded('1212000000000077', ['UP002', 'UP003'], Date.now())).toBe(1);
      expect((await store.lookup('UP002')).map((e) => [e.stockId, e.source])).toEqual([['1212000000000077', 'upload']]);
      const op = {
        requestNo: 'U20260601PG1',
        opId: 'op-1',
        kind: 'use',
        status: 'succeeded',
        couponCode: 'UP001',
        stockId: '1212000000000077',
        discountFen: 500,
        orderAmountFen: 3000,
        offlineAccepted: false,
        cashierId: 'C1',
        shiftId: 'SH1',
        createdAt: 1_000,
        resolvedAt: 2_000,
      };
      expect(await store.recordOperations('T01', 'S001', [op], 3_000)).toBe(1);
      expect(await store.recordOperations('T01', 'S001', [op, { ...op, requestNo: 'U20260601PG2' }], 4_000)).toBe(1);
      expect((await store.operationsBetween(0, 10_000)).map((o) => [o.requestNo, o.tillId, o.discountFen, o.offlineAccepted])).toEqual([
        ['U20260601PG1', 'T01', 500, false],
        ['U20260601PG2', 'T01', 500, false],
      ]);
    } finally {
      await store.close();
    }
  });
});
