// The manager's back office over WeChat Pay: one object for the contract handlers and posctl,
// built on the till's journal file, client and coupon directory.
import type { BusifavorClient } from '../busifavor';
import type { CouponDirectory } from '../pos/coupon-directory';
import type { StockCache } from '../pos/stock-cache';
import { BackofficeJournal } from '../queue/backoffice-journal';
import type { JournalDatabase } from '../queue/database';
import { afterRetry, deleteCode, listCodes, uploadCodes } from './codes';
import { getCallbacks, paySubsidy, sendParams, setCallbacks, subsidyReceipts, uploadImage, type MerchantDeps } from './merchant';
import { resendPending, retry, type RunDeps } from './run';
import { changeBudget, createStock, listStocks, modifyStock, refreshed, stockDetail, type StockDeps } from './stocks';

export { BackofficeError, type RunOutcome } from './run';
export { batchResults } from './codes';
export type { BudgetChange, ManagerRequest } from './stocks';
export type { SendCoupon, SubsidyRequest } from './merchant';

export interface BackofficeOptions {
  db: JournalDatabase;
  client: Pick<BusifavorClient, 'call'>;
  directory: CouponDirectory;
  stocks: StockCache;
  mchid: string;
  training: boolean;
  configuredStockIds: () => readonly string[];
  apiV2Key: () => Promise<string | null>;
  clock?: () => number;
}

/** `fn` with its dependencies given: what callers see takes only their own arguments. */
const withDeps =
  <D, A extends unknown[], R>(fn: (deps: D, ...args: A) => R, deps: D) =>
  (...args: A): R =>
    fn(deps, ...args);

export function createBackoffice(o: BackofficeOptions) {
  const clock = o.clock ?? Date.now;
  const journal = new BackofficeJournal(o.db, clock);
  const run: RunDeps = { journal, client: o.client, clock };
  const stockDeps: StockDeps = { ...run, stocks: o.stocks, db: o.db, training: o.training, configuredStockIds: o.configuredStockIds };
  const codeDeps = { ...run, directory: o.directory, training: o.training };
  const merchantDeps: MerchantDeps = { ...run, mchid: o.mchid, training: o.training, apiV2Key: o.apiV2Key };
  return {
    journal,
    listStocks: () => listStocks(stockDeps),
    stock: (stockId: string) => stockDetail(stockDeps, stockId),
    createStock: withDeps(createStock, stockDeps),
    modifyStock: withDeps(modifyStock, stockDeps),
    changeBudget: withDeps(changeBudget, stockDeps),
    uploadCodes: withDeps(uploadCodes, codeDeps),
    listCodes: withDeps(listCodes, codeDeps),
    deleteCode: withDeps(deleteCode, codeDeps),
    setCallbacks: withDeps(setCallbacks, merchantDeps),
    getCallbacks: () => getCallbacks(merchantDeps),
    uploadImage: withDeps(uploadImage, merchantDeps),
    paySubsidy: withDeps(paySubsidy, merchantDeps),
    subsidyReceipts: withDeps(subsidyReceipts, merchantDeps),
    sendParams: withDeps(sendParams, merchantDeps),
    /** The same request, the same number: after a timeout, or from the audit trail. */
    retry: async (opId: string, actor: string) => afterRetry(codeDeps, await refreshed(stockDeps, await retry(run, opId, actor))),
    resendPending: (actor: string) => resendPending(run, actor),
  };
}

export type Backoffice = ReturnType<typeof createBackoffice>;
