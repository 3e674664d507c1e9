// Chain reporting end to end on loopback: a till's real journal, its pusher and the events
// server's real SQLite. Settled operations arrive once each (idempotent by request number),
// nothing is lost while the server is down (the cursor resumes), training never leaves the
// till, and finance gets the day per store and till as CSV for Excel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import { EventsClient } from '../../../electron/events/till-client';
import { OperationPusher } from '../../../electron/events/till-push';
import { silentLogger } from '../../../electron/log/logger';
import { Journal } from '../../../electron/queue/journal';
import type { OperationRecord } from '../../../electron/queue/records';
import { formatChinaRfc3339 } from '../../../shared/time';
import { tempDir } from '../../helpers/context';
import { freePort } from '../../helpers/events-server-process';
import { onCleanup, startTestSim } from '../simulator/support/sim';
import { startServer, tillCredential } from './support';

const STOCK = '1212000000000001';

function settle(journal: Journal, op: OperationRecord, status: 'succeeded' | 'refused'): void {
  const now = Date.now();
  journal.commit([
    {
      id: op.id,
      update: {
        status,
        attempts: 1,
        nextAttemptAt: now,
        lastOutcome: status,
        lastHttpStatus: 200,
        lastCode: null,
        lastMessage: null,
        lastRequestId: null,
        result: {},
        resolution: 'sent',
        resolvedAt: now,
      },
    },
  ]);
}

function use(journal: Journal, code: string, extra: { training?: boolean; offlineAccepted?: boolean } = {}): OperationRecord {
  return journal.enqueue({
    request: { kind: 'use', coupon_code: code, stock_id: STOCK, appid: 'wxd678efh567hg6787', use_time: formatChinaRfc3339(new Date()) },
    tillId: 'T01',
    orderAmountFen: 3000,
    discountFen: 500,
    ...extra,
  }).operation;
}

describe('chain reporting', () => {
  it('pushes each settled operation once, resumes after downtime, and the day comes out per store and till as CSV', async () => {
    const sim = await startTestSim();
    const { server, store } = await startServer(sim);
    const token = await tillCredential(store, 'T01', 'S001');
    const journal = Journal.open(tempDir('events-journal-'));
    onCleanup(async () => journal.close());

    const done = [use(journal, 'CODE000001'), use(journal, 'CODE000002')];
    const waiting = use(journal, 'CODE000003');
    const later = use(journal, 'CODE000004');
    const refusedOffline = use(journal, 'CODE000005', { offlineAccepted: true });
    const practice = use(journal, 'CODE000006', { training: true });
    const returned = journal.enqueue({ request: { kind: 'return', coupon_code: 'CODE000001', stock_id: STOCK }, tillId: 'T01' }).operation;
    for (const op of [...done, later, practice, returned]) settle(journal, op, 'succeeded');
    settle(journal, refusedOffline, 'refused');

    // The server is down: nothing is pushed, nothing is lost, the cursor stays.
    const down = new EventsClient({ url: `http://127.0.0.1:${await freePort()}`, credential: token });
    onCleanup(() => down.close());
    expect(await new OperationPusher({ db: journal.db, client: down, log: silentLogger }).pushNow()).toBe(0);

    const client = new EventsClient({ url: server.url, credential: token });
    onCleanup(() => client.close());
    const pusher = new OperationPusher({ db: journal.db, client, log: silentLogger });
    expect(pusher.cursor()).toBe(0);
    expect(await pusher.pushNow()).toBe(5);
    // The pending operation holds the cursor just below it.
    expect(pusher.cursor()).toBe(waiting.id - 1);
    expect(await pusher.pushNow()).toBe(0);

    // A restarted till (memory lost) sends what lies above the cursor again; the server keeps each request number once.
    const restarted = new OperationPusher({ db: journal.db, client, log: silentLogger });
    expect(await restarted.pushNow()).toBe(3);
    expect(await client.push([])).toEqual({ ok: true, added: 0 });
    settle(journal, waiting, 'succeeded');
    expect(await restarted.pushNow()).toBe(1);
    expect(restarted.cursor()).toBe(returned.id);

    const now = Date.now();
    const stored = await store.operationsBetween(now - 3_600_000, now + 3_600_000);
    expect(stored.map((o) => o.requestNo).sort()).toEqual([...done, waiting, later, refusedOffline, returned].map((o) => o.requestNo).sort());
    expect(stored.every((o) => o.tillId === 'T01' && o.storeId === 'S001')).toBe(true);

    const reader = await tillCredential(store, 'finance', 'HQ', 'report');
    const res = await request(`${server.url}/v1/reports/redemptions.csv`, { headers: { authorization: `Bearer ${reader}` } });
    expect(res.statusCode).toBe(200);
    const csv = Buffer.from(await res.body.arrayBuffer());
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.toString('utf8').slice(1).split('\r\n');
    expect(lines).toContain('S001,T01,4,20.00,120.00,1,1,5.00');
    expect(lines).toContain('全部门店,合计,4,20.00,120.00,1,1,5.00');
    const bad = await request(`${server.url}/v1/reports/redemptions.csv?date=2026-13-01`, { headers: { authorization: `Bearer ${reader}` } });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
  });
});

describe('posctl on the server side', () => {
  it('codes record fills the directory (a bad line refuses the whole file); till list shows no secret; events report writes the CSV', async () => {
    const dir = tempDir('events-posctl-');
    const posctl = async (...argv: string[]) => {
      const lines: string[] = [];
      const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: dir });
      return { code, out: JSON.parse(lines.at(-1)!), text: lines.join('\n') };
    };
    const codes = join(dir, 'codes.txt');
    (await import('node:fs')).writeFileSync(codes, 'UPCODE0001\r\n  UPCODE0002 \n\nUPCODE0003\n');
    expect(await posctl('codes', 'record', '--stock-id', STOCK, '--file', codes)).toMatchObject({ code: 0, out: { codes: 3, added: 3 } });
    expect(await posctl('codes', 'record', '--stock-id', STOCK, '--file', codes)).toMatchObject({ code: 0, out: { added: 0 } });
    (await import('node:fs')).writeFileSync(codes, 'UPCODE0004\n付款码?\n');
    const refused = await posctl('codes', 'record', '--stock-id', STOCK, '--file', codes);
    expect(refused.code).toBe(2);
    expect(refused.out.error.message).toContain('line 2');

    const out = join(dir, 'T01.credential');
    const added = await posctl('events', 'till', 'add', '--till', 'T01', '--store', 'S001', '--out', out);
    expect(added.code).toBe(0);
    const token = readFileSync(out, 'utf8').trim();
    expect(added.text).not.toContain(token.split('.')[1]);
    expect((await posctl('events', 'till', 'add', '--till', 'T02', '--store', 'S001', '--out', out)).code).toBe(2);
    const list = await posctl('events', 'till', 'list');
    expect(list.out.credentials.map((c: { till: string; revoked_at: string | null }) => [c.till, c.revoked_at === null])).toEqual([
      ['T01', true],
      ['T02', false],
    ]);
    expect(list.text).not.toContain(token.split('.')[1]);
    const csv = join(dir, 'day.csv');
    expect(await posctl('events', 'report', '--date', '2026-06-01', '--out', csv)).toMatchObject({ code: 0, out: { date: '2026-06-01', operations: 0 } });
    expect(readFileSync(csv, 'utf8')).toContain('日期,2026-06-01');
  });
});
