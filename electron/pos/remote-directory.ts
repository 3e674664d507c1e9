// The chain's coupon directory as the till sees it: asked once per scan of a code this till
// does not know, within a tight time budget. What it answers (the code's stock and, when the
// stock has `notify_config.notify_appid`, its owner) is kept in the local directory, so the
// same code never waits on the network twice and the existing flow can ask WeChat Pay for the
// coupon with its owner. When the directory cannot be asked, the scan goes on with what the
// till knows, and says it is unverified.
import type { CouponDirectory } from './coupon-directory';
import type { StockCache } from './stock-cache';

export interface RemoteEntry {
  stockId: string;
  openid: string | null;
}

export type RemoteAnswer = { ok: true; entries: RemoteEntry[] } | { ok: false; reason: 'unreachable' | 'unauthorized' };

export interface RemoteDirectory {
  find(couponCode: string): Promise<RemoteAnswer>;
}

/**
 * Asks the remote directory about a code the local one does not know; true when the code
 * stays unverified (the directory could not be asked).
 */
export async function learnFromRemote(
  code: string,
  deps: { remote: RemoteDirectory | undefined; directory: CouponDirectory; stocks: StockCache; online: boolean },
): Promise<boolean> {
  if (!deps.remote || deps.directory.find(code).length > 0) return false;
  const answer = await deps.remote.find(code);
  if (!answer.ok) return true;
  for (const entry of answer.entries) {
    // The openid is under the stock's notify_appid (docs/wechatpay/busifavor.md#coupon-send-notification).
    const stock = deps.stocks.peek(entry.stockId) ?? (deps.online ? await deps.stocks.get(entry.stockId).catch(() => undefined) : undefined);
    const appid = entry.openid ? (stock?.stock.notify_config?.notify_appid ?? null) : null;
    deps.directory.update({ couponCode: code, stockId: entry.stockId, source: 'events', ...(entry.openid ? { openid: entry.openid, appid } : {}) });
  }
  return false;
}
