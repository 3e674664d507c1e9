// Shifts: opened and closed per till with the cashiers on duty. Every coupon operation is
// tagged with its shift; a shift cannot close while any of its operations is unresolved
// (still pending or refused) unless a manager has acknowledged each one.
import { randomUUID } from 'node:crypto';
import type { Journal } from '../queue/journal';
import type { OperationRecord } from '../queue/records';
import type { OrderBook } from './orders';
import { buildShiftReport, isUnresolved, shiftReportCsv, type Shift, type ShiftReport } from './shift-report';

export class ShiftError extends Error {
  constructor(
    readonly code: 'ALREADY_OPEN' | 'NOT_FOUND' | 'ALREADY_CLOSED' | 'BAD_INPUT',
    message: string,
  ) {
    super(message);
    this.name = 'ShiftError';
  }
}

interface Row {
  shift_id: string;
  till_id: string;
  cashier_ids: string;
  training: number;
  opened_at: number;
  opened_by: string;
  closed_at: number | null;
  closed_by: string | null;
}

const toShift = (r: Row): Shift => ({
  shiftId: r.shift_id,
  tillId: r.till_id,
  cashierIds: JSON.parse(r.cashier_ids) as string[],
  training: r.training === 1,
  openedAt: r.opened_at,
  openedBy: r.opened_by,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
});

export type CloseResult = { closed: true; shift: Shift; report: ShiftReport } | { closed: false; shift: Shift; unresolved: OperationRecord[] };

export interface ShiftServiceOptions {
  journal: Journal;
  clock?: () => number;
  /** How a manager acknowledges an operation (the drainer's, so its memory stays in step). */
  acknowledge?: (opId: string, managerId: string, note?: string) => OperationRecord;
  stockName?: (stockId: string) => string | null;
  /** The shift's orders, for the report (none without it). */
  orders?: Pick<OrderBook, 'listByShift'>;
}

export class ShiftService {
  readonly #journal: Journal;
  readonly #clock: () => number;
  readonly #ack: (opId: string, managerId: string, note?: string) => OperationRecord;
  readonly #stockName: (stockId: string) => string | null;
  readonly #orders: Pick<OrderBook, 'listByShift'> | undefined;

  constructor(options: ShiftServiceOptions) {
    this.#journal = options.journal;
    this.#clock = options.clock ?? Date.now;
    this.#ack = options.acknowledge ?? ((id, m, n) => options.journal.acknowledge(id, m, n));
    this.#stockName = options.stockName ?? (() => null);
    this.#orders = options.orders;
  }

