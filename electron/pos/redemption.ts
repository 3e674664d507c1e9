// Redeeming a coupon on an order: the till's rules decide (shift, stock, validity, the store's
// stacking rules, the threshold), then the operations are written to the journal before
// anything is sent — the order link first when the order has a WeChat Pay number (WeChat
// links only an unused coupon: docs/wechatpay/busifavor.md#coupon-operations), then the use,
// on the coupon's lane, so they reach WeChat Pay in that order with their own request numbers.
import { RequestParamError } from '../../shared/busifavor';
import type { Quote } from '../../shared/contract/till';
import { formatChinaRfc3339 } from '../../shared/time';
import { unwritableCode } from '../queue/database';
import type { QueueDrainer } from '../queue/drain';
import type { EnqueueInput, Journal } from '../queue/journal';
import type { OperationRecord } from '../queue/records';
import { refusalOf } from './contract-views';
import type { CouponLookup } from './coupon-lookup';
import { usabilityAt, valueOn } from './coupon-rules';
import { judgeOffline, type OfflinePolicyStore } from './offline-policy';
import type { OrderBook, OrderRecord } from './orders';
import { refusals, type Refusal } from './refusals';
import type { ShiftService } from './shifts';
import { judgeStack } from './stacking';
import type { StackingPolicyStore } from './stacking-policy';
import type { CachedStock } from './stock-cache';

/**
 * How long a cashier waits for WeChat Pay's answer to a redemption (or a manager's return) before
 * the till goes on without it: a few seconds, so a black-holed connection costs no more than
 * that; the operation keeps its request number and the offline rules decide what the customer gets.
 */
export const LIVE_TIMEOUT_MS = 4_000;

export interface RedemptionConfig {
  /** AppID the till redeems under (the use call's `appid`; the answer's openid is under it). */
  appid: string;
  tillId: string;
  training?: boolean;
  /** How long the cashier waits for WeChat Pay before the offline rules decide (default 4 s). */
  liveTimeoutMs?: number;
}

export interface RedemptionDeps {
  journal: Journal;
  drainer: QueueDrainer;
  lookup: CouponLookup;
  orders: OrderBook;
  policy: OfflinePolicyStore;
  stacking: StackingPolicyStore;
  shifts: ShiftService;
  clock?: () => number;
}

export interface RedemptionRequest {
  orderId: string;
  code: string;
  stockId?: string;
  /** EXCHANGE coupons: regular price of the exchanged item (inside the order amount). */
  exchangeItemPriceFen?: number;
  cashierId?: string;
  /** The caller's idempotency key (e.g. the scan id): a repeat returns the first outcome. */
  clientRef?: string;
}

export type RedeemOutcome =
  | { status: 'declined'; reason: Refusal }
  /** `pending`: not confirmed yet — the use says whether it was granted (accepted offline) or not. */
  | { status: 'succeeded' | 'pending' | 'refused'; use: OperationRecord; link: OperationRecord | null; reason?: Refusal };

/** What the screen shows before redeeming: the same judgement redeem makes, without writing anything. */
export type Judgement = { ok: true; quote: Quote } | { ok: false; reason: Refusal; quote?: Quote };

export class RedemptionService {
  readonly #d: RedemptionDeps;
  readonly #config: Required<RedemptionConfig>;
  readonly #clock: () => number;

  constructor(deps: RedemptionDeps, config: RedemptionConfig) {
    this.#d = deps;
    this.#config = { training: false, liveTimeoutMs: LIVE_TIMEOUT_MS, ...config };
    this.#clock = deps.clock ?? Date.now;
  }

