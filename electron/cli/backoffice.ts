// posctl's back-office commands (the manager desk's 后台 tab, for scripts): stocks, budgets,
// uploaded codes, images, the notify URL, subsidies and the sending plugin's parameters. Each
// change needs the manager's PIN (--pin-file), as at the desk. They run on the same journal as the app, so a change made here has its request number written
// before it is sent, shows in the desk's audit trail, and a retry after a timeout
// (`posctl backoffice retry OP`) changes WeChat Pay's state once.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { applyBatchResults, codeResultsCsv, countResults, planCodeUpload, readCodeFile } from '../../shared/backoffice/code-file';
import { describeRefusal } from '../../shared/refusals';
import {
  BudgetInput,
  CreateStockInput,
  ListCodesInput,
  ModifyStockInput,
  PaySubsidyInput,
  SendParamsInput,
  SetCallbacksInput,
  SubsidyQueryInput,
  UploadImageInput,
} from '../../shared/contract/backoffice';
import { parseYuan } from '../../shared/money';
import { createBackoffice, type Backoffice, type RunOutcome } from '../backoffice';
import type { CliContext } from './context';
import { currentMerchant } from '../merchant/session';
import { EXIT, UsageError } from './exit-codes';
import { proveManager } from './manager-proof';
import { need, withPos, type CommandResult } from './pos-commands';
import type { Flags } from './provision';

type Command = (ctx: CliContext, flags: Flags, args: string[]) => Promise<CommandResult>;

const str = (f: Flags, n: string) => (typeof f[n] === 'string' ? (f[n] as string) : undefined);
const arg = (args: string[], i: number, what: string) => args[i] ?? fail(`${what} is required`);
function fail(message: string): never {
  throw new UsageError(message);
}

/** The back office over posctl's own POS services (same data dir, journal and keychain as the app). */
function withOffice(ctx: CliContext, run: (office: Backoffice) => Promise<CommandResult>): Promise<CommandResult> {
  return withPos(ctx, async (pos, _appid, client) => {
    const merchant = currentMerchant(ctx.settings.read(), ctx.secretsFor) ?? fail('no merchant is provisioned on this till: run posctl provision first');
    const office = createBackoffice({
      db: pos.journal.db,
      client,
      directory: pos.directory,
      stocks: pos.stocks,
      mchid: merchant.record.mchid,
      training: merchant.training,
      configuredStockIds: () => ctx.preset?.acceptedStockIds ?? [],
      apiV2Key: () => merchant.secrets.get('apiv2_key'),
    });
    return run(office);
  });
}

/** A change at WeChat Pay is a manager's action: `--manager M --pin-file F`, checked as at the desk, before anything is written. */
function asManager(command: string, run: (ctx: CliContext, f: Flags, args: string[], managerId: string) => Promise<CommandResult>): Command {
  return async (ctx, f, args) => run(ctx, f, args, await proveManager(ctx, f, command));
}

const json = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof SyntaxError) fail(`${file} is not JSON: ${err.message}`);
    throw err;
  }
};

