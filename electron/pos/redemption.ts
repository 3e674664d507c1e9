// The redemption service: a scanned code becomes a decision (what is it, does this order
// qualify, may it be used now), an operation written to the journal before anything is
// sent, and an answer for the cashier — redeemed, refused with a reason, accepted offline,
// or pending. Linking an order, returning and deactivating go through the same queue, so
// each coupon's operations reach WeChat Pay in the order they were made.
import { RequestParamError } from '../../shared/busifavor';
import { classifyScan } from '../../shared/scan';
import { formatChinaRfc3339 } from '../../shared/time';
import type { CouponCaller } from '../queue/attempt';
import { unwritableCode } from '../queue/database';
import type { QueueDrainer } from '../queue/drain';
import type { EnqueueInput, Journal } from '../queue/journal';
import type { OperationRecord } from '../queue/records';
import type { CouponDirectory, DirectoryEntry } from './coupon-directory';
import { stockView, usabilityAt, valueOn, type StockView } from './coupon-rules';
import { judgeOffline, type OfflinePolicyStore } from './offline-policy';
import { refusals, type Refusal } from './refusals';
import { learnFromRemote, type RemoteDirectory } from './remote-directory';
import type { ShiftService } from './shifts';
import type { CachedStock, StockCache } from './stock-cache';

export interface RedemptionConfig {
  /** AppID the till redeems under (the use call's `appid`; the answer's openid is under it). */
  appid: string;
  tillId: string;
  training?: boolean;
  /** How long the cashier waits for WeChat Pay before the offline rules decide (default 8 s). */
  liveTimeoutMs?: number;
  /** The calling merchant (creator of the stocks): needed to list a customer's coupons. */
  mchid?: string;
}

export interface RedemptionDeps {
  journal: Journal;
  drainer: QueueDrainer;
  directory: CouponDirectory;
  stocks: StockCache;
  policy: OfflinePolicyStore;
  shifts: ShiftService;
  /** For coupon queries in `lookup` (optional: without it lookup uses what the till knows). */
  client?: CouponCaller;
  /** The chain's events server, asked about codes this till does not know (optional). */
  remote?: RemoteDirectory;
  clock?: () => number;
}

export interface CouponView {
  state: string | null;
  availableStartTime: string | null;
  expireTime: string | null;
  associateOutTradeNo: string | null;
  openid: string | null;
  /** `wechat`: queried just now; `directory`: what this till last saw. */
  source: 'wechat' | 'directory';
}

export type LookupResult =
  | { ok: false; reason: Refusal }
  | {
      ok: true;
      code: string;
      stockId: string | null;
      /** When the stock is not known: the stocks it may belong to. */
      candidates: string[];
      stock: StockView | null;
      stockSource: CachedStock['source'] | null;
      coupon: CouponView | null;
      /** Problems found so far (validity, unknown stock); empty when nothing is wrong yet. */
      problems: Refusal[];
      /** Operations on this coupon still waiting for WeChat Pay. */
      pending: OperationRecord[];
      /** The code was new to this till and the chain's directory could not be asked about it. */
      unverified: boolean;
    };

export interface RedeemInput {
  code: string;
  orderAmountFen: number;
  stockId?: string;
  openid?: string;
  /** EXCHANGE coupons: regular price of the exchanged item (inside the order amount). */
  exchangeItemPriceFen?: number;
  cashierId?: string;
  /** The caller's idempotency key (e.g. the scan id): a repeat returns the first outcome. */
  clientRef?: string;
}

export type RedeemOutcome =
  | { status: 'refused'; reason: Refusal }
  | { status: 'redeemed'; operation: OperationRecord; discountFen: number; payableFen: number }
  | { status: 'accepted_offline'; operation: OperationRecord; discountFen: number; payableFen: number }
  | { status: 'rejected'; operation: OperationRecord; reason: Refusal }
  /** Unknown outcome and not accepted offline: do not grant; the queue keeps resending. */
  | { status: 'pending'; operation: OperationRecord; reason: Refusal; offlineRefusal: Refusal | null };

export type OperationOutcome =
  | { status: 'refused'; reason: Refusal }
  | { status: 'done'; operation: OperationRecord }
  | { status: 'rejected'; operation: OperationRecord; reason: Refusal }
  /** Written and queued; it will reach WeChat Pay in order. */
  | { status: 'queued'; operation: OperationRecord };

