// Orders: what a cashier checks out, one open at a time per till. The order row holds the
// amount, the WeChat Pay order number and who opened it; its coupons are the journal's
// operations that name it (each use, and the order link made before it), so the journal stays
// the one record of what was sent.
import { randomBytes } from 'node:crypto';
import type { OrderSource, OrderStatus } from '../../shared/contract/order';
import { unwritableCode } from '../queue/database';
import type { Journal } from '../queue/journal';
import type { OperationRecord } from '../queue/records';
import { refusals, type Refusal } from './refusals';

export interface OrderRecord {
  orderId: string;
  tillId: string;
  shiftId: string | null;
  amountFen: number;
  outTradeNo: string | null;
  source: OrderSource;
  status: OrderStatus;
  training: boolean;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

interface Row {
  order_id: string;
  till_id: string;
  shift_id: string | null;
  amount_fen: number;
  out_trade_no: string | null;
  source: OrderSource;
  status: OrderStatus;
  training: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

const toOrder = (r: Row): OrderRecord => ({
  orderId: r.order_id,
  tillId: r.till_id,
  shiftId: r.shift_id,
  amountFen: r.amount_fen,
  outTradeNo: r.out_trade_no,
  source: r.source,
  status: r.status,
  training: r.training === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at,
});

export class OrderNotFoundError extends Error {
  override name = 'OrderNotFoundError';
}

export type OrderChange = { ok: true; order: OrderRecord } | { ok: false; reason: Refusal; order?: OrderRecord };

export interface OpenOrderInput {
  tillId: string;
  shiftId: string | null;
  amountFen: number;
  outTradeNo: string | null;
  source: OrderSource;
  training: boolean;
}

/** A use still counts on its order unless WeChat Pay refused it while the cashier watched. */
export const countsOnOrder = (op: OperationRecord): boolean => op.kind === 'use' && op.status !== 'refused';

/** The discount the customer was given: confirmed, or accepted offline under the store's rules. */
export const grantedDiscount = (op: OperationRecord): number => (op.kind === 'use' && op.granted && op.status !== 'refused' ? (op.discountFen ?? 0) : 0);

export class OrderBook {
  readonly #journal: Journal;
  readonly #clock: () => number;

  constructor(journal: Journal, clock: () => number = Date.now) {
    this.#journal = journal;
    this.#clock = clock;
  }

  get #db() {
    return this.#journal.db;
  }

  /** `O` + the time + random: readable on a slip, unique across tills without coordination. */
  #newId(now: number): string {
    return `O${now.toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}`;
  }

  /**
   * Opens the till's order. An open order with no coupon yet is revised instead (the cashier
   * retyped the amount, or the register sent the order the cashier had started), so a repeated
   * request from the register answers with the same order; one with coupons must be finished first.
   */
  open(input: OpenOrderInput): OrderChange {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) return { ok: false, reason: refusals.badAmount() };
    try {
      return this.#open(input);
    } catch (err) {
      // A full disk or a read-only journal: the order cannot be kept, so it is not opened.
      const code = unwritableCode(err);
      if (code) return { ok: false, reason: refusals.journalUnwritable(code) };
      throw err;
    }
  }

  #open(input: OpenOrderInput): OrderChange {
    const current = this.current(input.tillId);
    if (current) {
      if (this.hasCoupons(current.orderId)) return { ok: false, reason: refusals.orderOpenElsewhere(current.orderId), order: current };
      return { ok: true, order: this.#revise(current.orderId, input) };
    }
    const now = this.#clock();
    const orderId = this.#newId(now);
    try {
      this.#db
        .prepare(
          `INSERT INTO orders (order_id, till_id, shift_id, amount_fen, out_trade_no, source, status, training, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
        )
        .run(orderId, input.tillId, input.shiftId, input.amountFen, input.outTradeNo, input.source, input.training ? 1 : 0, now, now);
    } catch (err) {
      // The partial unique index settles a race between the screen and the register (or posctl).
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      const winner = this.current(input.tillId);
      return { ok: false, reason: refusals.orderOpenElsewhere(winner?.orderId ?? ''), ...(winner ? { order: winner } : {}) };
    }
    return { ok: true, order: this.get(orderId) };
  }

  #revise(orderId: string, input: OpenOrderInput): OrderRecord {
    this.#db
      .prepare("UPDATE orders SET amount_fen = ?, out_trade_no = ?, source = ?, shift_id = COALESCE(?, shift_id), updated_at = ? WHERE order_id = ? AND status = 'open'")
      .run(input.amountFen, input.outTradeNo, input.source, input.shiftId, this.#clock(), orderId);
    return this.get(orderId);
  }

  /** The uses and order links that name this order, in the order they were written. */
  operations(orderId: string): OperationRecord[] {
    return this.#journal.list({ orderId });
  }

  hasCoupons(orderId: string): boolean {
    return this.operations(orderId).some(countsOnOrder);
  }

  /** The cashier is done with the order (finishing twice is harmless). */
  finish(orderId: string): OrderChange {
    const order = this.get(orderId);
    if (order.status !== 'open') return { ok: true, order };
    return { ok: true, order: this.#close(orderId, 'finished') };
  }

  /** Only an order no coupon was redeemed on can be cancelled: a used coupon is undone by a return. */
  cancel(orderId: string): OrderChange {
    const order = this.get(orderId);
    if (order.status === 'cancelled') return { ok: true, order };
    if (order.status !== 'open') return { ok: false, reason: refusals.orderNotOpen(orderId), order };
    if (this.hasCoupons(orderId)) return { ok: false, reason: refusals.orderHasCoupons(orderId), order };
    return { ok: true, order: this.#close(orderId, 'cancelled') };
  }

  get(orderId: string): OrderRecord {
    const row = this.#db.prepare('SELECT * FROM orders WHERE order_id = ?').get(orderId) as Row | undefined;
    if (!row) throw new OrderNotFoundError(`no order ${orderId}`);
    return toOrder(row);
  }

  find(orderId: string): OrderRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM orders WHERE order_id = ?').get(orderId) as Row | undefined;
    return row && toOrder(row);
  }

  current(tillId: string): OrderRecord | undefined {
    const row = this.#db.prepare("SELECT * FROM orders WHERE till_id = ? AND status = 'open'").get(tillId) as Row | undefined;
    return row && toOrder(row);
  }

  #close(orderId: string, status: 'finished' | 'cancelled'): OrderRecord {
    const now = this.#clock();
    this.#db.prepare("UPDATE orders SET status = ?, closed_at = ?, updated_at = ? WHERE order_id = ? AND status = 'open'").run(status, now, now, orderId);
    return this.get(orderId);
  }

  /** The shift's orders, oldest first: what the shift report groups redemptions by. */
  listByShift(shiftId: string): OrderRecord[] {
    return (this.#db.prepare('SELECT * FROM orders WHERE shift_id = ? ORDER BY created_at, order_id').all(shiftId) as Row[]).map(toOrder);
  }
}