  /**
   * Whether this coupon may go on this order and what it would be worth: stacking rules first
   * (they do not depend on the amount), then the threshold and the value. `order` may be an
   * order not opened yet (an amount typed, nothing else).
   */
  judge(stock: CachedStock, order: Pick<OrderRecord, 'amountFen' | 'orderId'> | { amountFen: number; orderId: null }, code: string, exchangeItemPriceFen?: number): Judgement {
    const ops = order.orderId === null ? [] : this.#d.orders.operations(order.orderId);
    const stack = judgeStack(this.#d.stacking.get(), order, ops, { code, stockId: stock.stock.stock_id });
    if (!stack.ok) return { ok: false, reason: stack.reason };
    const valued = valueOn(stock.stock, stack, exchangeItemPriceFen);
    if (!valued.ok) {
      const shortfall = Number(valued.reason.params.shortfallFen ?? 0);
      const quote: Quote = {
        qualifies: false,
        discountFen: 0,
        payableBeforeFen: stack.payableFen,
        payableFen: stack.payableFen,
        basisFen: stack.basisFen,
        shortfallFen: Math.max(0, shortfall),
      };
      return { ok: false, reason: valued.reason, quote };
    }
    const v = valued.value;
    const quote: Quote = {
      qualifies: true,
      discountFen: v.discount_fen,
      payableBeforeFen: stack.payableFen,
      payableFen: v.payable_fen,
      basisFen: stack.basisFen,
      shortfallFen: 0,
      ...(v.exchange_price_fen !== undefined ? { exchangePriceFen: v.exchange_price_fen } : {}),
    };
    return { ok: true, quote };
  }

  /** A coupon held by a parked operation cannot move until a manager decides: say so now rather than after a timeout. */
  #blocked(code: string): Refusal | undefined {
    const open = this.#d.lookup.openOperations(code);
    const parked = open.find((o) => o.status === 'parked');
    if (parked) return refusals.couponNeedsAttention(parked.opId, parked.kind);
    const waiting = open.find((o) => o.kind === 'use');
    return waiting ? refusals.alreadyRedeemedHere(waiting.opId) : undefined;
  }