type Resolved = { ok: true; code: string; stockId: string; entry: DirectoryEntry | undefined } | { ok: false; reason: Refusal };

const rejectedReason = (op: OperationRecord) => refusals.wechatRejected(op.lastCode, op.lastMessage, op.lastRequestId);

/**
 * The stocks a code could belong to, the likely ones first (the cashier's chooser starts on the
 * first): WeChat assigns 22-digit codes in WECHATPAY_MODE, so a 22-digit code puts those stocks
 * first and any other code puts them last. Only an order: nothing is hidden, because the
 * 22-digit rule comes from WeChat's older documentation.
 */
function likelyFirst(code: string, stocks: CachedStock[]): CachedStock[] {
  const wechatShaped = /^\d{22}$/.test(code);
  const rank = (c: CachedStock) => ((c.stock.coupon_code_mode === 'WECHATPAY_MODE') === wechatShaped ? 0 : 1);
  return [...stocks].sort((a, b) => rank(a) - rank(b));
}

export class RedemptionService {
  readonly #d: RedemptionDeps;
  readonly #config: Required<RedemptionConfig>;
  readonly #clock: () => number;

  constructor(deps: RedemptionDeps, config: RedemptionConfig) {
    this.#d = deps;
    this.#config = { training: false, liveTimeoutMs: 8_000, mchid: '', ...config };
    this.#clock = deps.clock ?? Date.now;
  }

  #resolve(raw: string, stockId: string | undefined): Resolved {
    const scan = classifyScan(raw);
    if (scan.kind !== 'coupon_code') return { ok: false, reason: refusals.fromScan(scan.reason, scan.kind === 'payment_code') };
    const entries = this.#d.directory.find(scan.code);
    // What this till did with the code (e.g. redeemed it offline, before any answer) also tells its stock.
    const known = new Set([...entries.map((e) => e.stockId), ...this.#d.journal.list({ couponCode: scan.code }).flatMap((o) => (o.stockId ? [o.stockId] : []))]);
    const chosen = stockId ?? (known.size === 1 ? [...known][0] : undefined);
    if (!chosen) {
      const candidates = known.size > 0 ? [...known] : likelyFirst(scan.code, this.#d.stocks.list()).map((s) => s.stock.stock_id);
      return { ok: false, reason: refusals.stockUnknown(candidates) };
    }
    return { ok: true, code: scan.code, stockId: chosen, entry: entries.find((e) => e.stockId === chosen) };
  }

  async #stock(stockId: string): Promise<CachedStock | undefined> {
    // Offline there is no point waiting for a connection attempt: the cache is the answer.
    if (!this.#d.drainer.online) return this.#d.stocks.peek(stockId);
    try {
      return await this.#d.stocks.get(stockId);
    } catch {
      return undefined;
    }
  }

  #pendingOn(code: string): OperationRecord[] {
    return this.#d.journal.list({ couponCode: code, status: ['pending', 'rejected'] });
  }

  /** A refused operation waiting for a manager holds the coupon's later operations: say so now rather than after a timeout. */
  #blocked(code: string): Refusal | undefined {
    const parked = this.#pendingOn(code).find((o) => o.status === 'rejected');
    return parked ? refusals.couponNeedsAttention(parked.opId, parked.kind) : undefined;
  }

