// What a printed slip says, gathered when it is made: the redemption slip of one order, or the
// shift slip of a closed shift. Kept as data, so the last one can be printed again later.
import type { AppInfo, OrderView, ShiftReportView } from '../../shared/contract';

interface SlipHead {
  /** The store's name (its preset), or null on a till without one. */
  store: string | null;
  tillId: string;
  training: boolean;
  madeAt: string;
}

export type Slip = (SlipHead & { kind: 'redemption'; cashier: string | null; order: OrderView }) | (SlipHead & { kind: 'shift'; report: ShiftReportView });

export function redemptionSlip(info: AppInfo | null, order: OrderView, cashier: string | null, now = new Date()): Slip {
  return {
    kind: 'redemption',
    store: info?.store?.name ?? null,
    tillId: order.tillId,
    training: info?.mode !== 'live',
    madeAt: order.closedAt ?? now.toISOString(),
    cashier,
    order,
  };
}

export function shiftSlip(info: AppInfo | null, report: ShiftReportView, now = new Date()): Slip {
  return {
    kind: 'shift',
    store: info?.store?.name ?? null,
    tillId: report.shift.tillId,
    training: report.shift.training,
    madeAt: report.shift.closedAt ?? now.toISOString(),
    report,
  };
}
