import { writeFileSync } from 'node:fs';
import { BusifavorClient } from '../busifavor';
import { liveProvisioned } from '../app/mode';
import { currentMerchant, openMerchantSession } from '../merchant/session';
import { createPosServices, refusalOf, type ActionOutcome, type PosServices } from '../pos';
import { tcpProbe } from '../queue/connectivity';
import { DrainLockedError } from '../queue/drain-lock';
import { parseYuan } from '../../shared/money';
import { describeRefusal } from '../../shared/refusals';
import { OfflinePolicy } from '../../shared/contract/manager';
import type { CliContext } from './context';
import { EXIT, UsageError } from './exit-codes';
import { proveManager } from './manager-proof';
import type { Flags } from './provision';

// posctl's coupon, stock, queue and shift commands: thin over the same POS services the
// till's screen uses, on the same journal, so an operation started here is durable, keeps
// its request number, and shows up in the app's queue.

export interface CommandResult {
  body: Record<string, unknown>;
  exit?: number;
}

const str = (f: Flags, n: string) => (typeof f[n] === 'string' ? (f[n] as string) : undefined);
/** A flag's value, or a usage error naming it. */
export const need = (f: Flags, n: string) => str(f, n) ?? fail(`--${n} is required`);
const arg = (args: string[], i: number, what: string) => args[i] ?? fail(`${what} is required`);
function fail(message: string): never {
  throw new UsageError(message);
}

export async function withPos<T>(
  ctx: CliContext,
  run: (pos: PosServices, appid: string, client: BusifavorClient) => Promise<T>,
  drain = false,
  tillId = process.env.POS_TILL_ID ?? 'POSCTL',
): Promise<T> {
  const session = await openMerchantSession(currentMerchant(ctx.settings.read(), ctx.secretsFor), { dataDir: ctx.dataDir.path, timeoutMs: 15_000 });
  const client = new BusifavorClient(session.client);
  const pos = createPosServices({
    dataDir: ctx.dataDir.path,
    client,
    appid: session.merchant.appid,
    mchid: session.merchant.mchid,
    tillId,
    training: session.training,
    probe: tcpProbe(session.merchant.baseUrl ?? 'https://api.mch.weixin.qq.com'),
    ...(ctx.preset?.stacking ? { stacking: ctx.preset.stacking } : {}),
    start: false,
  });
  try {
    // With the app running, its drainer holds the journal's lock and sends what posctl writes
    // (within its refresh interval); posctl then reports such an operation as pending.
    if (drain) {
      try {
        pos.drainer.start();
      } catch (err) {
        if (!(err instanceof DrainLockedError)) throw err;
      }
    }
    return await run(pos, session.merchant.appid, client);
  } finally {
    await pos.close();
    await session.close();
  }
}

/** Exit code for an operation: succeeded 0, refused by WeChat Pay or declined by the till 3, still pending 4. */
function outcome(out: ActionOutcome): CommandResult {
  const exit = { succeeded: EXIT.ok, refused: EXIT.business, pending: EXIT.pending, declined: EXIT.business }[out.status];
  const reason = 'reason' in out ? { reason: { ...out.reason, message: describeRefusal(out.reason) } } : {};
  return { body: { status: out.status, ...('operation' in out ? { operation: opSummary(out.operation) } : {}), ...reason }, exit };
}

export const opSummary = (op: {
  opId: string;
  kind: string;
  couponCode: string;
  stockId: string | null;
  requestNo: string;
  status: string;
  attempts: number;
  lastCode: string | null;
  lastMessage: string | null;
  lastRequestId: string | null;
}) => ({
  op_id: op.opId,
  kind: op.kind,
  coupon_code: op.couponCode,
  stock_id: op.stockId,
  request_no: op.requestNo,
  status: op.status,
  attempts: op.attempts,
  last_code: op.lastCode,
  last_message: op.lastMessage,
  request_id: op.lastRequestId,
});

