// SimState: one simulated "WeChat Pay" busifavor back end — merchants, stocks, coupons,
// uploaded codes, subsidies — with an injectable clock and a seeded generator. Each API
// method takes the calling merchant's mchid (from the Authorization header) and the parsed
// request, and answers the HTTP status and body to send. No HTTP and no signing here.
import { type Clock, ManualClock } from './clock';
import { type ListCodesInput, type UploadCodesInput, deleteCode, getCode, listCodes, uploadCodes } from './codes';
import type { ImageMeta } from '../../../shared/busifavor/media';
import { type MerchantInput, getCallbacks, setCallbacks, upsertMerchant, uploadImage } from './merchants';
import type { ConsoleStockState, CouponRecord, CreateStockInput, SimMerchant, OpCount, SendEvent } from './model';
import { associateOrder, disassociateOrder, type OrderLinkInput } from './orders';
import { restore, type SimSnapshot, snapshot } from './persistence';
import { type DeactivateInput, deactivateCoupon, type ReturnInput, returnCoupon, type UseInput, useCoupon, userDeletesCoupon } from './redemption';
import { notFound, ok, type SimResult } from './result';
import { Rng } from './rng';
import { type SeedOptions, type SeedSummary, seedWorld } from './seed';
import { type PluginSendInput, type PluginSendResult, pluginSend, type ReceiveInput, receiveCoupon, type SendInput, sendCoupon } from './sending';
import { type BudgetInput, createStock, getStock, modifyBudget, modifyStock, stockState } from './stocks';
import { createPayReceipt, createReturnReceipt, getPayReceipt, getReturnReceipt, listPayReceipts, type PayReceiptInput, type ReturnReceiptInput } from './subsidy';
import { type ListUserCouponsInput, getUserCoupon, listUserCoupons } from './user-coupons';
import { World } from './world';

export interface SimStateOptions {
  /** Seeds ids, codes and OpenIDs; the same seed and the same calls give the same state. */
  seed?: number;
  /** Default: a manual clock at 2026-01-01T10:00:00+08:00. */
  clock?: Clock;
}

export const DEFAULT_START = new Date('2026-01-01T10:00:00+08:00');

/** Ops that may change state when they succeed (queries can only expire coupons lazily). */
const MUTATING = new Set([
  'stocks.create',
  'stocks.modify',
  'stocks.budget',
  'coupons.send',
  'coupons.use',
  'coupons.return',
  'coupons.deactivate',
  'coupons.associate',
  'coupons.disassociate',
  'couponCodes.upload',
  'couponCodes.delete',
  'callbacks.set',
  'media.imageUpload',
  'subsidy.pay.create',
  'subsidy.return.create',
  'admin.receive',
  'admin.delete',
  'admin.stockState',
  'plugin.send',
]);

export interface RequestNumberReport {
  op: string;
  scope: string;
  request_no: string;
  target?: string;
  changes: number;
  replays: number;
}

export class SimState {
  private world: World;
  private listeners = new Set<() => void>();

  constructor(options: SimStateOptions = {}) {
    const seed = options.seed ?? 1;
    this.world = new World(options.clock ?? new ManualClock(DEFAULT_START), Rng.fromSeed(seed), seed);
  }

  static fromJSON(json: unknown, options: { clock?: Clock } = {}): SimState {
    const state = new SimState();
    state.world = restore(json, options.clock);
    return state;
  }

  toJSON(): SimSnapshot {
    return snapshot(this.world);
  }

  /** Called after anything that may have changed the state (for write-after-change persistence). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private track(op: string, run: () => SimResult): SimResult {
    const before = this.world.revision;
    const result = run();
    this.world.countOp(op, result.ok);
    if ((result.ok && MUTATING.has(op)) || this.world.revision !== before) this.changed();
    return result;
  }

  // --- clock --------------------------------------------------------------------------------

  get clock(): Clock {
    return this.world.clock;
  }

  now(): Date {
    return this.world.now();
  }

  /** Moves time and expires every coupon whose validity has ended. */
  advanceClock(ms: number): { now: string; expired: number } {
    this.world.clock.advance(ms);
    const expired = this.world.settleAll();
    this.changed();
    return { now: this.world.nowText(), expired };
  }

  // --- admin --------------------------------------------------------------------------------

  addMerchant(input: MerchantInput): SimMerchant {
    const m = structuredClone(upsertMerchant(this.world, input));
    this.changed();
    return m;
  }

