// `posctl redeem CODE… --amount YUAN [--order OUT_TRADE_NO] [--stock-id S] [--till T]`: one
// order checked out under exactly the till's rules (classification, shift, validity, stacking,
// threshold, offline policy), through the same domain services and journal. Everything that can
// be checked without WeChat Pay is checked before the merchant session opens, so bad input
// sends nothing.
import { OutTradeNo } from '../../shared/contract/order';
import { parseYuan } from '../../shared/money';
import { describeRefusal, type Refusal } from '../../shared/refusals';
import { classifyScan } from '../../shared/scan';
import { orderView } from '../pos';
import { tillIdFrom } from '../settings/store-preset';
import type { CliContext } from './context';
import { EXIT, UsageError } from './exit-codes';
import { withPos, type CommandResult } from './pos-commands';
import type { Flags } from './provision';

const str = (f: Flags, n: string) => (typeof f[n] === 'string' ? (f[n] as string) : undefined);
const explained = (r: Refusal) => ({ ...r, message: describeRefusal(r) });

interface CouponLine {
  code: string;
  status: 'succeeded' | 'pending' | 'refused' | 'declined';
  granted?: boolean;
  reason?: ReturnType<typeof explained>;
}

/** Exit codes: every coupon done 0; any refused (by the till or WeChat Pay) 3; else any pending or accepted offline 4. */
function exitFor(lines: CouponLine[]): number {
  if (lines.some((l) => l.status === 'refused' || l.status === 'declined')) return EXIT.business;
  if (lines.some((l) => l.status === 'pending')) return EXIT.pending;
  return EXIT.ok;
}

export async function redeemCommand(ctx: CliContext, flags: Flags, args: string[]): Promise<CommandResult> {
  if (args.length === 0) throw new UsageError('at least one coupon code is required: posctl redeem CODE… --amount YUAN');
  const amountText =
    str(flags, 'amount') ??
    (() => {
      throw new UsageError('--amount is required (the order amount in yuan, e.g. 250 or 99.50)');
    })();
  const amount = parseYuan(amountText);
  if (!amount.ok) throw new UsageError(`--amount ${JSON.stringify(amountText)} is not an order amount (${amount.problem.replace(/_/g, ' ')}): give yuan, e.g. 250 or 99.50`);
  const orderNo = str(flags, 'order');
  if (orderNo !== undefined && !OutTradeNo.safeParse(orderNo).success) throw new UsageError(`--order must be a WeChat Pay order number: 1 to 32 letters, digits or _ - | *`);
  const codes = args.map((raw) => {
    const scan = classifyScan(raw);
    if (scan.kind !== 'coupon_code') throw new UsageError(`${JSON.stringify(raw)} is not a coupon code: ${describeRefusal(scan.reason)}`);
    return scan.code;
  });
  const stockId = str(flags, 'stock-id');
  const tillId = str(flags, 'till') ?? tillIdFrom(process.env, ctx.preset);

  return withPos(
    ctx,
    async (pos) => {
      const shift = pos.shifts.current(tillId);
      const opened = pos.orders.open({
        tillId,
        shiftId: shift?.shiftId ?? null,
        amountFen: amount.fen,
        outTradeNo: orderNo ?? null,
        source: 'till',
        training: !ctx.settings.read().merchant,
      });
      if (!opened.ok) return { body: { status: 'declined', reason: explained(opened.reason) }, exit: EXIT.business };
      const orderId = opened.order.orderId;
      const lines: CouponLine[] = [];
      for (const code of codes) {
        const out = await pos.redemption.redeem({ orderId, code, ...(stockId ? { stockId } : {}), cashierId: shift?.cashierIds[0] ?? 'posctl' });
        if (out.status === 'declined') lines.push({ code, status: 'declined', reason: explained(out.reason) });
        else lines.push({ code, status: out.status, granted: out.use.granted, ...(out.reason ? { reason: explained(out.reason) } : {}) });
      }
      // Nothing redeemed: the order is cancelled rather than left open on the till.
      const anyOnOrder = pos.orders.hasCoupons(orderId);
      const closed = anyOnOrder ? pos.orders.finish(orderId) : pos.orders.cancel(orderId);
      const order = orderView(closed.ok ? closed.order : pos.orders.get(orderId), pos.orders.operations(orderId), (id) => pos.stocks.peek(id)?.stock.stock_name ?? null);
      return { body: { order, coupons: lines }, exit: exitFor(lines) };
    },
    true,
    tillId,
  );
}
