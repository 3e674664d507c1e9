// The back office against the simulator: the till's POS services over a fresh data directory
// (journal, coupon directory, stock cache), the back office built on them as the till builds
// it, and the merchant's APIv2 key read from the simulator's credential file.
import { readFileSync } from 'node:fs';
import { createBackoffice, type Backoffice } from '../../../electron/backoffice';
import type { StockDraft } from '../../../shared/contract/backoffice';
import { addDays, formatChinaRfc3339, startOfChinaDay } from '../../../shared/time';
import { openTill, type Till } from '../pos/support/pos';
import { startTestSim, type TestSim } from '../queue/support/sim';

export interface Office {
  t: TestSim;
  till: Till;
  office: Backoffice;
  close(): Promise<void>;
}

export async function openOffice(options: { timeoutMs?: number; configured?: string[] } = {}): Promise<Office> {
  const t = await startTestSim({ timeoutMs: options.timeoutMs ?? 5_000 });
  const till = openTill(t);
  const office = createBackoffice({
    db: till.journal.db,
    client: t.client,
    directory: till.directory,
    stocks: till.stocks,
    mchid: t.sim.credentials.mchid,
    training: false,
    configuredStockIds: () => options.configured ?? [],
    apiV2Key: async () => readFileSync(t.sim.credentials.files.apiv2_key, 'utf8'),
  });
  return {
    t,
    till,
    office,
    close: async () => {
      await till.close();
      await t.close();
    },
  };
}

let drafts = 0;

/** A stock as the create form would send it, without its request number. */
export function draft(t: TestSim, type: 'NORMAL' | 'DISCOUNT' | 'EXCHANGE', extra: Partial<StockDraft> = {}): StockDraft {
  drafts += 1;
  const today = startOfChinaDay(t.sim.state.now());
  const rule =
    type === 'NORMAL'
      ? { fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 0 } }
      : type === 'DISCOUNT'
        ? { discount_coupon: { discount_percent: 88, transaction_minimum: 2000 } }
        : { exchange_coupon: { exchange_price: 990, transaction_minimum: 3000 } };
  return {
    stock_name: `后台券${drafts}`,
    belong_merchant: t.sim.credentials.mchid,
    goods_name: '全场通用',
    stock_type: type,
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: formatChinaRfc3339(today), available_end_time: formatChinaRfc3339(addDays(today, 60)) },
      use_method: 'OFF_LINE',
      ...rule,
    },
    stock_send_rule: { max_coupons: 100, max_coupons_per_user: 3, max_coupons_by_day: 50 },
    coupon_code_mode: 'WECHATPAY_MODE',
    ...extra,
  };
}

/** What the simulator's ledger says a request number changed (the invariant is once). */
export function changesOf(t: TestSim, requestNo: string | null): { changes: number; replays: number } | undefined {
  const entry = t.sim.state.requestNumbers().find((r) => r.request_no === requestNo);
  return entry && { changes: entry.changes, replays: entry.replays };
}
