// Everything one simulated "WeChat Pay" knows, plus the small lookups every operation needs
// (merchants and their AppIDs, users and their per-AppID OpenIDs, coupons by code, lazy
// expiry). Operation modules take a World and change it; SimState wraps it.
import { createHash } from 'node:crypto';
import type { CouponState } from '../../../shared/busifavor/enums';
import { formatChinaRfc3339, parseRfc3339 } from '../../../shared/time';
import type { Clock } from './clock';
import { Ledger } from './ledger';
import type { CouponOp, CouponRecord, MediaRecord, SimMerchant, OpCount, PayReceipt, ReturnReceipt, SendEvent, StockRecord, UploadedCodeRecord, UserRecord } from './model';
import type { Rng } from './rng';

export const couponKey = (stockId: string, code: string) => `${stockId}/${code}`;

export class World {
  merchants = new Map<string, SimMerchant>();
  users = new Map<string, UserRecord>();
  stocks = new Map<string, StockRecord>();
  /** `stock_id/coupon_code` → coupon. */
  coupons = new Map<string, CouponRecord>();
  /** stock_id → code → uploaded code. */
  codes = new Map<string, Map<string, UploadedCodeRecord>>();
  /** sha256 → issued image. */
  media = new Map<string, MediaRecord>();
  payReceipts = new Map<string, PayReceipt>();
  returnReceipts = new Map<string, ReturnReceipt>();
  ledger = new Ledger();
  events: SendEvent[] = [];
  opCounts = new Map<string, OpCount>();
  seq = { coupon: 0, event: 0, user: 0 };
  /** Bumped by changes a query can cause too (lazy expiry, new users): tells SimState to save. */
  revision = 0;

  // Derived indexes, rebuilt from the records above (never persisted).
  private byCode = new Map<string, string[]>();
  private mediaUrls = new Set<string>();
  private openidIndex = new Map<string, string>();
  private indexedAppids = new Set<string>();

