// The composition root of the POS domain: one journal file under the data directory, the
// drainer that sends what it holds, and the services the UI contract and posctl call.
import type { StackingPolicy } from '../../shared/contract/order';
import type { CouponCaller } from '../queue/attempt';
import { QueueDrainer, type DrainEvent, type DrainerOptions } from '../queue/drain';
import { Journal } from '../queue/journal';
import { CouponActions } from './coupon-actions';
import { CouponDirectory } from './coupon-directory';
import { CouponLookup } from './coupon-lookup';
import { OfflinePolicyStore } from './offline-policy';
import { OrderBook } from './orders';
import { RedemptionService } from './redemption';
import type { RemoteDirectory } from './remote-directory';
import { ShiftService } from './shifts';
import { StackingPolicyStore } from './stacking-policy';
import { StockCache } from './stock-cache';

export interface PosServicesOptions {
  /** `POS_DATA_DIR` (or the OS default): `journal.sqlite` lives here. */
  dataDir: string;
  client: CouponCaller;
  appid: string;
  /** The merchant id (lists a customer's coupons as their creator). */
  mchid?: string;
  tillId: string;
  training?: boolean;
  clock?: () => number;
  /** Connectivity check (e.g. `tcpProbe(baseUrl)`): enables offline mode. */
  probe?: () => Promise<boolean>;
  drainer?: Omit<Partial<DrainerOptions>, 'journal' | 'client' | 'probe'>;
  stockTtlMs?: number;
  liveTimeoutMs?: number;
  /** The store preset's stacking rules (a manager's setting overrides them). */
  stacking?: StackingPolicy;
  /** The chain's events server, asked about codes this till does not know. */
  remote?: RemoteDirectory;
  /** Start draining at once (default true); posctl's read-only commands pass false. */
  start?: boolean;
}

export interface PosServices {
  journal: Journal;
  drainer: QueueDrainer;
  directory: CouponDirectory;
  stocks: StockCache;
  policy: OfflinePolicyStore;
  stacking: StackingPolicyStore;
  shifts: ShiftService;
  orders: OrderBook;
  lookup: CouponLookup;
  redemption: RedemptionService;
  actions: CouponActions;
  close(graceMs?: number): Promise<void>;
}

export function createPosServices(options: PosServicesOptions): PosServices {
  const clock = options.clock ?? Date.now;
  const journal = Journal.open(options.dataDir, { clock });
  const directory = new CouponDirectory(journal.db, clock);
  const stocks = new StockCache({ db: journal.db, client: options.client, clock, ...(options.stockTtlMs !== undefined ? { ttlMs: options.stockTtlMs } : {}) });
  const policy = new OfflinePolicyStore(journal.db, clock);
  const userListener = options.drainer?.onEvent;
  const drainer = new QueueDrainer({
    ...options.drainer,
    journal,
    client: options.client,
    ...(options.probe ? { probe: options.probe } : {}),
    onEvent: (event: DrainEvent) => {
      // The directory follows every confirmed operation (state, owner, order link).
      if (event.type === 'resolved') directory.applyOperation(event.operation);
      userListener?.(event);
    },
  });
  const orders = new OrderBook(journal, clock);
  const shifts = new ShiftService({
    orders,
    journal,
    clock,
    acknowledge: (id, manager, note) => drainer.acknowledge(id, manager, note),
    stockName: (id) => stocks.peek(id)?.stock.stock_name ?? null,
  });
  const stacking = new StackingPolicyStore(journal.db, options.stacking, clock);
  const lookup = new CouponLookup(
    { journal, drainer, directory, stocks, client: options.client, clock, ...(options.remote ? { remote: options.remote } : {}) },
    { appid: options.appid, ...(options.mchid ? { mchid: options.mchid } : {}) },
  );
  const tillConfig = {
    appid: options.appid,
    tillId: options.tillId,
    ...(options.training !== undefined ? { training: options.training } : {}),
    ...(options.liveTimeoutMs !== undefined ? { liveTimeoutMs: options.liveTimeoutMs } : {}),
  };
  const redemption = new RedemptionService({ journal, drainer, lookup, orders, policy, stacking, shifts, clock }, tillConfig);
  const actions = new CouponActions({ journal, drainer, lookup, shifts }, tillConfig);
  if (options.start ?? true) drainer.start();
  return {
    journal,
    drainer,
    directory,
    stocks,
    policy,
    stacking,
    shifts,
    orders,
    lookup,
    redemption,
    actions,
    async close(graceMs = 5_000) {
      await drainer.stop(graceMs);
      journal.close();
    },
  };
}
