import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireDrainLock,
  Journal,
  JOURNAL_FILE,
  latestVersion,
  migrate,
  newRequestNo,
  openJournalDatabase,
  releaseDrainLock,
  schemaVersion,
  JournalError,
} from '../../../electron/queue';
import { withoutFsync } from '../../../electron/queue/database';
import { migrations } from '../../../electron/queue/migrations';
import { RequestParamError } from '../../../shared/busifavor';
import { tempDir } from './support/sim';

const dirs: { remove(): void }[] = [];
const journals: Journal[] = [];
afterEach(() => {
  while (journals.length) journals.pop()?.close();
  while (dirs.length) dirs.pop()?.remove();
});

function fresh(clock?: () => number): { journal: Journal; dir: string } {
  const d = tempDir('journal-');
  dirs.push(d);
  const journal = Journal.open(d.path, clock ? { clock } : {});
  journals.push(journal);
  return { journal, dir: d.path };
}

const use = (code: string) => ({ kind: 'use' as const, coupon_code: code, stock_id: '1234567', appid: 'wxd678efh567hg6787', use_time: '2026-01-01T10:00:00+08:00' });

describe('journal.sqlite', () => {
  it('is WAL with synchronous=FULL, a busy timeout and every migration applied once', () => {
    const { journal, dir } = fresh();
    const db = journal.db;
    expect(String(db.pragma('journal_mode', { simple: true }))).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    // Each SQL text is compiled once per connection.
    expect(db.prepare('SELECT COUNT(*) AS n FROM operations')).toBe(db.prepare('SELECT COUNT(*) AS n FROM operations'));
    expect(schemaVersion(db)).toBe(latestVersion());
    const applied = db.prepare('SELECT version, name FROM schema_version ORDER BY version').all();
    expect(applied).toEqual([
      { version: 1, name: 'journal' },
      { version: 2, name: 'pos' },
      { version: 3, name: 'orders' },
      { version: 4, name: 'backoffice' },
    ]);
    journal.close();
    // Opening again applies nothing new.
    const again = openJournalDatabase(dir);
    expect(migrate(again)).toEqual([]);
    again.close();
  });

  it('writes to a copy of WeChat’s answers skip the fsync, then the journal is FULL again, even when the write fails; inside a transaction the outer commit decides', () => {
    const { journal } = fresh();
    const db = journal.db;
    const seen: unknown[] = [];
    withoutFsync(db, () => seen.push(db.pragma('synchronous', { simple: true })));
    expect(seen).toEqual([1]);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(() =>
      withoutFsync(db, () => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.transaction(() => withoutFsync(db, () => seen.push(db.pragma('synchronous', { simple: true }))))();
    expect(seen).toEqual([1, 2]);
  });

  it('migrates a journal written before orders: statuses get their new words, attempts and ids are kept', () => {
    const d = tempDir('journal-v2-');
    const old = new Database(join(d.path, JOURNAL_FILE));
    migrate(
      old,
      migrations.filter((m) => m.version <= 2),
    );
    const insert = old.prepare(
      `INSERT INTO operations (op_id, kind, endpoint, lane, coupon_code, request_no, body, status, next_attempt_at, created_at, updated_at)
       VALUES (?, 'use', 'coupons.use', ?, ?, ?, '{}', ?, 0, 0, 0)`,
    );
    const ids = ['pending', 'succeeded', 'rejected', 'failed', 'acknowledged'].map((status, i) => Number(insert.run(`op-${i}`, `C${i}`, `C${i}`, `U${i}`, status).lastInsertRowid));
    old.prepare("INSERT INTO attempts (operation_id, action, started_at, finished_at, outcome) VALUES (?, 'send', 1, 2, 'rejected')").run(ids[2]);
    old.close();
    const journal = Journal.open(d.path);
    try {
      expect(journal.list().map((o) => [o.id, o.status, o.orderId])).toEqual([
        [ids[0], 'pending', null],
        [ids[1], 'succeeded', null],
        [ids[2], 'parked', null],
        [ids[3], 'refused', null],
        [ids[4], 'acknowledged', null],
      ]);
      expect(journal.attempts('op-2').map((a) => a.outcome)).toEqual(['rejected']);
      expect(journal.openOperations().map((o) => o.opId)).toEqual(['op-0', 'op-2']);
      // New rows continue after the old ids.
      expect(journal.enqueue({ request: use('AFTER') }).operation.id).toBeGreaterThan(Math.max(...ids));
    } finally {
      journal.close();
      d.remove();
    }
  });

  it('refuses a journal written by a newer app', () => {
    const { journal, dir } = fresh();
    journal.db.pragma(`user_version = ${latestVersion() + 1}`);
    journal.close();
    expect(() => openJournalDatabase(dir)).toThrow(/newer/);
  });

  it('writes an operation with its request number durably, visible to another connection at once', () => {
    const { journal, dir } = fresh();
    const { operation, created } = journal.enqueue({ request: use('CODE-1'), shiftId: 'S1', tillId: 'T1', orderAmountFen: 6000, discountFen: 1000 });
    expect(created).toBe(true);
    expect(operation.status).toBe('pending');
    expect(operation.requestNo).toMatch(/^U\d{14}[0-9A-Z]{12}$/);
    expect(operation.body).toEqual({
      coupon_code: 'CODE-1',
      stock_id: '1234567',
      appid: 'wxd678efh567hg6787',
      use_time: '2026-01-01T10:00:00+08:00',
      use_request_no: operation.requestNo,
    });
    const reader = new Database(join(dir, JOURNAL_FILE), { readonly: true });
    const row = reader.prepare('SELECT request_no, status, body FROM operations WHERE op_id = ?').get(operation.opId) as { request_no: string; status: string; body: string };
    reader.close();
    expect(row.request_no).toBe(operation.requestNo);
    expect(JSON.parse(row.body)).toEqual(operation.body);
  });

  it('keeps an operation a process wrote before it died without closing anything', async () => {
    const d = tempDir('journal-kill-');
    dirs.push(d);
    const script = `
      import { Journal } from './electron/queue/journal.ts';
      const j = Journal.open(process.argv[1]);
      const { operation } = j.enqueue({ request: { kind: 'return', coupon_code: 'KILLED-1', stock_id: '99' } });
      process.stdout.write(operation.requestNo + '\\n');
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, d.path], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, sig) => r(sig)));
    expect(signal).toBe('SIGKILL');
    const journal = Journal.open(d.path);
    journals.push(journal);
    const ops = journal.list();
    expect(ops.map((o) => [o.couponCode, o.requestNo, o.status])).toEqual([['KILLED-1', out.trim(), 'pending']]);
  });

  it('validates the body with the endpoint schema and writes nothing when it is wrong', () => {
    const { journal } = fresh();
    expect(() => journal.enqueue({ request: { kind: 'associate', coupon_code: 'C1', stock_id: '1', out_trade_no: 'x'.repeat(129) } })).toThrow(RequestParamError);
    expect(() => journal.enqueue({ request: { kind: 'deactivate', coupon_code: 'C1', stock_id: '1', deactivate_reason: '坏了😀' } })).toThrow(RequestParamError);
    expect(journal.totalOperations()).toBe(0);
  });

  it('returns the first operation for a repeated client reference and refuses a mismatched one', () => {
    const { journal } = fresh();
    const first = journal.enqueue({ request: use('REF-1'), clientRef: 'scan-1' });
    const again = journal.enqueue({ request: use('REF-1'), clientRef: 'scan-1' });
    expect(again.created).toBe(false);
    expect(again.operation.requestNo).toBe(first.operation.requestNo);
    expect(() => journal.enqueue({ request: use('REF-2'), clientRef: 'scan-1' })).toThrow(JournalError);
    expect(journal.totalOperations()).toBe(1);
  });

  it('makes request numbers in the documented charset, unique across many operations', () => {
    const { journal } = fresh();
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(journal.enqueue({ request: use(`U-${i}`) }).operation.requestNo);
    expect(seen.size).toBe(300);
    for (const n of seen) expect(n).toMatch(/^[A-Za-z0-9|_*-]{1,32}$/);
    expect(newRequestNo('deactivate', Date.UTC(2026, 0, 1, 2, 3, 4), () => Buffer.alloc(12))).toBe('X20260101100304000000000000');
  });

  it('appends attempts and never overwrites an operation that left pending', () => {
    let now = 1_000;
    const { journal } = fresh(() => now);
    const op = journal.enqueue({ request: use('ATT-1') }).operation;
    const base = { lastOutcome: null, lastHttpStatus: null, lastCode: null, lastMessage: null, lastRequestId: null, result: null, resolution: null, resolvedAt: null };
    now = 2_000;
    journal.commit([
      { id: op.id, update: { ...base, status: 'pending', attempts: 1, nextAttemptAt: 2_500, lastOutcome: 'unknown_outcome', lastHttpStatus: 500, lastCode: 'SYSTEM_ERROR' } },
      {
        id: op.id,
        attempt: { action: 'send', startedAt: 1_900, finishedAt: 2_000, outcome: 'unknown_outcome', httpStatus: 500, code: 'SYSTEM_ERROR', message: '系统错误', requestId: 'R1' },
      },
    ]);
    journal.commit([{ id: op.id, update: { ...base, status: 'parked', attempts: 2, nextAttemptAt: 2_500, lastOutcome: 'rejected', lastCode: 'INVALID_REQUEST' } }]);
    // A stale writer (another drainer, a late answer) cannot undo the rejection.
    expect(journal.commit([{ id: op.id, update: { ...base, status: 'succeeded', attempts: 3, nextAttemptAt: 0 } }])).toBe(0);
    const after = journal.get(op.opId);
    expect(after?.status).toBe('parked');
    expect(after?.attempts).toBe(2);
    expect(journal.attempts(op.opId)).toMatchObject([
      { action: 'send', outcome: 'unknown_outcome', httpStatus: 500, wechatCode: 'SYSTEM_ERROR', wechatMessage: '系统错误', requestId: 'R1' },
    ]);
    expect(journal.parked().map((o) => o.opId)).toEqual([op.opId]);
  });

  it('lets a manager retry a parked operation with its number, or acknowledge it', () => {
    const { journal } = fresh();
    const a = journal.enqueue({ request: use('MGR-1') }).operation;
    const b = journal.enqueue({ request: use('MGR-2') }).operation;
    const reject = (id: number) =>
      journal.commit([
        {
          id,
          update: {
            status: 'parked',
            attempts: 1,
            nextAttemptAt: 0,
            lastOutcome: 'rejected',
            lastHttpStatus: 400,
            lastCode: 'INVALID_REQUEST',
            lastMessage: 'no',
            lastRequestId: null,
            result: null,
            resolution: null,
            resolvedAt: null,
          },
        },
      ]);
    reject(a.id);
    reject(b.id);
    expect(() => journal.retry(journal.enqueue({ request: use('MGR-3') }).operation.opId, 'm1')).toThrow(/only a parked/);
    const retried = journal.retry(a.opId, 'manager-7');
    expect(retried.status).toBe('pending');
    expect(retried.requestNo).toBe(a.requestNo);
    const acked = journal.acknowledge(b.opId, 'manager-7', '顾客已离开');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'manager-7', note: '顾客已离开', resolution: 'acknowledged' });
    expect(journal.attempts(b.opId).at(-1)).toMatchObject({ action: 'manager_ack', actor: 'manager-7' });
    // Acknowledging a pending one marks it seen but leaves it in the queue.
    const pendingAck = journal.acknowledge(retried.opId, 'manager-7');
    expect(pendingAck.status).toBe('pending');
    expect(pendingAck.acknowledgedBy).toBe('manager-7');
    expect(() => journal.acknowledge(b.opId, 'manager-7')).toThrow(/nothing to acknowledge/);
  });

  it('gives the drain lock to one live process, and takes it over from a dead one', () => {
    const { journal } = fresh();
    expect(acquireDrainLock(journal, 'A', 60_000)).toEqual({ ok: true });
    // Same process, other holder: refused while the lock is fresh (our own pid is alive).
    const refused = acquireDrainLock(journal, 'B', 60_000);
    expect(refused.ok).toBe(false);
    journal.db.prepare('UPDATE drain_lock SET pid = ? WHERE id = 1').run(2 ** 22 + 12345);
    expect(acquireDrainLock(journal, 'B', 60_000)).toEqual({ ok: true });
    releaseDrainLock(journal, 'B');
    expect(acquireDrainLock(journal, 'C', 60_000)).toEqual({ ok: true });
  });
});