/** Waits for the drainer to settle an operation, so the CLI can say succeeded / refused / still pending. */
async function settled(pos: PosServices, out: ActionOutcome, timeoutMs = 20_000): Promise<ActionOutcome> {
  if (out.status !== 'pending') return out;
  const op = await pos.drainer.settle(out.operation.opId, timeoutMs);
  if (op.status === 'succeeded') return { status: 'succeeded', operation: op };
  if (op.status === 'pending') return { status: 'pending', operation: op };
  return { status: 'refused', operation: op, reason: refusalOf(op) };
}

/**
 * A coupon operation as posctl runs it: written to the journal and sent (with the drainer
 * running), then waited for, so the exit code says whether it succeeded, was refused or is pending.
 */
const couponAction = (ctx: CliContext, run: (pos: PosServices) => Promise<ActionOutcome>) => withPos(ctx, async (pos) => outcome(await settled(pos, await run(pos))), true);

/** `--stock-id`, when given: which stock the code is in, for a code the till cannot place. */
const stockIdOf = (f: Flags) => (str(f, 'stock-id') ? { stockId: str(f, 'stock-id') } : {});

export const posCommands: Record<string, (ctx: CliContext, flags: Flags, args: string[]) => Promise<CommandResult>> = {
  'stock get': (ctx, _f, args) => withPos(ctx, async (_pos, _appid, client) => ({ body: { stock: await client.getStock(arg(args, 0, 'stock id')) } })),

  'coupon get': (ctx, f, args) =>
    withPos(ctx, async (pos, appid, client) => {
      const code = arg(args, 0, 'coupon code');
      const openid = str(f, 'openid') ?? pos.directory.find(code)[0]?.openid ?? fail('--openid is required (WeChat Pay looks coupons up by owner)');
      return { body: { coupon: await client.getUserCoupon({ openid, coupon_code: code, appid: str(f, 'appid') ?? appid }) } };
    }),

  'coupon list': (ctx, f) =>
    withPos(ctx, async (_pos, appid, client) => {
      const coupons = await client.listUserCoupons(need(f, 'openid'), {
        appid: str(f, 'appid') ?? appid,
        creator_merchant: currentMerchant(ctx.settings.read(), ctx.secretsFor)!.record.mchid,
        ...(str(f, 'stock-id') ? { stock_id: str(f, 'stock-id') } : {}),
        ...(str(f, 'state') ? { coupon_state: str(f, 'state') as 'SENDED' } : {}),
        ...(str(f, 'limit') ? { limit: Number(str(f, 'limit')) } : {}),
        ...(str(f, 'offset') ? { offset: Number(str(f, 'offset')) } : {}),
      });
      return { body: { coupons } };
    }),

  'coupon associate': (ctx, f, args) => couponAction(ctx, (pos) => pos.actions.associate({ code: arg(args, 0, 'coupon code'), outTradeNo: need(f, 'order'), ...stockIdOf(f) })),
  'coupon disassociate': (ctx, f, args) =>
    couponAction(ctx, (pos) => pos.actions.disassociate({ code: arg(args, 0, 'coupon code'), outTradeNo: need(f, 'order'), ...stockIdOf(f) })),
  'coupon return': async (ctx, f, args) => {
    const managerId = await proveManager(ctx, f, 'coupon return');
    return couponAction(ctx, (pos) => pos.actions.returnCoupon({ code: arg(args, 0, 'coupon code'), managerId, ...stockIdOf(f) }));
  },
  'coupon deactivate': async (ctx, f, args) => {
    const managerId = await proveManager(ctx, f, 'coupon deactivate');
    return couponAction(ctx, (pos) =>
      pos.actions.deactivate({ code: arg(args, 0, 'coupon code'), managerId, ...(str(f, 'reason') ? { reason: str(f, 'reason') } : {}), ...stockIdOf(f) }),
    );
  },

  'queue list': (ctx, f) =>
    withPos(ctx, async (pos) => ({
      body: { status: pos.drainer.status(), operations: pos.journal.list(str(f, 'status') ? { status: str(f, 'status') as 'pending' } : {}).map(opSummary) },
    })),
  'queue drain': (ctx) =>
    withPos(
      ctx,
      async (pos) => {
        const deadline = Date.now() + 60_000;
        pos.drainer.kick();
        while (pos.journal.countByStatus().pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        const counts = pos.journal.countByStatus();
        return { body: { counts }, exit: counts.pending > 0 ? EXIT.pending : counts.parked > 0 ? EXIT.business : EXIT.ok };
      },
      true,
    ),
  'queue retry': async (ctx, f, args) => {
    const managerId = await proveManager(ctx, f, 'queue retry');
    return withPos(ctx, async (pos) => ({ body: { operation: opSummary(pos.drainer.retry(arg(args, 0, 'operation id'), managerId)) } }));
  },
  'queue ack': async (ctx, f, args) => {
    const managerId = await proveManager(ctx, f, 'queue ack');
    return withPos(ctx, async (pos) => ({ body: { operation: opSummary(pos.drainer.acknowledge(arg(args, 0, 'operation id'), managerId, str(f, 'note'))) } }));
  },

  'offline policy': (ctx) => withPos(ctx, async (pos) => ({ body: pos.policy.describe() })),
  'offline set': async (ctx, f) => {
    const managerId = await proveManager(ctx, f, 'offline set');
    return withPos(ctx, async (pos) => {
      const yuan = (n: string) => {
        const parsed = parseYuan(need(f, n), { allowZero: true });
        return parsed.ok ? parsed.fen : fail(`--${n} must be an amount in yuan, e.g. 20 or 19.90`);
      };
      const mode = need(f, 'mode');
      const policy = OfflinePolicy.safeParse(
        mode === 'limited'
          ? { mode, maxDiscountPerCouponFen: yuan('max-discount'), maxCountPerShift: Number(need(f, 'max-count')), maxTotalPerShiftFen: yuan('max-total') }
          : { mode },
      );
      if (!policy.success)
        fail(`not a valid offline policy (--mode off | --mode limited --max-discount YUAN --max-count N --max-total YUAN): ${policy.error.issues[0]?.message ?? ''}`);
      pos.policy.set(policy.data, managerId);
      return { body: pos.policy.describe() };
    });
  },

  'shift open': (ctx, f) =>
    withPos(ctx, async (pos) => ({
      body: {
        shift: pos.shifts.open({
          tillId: need(f, 'till'),
          cashierIds: need(f, 'cashier').split(','),
          openedBy: need(f, 'cashier').split(',')[0]!,
          training: !liveProvisioned(ctx.settings.read()),
        }),
      },
    })),
  'shift close': async (ctx, f) => {
    const closedBy = await proveManager(ctx, f, 'shift close');
    return withPos(ctx, async (pos) => {
      const shift = pos.shifts.current(need(f, 'till')) ?? fail('no open shift on that till');
      const closed = pos.shifts.close({ shiftId: shift.shiftId, closedBy });
      return closed.closed ? { body: { closed: true, report: closed.report } } : { body: { closed: false, unresolved: closed.unresolved.map(opSummary) }, exit: EXIT.pending };
    });
  },
  'shift report': (ctx, f) =>
    withPos(ctx, async (pos) => {
      const shiftId = str(f, 'shift') ?? pos.shifts.current(need(f, 'till'))?.shiftId ?? fail('--shift or --till with an open shift is required');
      if (f.csv) {
        const csv = pos.shifts.reportCsv(shiftId);
        const file = need(f, 'out');
        writeFileSync(file, csv);
        return { body: { csv: file, bytes: Buffer.byteLength(csv) } };
      }
      return { body: { report: pos.shifts.report(shiftId) } };
    }),
};
