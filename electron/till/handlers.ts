import type { z } from 'zod';
import type { OrderOpenInput, OrderRef, RedeemInput, ScanInput, ShiftOpenInput } from '../../shared/contract';
import type { CallContext } from '../host/router';
import { cancelOrder, currentOrder, currentShift, finishOrder, getOrder, openOrder, openShift, queueSnapshot, redeem, requireRuntime, scan } from './checkout';
import { stackingView } from './policies';
import { practiceSheet } from './practice';
import type { TillRuntime } from './runtime';

/** The contract's cashier and register methods, bound to whatever till runtime is running now. */
export function tillHandlers(current: () => { runtime: TillRuntime | null; error: string | null }) {
  const rt = () => {
    const c = current();
    return requireRuntime(c.runtime, c.error);
  };
  const cashier = (r: TillRuntime) => r.pos.shifts.current(r.tillId)?.cashierIds[0];
  return {
    'till.scan': async (input: z.output<typeof ScanInput>) => scan(rt(), input),
    'till.redeem': async (input: z.output<typeof RedeemInput>) => {
      const r = rt();
      return redeem(r, input, cashier(r));
    },
    'order.current': async () => currentOrder(rt()),
    'order.open': async (input: z.output<typeof OrderOpenInput>, ctx: CallContext) => openOrder(rt(), input, ctx.caller === 'register' ? 'register' : 'till'),
    'order.get': async (input: z.output<typeof OrderRef>) => getOrder(rt(), input.orderId),
    'order.finish': async (input: z.output<typeof OrderRef>) => finishOrder(rt(), input.orderId),
    'order.cancel': async (input: z.output<typeof OrderRef>) => cancelOrder(rt(), input.orderId),
    'order.policy': async () => stackingView(rt()),
    'queue.list': async () => queueSnapshot(rt()),
    'shift.current': async () => currentShift(rt()),
    'training.practice': async () => practiceSheet(rt()),
    'shift.open': async (input: z.output<typeof ShiftOpenInput>) => openShift(rt(), input.cashierId),
  };
}