  get #db() {
    return this.#journal.db;
  }

  open(input: { tillId: string; cashierIds: string[]; openedBy: string; training?: boolean }): Shift {
    if (!input.tillId.trim() || !input.openedBy.trim() || input.cashierIds.length === 0 || input.cashierIds.some((c) => !c.trim())) {
      throw new ShiftError('BAD_INPUT', 'a shift needs a till id, the person opening it and at least one cashier id');
    }
    const existing = this.current(input.tillId);
    if (existing) throw new ShiftError('ALREADY_OPEN', `till ${input.tillId} already has an open shift (${existing.shiftId}); close it first`);
    const shiftId = `S${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`;
    try {
      this.#db
        .prepare('INSERT INTO shifts (shift_id, till_id, cashier_ids, training, opened_at, opened_by) VALUES (?, ?, ?, ?, ?, ?)')
        .run(shiftId, input.tillId, JSON.stringify(input.cashierIds), input.training ? 1 : 0, this.#clock(), input.openedBy);
    } catch (err) {
      // The partial unique index settles a race between two processes opening the same till.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ShiftError('ALREADY_OPEN', `till ${input.tillId} already has an open shift`);
      throw err;
    }
    return this.get(shiftId);
  }

  current(tillId: string): Shift | undefined {
    const row = this.#db.prepare('SELECT * FROM shifts WHERE till_id = ? AND closed_at IS NULL').get(tillId) as Row | undefined;
    return row && toShift(row);
  }

  get(shiftId: string): Shift {
    const row = this.#db.prepare('SELECT * FROM shifts WHERE shift_id = ?').get(shiftId) as Row | undefined;
    if (!row) throw new ShiftError('NOT_FOUND', `no shift ${shiftId}`);
    return toShift(row);
  }

  list(filter: { tillId?: string; limit?: number } = {}): Shift[] {
    const rows = (
      filter.tillId === undefined
        ? this.#db.prepare('SELECT * FROM shifts ORDER BY opened_at DESC LIMIT ?').all(filter.limit ?? 50)
        : this.#db.prepare('SELECT * FROM shifts WHERE till_id = ? ORDER BY opened_at DESC LIMIT ?').all(filter.tillId, filter.limit ?? 50)
    ) as Row[];
    return rows.map(toShift);
  }

  operations(shiftId: string): OperationRecord[] {
    return this.#journal.list({ shiftId });
  }

  /** Operations that block closing: parked ones, and pending ones no manager has acknowledged. */
  unresolved(shiftId: string): OperationRecord[] {
    return this.operations(shiftId).filter(isUnresolved);
  }

  /** What this shift already accepted offline (redemptions only): the policy's running totals. */
  offlineUsage(shiftId: string): { count: number; totalFen: number } {
    const r = this.#db
      .prepare("SELECT COUNT(*) AS n, COALESCE(SUM(discount_fen), 0) AS total FROM operations WHERE shift_id = ? AND kind = 'use' AND offline_accepted = 1")
      .get(shiftId) as { n: number; total: number };
    return { count: r.n, totalFen: r.total };
  }

  /** Manager: acknowledges one unresolved operation of the shift. */
  acknowledge(opId: string, managerId: string, note?: string): OperationRecord {
    if (!managerId.trim()) throw new ShiftError('BAD_INPUT', 'a manager id is required');
    return this.#ack(opId, managerId, note);
  }

  close(input: { shiftId: string; closedBy: string }): CloseResult {
    const shift = this.get(input.shiftId);
    if (shift.closedAt !== null) throw new ShiftError('ALREADY_CLOSED', `shift ${input.shiftId} is already closed`);
    if (!input.closedBy.trim()) throw new ShiftError('BAD_INPUT', 'closing a shift needs the id of the person closing it');
    const unresolved = this.unresolved(input.shiftId);
    if (unresolved.length > 0) return { closed: false, shift, unresolved };
    this.#db.prepare('UPDATE shifts SET closed_at = ?, closed_by = ? WHERE shift_id = ? AND closed_at IS NULL').run(this.#clock(), input.closedBy, input.shiftId);
    const closed = this.get(input.shiftId);
    return { closed: true, shift: closed, report: this.report(input.shiftId) };
  }

  report(shiftId: string): ShiftReport {
    const operations = this.operations(shiftId);
    return buildShiftReport({
      shift: this.get(shiftId),
      operations,
      orders: this.#orders?.listByShift(shiftId) ?? [],
      returned: this.#returnedSince(operations),
      now: this.#clock(),
      stockName: this.#stockName,
    });
  }

  /** Confirmed uses whose coupon a later return (in any shift) gave back to the customer. */
  #returnedSince(operations: readonly OperationRecord[]): Set<number> {
    const out = new Set<number>();
    for (const use of operations) {
      if (use.kind !== 'use' || use.status !== 'succeeded') continue;
      const later = this.#journal.list({ couponCode: use.couponCode, afterId: use.id, status: 'succeeded' });
      if (later.some((op) => op.kind === 'return' && op.stockId === use.stockId)) out.add(use.id);
    }
    return out;
  }

  reportCsv(shiftId: string): string {
    return shiftReportCsv(this.report(shiftId));
  }
}
