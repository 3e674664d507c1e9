// The back office's journal on a real journal.sqlite: migration 4 beside the coupon queue,
// numbers made once, a form sent twice found again, attempts guarded by status, and bad
// requests never written.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackofficeJournal, Journal, JOURNAL_FILE, migrate, schemaVersion } from '../../../electron/queue';
import { migrations } from '../../../electron/queue/migrations';
import { RequestParamError } from '../../../shared/busifavor';
import { tempDir } from './support/sim';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  while (dirs.length) dirs.pop()?.remove();
});

function open(): { journal: Journal; office: BackofficeJournal } {
  const d = tempDir('bo-journal-');
  dirs.push(d);
  const journal = Journal.open(d.path);
  return { journal, office: new BackofficeJournal(journal.db) };
}

const budget = (stockId: string) => ({
  kind: 'stock_budget' as const,
  stockId,
  parts: { path: { stock_id: stockId }, body: { target_max_coupons: 200, current_max_coupons: 100 } },
  summary: { target: 'max_coupons', from: 100, to: 200 },
  managerId: 'M01',
  training: false,
});

describe('the back-office journal', () => {
  it('migrates a version-3 journal to 4 and leaves its coupon operations as they were', () => {
    const d = tempDir('bo-migrate-');
    dirs.push(d);
    const db = new Database(join(d.path, JOURNAL_FILE));
    migrate(
      db,
      migrations.filter((m) => m.version <= 3),
    );
    db.prepare(
      "INSERT INTO operations (op_id, kind, endpoint, lane, coupon_code, request_no, body, status, next_attempt_at, created_at, updated_at) VALUES ('op1', 'use', 'coupons.use', 'C1', 'C1', 'U1', '{}', 'pending', 0, 0, 0)",
    ).run();
    expect(migrate(db)).toEqual([4]);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT op_id, status FROM operations').all()).toEqual([{ op_id: 'op1', status: 'pending' }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM backoffice_operations').get()).toEqual({ n: 0 });
    db.close();
  });

  it('writes the request with its number where the endpoint takes it, made once', () => {
    const { journal, office } = open();
    const { operation } = office.write(budget('98065001'));
    expect(operation.requestNo).toMatch(/^B\d{14}[0-9A-Z]{12}$/);
    expect(operation.request.body).toEqual({ target_max_coupons: 200, current_max_coupons: 100, modify_budget_request_no: operation.requestNo });
    const del = office.write({
      kind: 'code_delete',
      stockId: '98065001',
      parts: { path: { stock_id: '98065001', coupon_code: 'A B' }, query: {} },
      summary: { code: 'A B' },
      managerId: 'M01',
      training: false,
    });
    expect(del.operation.requestNo).toMatch(/^L/);
    expect(del.operation.request).toEqual({ path: { stock_id: '98065001', coupon_code: 'A B' }, query: { delete_request_no: del.operation.requestNo } });
    const url = office.write({ kind: 'callbacks_set', parts: { body: { notify_url: 'https://a.example.com/n' } }, summary: {}, managerId: 'M01', training: false });
    expect(url.operation.requestNo).toBeNull();
    // The coupon queue does not see them.
    expect(journal.totalOperations()).toBe(0);
    journal.close();
  });

  it('finds the first operation again for the same client reference', () => {
    const { journal, office } = open();
    const a = office.write({ ...budget('98065001'), clientRef: 'screen-form-1' });
    const b = office.write({ ...budget('98065001'), clientRef: 'screen-form-1' });
    expect([a.created, b.created]).toEqual([true, false]);
    expect(b.operation.requestNo).toBe(a.operation.requestNo);
    expect(office.list()).toHaveLength(1);
    journal.close();
  });

  it('appends attempts only while the operation is pending', () => {
    const { journal, office } = open();
    const { operation } = office.write(budget('98065001'));
    const at = { startedAt: 1, finishedAt: 2, httpStatus: null, code: 'TIMEOUT', message: 'timed out', requestId: null, actor: 'M01' };
    expect(office.recordAttempt(operation.opId, { ...at, outcome: 'unknown_outcome', status: 'pending' })).toMatchObject({ status: 'pending', attempts: 1 });
    expect(office.recordAttempt(operation.opId, { ...at, outcome: 'succeeded', status: 'succeeded', code: null, result: { max_coupons: 200 } })).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      result: { max_coupons: 200 },
    });
    // A late answer of an earlier attempt cannot undo it.
    expect(office.recordAttempt(operation.opId, { ...at, outcome: 'rejected', status: 'refused' })).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(office.attempts(operation.opId).map((a) => a.outcome)).toEqual(['unknown_outcome', 'succeeded']);
    journal.close();
  });

  it('writes nothing for a request WeChat would refuse', () => {
    const { journal, office } = open();
    expect(() => office.write({ ...budget('98065001'), parts: { path: { stock_id: '98065001' }, body: { target_max_coupons: 0, current_max_coupons: 100 } } })).toThrow(
      RequestParamError,
    );
    expect(office.list()).toEqual([]);
    journal.close();
  });
});
