// `posctl order policy` and `posctl order set`: the store's stacking rules, as the manager's
// desk shows and changes them (who and when are recorded).
import { StackingPolicy } from '../../shared/contract/order';
import type { CliContext } from './context';
import { UsageError } from './exit-codes';
import { proveManager } from './manager-proof';
import { withPos, type CommandResult } from './pos-commands';
import type { Flags } from './provision';

const str = (f: Flags, n: string) => (typeof f[n] === 'string' ? (f[n] as string) : undefined);

function yesNo(f: Flags, n: string, current: boolean): boolean {
  const v = str(f, n);
  if (v === undefined) return current;
  if (v === 'yes' || v === 'no') return v === 'yes';
  throw new UsageError(`--${n} takes yes or no`);
}

export const orderPolicyCommands: Record<string, (ctx: CliContext, flags: Flags, args: string[]) => Promise<CommandResult>> = {
  'order policy': (ctx) => withPos(ctx, async (pos) => ({ body: { ...pos.stacking.describe() } })),
  // Stacking rules decide what a coupon is worth on an order: changing them is a manager's act,
  // proven with the PIN like every other one posctl takes.
  'order set': async (ctx, f) => {
    const managerId = await proveManager(ctx, f, 'order set');
    return withPos(ctx, async (pos) => {
      const current = pos.stacking.get();
      const threshold = str(f, 'threshold');
      if (threshold !== undefined && threshold !== 'order' && threshold !== 'remaining')
        throw new UsageError('--threshold takes order (the whole order amount) or remaining (what is left to pay)');
      const policy = StackingPolicy.safeParse({
        maxCouponsPerOrder: str(f, 'max-coupons') === undefined ? current.maxCouponsPerOrder : Number(str(f, 'max-coupons')),
        sameStockTwice: yesNo(f, 'same-stock', current.sameStockTwice),
        thresholdBasis: threshold === undefined ? current.thresholdBasis : threshold === 'order' ? 'order_amount' : 'remaining',
        requireOrderNumber: yesNo(f, 'require-order', current.requireOrderNumber),
      });
      if (!policy.success) throw new UsageError(`not a valid stacking policy: ${policy.error.issues[0]?.path.join('.')} ${policy.error.issues[0]?.message ?? ''}`);
      return { body: { ...pos.stacking.set(policy.data, managerId) } };
    });
  },
};