  merchant(mchid: string): SimMerchant | undefined {
    const m = this.world.merchants.get(mchid);
    return m && structuredClone(m);
  }

  /** A new customer; `openid` is theirs under `appid` when given (else derived). */
  addUser(appid?: string, openid?: string): { user_id: string; openid?: string } {
    const known = appid !== undefined && openid !== undefined ? this.world.findUser(appid, openid) : undefined;
    const user = known ?? (appid !== undefined && openid !== undefined ? this.world.registerOpenid(appid, openid) : this.world.createUser());
    this.changed();
    return appid === undefined ? { user_id: user.user_id } : { user_id: user.user_id, openid: this.world.openidFor(user, appid) };
  }

  openidOf(userId: string, appid: string): string | undefined {
    const user = this.world.users.get(userId);
    return user && this.world.openidFor(user, appid);
  }

  /** Marks a customer's account as flagged by WeChat (redemption answers USER_ACCOUNT_ABNORMAL). */
  setUserAbnormal(userId: string, abnormal: boolean): boolean {
    const user = this.world.users.get(userId);
    if (!user) return false;
    if (abnormal) user.abnormal = true;
    else delete user.abnormal;
    this.changed();
    return true;
  }

  receiveCoupon(input: ReceiveInput): SimResult {
    return this.track('admin.receive', () => receiveCoupon(this.world, input));
  }

  /** A send through the mini-program plugin whose sign was already checked (docs/wechatpay/busifavor.md#sending-coupons). */
  pluginSend(input: PluginSendInput): PluginSendResult[] {
    let results: PluginSendResult[] = [];
    this.track('plugin.send', () => {
      results = pluginSend(this.world, input);
      return ok({ send_coupon_result: results });
    });
    return results;
  }

  userDeletesCoupon(stockId: string, code: string): SimResult {
    return this.track('admin.delete', () => userDeletesCoupon(this.world, stockId, code));
  }

  /** Merchant-console stock actions (pause, stop, audit); null returns the stock to its time-derived state. */
  setStockState(stockId: string, state: ConsoleStockState | null): SimResult {
    return this.track('admin.stockState', () => {
      const stock = this.world.stocks.get(stockId);
      if (!stock) return notFound('批次不存在');
      if (state === null) delete stock.console_state;
      else stock.console_state = state;
      return ok({ stock_id: stockId, stock_state: stockState(this.world, stock) });
    });
  }

  seed(options: SeedOptions): SeedSummary {
    // Seeding is set-up, not traffic: the operation counts stay as they were.
    const counts = structuredClone(this.world.opCounts);
    const summary = seedWorld(this, { tag: `SEED${this.world.stocks.size}`, ...options });
    this.world.opCounts = counts;
    this.changed();
    return summary;
  }

  /** Forgets everything but the merchants' identities (their AppIDs and permissions), and restarts the generator. */
  reset(): void {
    const merchants = [...this.world.merchants.values()].map((m) => ({ mchid: m.mchid, appids: m.appids, managed_merchants: m.managed_merchants, permissions: m.permissions }));
    this.world = new World(this.world.clock, Rng.fromSeed(this.world.seed), this.world.seed);
    for (const m of merchants) upsertMerchant(this.world, m);
    this.changed();
  }

  // --- stocks -------------------------------------------------------------------------------

  createStock = (caller: string, body: CreateStockInput) => this.track('stocks.create', () => createStock(this.world, caller, body));
  getStock = (caller: string, stockId: string) => this.track('stocks.get', () => getStock(this.world, caller, stockId));
  modifyStock = (caller: string, stockId: string, body: Record<string, unknown>) => this.track('stocks.modify', () => modifyStock(this.world, caller, stockId, body));
  modifyBudget = (caller: string, stockId: string, body: BudgetInput) => this.track('stocks.budget', () => modifyBudget(this.world, caller, stockId, body));

  // --- coupons ------------------------------------------------------------------------------