/** Input checked by the contract's own schema: a usage error names the field. */
function parsed<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  return fail(`${issue?.path.map(String).join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
}

/** Exit code per outcome: succeeded 0, refused by WeChat Pay 3, not known yet 4 (retry with the same number). */
function outcome(out: RunOutcome, extra: Record<string, unknown> = {}): CommandResult {
  const op = out.operation;
  const exit = { succeeded: EXIT.ok, refused: EXIT.business, pending: EXIT.pending }[out.status];
  return {
    body: {
      status: out.status,
      operation: { op_id: op.opId, kind: op.kind, stock_id: op.stockId, request_no: op.requestNo, status: op.status, attempts: op.attempts, manager: op.managerId },
      ...(out.status === 'succeeded' && op.result !== null ? { result: op.result } : {}),
      ...(out.reason ? { reason: { ...out.reason, message: describeRefusal(out.reason) } } : {}),
      ...extra,
    },
    exit,
  };
}

const count = (f: Flags, n: string) => {
  const v = need(f, n);
  return /^\d{1,10}$/.test(v) ? Number(v) : fail(`--${n} must be a whole number`);
};

/** Uploads a code file batch by batch; per-code results to `--out` (CSV) when given. */
async function uploadFile(office: Backoffice, f: Flags, stockId: string, managerId: string): Promise<CommandResult> {
  const file = need(f, 'file');
  const plan = planCodeUpload(readCodeFile(readFileSync(file, 'utf8'), { csv: /\.csv$/i.test(file) }));
  let last: RunOutcome | null = null;
  for (const batch of plan.batches) {
    const out = await office.uploadCodes(stockId, batch, { managerId });
    last = out;
    applyBatchResults(plan, out.codes);
    // A batch without an answer stops the file: its codes stay "not sent", the rest is not tried.
    if (out.status !== 'succeeded') break;
  }
  const out = str(f, 'out');
  if (out) writeFileSync(out, codeResultsCsv(plan.lines));
  const counts = countResults(plan.lines);
  const body = { stock_id: stockId, batches: plan.batches.length, counts, ...(out ? { results: out } : {}), ...(last ? { last_operation: outcome(last).body.operation } : {}) };
  return { body, exit: last && last.status !== 'succeeded' ? outcome(last).exit : counts.invalid + counts.duplicate > 0 ? EXIT.business : EXIT.ok };
}

export const backofficeCommands: Record<string, Command> = {
  'stock list': (ctx) => withOffice(ctx, async (o) => ({ body: { stocks: await o.listStocks() } })),
  'stock create': asManager('stock create', (ctx, f, _args, managerId) => {
    const input = parsed(CreateStockInput, { stock: json(need(f, 'file')) });
    return withOffice(ctx, async (o) => outcome(await o.createStock(input.stock, { managerId })));
  }),
  'stock modify': asManager('stock modify', (ctx, f, args, managerId) => {
    const input = parsed(ModifyStockInput, { stockId: arg(args, 0, 'stock id'), patch: json(need(f, 'file')) });
    return withOffice(ctx, async (o) => outcome(await o.modifyStock(input.stockId, input.patch, { managerId })));
  }),
  'stock budget': asManager('stock budget', (ctx, f, args, managerId) => {
    const target =
      str(f, 'target') === 'by-day'
        ? 'max_coupons_by_day'
        : str(f, 'target') === undefined || str(f, 'target') === 'total'
          ? 'max_coupons'
          : fail('--target takes total or by-day');
    const input = parsed(BudgetInput, { stockId: arg(args, 0, 'stock id'), target, current: count(f, 'current'), value: count(f, 'value') });
    return withOffice(ctx, async (o) => outcome(await o.changeBudget(input.stockId, { target: input.target, current: input.current, value: input.value }, { managerId })));
  }),
  'codes upload': asManager('codes upload', (ctx, f, _args, managerId) => withOffice(ctx, (o) => uploadFile(o, f, need(f, 'stock-id'), managerId))),
  'codes list': (ctx, f) =>
    withOffice(ctx, async (o) => {
      const input = parsed(ListCodesInput, {
        stockId: need(f, 'stock-id'),
        ...(str(f, 'offset') ? { offset: Number(str(f, 'offset')) } : {}),
        ...(str(f, 'limit') ? { limit: Number(str(f, 'limit')) } : {}),
        ...(str(f, 'status') ? { status: str(f, 'status') } : {}),
      });
      return { body: { ...(await o.listCodes(input.stockId, input)) } };
    }),
  'codes delete': asManager('codes delete', (ctx, f, args, managerId) =>
    withOffice(ctx, async (o) => outcome(await o.deleteCode(need(f, 'stock-id'), arg(args, 0, 'code'), { managerId }))),
  ),
  'image upload': asManager('image upload', (ctx, _f, args, managerId) => {
    const file = arg(args, 0, 'image file');
    const content = readFileSync(file);
    parsed(UploadImageInput, { filename: basename(file), contentBase64: content.toString('base64') });
    return withOffice(ctx, async (o) => outcome(await o.uploadImage({ filename: basename(file), content }, { managerId })));
  }),
  'callbacks get': (ctx) => withOffice(ctx, async (o) => ({ body: { ...(await o.getCallbacks()) } })),
  'callbacks set': asManager('callbacks set', (ctx, f, _args, managerId) => {
    const input = parsed(SetCallbacksInput, { notifyUrl: need(f, 'url') });
    return withOffice(ctx, async (o) => outcome(await o.setCallbacks(input.notifyUrl, { managerId })));
  }),
  'subsidy pay': asManager('subsidy pay', (ctx, f, _args, managerId) => {
    const amount = parseYuan(need(f, 'amount'));
    if (!amount.ok) fail('--amount must be an amount in yuan, e.g. 5 or 4.50');
    const { clientRef: _none, ...subsidy } = parsed(PaySubsidyInput, {
      stockId: need(f, 'stock-id'),
      couponCode: need(f, 'code'),
      transactionId: need(f, 'transaction'),
      payeeMerchant: need(f, 'payee'),
      ...(str(f, 'payer') ? { payerMerchant: str(f, 'payer') } : {}),
      amountFen: amount.fen,
      description: need(f, 'description'),
    });
    return withOffice(ctx, async (o) => outcome(await o.paySubsidy(subsidy, { managerId })));
  }),
  'subsidy get': (ctx, f, args) =>
    withOffice(ctx, async (o) => {
      const query = parsed(SubsidyQueryInput, args[0] ? { receiptId: args[0] } : { stockId: need(f, 'stock-id'), couponCode: need(f, 'code') });
      return { body: { receipts: await o.subsidyReceipts(query) } };
    }),
  'send params': (ctx, f) =>
    withOffice(ctx, async (o) => {
      const stocks = need(f, 'stock-id').split(',');
      const input = parsed(SendParamsInput, { coupons: stocks.map((stockId) => ({ stockId })) });
      return { body: { ...(await o.sendParams(input.coupons)) } };
    }),
  'backoffice audit': (ctx) => withOffice(ctx, async (o) => ({ body: { operations: o.journal.list({ limit: 200 }) } })),
  'backoffice retry': asManager('backoffice retry', (ctx, _f, args, managerId) => withOffice(ctx, async (o) => outcome(await o.retry(arg(args, 0, 'operation id'), managerId)))),
};
