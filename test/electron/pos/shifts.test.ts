import { afterEach, describe, expect, it } from 'vitest';
import { buildShiftReport, judgeOffline, OfflinePolicyStore, ShiftError, ShiftService, shiftReportCsv, type OfflinePolicy } from '../../../electron/pos';
import { Journal, type OperationStatus } from '../../../electron/queue';
import { tempDir } from '../queue/support/sim';

const open: { journal: Journal; remove(): void }[] = [];
afterEach(() => {
  while (open.length) {
    const o = open.pop();
    o?.journal.close();
    o?.remove();
  }
});

function setup(): { journal: Journal; shifts: ShiftService } {
  const d = tempDir('shift-');
  const journal = Journal.open(d.path);
  open.push({ journal, remove: d.remove });
  return { journal, shifts: new ShiftService({ journal, stockName: (id) => (id === 'S1' ? '满50减10' : null) }) };
}

function settle(journal: Journal, id: number, status: OperationStatus, code: string | null = null): void {
  journal.commit([
    {
      id,
      update: {
        status,
        attempts: 1,
        nextAttemptAt: 0,
        lastOutcome: status === 'succeeded' ? 'succeeded' : 'refused',
        lastHttpStatus: status === 'succeeded' ? 200 : 400,
        lastCode: code,
        lastMessage: code ? '券已失效' : null,
        lastRequestId: 'RID-1',
        result: null,
        resolution: status === 'succeeded' ? 'sent' : null,
        resolvedAt: 1,
      },
    },
  ]);
}

const use = (code: string) => ({ kind: 'use' as const, coupon_code: code, stock_id: 'S1', appid: 'wx1', use_time: '2026-01-01T10:00:00+08:00' });

describe('shifts', () => {
  it('opens one shift per till, with cashier ids', () => {
    const { shifts } = setup();
    const s = shifts.open({ tillId: 'T1', cashierIds: ['C1', 'C2'], openedBy: 'M1' });
    expect(s).toMatchObject({ tillId: 'T1', cashierIds: ['C1', 'C2'], openedBy: 'M1', closedAt: null });
    expect(() => shifts.open({ tillId: 'T1', cashierIds: ['C3'], openedBy: 'M1' })).toThrow(ShiftError);
    expect(() => shifts.open({ tillId: 'T2', cashierIds: [], openedBy: 'M1' })).toThrow(/at least one cashier/);
    expect(shifts.open({ tillId: 'T2', cashierIds: ['C3'], openedBy: 'M1' }).tillId).toBe('T2');
    expect(shifts.current('T1')?.shiftId).toBe(s.shiftId);
  });

  it('refuses to close while operations are unresolved, until a manager acknowledges each', () => {
    const { journal, shifts } = setup();
    const s = shifts.open({ tillId: 'T1', cashierIds: ['C1'], openedBy: 'C1' });
    const ok = journal.enqueue({ request: use('SH-1'), shiftId: s.shiftId, orderAmountFen: 6000, discountFen: 1000, granted: true }).operation;
    const refused = journal.enqueue({ request: use('SH-2'), shiftId: s.shiftId, orderAmountFen: 5000, discountFen: 1000, offlineAccepted: true, granted: true }).operation;
    const waiting = journal.enqueue({ request: { kind: 'return', coupon_code: 'SH-1', stock_id: 'S1' }, shiftId: s.shiftId }).operation;
    settle(journal, ok.id, 'succeeded');
    settle(journal, refused.id, 'parked', 'INVALID_REQUEST');

    const first = shifts.close({ shiftId: s.shiftId, closedBy: 'M1' });
    expect(first.closed).toBe(false);
    if (!first.closed) expect(first.unresolved.map((o) => o.opId).sort()).toEqual([refused.opId, waiting.opId].sort());
    shifts.acknowledge(refused.opId, 'M1', 'loss accepted');
    expect(shifts.close({ shiftId: s.shiftId, closedBy: 'M1' }).closed).toBe(false);
    shifts.acknowledge(waiting.opId, 'M1');
    const done = shifts.close({ shiftId: s.shiftId, closedBy: 'M1' });
    expect(done.closed).toBe(true);
    if (!done.closed) return;
    expect(done.shift.closedBy).toBe('M1');
    // The acknowledged pending return is still in the queue: seen, not dropped.
    expect(journal.get(waiting.opId)?.status).toBe('pending');
    expect(done.report.offline).toMatchObject({ accepted: 1, lost: 1, lostDiscountFen: 1000 });
    expect(() => shifts.close({ shiftId: s.shiftId, closedBy: 'M1' })).toThrow(/already closed/);
    expect(shifts.current('T1')).toBeUndefined();
  });

  it('reports by stock, kind and outcome, and exports CSV that Excel opens safely', () => {
    const { journal, shifts } = setup();
    const s = shifts.open({ tillId: 'T1', cashierIds: ['C1'], openedBy: 'C1' });
    const a = journal.enqueue({ request: use('=cmd|x'), shiftId: s.shiftId, orderAmountFen: 6000, discountFen: 1000, offlineAccepted: true, granted: true }).operation;
    const b = journal.enqueue({ request: use('RPT-2'), shiftId: s.shiftId, orderAmountFen: 8000, discountFen: 1000, granted: true }).operation;
    const c = journal.enqueue({ request: use('RPT-3'), shiftId: s.shiftId, orderAmountFen: 9000, discountFen: 1000 }).operation;
    settle(journal, a.id, 'parked', 'INVALID_REQUEST');
    settle(journal, b.id, 'succeeded');
    settle(journal, c.id, 'succeeded');
    const report = shifts.report(s.shiftId);
    // Only discounts the customers kept count: not the refused one, not the one never granted.
    expect(report.rows).toEqual([
      { stockId: 'S1', stockName: '满50减10', kind: 'use', status: 'parked', count: 1, discountFen: 0 },
      { stockId: 'S1', stockName: '满50减10', kind: 'use', status: 'succeeded', count: 2, discountFen: 1000 },
    ]);
    expect(report.redeemed).toEqual({ count: 2, discountFen: 1000, orderAmountFen: 17000 });
    expect(report.confirmedNotGranted).toBe(1);
    expect(report.losses).toMatchObject([{ couponCode: '=cmd|x', discountFen: 1000, wechatCode: 'INVALID_REQUEST', requestId: 'RID-1' }]);

    const csv = shiftReportCsv(report);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n').filter((l) => l.includes('\n'))).toEqual([]);
    expect(csv).toContain('S1,满50减10,核销,成功,2,10.00');
    expect(csv).toContain("\r\n'=cmd|x,S1,10.00,60.00,被拒待处理,INVALID_REQUEST,券已失效,RID-1,");
    expect(csv).not.toContain('\r\n=cmd');
    expect(shifts.reportCsv(s.shiftId)).toBe(shiftReportCsv({ ...shifts.report(s.shiftId), generatedAt: report.generatedAt }));
  });

  it('quotes cells with commas, quotes and line breaks', () => {
    const shift = { shiftId: 'S', tillId: 'T', cashierIds: ['a,b'], training: false, openedAt: 0, openedBy: 'x', closedAt: null, closedBy: null };
    const report = buildShiftReport({ shift, operations: [], orders: [], returned: new Set(), now: 0 });
    expect(shiftReportCsv(report)).toContain('"a,b"');
    const named = buildShiftReport({ shift, operations: [], orders: [], returned: new Set(), now: 0 });
    named.rows.push({ stockId: 'S"1', stockName: '名\n称', kind: 'use', status: 'succeeded', count: 1, discountFen: 1 });
    expect(shiftReportCsv(named)).toContain('"S""1","名\n称",核销');
  });
});

