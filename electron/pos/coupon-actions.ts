// A manager's (and IT's) operations on one coupon outside a sale: give a redeemed coupon back
// (return), make an unused one unusable (deactivate), and link or unlink a WeChat Pay order by
// hand. Each goes through the journal and the coupon's lane like a redemption, so a coupon's
// operations reach WeChat Pay in the order they were made.
import { RequestParamError } from '../../shared/busifavor';
import { unwritableCode } from '../queue/database';
import type { QueueDrainer } from '../queue/drain';
import type { EnqueueInput, Journal } from '../queue/journal';
import type { OperationRecord } from '../queue/records';
import { refusalOf } from './contract-views';
import type { DirectoryEntry } from './coupon-directory';
import type { CouponLookup } from './coupon-lookup';
import { refusals, type Refusal } from './refusals';
import { LIVE_TIMEOUT_MS } from './redemption';
import type { ShiftService } from './shifts';

export type ActionOutcome =
  | { status: 'declined'; reason: Refusal }
  | { status: 'succeeded'; operation: OperationRecord }
  | { status: 'refused'; operation: OperationRecord; reason: Refusal }
  /** Written and queued (offline, or no answer in time); it reaches WeChat Pay in order. */
  | { status: 'pending'; operation: OperationRecord };

export interface CouponActionsDeps {
  journal: Journal;
  drainer: QueueDrainer;
  lookup: CouponLookup;
  shifts: ShiftService;
}

export class CouponActions {
  readonly #d: CouponActionsDeps;
  readonly #config: { appid: string; tillId: string; training: boolean; liveTimeoutMs: number };

  constructor(deps: CouponActionsDeps, config: { appid: string; tillId: string; training?: boolean; liveTimeoutMs?: number }) {
    this.#d = deps;
    this.#config = { training: false, liveTimeoutMs: LIVE_TIMEOUT_MS, ...config };
  }

  async #submit(request: EnqueueInput['request'], extra: Partial<EnqueueInput>): Promise<ActionOutcome> {
    const parked = this.#d.lookup.openOperations(request.coupon_code).find((o) => o.status === 'parked');
    if (parked) return { status: 'declined', reason: refusals.couponNeedsAttention(parked.opId, parked.kind) };
    const shift = this.#d.shifts.current(this.#config.tillId);
    let written: OperationRecord;
    try {
      written = this.#d.drainer.enqueue(
        {
          request,
          appid: this.#config.appid,
          tillId: this.#config.tillId,
          training: this.#config.training || (shift?.training ?? false),
          ...(shift ? { shiftId: shift.shiftId } : {}),
          ...extra,
        },
        { attended: true },
      );
    } catch (err) {
      if (err instanceof RequestParamError) return { status: 'declined', reason: refusals.invalidField(err.paramError) };
      const code = unwritableCode(err);
      if (code) return { status: 'declined', reason: refusals.journalUnwritable(code) };
      throw err;
    }
    if (this.#d.drainer.online) await this.#d.drainer.settle(written.opId, this.#config.liveTimeoutMs);
    this.#d.drainer.unattend(written.opId);
    const op = this.#d.journal.get(written.opId) ?? written;
    if (op.status === 'succeeded') return { status: 'succeeded', operation: op };
    if (op.status === 'pending') return { status: 'pending', operation: op };
    return { status: 'refused', operation: op, reason: refusalOf(op) };
  }

  #ownerOf(entry: DirectoryEntry | undefined): Partial<EnqueueInput> {
    return entry?.openid ? { openid: entry.openid, ...(entry.appid ? { appid: entry.appid } : {}) } : {};
  }

  /** Links an unused coupon to a WeChat Pay order (a sale links before it redeems; this is the manual way). */
  async associate(input: { code: string; outTradeNo: string; stockId?: string; actor?: string }): Promise<ActionOutcome> {
    const r = this.#d.lookup.place(input.code, input.stockId);
    if (!r.ok) return { status: 'declined', reason: r.reason };
    if (r.entry?.couponState === 'USED' || this.#d.lookup.openOperations(r.code).some((o) => o.kind === 'use'))
      return { status: 'declined', reason: refusals.associateNeedsUnused() };
    return this.#submit(
      { kind: 'associate', coupon_code: r.code, stock_id: r.stockId, out_trade_no: input.outTradeNo },
      { ...this.#ownerOf(r.entry), ...(input.actor ? { cashierId: input.actor } : {}) },
    );
  }

  async disassociate(input: { code: string; outTradeNo: string; stockId?: string; actor?: string }): Promise<ActionOutcome> {
    const r = this.#d.lookup.place(input.code, input.stockId);
    if (!r.ok) return { status: 'declined', reason: r.reason };
    return this.#submit(
      { kind: 'disassociate', coupon_code: r.code, stock_id: r.stockId, out_trade_no: input.outTradeNo },
      { ...this.#ownerOf(r.entry), ...(input.actor ? { cashierId: input.actor } : {}) },
    );
  }

  /** Manager: gives a redeemed coupon back to the customer (the order was refunded). */
  async returnCoupon(input: { code: string; managerId: string; stockId?: string }): Promise<ActionOutcome> {
    if (!input.managerId.trim()) return { status: 'declined', reason: refusals.managerRequired() };
    const r = this.#d.lookup.place(input.code, input.stockId);
    if (!r.ok) return { status: 'declined', reason: r.reason };
    const state = r.entry?.couponState ?? null;
    const useWaiting = this.#d.lookup.openOperations(r.code).some((o) => o.kind === 'use');
    if (state !== null && state !== 'USED' && !useWaiting) return { status: 'declined', reason: refusals.returnNeedsUsed(state) };
    return this.#submit({ kind: 'return', coupon_code: r.code, stock_id: r.stockId }, { ...this.#ownerOf(r.entry), cashierId: input.managerId });
  }

  /** Manager: makes an unused coupon permanently unusable. */
  async deactivate(input: { code: string; managerId: string; reason?: string; stockId?: string }): Promise<ActionOutcome> {
    if (!input.managerId.trim()) return { status: 'declined', reason: refusals.managerRequired() };
    const r = this.#d.lookup.place(input.code, input.stockId);
    if (!r.ok) return { status: 'declined', reason: r.reason };
    const state = r.entry?.couponState ?? null;
    if (state !== null && state !== 'SENDED') return { status: 'declined', reason: refusals.deactivateNeedsUnused(state) };
    return this.#submit(
      { kind: 'deactivate', coupon_code: r.code, stock_id: r.stockId, ...(input.reason ? { deactivate_reason: input.reason } : {}) },
      { ...this.#ownerOf(r.entry), cashierId: input.managerId, ...(input.reason ? { note: input.reason } : {}) },
    );
  }
}
