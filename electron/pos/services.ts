// The composition root of the POS domain: one journal file under the data directory, the
// drainer that sends what it holds, and the services the UI contract and posctl call.
import type { CouponCaller } from '../queue/attempt';
import { QueueDrainer, type DrainEvent, type DrainerOptions } from '../queue/drain';
import { Journal } from '../queue/journal';
import { CouponDirectory } from './coupon-directory';
import { OfflinePolicyStore } from './offline-policy';
import { RedemptionService } from './redemption';
import type { RemoteDirectory } from './remote-directory';
import { ShiftService } from './shifts';
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
  shifts: ShiftService;
  redemption: RedemptionService;
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
  const shifts = new ShiftService({
    journal,
    clock,
    acknowledge: (id, manager, note) => drainer.acknowledge(id, manager, note),
    stockName: (id) => stocks.peek(id)?.stock.stock_name ?? null,
  });
  const redemption = new RedemptionService(
    { journal, drainer, directory, stocks, policy, shifts, client: options.client, clock, ...(options.remote ? { remote: options.remote } : {}) },
    { appid: options.appid, tillId: options.tillId, ...(options.mchid ? { mchid: options.mchid } : {}), ...(options.training !== undefined ? { training: options.training } : {}), ...(options.liveTimeoutMs !== undefined ? { liveTimeoutMs: options.liveTimeoutMs } : {}) },
  );
  if (options.start ?? true) drainer.start();
  return {
    journal,
    drainer,
    directory,
    stocks,
    policy,
    shifts,
    redemption,
    async close(graceMs = 5_000) {
      await drainer.stop(graceMs);
      journal.close();
    },
  };
}