  sendCoupon = (caller: string, body: SendInput) => this.track('coupons.send', () => sendCoupon(this.world, caller, body));
  useCoupon = (caller: string, body: UseInput) => this.track('coupons.use', () => useCoupon(this.world, caller, body));
  returnCoupon = (caller: string, body: ReturnInput) => this.track('coupons.return', () => returnCoupon(this.world, caller, body));
  deactivateCoupon = (caller: string, body: DeactivateInput) => this.track('coupons.deactivate', () => deactivateCoupon(this.world, caller, body));
  associateOrder = (caller: string, body: OrderLinkInput) => this.track('coupons.associate', () => associateOrder(this.world, caller, body));
  disassociateOrder = (caller: string, body: OrderLinkInput) => this.track('coupons.disassociate', () => disassociateOrder(this.world, caller, body));
  listUserCoupons = (caller: string, openid: string, query: ListUserCouponsInput) => this.track('userCoupons.list', () => listUserCoupons(this.world, caller, openid, query));
  getUserCoupon = (caller: string, openid: string, code: string, appid: string) => this.track('userCoupons.get', () => getUserCoupon(this.world, caller, openid, code, appid));

  // --- uploaded codes -------------------------------------------------------------------

  uploadCodes = (caller: string, stockId: string, body: UploadCodesInput) => this.track('couponCodes.upload', () => uploadCodes(this.world, caller, stockId, body));
  listCodes = (caller: string, stockId: string, query: ListCodesInput = {}) => this.track('couponCodes.list', () => listCodes(this.world, caller, stockId, query));
  getCode = (caller: string, stockId: string, code: string, appid?: string) => this.track('couponCodes.get', () => getCode(this.world, caller, stockId, code, appid));
  deleteCode = (caller: string, stockId: string, code: string, deleteRequestNo: string | undefined) =>
    this.track('couponCodes.delete', () => deleteCode(this.world, caller, stockId, code, deleteRequestNo));

  // --- callbacks, media, subsidy --------------------------------------------------------

  setCallbacks = (caller: string, body: { mchid?: string; notify_url?: string }) => this.track('callbacks.set', () => setCallbacks(this.world, caller, body));
  getCallbacks = (caller: string, query: { mchid?: string } = {}) => this.track('callbacks.get', () => getCallbacks(this.world, caller, query));
  uploadImage = (caller: string, meta: ImageMeta) => this.track('media.imageUpload', () => uploadImage(this.world, caller, meta));
  createPayReceipt = (caller: string, body: PayReceiptInput) => this.track('subsidy.pay.create', () => createPayReceipt(this.world, caller, body));
  getPayReceipt = (caller: string, id: string) => this.track('subsidy.pay.get', () => getPayReceipt(this.world, caller, id));
  listPayReceipts = (caller: string, query: { stock_id?: string; coupon_code?: string; out_subsidy_no?: string }) =>
    this.track('subsidy.pay.list', () => listPayReceipts(this.world, caller, query));
  createReturnReceipt = (caller: string, body: ReturnReceiptInput) => this.track('subsidy.return.create', () => createReturnReceipt(this.world, caller, body));
  getReturnReceipt = (caller: string, id: string) => this.track('subsidy.return.get', () => getReturnReceipt(this.world, caller, id));

  // --- introspection ----------------------------------------------------------------------

  /** One coupon's record, state settled to now, with its full history. */
  coupon(stockId: string, code: string): CouponRecord | undefined {
    const c = this.world.coupon(stockId, code);
    return c && structuredClone(this.world.settle(c));
  }

  coupons(filter: { stock_id?: string; user_id?: string; coupon_state?: string } = {}): CouponRecord[] {
    const out: CouponRecord[] = [];
    for (const c of this.world.coupons.values()) {
      this.world.settle(c);
      if (filter.stock_id !== undefined && c.stock_id !== filter.stock_id) continue;
      if (filter.user_id !== undefined && c.user_id !== filter.user_id) continue;
      if (filter.coupon_state !== undefined && c.coupon_state !== filter.coupon_state) continue;
      out.push(structuredClone(c));
    }
    return out;
  }

  operationCounts(): Record<string, OpCount> {
    return structuredClone(Object.fromEntries(this.world.opCounts));
  }

  /** Every request number that succeeded, with how many state changes it caused (never more than one). */
  requestNumbers(): RequestNumberReport[] {
    return this.world.ledger.list().map((e) => {
      const r: RequestNumberReport = { op: e.op, scope: e.scope, request_no: e.request_no, changes: e.changes, replays: e.replays };
      if (e.target !== undefined) r.target = e.target;
      return r;
    });
  }

  /** COUPON.SEND events after `afterId` (ids increase by one per send). */
  sendEvents(afterId = 0): SendEvent[] {
    return structuredClone(this.world.events.filter((e) => e.event_id > afterId));
  }
}
