// A till against the simulator: the POS services over a fresh data directory, with the
// drainer's retries immediate (zero jitter) and a fast connectivity probe, so tests wait on
// outcomes rather than on time.
import { createPosServices, type PosServices, type RedeemOutcome } from '../../../../electron/pos';
import { tcpProbe } from '../../../../electron/queue';
import { APPID, tempDir, type TestSim } from '../../queue/support/sim';

export const TILL = 'TILL-01';

export interface Till extends PosServices {
  dir: string;
}

export function openTill(t: TestSim, options: { liveTimeoutMs?: number; dir?: string } = {}): Till {
  const d = options.dir ? { path: options.dir, remove: () => undefined } : tempDir('till-');
  const services = createPosServices({
    dataDir: d.path,
    client: t.client,
    appid: APPID,
    mchid: t.sim.credentials.mchid,
    tillId: TILL,
    probe: tcpProbe(t.sim.url, 500),
    drainer: { random: () => 0, refreshIntervalMs: 0, probeIntervalMs: 50 },
    liveTimeoutMs: options.liveTimeoutMs ?? 5_000,
  });
  return {
    ...services,
    dir: d.path,
    close: async (graceMs?: number) => {
      await services.close(graceMs ?? 500);
      d.remove();
    },
  };
}

export interface OneCouponOrder {
  code: string;
  orderAmountFen: number;
  stockId?: string;
  outTradeNo?: string;
  cashierId?: string;
  clientRef?: string;
}

/** One order with one coupon, as a cashier would check it out: open, redeem, finish (or cancel when nothing went on it). */
export async function redeemOnOrder(till: PosServices, input: OneCouponOrder): Promise<RedeemOutcome & { orderId?: string }> {
  const opened = till.orders.open({
    tillId: TILL,
    shiftId: till.shifts.current(TILL)?.shiftId ?? null,
    amountFen: input.orderAmountFen,
    outTradeNo: input.outTradeNo ?? null,
    source: 'till',
    training: false,
  });
  if (!opened.ok) return { status: 'declined', reason: opened.reason };
  const orderId = opened.order.orderId;
  const out = await till.redemption.redeem({
    orderId,
    code: input.code,
    ...(input.stockId ? { stockId: input.stockId } : {}),
    ...(input.cashierId ? { cashierId: input.cashierId } : {}),
    ...(input.clientRef ? { clientRef: input.clientRef } : {}),
  });
  if (till.orders.hasCoupons(orderId)) till.orders.finish(orderId);
  else till.orders.cancel(orderId);
  return { ...out, orderId };
}
