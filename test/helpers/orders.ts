// A cashier's checkout through the contract, for tests that drive the router (or the web
// host) directly: open an order, redeem one coupon on it, finish it.
type Call = (method: string, input?: unknown) => Promise<unknown>;

export interface Redeemed {
  ok: boolean;
  value?: { status: string; order: { orderId: string; payableFen: number }; coupon?: { link: { status: string } | null } };
  error?: { code: string };
}

export async function redeemOnNewOrder(call: Call, coupon: { code: string; stockId: string; amountFen: number; outTradeNo?: string }): Promise<Redeemed> {
  const opened = (await call('order.open', { amountFen: coupon.amountFen, ...(coupon.outTradeNo ? { outTradeNo: coupon.outTradeNo } : {}) })) as {
    ok: boolean;
    value?: { orderId: string };
    error?: unknown;
  };
  if (!opened.ok || !opened.value) throw new Error(`order.open failed: ${JSON.stringify(opened.error)}`);
  const out = (await call('till.redeem', { orderId: opened.value.orderId, code: coupon.code, stockId: coupon.stockId })) as Redeemed;
  const method = out.ok && out.value && out.value.status !== 'declined' && out.value.status !== 'refused' ? 'order.finish' : 'order.cancel';
  await call(method, { orderId: opened.value.orderId });
  return out;
}