describe('offline policy', () => {
  const limited: OfflinePolicy = { mode: 'limited', maxDiscountPerCouponFen: 1000, maxCountPerShift: 2, maxTotalPerShiftFen: 1500 };
  const req = (discountFen: number, count: number, totalFen: number, knownState: string | null = null) => ({ discountFen, shiftUsage: { count, totalFen }, knownState });

  it('is off by default and refuses everything then', () => {
    const d = tempDir('policy-');
    const journal = Journal.open(d.path);
    open.push({ journal, remove: d.remove });
    const store = new OfflinePolicyStore(journal.db);
    expect(store.get()).toEqual({ mode: 'off' });
    expect(judgeOffline(store.get(), req(1, 0, 0))).toMatchObject({ ok: false, reason: { code: 'OFFLINE' } });
    expect(() => store.set({ mode: 'limited', maxDiscountPerCouponFen: -1, maxCountPerShift: 1, maxTotalPerShiftFen: 1 }, 'M1')).toThrow();
    store.set(limited, 'M1');
    expect(store.get()).toEqual(limited);
    journal.db.prepare("UPDATE pos_settings SET value = '{broken' WHERE key = 'offline_policy'").run();
    expect(store.get()).toEqual({ mode: 'off' });
  });

  it('enforces the per-coupon, per-shift count and per-shift total limits, and a known non-usable state', () => {
    expect(judgeOffline(limited, req(1000, 0, 0))).toEqual({ ok: true });
    expect(judgeOffline(limited, req(1001, 0, 0))).toMatchObject({ ok: false, reason: { code: 'OFFLINE_DISCOUNT_LIMIT' } });
    expect(judgeOffline(limited, req(100, 2, 200))).toMatchObject({ ok: false, reason: { code: 'OFFLINE_COUNT_LIMIT' } });
    expect(judgeOffline(limited, req(600, 1, 1000))).toMatchObject({ ok: false, reason: { code: 'OFFLINE_TOTAL_LIMIT' } });
    expect(judgeOffline(limited, req(500, 1, 1000))).toEqual({ ok: true });
    expect(judgeOffline(limited, req(100, 0, 0, 'USED'))).toMatchObject({ ok: false, reason: { code: 'OFFLINE_STATE_UNKNOWN' } });
  });
});