  constructor(
    public clock: Clock,
    public rng: Rng,
    public readonly seed: number,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  nowText(): string {
    return formatChinaRfc3339(this.clock.now());
  }

  // --- merchants and AppIDs -----------------------------------------------------------

  /** True when `appid` is bound to any of the merchants (caller or belong merchant). */
  appidBound(appid: string, mchids: readonly string[]): boolean {
    return mchids.some((m) => this.merchants.get(m)?.appids.includes(appid) ?? false);
  }

  // --- media ------------------------------------------------------------------------------

  addMedia(record: MediaRecord): void {
    this.media.set(record.sha256, record);
    this.mediaUrls.add(record.media_url);
  }

  isIssuedMediaUrl(url: string): boolean {
    return this.mediaUrls.has(url);
  }

  // --- users and OpenIDs ----------------------------------------------------------------

  createUser(openids: Record<string, string> = {}): UserRecord {
    this.seq.user += 1;
    this.revision += 1;
    const user: UserRecord = { user_id: `user${this.seq.user}`, openids: { ...openids } };
    this.users.set(user.user_id, user);
    for (const appid of this.indexedAppids) this.openidIndex.set(`${appid}\n${this.openidFor(user, appid)}`, user.user_id);
    return user;
  }

  /** A user a merchant introduced by an OpenID WeChat had not seen: it becomes theirs under that AppID. */
  registerOpenid(appid: string, openid: string): UserRecord {
    const user = this.createUser({ [appid]: openid });
    this.openidIndex.set(`${appid}\n${openid}`, user.user_id);
    return user;
  }

  /** OpenIDs differ per AppID, as WeChat's do; derived from the seed so they are stable. */
  openidFor(user: UserRecord, appid: string): string {
    return user.openids[appid] ?? `o${this.digest(`openid|${user.user_id}|${appid}`).slice(0, 27)}`;
  }

  unionidFor(user: UserRecord): string {
    return `o${this.digest(`unionid|${user.user_id}`).slice(0, 27)}`;
  }

  findUser(appid: string, openid: string): UserRecord | undefined {
    if (!this.indexedAppids.has(appid)) {
      for (const user of this.users.values()) this.openidIndex.set(`${appid}\n${this.openidFor(user, appid)}`, user.user_id);
      this.indexedAppids.add(appid);
    }
    const id = this.openidIndex.get(`${appid}\n${openid}`);
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Whether `openid` is some user's OpenID under an AppID other than `appid` (an AppID/OpenID mismatch). */
  openidBelongsElsewhere(appid: string, openid: string): boolean {
    const appids = new Set<string>();
    for (const m of this.merchants.values()) for (const a of m.appids) appids.add(a);
    for (const u of this.users.values()) for (const a of Object.keys(u.openids)) appids.add(a);
    appids.delete(appid);
    return [...appids].some((other) => this.findUser(other, openid) !== undefined);
  }

  user(userId: string): UserRecord {
    const user = this.users.get(userId);
    if (!user) throw new Error(`unknown user ${userId}`);
    return user;
  }

  private digest(text: string): string {
    return createHash('sha256').update(`${this.seed}|${text}`).digest('base64url');
  }

  // --- coupons ------------------------------------------------------------------------------

  addCoupon(coupon: CouponRecord): void {
    const key = couponKey(coupon.stock_id, coupon.coupon_code);
    this.coupons.set(key, coupon);
    const list = this.byCode.get(coupon.coupon_code);
    if (list) list.push(key);
    else this.byCode.set(coupon.coupon_code, [key]);
  }

  coupon(stockId: string, code: string): CouponRecord | undefined {
    return this.coupons.get(couponKey(stockId, code));
  }

  couponsWithCode(code: string): CouponRecord[] {
    return (this.byCode.get(code) ?? []).map((k) => this.coupons.get(k)).filter((c): c is CouponRecord => c !== undefined);
  }

  isWechatCodeTaken(code: string): boolean {
    return this.byCode.has(code);
  }

  /** Records a change of a coupon (state or order link) in its history. */
  transition(coupon: CouponRecord, op: CouponOp, to: CouponState, requestNo?: string, detail?: string): void {
    const entry: CouponRecord['history'][number] = { at: this.nowText(), op, from: coupon.coupon_state, to };
    if (requestNo !== undefined) entry.request_no = requestNo;
    if (detail !== undefined) entry.detail = detail;
    coupon.history.push(entry);
    coupon.coupon_state = to;
    this.revision += 1;
  }

  /** SENDED → EXPIRED once the clock is past `expire_time` (whole seconds, as WeChat's times). */
  settle(coupon: CouponRecord): CouponRecord {
    if (coupon.coupon_state !== 'SENDED') return coupon;
    const expire = parseRfc3339(coupon.expire_time);
    if (expire && Math.floor(this.now().getTime() / 1000) * 1000 > expire.getTime()) this.transition(coupon, 'expire', 'EXPIRED');
    return coupon;
  }

  settleAll(): number {
    let n = 0;
    for (const c of this.coupons.values()) {
      const before = c.coupon_state;
      if (this.settle(c).coupon_state !== before) n += 1;
    }
    return n;
  }

  // --- uploaded codes -------------------------------------------------------------------

  codesOf(stockId: string): Map<string, UploadedCodeRecord> {
    let m = this.codes.get(stockId);
    if (!m) {
      m = new Map();
      this.codes.set(stockId, m);
    }
    return m;
  }

  // --- bookkeeping ------------------------------------------------------------------------

  countOp(op: string, succeeded: boolean): void {
    const c = this.opCounts.get(op) ?? { calls: 0, ok: 0, failed: 0 };
    c.calls += 1;
    if (succeeded) c.ok += 1;
    else c.failed += 1;
    this.opCounts.set(op, c);
  }

  /** A fresh id of `length` digits not yet in `taken`. */
  uniqueDigits(length: number, taken: (id: string) => boolean): string {
    for (;;) {
      const id = this.rng.digits(length);
      if (!taken(id)) return id;
    }
  }
}
