// What this till knows about individual coupons: code → stock, owner (openid under an
// appid) and last known state. WeChat has no "look up by code" call for user coupons, so
// this is how the till finds a coupon's stock and owner: from use answers, coupon queries
// and lists, uploaded codes, confirmed queue operations, manual entry and the chain's
// events server (COUPON.SEND, remote-directory.ts).
import type { CouponEntity } from '../../shared/busifavor';
import { withoutFsync, type JournalDatabase } from '../queue/database';
import type { OperationRecord } from '../queue/records';

export type DirectorySource = 'use' | 'query' | 'list' | 'upload' | 'manual' | 'queue' | 'events';

export interface DirectoryEntry {
  couponCode: string;
  stockId: string;
  openid: string | null;
  appid: string | null;
  couponState: string | null;
  availableStartTime: string | null;
  expireTime: string | null;
  associateOutTradeNo: string | null;
  source: DirectorySource;
  updatedAt: number;
}

interface Row {
  coupon_code: string;
  stock_id: string;
  openid: string | null;
  appid: string | null;
  coupon_state: string | null;
  available_start_time: string | null;
  expire_time: string | null;
  associate_out_trade_no: string | null;
  source: DirectorySource;
  updated_at: number;
}

const toEntry = (r: Row): DirectoryEntry => ({
  couponCode: r.coupon_code,
  stockId: r.stock_id,
  openid: r.openid,
  appid: r.appid,
  couponState: r.coupon_state,
  availableStartTime: r.available_start_time,
  expireTime: r.expire_time,
  associateOutTradeNo: r.associate_out_trade_no,
  source: r.source,
  updatedAt: r.updated_at,
});

/** A change to one coupon's entry; `undefined` keeps what is known, `null` clears it. */
export interface DirectoryUpdate {
  couponCode: string;
  stockId: string;
  openid?: string | null;
  appid?: string | null;
  couponState?: string | null;
  availableStartTime?: string | null;
  expireTime?: string | null;
  associateOutTradeNo?: string | null;
  source: DirectorySource;
}

const STATE_AFTER: Partial<Record<OperationRecord['kind'], string>> = { use: 'USED', return: 'SENDED', deactivate: 'DEACTIVATED' };

export class CouponDirectory {
  readonly #db: JournalDatabase;
  readonly #clock: () => number;

  constructor(db: JournalDatabase, clock: () => number = Date.now) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Every stock this code is known in (merchant codes are unique per stock only). */
  find(couponCode: string): DirectoryEntry[] {
    return (this.#db.prepare('SELECT * FROM coupon_directory WHERE coupon_code = ? ORDER BY updated_at DESC').all(couponCode) as Row[]).map(toEntry);
  }

  get(couponCode: string, stockId: string): DirectoryEntry | undefined {
    const row = this.#db.prepare('SELECT * FROM coupon_directory WHERE coupon_code = ? AND stock_id = ?').get(couponCode, stockId) as Row | undefined;
    return row && toEntry(row);
  }

  update(u: DirectoryUpdate): DirectoryEntry {
    const now = this.#clock();
    const keep = (v: string | null | undefined) => (v === undefined ? 0 : 1);
    withoutFsync(this.#db, () =>
      this.#db
        .prepare(
          `INSERT INTO coupon_directory (coupon_code, stock_id, openid, appid, coupon_state, available_start_time, expire_time, associate_out_trade_no, source, updated_at)
         VALUES (@code, @stock, @openid, @appid, @state, @start, @expire, @trade, @source, @now)
         ON CONFLICT (coupon_code, stock_id) DO UPDATE SET
           openid = CASE WHEN @set_openid THEN @openid ELSE openid END,
           appid = CASE WHEN @set_appid THEN @appid ELSE appid END,
           coupon_state = CASE WHEN @set_state THEN @state ELSE coupon_state END,
           available_start_time = CASE WHEN @set_start THEN @start ELSE available_start_time END,
           expire_time = CASE WHEN @set_expire THEN @expire ELSE expire_time END,
           associate_out_trade_no = CASE WHEN @set_trade THEN @trade ELSE associate_out_trade_no END,
           source = @source, updated_at = @now`,
        )
        .run({
          code: u.couponCode,
          stock: u.stockId,
          openid: u.openid ?? null,
          appid: u.appid ?? null,
          state: u.couponState ?? null,
          start: u.availableStartTime ?? null,
          expire: u.expireTime ?? null,
          trade: u.associateOutTradeNo ?? null,
          source: u.source,
          now,
          set_openid: keep(u.openid),
          set_appid: keep(u.appid),
          set_state: keep(u.couponState),
          set_start: keep(u.availableStartTime),
          set_expire: keep(u.expireTime),
          set_trade: keep(u.associateOutTradeNo),
        }),
    );
    return this.get(u.couponCode, u.stockId) as DirectoryEntry;
  }

  /** A coupon as WeChat Pay returned it (single query or list item) for the owner `openid` under `appid`. */
  recordEntity(entity: CouponEntity, owner: { openid: string; appid: string }, source: 'query' | 'list' = 'query'): DirectoryEntry {
    return this.update({
      couponCode: entity.coupon_code,
      stockId: entity.stock_id,
      openid: owner.openid,
      appid: owner.appid,
      couponState: entity.coupon_state,
      availableStartTime: entity.available_start_time,
      expireTime: entity.expire_time,
      associateOutTradeNo: entity.associate_out_trade_no ?? null,
      source,
    });
  }

  /** Entered by hand (a manager typing what the customer's phone shows). */
  recordManual(entry: { couponCode: string; stockId: string; openid?: string; appid?: string }): DirectoryEntry {
    return this.update({ couponCode: entry.couponCode, stockId: entry.stockId, openid: entry.openid, appid: entry.appid, source: 'manual' });
  }

  /** Codes this merchant uploaded to a MERCHANT_UPLOAD stock: the code alone now tells the stock. */
  recordUploaded(stockId: string, codes: readonly string[]): number {
    const run = this.#db.transaction(() => {
      for (const code of codes) this.update({ couponCode: code, stockId, source: 'upload' });
    });
    run();
    return codes.length;
  }

  /** Keeps the directory in step with what the queue confirmed at WeChat Pay. */
  applyOperation(op: OperationRecord): DirectoryEntry | undefined {
    if (op.status !== 'succeeded' || op.stockId === null) return undefined;
    const result = (op.result ?? {}) as { openid?: unknown };
    const openid = op.kind === 'use' && typeof result.openid === 'string' ? result.openid : undefined;
    const update: DirectoryUpdate = { couponCode: op.couponCode, stockId: op.stockId, source: op.kind === 'use' ? 'use' : 'queue' };
    const state = STATE_AFTER[op.kind];
    if (state) update.couponState = state;
    if (openid !== undefined) {
      update.openid = openid;
      if (op.appid) update.appid = op.appid;
    }
    if (op.kind === 'associate') update.associateOutTradeNo = op.outTradeNo;
    if (op.kind === 'disassociate') update.associateOutTradeNo = null;
    return this.update(update);
  }
}