  async redeem(req: RedemptionRequest): Promise<RedeemOutcome> {
    const declined = (reason: Refusal): RedeemOutcome => ({ status: 'declined', reason });
    if (req.clientRef !== undefined) {
      const earlier = this.#d.journal.byClientRef(req.clientRef);
      if (earlier) return this.#outcomeOf(earlier);
    }
    const order = this.#d.orders.find(req.orderId);
    if (!order || order.status !== 'open') return declined(refusals.orderNotOpen(req.orderId));
    if (!req.stockId) await this.#d.lookup.learn(req.code);
    const placed = this.#d.lookup.place(req.code, req.stockId);
    if (!placed.ok) return declined(placed.reason);
    const shift = this.#d.shifts.current(this.#config.tillId);
    if (!shift) return declined(refusals.noOpenShift(this.#config.tillId));
    const { code, stockId, entry } = placed;
    const blocked = this.#blocked(code);
    if (blocked) return declined(blocked);
    if (this.#d.stacking.get().requireOrderNumber && !order.outTradeNo) return declined(refusals.orderNumberRequired());

    const offlineNow = !this.#d.drainer.online;
    const stock = await this.#d.lookup.stock(stockId);
    if (!stock) {
      const limited = this.#d.policy.get().mode === 'limited';
      return declined(offlineNow && limited ? refusals.offlineStockNotCached(stockId) : refusals.stockUnavailable(stockId));
    }
    const usable = usabilityAt(stock.stock, entry, new Date(this.#clock()));
    if (!usable.ok) return declined(refusals.unusable(usable.reason, usable.next));
    const judged = this.judge(stock, order, code, req.exchangeItemPriceFen);
    if (!judged.ok) return declined(judged.reason);
    const discountFen = judged.quote.discountFen;

    const openid = entry?.openid ?? undefined;
    const common = {
      appid: this.#config.appid,
      shiftId: shift.shiftId,
      tillId: this.#config.tillId,
      orderId: order.orderId,
      training: this.#config.training || shift.training,
      ...(openid ? { openid } : {}),
      ...(req.cashierId ? { cashierId: req.cashierId } : {}),
    };
    const link: EnqueueInput | null = order.outTradeNo ? { ...common, request: { kind: 'associate', coupon_code: code, stock_id: stockId, out_trade_no: order.outTradeNo } } : null;
    const use: EnqueueInput = {
      ...common,
      request: {
        kind: 'use',
        coupon_code: code,
        stock_id: stockId,
        appid: this.#config.appid,
        use_time: formatChinaRfc3339(new Date(this.#clock())),
        ...(openid ? { openid } : {}),
      },
      orderAmountFen: order.amountFen,
      discountFen,
      ...(req.clientRef ? { clientRef: req.clientRef } : {}),
    };
    const offlineVerdict = () =>
      judgeOffline(this.#d.policy.get(), { discountFen, shiftUsage: this.#d.shifts.offlineUsage(shift.shiftId), knownState: entry?.couponState ?? null });

    if (offlineNow) {
      // Judged and written without awaiting in between, so two scans cannot both squeeze under a limit.
      const verdict = offlineVerdict();
      if (!verdict.ok) return declined(verdict.reason);
      const written = this.#write([...(link ? [link] : []), { ...use, offlineAccepted: true, granted: true }]);
      if ('reason' in written) return declined(written.reason);
      return { status: 'pending', use: written.use, link: written.link };
    }

    const written = this.#write([...(link ? [link] : []), use], true);
    if ('reason' in written) return declined(written.reason);
    await this.#d.drainer.settle(written.use.opId, this.#config.liveTimeoutMs);
    for (const op of [written.link, written.use]) if (op) this.#d.drainer.unattend(op.opId);
    const now = this.#d.journal.get(written.use.opId) ?? written.use;
    const linkNow = written.link ? (this.#d.journal.get(written.link.opId) ?? written.link) : null;
    if (now.status === 'succeeded') return { status: 'succeeded', use: this.#d.journal.markGranted(now.opId, { offlineAccepted: false, granted: true }), link: linkNow };
    if (now.status === 'pending') {
      const verdict = offlineVerdict();
      if (verdict.ok) return { status: 'pending', use: this.#d.journal.markGranted(now.opId, { offlineAccepted: true, granted: true }), link: linkNow };
      return { status: 'pending', use: now, link: linkNow, reason: refusals.outcomePending() };
    }
    return { status: 'refused', use: now, link: linkNow, reason: refusalOf(now) };
  }

  /**
   * Writes the link and the use in one transaction; a field WeChat would refuse (too long,
   * emoji…) is refused here, before anything is written. A journal that cannot be written (full
   * disk, read-only) is a refusal too: nothing is sent before it is on disk.
   */
  #write(inputs: EnqueueInput[], attended = false): { use: OperationRecord; link: OperationRecord | null } | { reason: Refusal } {
    try {
      const ops = this.#d.drainer.enqueueAll(inputs, { attended });
      const use = ops.at(-1) as OperationRecord;
      return { use, link: ops.length > 1 ? (ops[0] as OperationRecord) : null };
    } catch (err) {
      if (err instanceof RequestParamError) return { reason: refusals.invalidField(err.paramError) };
      const code = unwritableCode(err);
      if (code) return { reason: refusals.journalUnwritable(code) };
      throw err;
    }
  }

  /** A repeated clientRef: answer from the journal, without checking or sending again. */
  #outcomeOf(use: OperationRecord): RedeemOutcome {
    const link = use.orderId
      ? (this.#d.orders
          .operations(use.orderId)
          .filter((o) => o.kind === 'associate' && o.couponCode === use.couponCode && o.id < use.id)
          .at(-1) ?? null)
      : null;
    if (use.status === 'succeeded') return { status: 'succeeded', use, link };
    if (use.status === 'pending') return { status: 'pending', use, link, ...(use.granted ? {} : { reason: refusals.outcomePending() }) };
    return { status: 'refused', use, link, reason: refusalOf(use) };
  }
}
