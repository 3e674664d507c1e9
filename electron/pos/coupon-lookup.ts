// What a scanned code is: classified once (not a coupon / a payment code / a coupon code),
// placed in its stock (from what this till knows — the coupon directory and its own journal —
// or the cashier's pick), and, when its owner is known and WeChat Pay is reachable, asked about
// at WeChat Pay so the card shows the coupon's real state and its own validity.
import { classifyScan } from '../../shared/scan';
import type { Refusal } from '../../shared/refusals/refusal';
import { couldNotConnect, type CouponCaller } from '../queue/attempt';
import type { QueueDrainer } from '../queue/drain';
import type { Journal } from '../queue/journal';
import type { OperationRecord } from '../queue/records';
import type { CouponDirectory, DirectoryEntry } from './coupon-directory';
import { usabilityAt } from './coupon-rules';
import { refusals } from './refusals';
import { learnFromRemote, type RemoteDirectory } from './remote-directory';
import type { CachedStock, StockCache } from './stock-cache';

/** What the till knows of one coupon beyond its stock's rules. */
export interface CouponFacts {
  state: string | null;
  availableStartTime: string | null;
  expireTime: string | null;
  associateOutTradeNo: string | null;
  openid: string | null;
  /** `wechat`: WeChat Pay answered just now; `till`: what this till last saw or did. */
  source: 'wechat' | 'till';
}

export type Placement = { ok: true; code: string; stockId: string; entry: DirectoryEntry | undefined } | { ok: false; reason: Refusal; candidates: CachedStock[]; known: boolean };

export type Lookup =
  | { kind: 'payment_code' | 'invalid'; reason: Refusal }
  /** A coupon code whose stock the till cannot tell: the stocks it may belong to, likely first. */
  | { kind: 'choose_stock'; code: string; candidates: CachedStock[]; known: boolean }
  | {
      kind: 'coupon';
      code: string;
      stockId: string;
      /** Undefined when the rules can be neither fetched nor found in the cache. */
      stock: CachedStock | undefined;
      facts: CouponFacts | null;
      /** Why the coupon cannot be used now (validity, state, unknown rules); empty when nothing is wrong yet. */
      problems: Refusal[];
      entry: DirectoryEntry | undefined;
    };

export interface LookupDeps {
  journal: Journal;
  drainer: QueueDrainer;
  directory: CouponDirectory;
  stocks: StockCache;
  /** For coupon queries (optional: without it the till uses what it knows). */
  client?: CouponCaller;
  /** The chain's events server, asked about codes this till does not know (optional). */
  remote?: RemoteDirectory;
  clock: () => number;
}

/**
 * The stocks a code could belong to, the likely ones first (the cashier's chooser starts on the
 * first): WeChat assigns 22-digit codes in WECHATPAY_MODE, so a 22-digit code puts those stocks
 * first and any other code puts them last. Only an order: nothing is hidden, because the
 * 22-digit rule comes from WeChat's older documentation (docs/wechatpay/busifavor.md#disagreements).
 */
function likelyFirst(code: string, stocks: CachedStock[]): CachedStock[] {
  const wechatShaped = /^\d{22}$/.test(code);
  const rank = (c: CachedStock) => ((c.stock.coupon_code_mode === 'WECHATPAY_MODE') === wechatShaped ? 0 : 1);
  return [...stocks].sort((a, b) => rank(a) - rank(b));
}

export class CouponLookup {
  readonly #d: LookupDeps;
  readonly #appid: string;
  readonly #mchid: string;

  constructor(deps: LookupDeps, config: { appid: string; mchid?: string }) {
    this.#d = deps;
    this.#appid = config.appid;
    this.#mchid = config.mchid ?? '';
  }

