// The whole state as one JSON document and back. The standalone simulator writes it after
// each change (`--state DIR`); a restored state answers every request exactly as the saved
// one would have, including replays of old request numbers and the next generated ids.
import { type Clock, type ClockSnapshot, clockFromSnapshot } from './clock';
import { Ledger } from './ledger';
import type { CouponRecord, LedgerEntry, MediaRecord, SimMerchant, OpCount, PayReceipt, ReturnReceipt, SendEvent, StockRecord, UploadedCodeRecord, UserRecord } from './model';
import { Rng, type RngState } from './rng';
import { World } from './world';

export const SNAPSHOT_FORMAT = 'busifavor-sim-state';
export const SNAPSHOT_VERSION = 1;

export interface SimSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  seed: number;
  rng: RngState;
  clock: ClockSnapshot;
  seq: { coupon: number; event: number; user: number };
  merchants: SimMerchant[];
  users: UserRecord[];
  stocks: StockRecord[];
  coupons: CouponRecord[];
  codes: UploadedCodeRecord[];
  media: MediaRecord[];
  pay_receipts: PayReceipt[];
  return_receipts: ReturnReceipt[];
  ledger: LedgerEntry[];
  events: SendEvent[];
  op_counts: Record<string, OpCount>;
}

export function snapshot(world: World): SimSnapshot {
  return structuredClone({
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    seed: world.seed,
    rng: world.rng.state(),
    clock: world.clock.snapshot(),
    seq: world.seq,
    merchants: [...world.merchants.values()],
    users: [...world.users.values()],
    stocks: [...world.stocks.values()],
    coupons: [...world.coupons.values()],
    codes: [...world.codes.values()].flatMap((m) => [...m.values()]),
    media: [...world.media.values()],
    pay_receipts: [...world.payReceipts.values()],
    return_receipts: [...world.returnReceipts.values()],
    ledger: world.ledger.list(),
    events: world.events,
    op_counts: Object.fromEntries(world.opCounts),
  } satisfies SimSnapshot);
}

/** Rebuilds a World; `clock` replaces the saved one (e.g. a wall clock for a restarted simulator). */
export function restore(input: unknown, clock?: Clock): World {
  const s = input as Partial<SimSnapshot> | null;
  if (!s || s.format !== SNAPSHOT_FORMAT) throw new Error(`not a ${SNAPSHOT_FORMAT} document`);
  if (s.version !== SNAPSHOT_VERSION) throw new Error(`unsupported ${SNAPSHOT_FORMAT} version ${String(s.version)}`);
  const data = structuredClone(s as SimSnapshot);
  const world = new World(clock ?? clockFromSnapshot(data.clock), Rng.fromState(data.rng), data.seed);
  world.seq = { ...data.seq };
  for (const m of data.merchants) world.merchants.set(m.mchid, m);
  for (const u of data.users) world.users.set(u.user_id, u);
  for (const st of data.stocks) world.stocks.set(st.stock_id, st);
  for (const c of [...data.coupons].sort((a, b) => a.seq - b.seq)) world.addCoupon(c);
  for (const code of data.codes) world.codesOf(code.stock_id).set(code.code, code);
  for (const m of data.media) world.addMedia(m);
  for (const r of data.pay_receipts) world.payReceipts.set(r.subsidy_receipt_id, r);
  for (const r of data.return_receipts) world.returnReceipts.set(r.subsidy_return_receipt_id, r);
  world.ledger = new Ledger(data.ledger);
  world.events = data.events;
  world.opCounts = new Map(Object.entries(data.op_counts));
  return world;
}
