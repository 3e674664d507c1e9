// The back office's contract methods, bound to whatever till runtime runs now. The router has
// checked the manager session before any of them runs; the manager's id goes into the journal.
import type { z } from 'zod';
import { RequestParamError } from '../../shared/busifavor';
import {
  PosError,
  type BackofficeOperationView,
  type BackofficeOutcome,
  type BudgetInput,
  type CreateStockInput,
  type DeleteCodeInput,
  type ListCodesInput,
  type ModifyStockInput,
  type PaySubsidyInput,
  type SendParamsInput,
  type SetCallbacksInput,
  type SubsidyQueryInput,
  type UploadCodesInput,
  type UploadImageInput,
} from '../../shared/contract';
import { BackofficeError, type RunOutcome } from '../backoffice';
import type { BackofficeRecord } from '../queue/backoffice-journal';
import { isWechatPayError } from '../wechatpay';
import { requireRuntime } from './checkout';
import type { TillRuntime } from './runtime';

const iso = (ms: number) => new Date(ms).toISOString();

export function operationView(op: BackofficeRecord): BackofficeOperationView {
  const view: BackofficeOperationView = {
    operationId: op.opId,
    kind: op.kind,
    stockId: op.stockId,
    requestNo: op.requestNo,
    managerId: op.managerId,
    status: op.status,
    attempts: op.attempts,
    createdAt: iso(op.createdAt),
    updatedAt: iso(op.updatedAt),
    summary: op.summary,
    training: op.training,
  };
  if (op.status !== 'succeeded' && op.lastMessage) {
    view.lastError = { message: op.lastMessage, ...(op.lastCode ? { code: op.lastCode } : {}), ...(op.lastRequestId ? { requestId: op.lastRequestId } : {}) };
  }
  return view;
}

export function outcomeView(out: RunOutcome & { codes?: BackofficeOutcome['codes'] }): BackofficeOutcome {
  return {
    status: out.status,
    operation: operationView(out.operation),
    ...(out.reason ? { reason: out.reason } : {}),
    ...(out.status === 'succeeded' && out.operation.result !== null ? { result: out.operation.result } : {}),
    ...(out.codes ? { codes: out.codes } : {}),
  };
}

/** What went wrong, as the contract's typed error: the screen words it, posctl maps it to an exit code. */
async function typed<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof BackofficeError) throw new PosError(err.code, err.message);
    if (err instanceof RequestParamError) throw new PosError('VALIDATION', err.message, { issues: [{ path: err.paramError.detail.field, message: err.message }] });
    if (isWechatPayError(err)) {
      const wechat = { ...(err.code ? { code: err.code } : {}), message: err.message, ...(err.requestId ? { requestId: err.requestId } : {}) };
      // An image WeChat would refuse is refused here, before any request: bad input, not WeChat's answer.
      if (err.code?.startsWith('UPLOAD_')) throw new PosError('VALIDATION', err.message, { issues: [{ path: 'file', message: err.code }] });
      const code = err.kind === 'rejected' ? 'WECHATPAY_REJECTED' : err.kind === 'security' ? 'SECURITY' : err.kind === 'configuration' ? 'CONFIGURATION' : 'OUTCOME_PENDING';
      throw new PosError(code, err.message, { wechat });
    }
    throw err;
  }
}

function manager(ctx: { managerId?: string }): string {
  if (!ctx.managerId) throw new PosError('FORBIDDEN', 'this needs a shift manager');
  return ctx.managerId;
}

const request = (ctx: { managerId?: string }, clientRef: string | undefined) => ({ managerId: manager(ctx), ...(clientRef ? { clientRef } : {}) });

export function backofficeHandlers(current: () => { runtime: TillRuntime | null; error: string | null }) {
  const office = () => {
    const c = current();
    return requireRuntime(c.runtime, c.error).backoffice;
  };
  type Ctx = { managerId?: string };
  return {
    'backoffice.stocks': async () => typed(() => office().listStocks()),
    'backoffice.stock': async (input: { stockId: string }) => typed(() => office().stock(input.stockId)),
    'backoffice.createStock': async (input: z.output<typeof CreateStockInput>, ctx: Ctx) =>
      typed(async () => outcomeView(await office().createStock(input.stock, request(ctx, input.clientRef)))),
    'backoffice.modifyStock': async (input: z.output<typeof ModifyStockInput>, ctx: Ctx) =>
      typed(async () => outcomeView(await office().modifyStock(input.stockId, input.patch, request(ctx, input.clientRef)))),
    'backoffice.budget': async (input: z.output<typeof BudgetInput>, ctx: Ctx) =>
      typed(async () =>
        outcomeView(await office().changeBudget(input.stockId, { target: input.target, current: input.current, value: input.value }, request(ctx, input.clientRef))),
      ),
    'backoffice.uploadCodes': async (input: z.output<typeof UploadCodesInput>, ctx: Ctx) =>
      typed(async () => outcomeView(await office().uploadCodes(input.stockId, input.codes, request(ctx, input.clientRef)))),
    'backoffice.codes': async (input: z.output<typeof ListCodesInput>) =>
      typed(() => office().listCodes(input.stockId, { offset: input.offset, limit: input.limit, ...(input.status ? { status: input.status } : {}) })),
    'backoffice.deleteCode': async (input: z.output<typeof DeleteCodeInput>, ctx: Ctx) =>
      typed(async () => outcomeView(await office().deleteCode(input.stockId, input.code, request(ctx, input.clientRef)))),
    'backoffice.uploadImage': async (input: z.output<typeof UploadImageInput>, ctx: Ctx) =>
      typed(async () => outcomeView(await office().uploadImage({ filename: input.filename, content: Buffer.from(input.contentBase64, 'base64') }, request(ctx, undefined)))),
    'backoffice.callbacks': async () => typed(() => office().getCallbacks()),
    'backoffice.setCallbacks': async (input: z.output<typeof SetCallbacksInput>, ctx: Ctx) =>
      typed(async () => outcomeView(await office().setCallbacks(input.notifyUrl, request(ctx, input.clientRef)))),
    'backoffice.paySubsidy': async (input: z.output<typeof PaySubsidyInput>, ctx: Ctx) => {
      const { clientRef, ...subsidy } = input;
      return typed(async () => outcomeView(await office().paySubsidy(subsidy, request(ctx, clientRef))));
    },
    'backoffice.subsidy': async (input: z.output<typeof SubsidyQueryInput>) => typed(() => office().subsidyReceipts(input)),
    'backoffice.sendParams': async (input: z.output<typeof SendParamsInput>) => typed(() => office().sendParams(input.coupons)),
    'backoffice.audit': async () => office().journal.list({ limit: 200 }).map(operationView),
    'backoffice.retry': async (input: { operationId: string }, ctx: Ctx) => typed(async () => outcomeView(await office().retry(input.operationId, manager(ctx)))),
  };
}