  /** Asks the chain's directory about a code this till does not know; true when it could not be asked. */
  #learn(raw: string): Promise<boolean> {
    const scan = classifyScan(raw);
    if (scan.kind !== 'coupon_code') return Promise.resolve(false);
    return learnFromRemote(scan.code, { remote: this.#d.remote, directory: this.#d.directory, stocks: this.#d.stocks, online: this.#d.drainer.online });
  }

  async lookup(raw: string, options: { stockId?: string; openid?: string } = {}): Promise<LookupResult> {
    const scan = classifyScan(raw);
    if (scan.kind !== 'coupon_code') return { ok: false, reason: refusals.fromScan(scan.reason, scan.kind === 'payment_code') };
    const unverified = await this.#learn(raw);
    const resolved = this.#resolve(raw, options.stockId);
    const pending = this.#pendingOn(scan.code);
    if (!resolved.ok) {
      const candidates = String(resolved.reason.detail?.candidates ?? '').split(',').filter(Boolean);
      return { ok: true, code: scan.code, stockId: null, candidates, stock: null, stockSource: null, coupon: null, problems: [resolved.reason], pending, unverified };
    }
    const problems: Refusal[] = [];
    const cached = await this.#stock(resolved.stockId);
    if (!cached) problems.push(refusals.stockUnavailable(resolved.stockId));
    let entry = resolved.entry;
    let source: CouponView['source'] = 'directory';
    const openid = options.openid ?? entry?.openid ?? null;
    const appid = entry?.appid ?? this.#config.appid;
    if (openid && this.#d.client && this.#d.drainer.online) {
      try {
        const res = await this.#d.client.call('userCoupons.get', { path: { openid, coupon_code: scan.code, appid } });
        entry = this.#d.directory.recordEntity(res.data, { openid, appid });
        source = 'wechat';
      } catch {
        // Offline or refused: what the directory knows is still worth showing.
      }
    }
    if (cached) {
      const usable = usabilityAt(cached.stock, entry, new Date(this.#clock()));
      if (!usable.ok) problems.push(refusals.unusable(usable.reason, usable.next));
    }
    if (entry?.couponState && entry.couponState !== 'SENDED') problems.push(refusals.notUsable(entry.couponState));
    const coupon: CouponView | null = entry
      ? { state: entry.couponState, availableStartTime: entry.availableStartTime, expireTime: entry.expireTime, associateOutTradeNo: entry.associateOutTradeNo, openid: entry.openid, source }
      : null;
    return { ok: true, code: scan.code, stockId: resolved.stockId, candidates: [], stock: cached ? stockView(cached.stock) : null, stockSource: cached?.source ?? null, coupon, problems, pending, unverified };
  }

  /**
   * Lists a customer's coupons (their openid under the till's appid) from WeChat Pay and
   * records each in the directory, so their codes resolve to stock and owner afterwards.
   */
  async syncCustomer(openid: string, options: { stockId?: string } = {}): Promise<DirectoryEntry[]> {
    const client = this.#d.client;
    if (!client || !this.#config.mchid) throw new Error('listing a customer\'s coupons needs the WeChat Pay client and the merchant id');
    const out: DirectoryEntry[] = [];
    const limit = 50;
    // `offset` is a page index (spec §4.4, as the simulator reads it); 20 pages is far beyond one customer's wallet.
    for (let page = 0; page < 20; page++) {
      const res = await client.call('userCoupons.list', {
        path: { openid },
        query: { appid: this.#config.appid, creator_merchant: this.#config.mchid, offset: page, limit, ...(options.stockId ? { stock_id: options.stockId } : {}) },
      });
      const items = res.data.data ?? [];
      for (const entity of items) out.push(this.#d.directory.recordEntity(entity, { openid, appid: this.#config.appid }, 'list'));
      if (items.length < limit || out.length >= res.data.total_count) break;
    }
    return out;
  }

  async redeem(input: RedeemInput): Promise<RedeemOutcome> {
    if (!Number.isSafeInteger(input.orderAmountFen) || input.orderAmountFen < 0) return { status: 'refused', reason: refusals.badAmount() };
    if (input.clientRef !== undefined) {
      const earlier = this.#d.journal.byClientRef(input.clientRef);
      if (earlier) return this.#outcomeOf(earlier);
    }
    await this.#learn(input.code);
    const resolved = this.#resolve(input.code, input.stockId);
    if (!resolved.ok) return { status: 'refused', reason: resolved.reason };
    const shift = this.#d.shifts.current(this.#config.tillId);
    if (!shift) return { status: 'refused', reason: refusals.noOpenShift(this.#config.tillId) };
    const { code, stockId, entry } = resolved;
    const blocked = this.#blocked(code);
    if (blocked) return { status: 'refused', reason: blocked };
    const waiting = this.#pendingOn(code).find((o) => o.kind === 'use');
    if (waiting) return { status: 'refused', reason: refusals.alreadyRedeemedHere(waiting.opId) };

    const offlineNow = !this.#d.drainer.online;
    const cached = await this.#stock(stockId);
    if (!cached) {
      const limited = this.#d.policy.get().mode === 'limited';
      return { status: 'refused', reason: offlineNow && limited ? refusals.offlineStockNotCached(stockId) : refusals.stockUnavailable(stockId) };
    }
    const usable = usabilityAt(cached.stock, entry, new Date(this.#clock()));
    if (!usable.ok) return { status: 'refused', reason: refusals.unusable(usable.reason, usable.next) };
    const valued = valueOn(cached.stock, input.orderAmountFen, input.exchangeItemPriceFen);
    if (!valued.ok) return { status: 'refused', reason: valued.reason };
    const { discount_fen: discountFen, payable_fen: payableFen } = valued.value;

    const openid = input.openid ?? entry?.openid ?? undefined;
    const enqueue: EnqueueInput = {
      request: { kind: 'use', coupon_code: code, stock_id: stockId, appid: this.#config.appid, use_time: formatChinaRfc3339(new Date(this.#clock())), ...(openid ? { openid } : {}) },
      appid: this.#config.appid,
      shiftId: shift.shiftId,
      tillId: this.#config.tillId,
      training: this.#config.training || shift.training,
      orderAmountFen: input.orderAmountFen,
      discountFen,
      ...(openid ? { openid } : {}),
      ...(input.cashierId ? { cashierId: input.cashierId } : {}),
      ...(input.clientRef ? { clientRef: input.clientRef } : {}),
    };

    if (offlineNow) {
      // Judged and written without awaiting in between, so two scans cannot both squeeze under a limit.
      const verdict = judgeOffline(this.#d.policy.get(), { discountFen, shiftUsage: this.#d.shifts.offlineUsage(shift.shiftId), knownState: entry?.couponState ?? null });
      if (!verdict.ok) return { status: 'refused', reason: verdict.reason };
      const operation = this.#enqueue({ ...enqueue, offlineAccepted: true, granted: true });
      if ('reason' in operation) return { status: 'refused', reason: operation.reason };
      return { status: 'accepted_offline', operation, discountFen, payableFen };
    }

    const written = this.#enqueue(enqueue, { attended: true });
    if ('reason' in written) return { status: 'refused', reason: written.reason };
    const settled = await this.#d.drainer.settle(written.opId, this.#config.liveTimeoutMs);
    this.#d.drainer.unattend(written.opId);
    const now = this.#d.journal.get(written.opId) ?? settled;
    if (now.status === 'succeeded') return { status: 'redeemed', operation: this.#d.journal.markGranted(now.opId, { offlineAccepted: false, granted: true }), discountFen, payableFen };
    if (now.status === 'pending') {
      const verdict = judgeOffline(this.#d.policy.get(), { discountFen, shiftUsage: this.#d.shifts.offlineUsage(shift.shiftId), knownState: entry?.couponState ?? null });
      if (verdict.ok) {
        const operation = this.#d.journal.markGranted(now.opId, { offlineAccepted: true, granted: true });
        return { status: 'accepted_offline', operation, discountFen, payableFen };
      }
      return { status: 'pending', operation: now, reason: refusals.outcomePending(), offlineRefusal: verdict.reason };
    }
    return { status: 'rejected', operation: now, reason: rejectedReason(now) };
  }

  /**
   * Writes through the drainer; a field WeChat would refuse (too long, emoji…) is refused here,
   * before anything is written. A journal that cannot be written (full disk, read-only) is a
   * refusal too: the operation is written before it is sent, so nothing went to WeChat Pay.
   */
  #enqueue(input: EnqueueInput, options: { attended?: boolean } = {}): OperationRecord | { reason: Refusal } {
    try {
      return this.#d.drainer.enqueue(input, options);
    } catch (err) {
      if (err instanceof RequestParamError) return { reason: refusals.invalidField(err.paramError) };
      const code = unwritableCode(err);
      if (code) return { reason: refusals.journalUnwritable(code) };
      throw err;
    }
  }

  /** A repeated clientRef: answer from the journal, without checking or sending again. */
  #outcomeOf(op: OperationRecord): RedeemOutcome {
    const discountFen = op.discountFen ?? 0;
    const payableFen = (op.orderAmountFen ?? 0) - discountFen;
    if (op.offlineAccepted && op.status !== 'failed') return { status: 'accepted_offline', operation: op, discountFen, payableFen };
    if (op.status === 'succeeded') return { status: 'redeemed', operation: op, discountFen, payableFen };
    if (op.status === 'pending') return { status: 'pending', operation: op, reason: refusals.outcomePending(), offlineRefusal: null };
    return { status: 'rejected', operation: op, reason: rejectedReason(op) };
  }

  // --- order links, returns, deactivation ----------------------------------------------------

  async #submit(request: EnqueueInput['request'], extra: Partial<EnqueueInput>): Promise<OperationOutcome> {
    const blocked = this.#blocked(request.coupon_code);
    if (blocked) return { status: 'refused', reason: blocked };
    const shift = this.#d.shifts.current(this.#config.tillId);
    const written = this.#enqueue(
      { request, appid: this.#config.appid, tillId: this.#config.tillId, training: this.#config.training || (shift?.training ?? false), ...(shift ? { shiftId: shift.shiftId } : {}), ...extra },
      { attended: true },
    );
    if ('reason' in written) return { status: 'refused', reason: written.reason };
    if (!this.#d.drainer.online) {
      this.#d.drainer.unattend(written.opId);
      return { status: 'queued', operation: written };
    }
    await this.#d.drainer.settle(written.opId, this.#config.liveTimeoutMs);
    this.#d.drainer.unattend(written.opId);
    const op = this.#d.journal.get(written.opId) ?? written;
    if (op.status === 'succeeded') return { status: 'done', operation: op };
    if (op.status === 'pending') return { status: 'queued', operation: op };
    return { status: 'rejected', operation: op, reason: rejectedReason(op) };
  }

  #ownerOf(entry: DirectoryEntry | undefined): Partial<EnqueueInput> {
    return entry?.openid ? { openid: entry.openid, ...(entry.appid ? { appid: entry.appid } : {}) } : {};
  }

  /** Links an unused coupon to a WeChat Pay order (do it before redeeming: spec §2.1). */
  async associate(input: { code: string; outTradeNo: string; stockId?: string; cashierId?: string }): Promise<OperationOutcome> {
    const r = this.#resolve(input.code, input.stockId);
    if (!r.ok) return { status: 'refused', reason: r.reason };
    if (r.entry?.couponState === 'USED' || this.#pendingOn(r.code).some((o) => o.kind === 'use')) return { status: 'refused', reason: refusals.associateNeedsUnused() };
    return this.#submit(
      { kind: 'associate', coupon_code: r.code, stock_id: r.stockId, out_trade_no: input.outTradeNo },
      { ...this.#ownerOf(r.entry), ...(input.cashierId ? { cashierId: input.cashierId } : {}) },
    );
  }

  async disassociate(input: { code: string; outTradeNo: string; stockId?: string; cashierId?: string }): Promise<OperationOutcome> {
    const r = this.#resolve(input.code, input.stockId);
    if (!r.ok) return { status: 'refused', reason: r.reason };
    return this.#submit(
      { kind: 'disassociate', coupon_code: r.code, stock_id: r.stockId, out_trade_no: input.outTradeNo },
      { ...this.#ownerOf(r.entry), ...(input.cashierId ? { cashierId: input.cashierId } : {}) },
    );
  }

  /** Manager: gives a redeemed coupon back to the customer (the order was refunded). */
  async returnCoupon(input: { code: string; managerId: string; stockId?: string }): Promise<OperationOutcome> {
    if (!input.managerId?.trim()) return { status: 'refused', reason: refusals.managerRequired() };
    const r = this.#resolve(input.code, input.stockId);
    if (!r.ok) return { status: 'refused', reason: r.reason };
    const state = r.entry?.couponState ?? null;
    const useWaiting = this.#pendingOn(r.code).some((o) => o.kind === 'use');
    if (state !== null && state !== 'USED' && !useWaiting) return { status: 'refused', reason: refusals.returnNeedsUsed(state) };
    return this.#submit({ kind: 'return', coupon_code: r.code, stock_id: r.stockId }, { ...this.#ownerOf(r.entry), cashierId: input.managerId });
  }

  /** Manager: makes an unused coupon permanently unusable. */
  async deactivate(input: { code: string; managerId: string; reason?: string; stockId?: string }): Promise<OperationOutcome> {
    if (!input.managerId?.trim()) return { status: 'refused', reason: refusals.managerRequired() };
    const r = this.#resolve(input.code, input.stockId);
    if (!r.ok) return { status: 'refused', reason: r.reason };
    const state = r.entry?.couponState ?? null;
    if (state !== null && state !== 'SENDED') return { status: 'refused', reason: refusals.deactivateNeedsUnused(state) };
    return this.#submit(
      { kind: 'deactivate', coupon_code: r.code, stock_id: r.stockId, ...(input.reason ? { deactivate_reason: input.reason } : {}) },
      { ...this.#ownerOf(r.entry), cashierId: input.managerId, ...(input.reason ? { note: input.reason } : {}) },
    );
  }
}
