import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  PosError,
  type AcknowledgeInput,
  type AppMode,
  type CouponDeactivateInput,
  type CouponReturnInput,
  type ManagerSignInInput,
  type OfflinePolicy,
  type OperationResult,
  type ShiftReportView,
  type StackingPolicy,
} from '../../shared/contract';
import type { Logger } from '../log/logger';
import { queueItem, shiftView, type ActionOutcome, type ShiftReport } from '../pos';
import { JournalError } from '../queue/journal';
import type { ManagerSession } from '../staff/manager-session';
import { TRAINING_MANAGER, type PinBook } from '../staff/pin-book';
import { requireRuntime } from './checkout';
import { offlineView, stackingView } from './policies';
import type { TillRuntime } from './runtime';

// The manager's methods. The router has already checked the manager session (ctx.managerId)
// before any of the coupon, queue or shift methods here runs; the id goes into the journal,
// so every return, deactivation, retry, acknowledgement and close says who did it.

export interface ManagerDeps {
  current: () => { runtime: TillRuntime | null; error: string | null };
  session: ManagerSession;
  pins: PinBook;
  mode: () => AppMode;
  /** A live merchant is provisioned: then the practice manager opens nothing, even while the till trains. */
  liveProvisioned: () => boolean;
  /** Where closed shifts' CSV reports are written for the back office. */
  reportsDir: string;
  log: Logger;
}

export function operationResult(out: ActionOutcome): OperationResult {
  if (out.status === 'declined') return { status: 'declined', reason: out.reason };
  const ids = { operationId: out.operation.opId, requestNo: out.operation.requestNo };
  return out.status === 'refused' ? { ...ids, status: 'refused', reason: out.reason } : { ...ids, status: out.status };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function shiftReportView(r: ShiftReport): ShiftReportView {
  return {
    shift: { ...shiftView(r.shift), closedAt: iso(r.shift.closedAt), closedBy: r.shift.closedBy },
    generatedAt: new Date(r.generatedAt).toISOString(),
    rows: r.rows,
    orders: r.orders,
    redeemed: r.redeemed,
    returned: r.returned,
    offline: r.offline,
    losses: r.losses.map((l) => ({ operationId: l.opId, code: l.couponCode, stockId: l.stockId, discountFen: l.discountFen, wechatMessage: l.wechatMessage })),
    failedLinks: r.failedLinks.map((f) => ({ operationId: f.opId, code: f.couponCode, outTradeNo: f.outTradeNo, wechatMessage: f.wechatMessage })),
    confirmedNotGranted: r.confirmedNotGranted,
    unresolved: r.unresolved,
  };
}

/** Journal refusals become typed contract errors the screen can explain. */
function journalCall<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof JournalError) throw new PosError(err.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'STATE_CONFLICT', err.message);
    throw err;
  }
}

function manager(ctx: { managerId?: string }): string {
  // The router sets it for every manager method; reaching here without it is a wiring bug.
  if (!ctx.managerId) throw new PosError('FORBIDDEN', 'this needs a shift manager');
  return ctx.managerId;
}

