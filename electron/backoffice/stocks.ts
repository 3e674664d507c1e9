// Stocks in the back office (docs/wechatpay/busifavor.md#stocks): the list a manager sees (the
// store's configured stocks, the ones created here, the ones the till has met), one stock's
// detail, and the three changes — create, modify, budget — each journaled with its number.
import type { StockOut } from '../../shared/busifavor';
import type { BackofficeStockRow, StockDraft, StockPatch } from '../../shared/contract/backoffice';
import type { JournalDatabase } from '../queue/database';
import type { Summary } from '../queue/backoffice-journal';
import type { StockCache } from '../pos/stock-cache';
import { WechatPayError } from '../wechatpay';
import { attempt, BackofficeError, outcomeOf, type RunDeps, type RunOutcome } from './run';

export interface StockDeps extends RunDeps {
  stocks: StockCache;
  /** journal.sqlite: the coupon queue's confirmed uses tell what this store redeemed. */
  db: JournalDatabase;
  training: boolean;
  /** The store's own stocks (its preset, or the training simulator's seeded ones). */
  configuredStockIds: () => readonly string[];
}

export interface ManagerRequest {
  managerId: string;
  clientRef?: string;
}

/** Uses confirmed by WeChat Pay through this journal, less the coupons returned since, per stock. */
function usedHere(db: JournalDatabase): Map<string, number> {
  const rows = db
    .prepare(
      "SELECT stock_id, SUM(CASE kind WHEN 'use' THEN 1 WHEN 'return' THEN -1 ELSE 0 END) AS n FROM operations WHERE status = 'succeeded' AND stock_id IS NOT NULL GROUP BY stock_id",
    )
    .all() as { stock_id: string; n: number }[];
  return new Map(rows.map((r) => [r.stock_id, Math.max(0, r.n)]));
}

/** Stocks whose coupons the till has met: in its coupon operations, or in its directory other than by an upload. */
function seenStockIds(deps: StockDeps): string[] {
  const rows = deps.db.prepare("SELECT stock_id FROM operations WHERE stock_id IS NOT NULL UNION SELECT stock_id FROM coupon_directory WHERE source <> 'upload'").all() as {
    stock_id: string;
  }[];
  return rows.map((r) => r.stock_id);
}

/** The stock as WeChat Pay says it is now; the till's copy when WeChat Pay cannot be asked. */
async function fetchStock(deps: StockDeps, stockId: string): Promise<{ stock: StockOut; freshness: 'wechat' | 'cache' } | null> {
  try {
    const got = await deps.stocks.get(stockId, { refresh: true });
    return { stock: got.stock, freshness: got.source === 'fresh' ? 'wechat' : 'cache' };
  } catch {
    return null;
  }
}

export async function listStocks(deps: StockDeps): Promise<BackofficeStockRow[]> {
  const sources = new Map<string, Set<BackofficeStockRow['sources'][number]>>();
  const add = (ids: readonly string[], source: BackofficeStockRow['sources'][number]) => {
    for (const id of ids) (sources.get(id) ?? sources.set(id, new Set()).get(id))?.add(source);
  };
  add(deps.configuredStockIds(), 'configured');
  add(deps.journal.createdStockIds(), 'created');
  add(seenStockIds(deps), 'seen');
  const used = usedHere(deps.db);
  const ids = [...sources.keys()];
  const fetched = await Promise.all(ids.map((id) => fetchStock(deps, id)));
  return ids.map((stockId, i) => {
    const got = fetched[i];
    const s = got?.stock;
    const time = s?.coupon_use_rule.coupon_available_time;
    return {
      stockId,
      sources: [...(sources.get(stockId) ?? [])],
      stockName: s?.stock_name ?? null,
      stockType: s?.stock_type ?? null,
      stockState: s?.stock_state ?? null,
      couponCodeMode: s?.coupon_code_mode ?? null,
      maxCoupons: s?.stock_send_rule.max_coupons ?? null,
      maxCouponsByDay: s?.stock_send_rule.max_coupons_by_day ?? null,
      sent: s?.send_count_information?.total_send_num ?? null,
      usedHere: used.get(stockId) ?? 0,
      availableBegin: time?.available_begin_time ?? null,
      availableEnd: time?.available_end_time ?? null,
      freshness: got?.freshness ?? 'none',
    };
  });
}

export async function stockDetail(deps: StockDeps, stockId: string): Promise<StockOut> {
  try {
    return (await deps.stocks.get(stockId, { refresh: true })).stock;
  } catch (err) {
    if (err instanceof WechatPayError && err.kind === 'rejected')
      throw new BackofficeError('NOT_FOUND', `WeChat Pay knows no stock ${stockId} for this merchant (${err.code ?? ''})`);
    throw err;
  }
}

/** After a change WeChat confirmed, the till's copy of the rules is refreshed (best effort: the next scan fetches anyway). */
export async function refreshed(deps: StockDeps, out: RunOutcome): Promise<RunOutcome> {
  if (out.status === 'succeeded' && out.operation.stockId && out.operation.kind.startsWith('stock_')) await fetchStock(deps, out.operation.stockId);
  return out;
}

export async function createStock(deps: StockDeps, draft: StockDraft, req: ManagerRequest): Promise<RunOutcome> {
  const summary: Summary = { stockName: draft.stock_name, stockType: draft.stock_type, codeMode: draft.coupon_code_mode, maxCoupons: draft.stock_send_rule.max_coupons };
  const { operation } = deps.journal.write({
    kind: 'stock_create',
    parts: { body: draft as Record<string, unknown> },
    summary,
    managerId: req.managerId,
    training: deps.training,
    ...(req.clientRef ? { clientRef: req.clientRef } : {}),
  });
  return refreshed(deps, outcomeOf(await attempt(deps, operation, req.managerId)));
}

export async function modifyStock(deps: StockDeps, stockId: string, patch: StockPatch, req: ManagerRequest): Promise<RunOutcome> {
  const summary: Summary = { fields: Object.keys(patch).join(', ') };
  const { operation } = deps.journal.write({
    kind: 'stock_modify',
    stockId,
    parts: { path: { stock_id: stockId }, body: patch as Record<string, unknown> },
    summary,
    managerId: req.managerId,
    training: deps.training,
    ...(req.clientRef ? { clientRef: req.clientRef } : {}),
  });
  return refreshed(deps, outcomeOf(await attempt(deps, operation, req.managerId)));
}

export interface BudgetChange {
  target: 'max_coupons' | 'max_coupons_by_day';
  /** What the manager saw; WeChat refuses the change when it is no longer the stock's value. */
  current: number;
  value: number;
}

export async function changeBudget(deps: StockDeps, stockId: string, change: BudgetChange, req: ManagerRequest): Promise<RunOutcome> {
  const body =
    change.target === 'max_coupons'
      ? { target_max_coupons: change.value, current_max_coupons: change.current }
      : { target_max_coupons_by_day: change.value, current_max_coupons_by_day: change.current };
  const { operation } = deps.journal.write({
    kind: 'stock_budget',
    stockId,
    parts: { path: { stock_id: stockId }, body },
    summary: { target: change.target, from: change.current, to: change.value },
    managerId: req.managerId,
    training: deps.training,
    ...(req.clientRef ? { clientRef: req.clientRef } : {}),
  });
  return refreshed(deps, outcomeOf(await attempt(deps, operation, req.managerId)));
}