  /**
   * Asks the chain's directory (the events server) about a code this till has never seen, and
   * keeps its answer in the local directory; true when the directory could not be asked.
   */
  async learn(raw: string): Promise<boolean> {
    const scan = classifyScan(raw);
    if (scan.kind !== 'coupon_code') return false;
    return learnFromRemote(scan.code, { remote: this.#d.remote, directory: this.#d.directory, stocks: this.#d.stocks, online: this.#d.drainer.online });
  }

  /**
   * The stock of a code sent to an operation (redeem, return…): the code is classified first, so
   * a payment code or a malformed one is refused here whatever path it came by.
   */
  place(raw: string, stockId: string | undefined): Placement {
    const scan = classifyScan(raw);
    if (scan.kind !== 'coupon_code') return { ok: false, reason: scan.reason, candidates: [], known: false };
    return this.#place(scan.code, stockId);
  }

  /** The stock of a classified coupon code: the one given, or the one the till knows. */
  #place(code: string, stockId: string | undefined): Placement {
    const entries = this.#d.directory.find(code);
    // What this till did with the code (e.g. redeemed it offline, before any answer) also tells its stock.
    const known = new Set([...entries.map((e) => e.stockId), ...this.#d.journal.list({ couponCode: code }).flatMap((o) => (o.stockId ? [o.stockId] : []))]);
    const chosen = stockId ?? (known.size === 1 ? [...known][0] : undefined);
    if (!chosen) {
      const all = this.#d.stocks.list();
      const candidates = known.size > 0 ? all.filter((s) => known.has(s.stock.stock_id)) : likelyFirst(code, all);
      return { ok: false, reason: refusals.stockUnknown(), candidates, known: known.size > 0 };
    }
    return { ok: true, code, stockId: chosen, entry: entries.find((e) => e.stockId === chosen) };
  }

  /** The stock's rules: fetched when online (a fresh fetch may have changed), else what the cache holds. */
  async stock(stockId: string): Promise<CachedStock | undefined> {
    // Offline there is no point waiting for a connection attempt: the cache is the answer.
    if (!this.#d.drainer.online) return this.#d.stocks.peek(stockId);
    try {
      return await this.#d.stocks.get(stockId);
    } catch (err) {
      this.#unreachable(err);
      return undefined;
    }
  }

  #unreachable(err: unknown): void {
    if (couldNotConnect(err)) this.#d.drainer.reportUnreachable();
  }

  /** Operations on this coupon not yet settled (pending, or parked for a manager). */
  openOperations(code: string): OperationRecord[] {
    return this.#d.journal.list({ couponCode: code, status: ['pending', 'parked'] });
  }

  async lookup(raw: string, options: { stockId?: string } = {}): Promise<Lookup> {
    const scan = classifyScan(raw);
    if (scan.kind !== 'coupon_code') return { kind: scan.kind, reason: scan.reason };
    await this.learn(scan.code);
    const placed = this.#place(scan.code, options.stockId);
    if (!placed.ok) return { kind: 'choose_stock', code: scan.code, candidates: placed.candidates, known: placed.known };
    const problems: Refusal[] = [];
    const stock = await this.stock(placed.stockId);
    if (!stock) problems.push(refusals.stockUnavailable(placed.stockId));
    let entry = placed.entry;
    let source: CouponFacts['source'] = 'till';
    const openid = entry?.openid ?? null;
    if (openid && this.#d.client && this.#d.drainer.online) {
      const appid = entry?.appid ?? this.#appid;
      try {
        const res = await this.#d.client.call('userCoupons.get', { path: { openid, coupon_code: scan.code, appid } });
        entry = this.#d.directory.recordEntity(res.data, { openid, appid });
        source = 'wechat';
      } catch (err) {
        // Offline or refused: what the directory knows is still worth showing, marked as such.
        this.#unreachable(err);
      }
    }
    if (stock) {
      const usable = usabilityAt(stock.stock, entry, new Date(this.#d.clock()));
      if (!usable.ok) problems.push(refusals.unusable(usable.reason, usable.next));
    }
    if (entry?.couponState && entry.couponState !== 'SENDED') problems.push(refusals.notUsable(entry.couponState));
    const open = this.openOperations(scan.code);
    const parked = open.find((o) => o.status === 'parked');
    const waitingUse = open.find((o) => o.kind === 'use');
    if (parked) problems.push(refusals.couponNeedsAttention(parked.opId, parked.kind));
    else if (waitingUse) problems.push(refusals.alreadyRedeemedHere(waitingUse.opId));
    const facts: CouponFacts | null = entry
      ? {
          state: entry.couponState,
          availableStartTime: entry.availableStartTime,
          expireTime: entry.expireTime,
          associateOutTradeNo: entry.associateOutTradeNo,
          openid: entry.openid,
          source,
        }
      : null;
    return { kind: 'coupon', code: scan.code, stockId: placed.stockId, stock, facts, problems, entry };
  }

  /**
   * Lists a customer's coupons (their openid under the till's appid) from WeChat Pay and
   * records each in the directory, so their codes resolve to stock and owner afterwards.
   */
  async syncCustomer(openid: string, options: { stockId?: string } = {}): Promise<DirectoryEntry[]> {
    const client = this.#d.client;
    if (!client || !this.#mchid) throw new Error("listing a customer's coupons needs the WeChat Pay client and the merchant id");
    const out: DirectoryEntry[] = [];
    const limit = 50;
    // `offset` is a page index (docs/wechatpay/busifavor.md#user-coupon-queries); 20 pages is far beyond one wallet.
    for (let page = 0; page < 20; page++) {
      const res = await client.call('userCoupons.list', {
        path: { openid },
        query: { appid: this.#appid, creator_merchant: this.#mchid, offset: page, limit, ...(options.stockId ? { stock_id: options.stockId } : {}) },
      });
      const items = res.data.data ?? [];
      for (const entity of items) out.push(this.#d.directory.recordEntity(entity, { openid, appid: this.#appid }, 'list'));
      if (items.length < limit || out.length >= res.data.total_count) break;
    }
    return out;
  }
}