export function managerHandlers(deps: ManagerDeps) {
  const rt = () => {
    const c = deps.current();
    return requireRuntime(c.runtime, c.error);
  };
  const keychain = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      deps.log.error('manager.keychain_failed', { error: err });
      throw new PosError('KEYCHAIN', 'the managers’ PINs cannot be read from the OS keychain');
    }
  };

  return {
    'manager.status': async () => ({
      session: deps.session.view(),
      pinsSet: (await keychain(() => deps.pins.list())).length > 0,
      mode: deps.mode(),
      liveProvisioned: deps.liveProvisioned(),
      training: deps.liveProvisioned() ? null : { ...TRAINING_MANAGER },
    }),

    'manager.signIn': async (input: z.output<typeof ManagerSignInInput>) => {
      const check = await keychain(() => deps.pins.check(input.managerId, input.pin, { training: !deps.liveProvisioned() }));
      if (check.ok) {
        deps.log.info('manager.signed_in', { managerId: check.managerId });
        return deps.session.begin(check.managerId);
      }
      deps.log.warn('manager.sign_in_refused', { managerId: input.managerId, reason: check.reason });
      if (check.reason === 'locked' || check.reason === 'busy') {
        const why = check.reason === 'busy' ? 'a PIN check is already running' : 'too many wrong PINs';
        throw new PosError('PIN_LOCKED', `${why}; try again in ${Math.ceil(check.retryAfterMs / 1000)} s`, { retryAfterMs: check.retryAfterMs });
      }
      const why = check.reason === 'no_pins' ? 'no manager PIN is set on this till (IT: posctl manager set-pin)' : 'wrong manager id or PIN';
      throw new PosError('PIN_REJECTED', `${why}; ${check.attemptsLeft} attempt(s) left before the lock`);
    },

    'manager.signOut': async () => {
      const was = deps.session.view();
      deps.session.end();
      if (was) deps.log.info('manager.signed_out', { managerId: was.managerId });
      return { signedOut: true as const };
    },

    'coupon.return': async (input: z.output<typeof CouponReturnInput>, ctx: { managerId?: string }) =>
      operationResult(await rt().pos.actions.returnCoupon({ code: input.code, managerId: manager(ctx), ...(input.stockId ? { stockId: input.stockId } : {}) })),

    'coupon.deactivate': async (input: z.output<typeof CouponDeactivateInput>, ctx: { managerId?: string }) =>
      operationResult(await rt().pos.actions.deactivate({ code: input.code, managerId: manager(ctx), reason: input.reason, ...(input.stockId ? { stockId: input.stockId } : {}) })),

    'queue.retry': async (input: { operationId: string }, ctx: { managerId?: string }) => queueItem(journalCall(() => rt().pos.drainer.retry(input.operationId, manager(ctx)))),

    'queue.ack': async (input: z.output<typeof AcknowledgeInput>, ctx: { managerId?: string }) =>
      queueItem(journalCall(() => rt().pos.drainer.acknowledge(input.operationId, manager(ctx), input.note))),

    'offline.policy': async () => offlineView(rt()),
    'offline.setPolicy': async (input: { policy: OfflinePolicy }, ctx: { managerId?: string }) => {
      const r = rt();
      r.pos.policy.set(input.policy, manager(ctx));
      deps.log.info('offline.policy_set', { managerId: ctx.managerId, mode: input.policy.mode });
      return offlineView(r);
    },
    'order.setPolicy': async (input: { policy: StackingPolicy }, ctx: { managerId?: string }) => {
      const r = rt();
      r.pos.stacking.set(input.policy, manager(ctx));
      deps.log.info('order.policy_set', { managerId: ctx.managerId, ...input.policy });
      return stackingView(r);
    },

    'shift.report': async () => {
      const r = rt();
      const shift = r.pos.shifts.current(r.tillId);
      return shift ? shiftReportView(r.pos.shifts.report(shift.shiftId)) : null;
    },

    'shift.close': async (_input: unknown, ctx: { managerId?: string }) => {
      const r = rt();
      const shift = r.pos.shifts.current(r.tillId);
      if (!shift) throw new PosError('NOT_FOUND', `till ${r.tillId} has no open shift`);
      const out = r.pos.shifts.close({ shiftId: shift.shiftId, closedBy: manager(ctx) });
      if (!out.closed) return { closed: false as const, unresolved: out.unresolved.map(queueItem) };
      deps.log.info('shift.closed', { shiftId: shift.shiftId, managerId: ctx.managerId });
      const csv = { fileName: csvName(r, shift.shiftId), content: r.pos.shifts.reportCsv(shift.shiftId) };
      return { closed: true as const, report: shiftReportView(out.report), csvFile: saveCsv(deps, csv), csv };
    },
  };
}

const csvName = (r: TillRuntime, shiftId: string) => `shift-${r.tillId}-${shiftId}.csv`;

/** The shift is closed whatever happens here; a report that cannot be written is said, not thrown. */
function saveCsv(deps: ManagerDeps, csv: { fileName: string; content: string }): string | null {
  const file = join(deps.reportsDir, csv.fileName);
  try {
    mkdirSync(deps.reportsDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, csv.content, { mode: 0o600 });
    return file;
  } catch (err) {
    deps.log.error('shift.report_not_saved', { file: csv.fileName, error: err });
    return null;
  }
}
