// Chain reporting from the till: every settled operation in the journal (succeeded, refused
// while the cashier watched, or refused and accepted by a manager) is pushed to the events
// server, which keeps each request number once. A cursor in the journal's pos_settings marks
// the point below which everything is pushed; operations above it pushed in this run are
// remembered in memory, so after a restart or downtime the pusher resumes at the cursor and at
// worst sends some again. Training operations are practice, not money: never pushed.
import type { JournalDatabase } from '../queue/database';
import type { OperationRow } from '../queue/records';
import type { Logger } from '../log/logger';
import type { PushedOperation } from './directory-store';
import type { EventsClient } from './till-client';

const CURSOR_KEY = 'events.push_cursor';
const SETTLED = "('succeeded', 'refused', 'acknowledged')";
const BATCH = 200;

export const pushedOperation = (r: OperationRow): PushedOperation => ({
  requestNo: r.request_no,
  opId: r.op_id,
  kind: r.kind,
  status: r.status,
  couponCode: r.coupon_code,
  stockId: r.stock_id,
  discountFen: r.discount_fen,
  orderAmountFen: r.order_amount_fen,
  offlineAccepted: r.offline_accepted === 1,
  cashierId: r.cashier_id,
  shiftId: r.shift_id,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at ?? r.updated_at,
});

export class OperationPusher {
  readonly #db: JournalDatabase;
  readonly #client: Pick<EventsClient, 'push'>;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #pushed = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = false;

  constructor(options: { db: JournalDatabase; client: Pick<EventsClient, 'push'>; log: Logger; intervalMs?: number }) {
    this.#db = options.db;
    this.#client = options.client;
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? 30_000;
  }

  cursor(): number {
    const row = this.#db.prepare('SELECT value FROM pos_settings WHERE key = ?').get(CURSOR_KEY) as { value: string } | undefined;
    const n = row ? Number(JSON.parse(row.value)) : 0;
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  }

  #setCursor(id: number): void {
    this.#db
      .prepare(
        'INSERT INTO pos_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(CURSOR_KEY, JSON.stringify(id), Date.now(), 'events');
  }

  /** Pushes until nothing settled is left above the cursor; returns how many were sent. */
  pushNow(): Promise<number> {
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const cursor = this.cursor();
      const skip = JSON.stringify([...this.#pushed]);
      const rows = this.#db
        .prepare(`SELECT * FROM operations WHERE id > ? AND status IN ${SETTLED} AND training = 0 AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ${BATCH}`)
        .all(cursor, skip) as OperationRow[];
      if (rows.length > 0) {
        const res = await this.#client.push(rows.map(pushedOperation));
        if (!res.ok) {
          this.#log.warn('events.push_failed', { reason: res.reason, waiting: rows.length });
          return sent;
        }
        for (const r of rows) this.#pushed.add(r.id);
        sent += rows.length;
      }
      this.#advance(cursor);
      if (rows.length < BATCH) return sent;
    }
  }

  /** Moves the cursor up to the first operation that is neither pushed, nor training, nor settled-and-pushed. */
  #advance(cursor: number): void {
    const skip = JSON.stringify([...this.#pushed]);
    const first = this.#db
      .prepare(`SELECT MIN(id) AS id FROM operations WHERE id > ? AND (status NOT IN ${SETTLED} OR (training = 0 AND id NOT IN (SELECT value FROM json_each(?))))`)
      .get(cursor, skip) as { id: number | null };
    const top = (this.#db.prepare('SELECT MAX(id) AS id FROM operations').get() as { id: number | null }).id ?? 0;
    const next = first.id === null ? top : first.id - 1;
    if (next <= cursor) return;
    this.#setCursor(next);
    for (const id of this.#pushed) if (id <= next) this.#pushed.delete(id);
  }

  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      void this.pushNow()
        .catch((err) => this.#log.error('events.push_error', { error: err }))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }
}
