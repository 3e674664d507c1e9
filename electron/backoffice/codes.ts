// Uploaded codes of MERCHANT_UPLOAD stocks (docs/wechatpay/busifavor.md#uploaded-codes): one
// upload call per batch (journaled with its own number), what WeChat made of each code, and the
// coupon directory told which stock the stored codes belong to — so a scanned code needs no
// chooser at the till. Listing and deleting too.
import type { BatchCodeResult } from '../../shared/backoffice/code-file';
import type { CouponDirectory } from '../pos/coupon-directory';
import type { BackofficeRecord } from '../queue/backoffice-journal';
import { attempt, outcomeOf, type RunDeps, type RunOutcome } from './run';
import type { ManagerRequest } from './stocks';

export interface CodeDeps extends RunDeps {
  directory: CouponDirectory;
  training: boolean;
}

interface UploadAnswer {
  exist_codes?: string[];
  duplicate_codes?: string[];
  fail_codes?: { coupon_code: string; code: string; message: string }[];
}

/**
 * Each code of a succeeded upload call: refused ones by WeChat's per-code answer, ones uploaded
 * before as duplicates, the rest stored (WeChat's success list is optional, so absence from
 * every other list is what "stored" means).
 */
export function batchResults(op: BackofficeRecord): BatchCodeResult[] {
  if (op.status !== 'succeeded') return [];
  const sent = (op.request.body?.coupon_code_list ?? []) as string[];
  const answer = (op.result ?? {}) as UploadAnswer;
  const failed = new Map((answer.fail_codes ?? []).map((f) => [f.coupon_code, f]));
  const exist = new Set(answer.exist_codes ?? []);
  const repeated = new Set(answer.duplicate_codes ?? []);
  return sent.map((code): BatchCodeResult => {
    const f = failed.get(code);
    if (f) return { code, result: 'invalid', reason: 'refused_by_wechat', params: { wechatCode: f.code, wechatMessage: f.message } };
    if (exist.has(code)) return { code, result: 'duplicate', reason: 'already_uploaded', params: {} };
    if (repeated.has(code)) return { code, result: 'duplicate', reason: 'repeated_in_file', params: {} };
    return { code, result: 'ok', reason: 'uploaded', params: {} };
  });
}

/** The codes now at WeChat for the stock (stored now or before) go into the till's directory. */
function recordInDirectory(deps: CodeDeps, op: BackofficeRecord): void {
  if (op.status !== 'succeeded' || !op.stockId) return;
  const stored = batchResults(op)
    .filter((r) => r.reason === 'uploaded' || r.reason === 'already_uploaded')
    .map((r) => r.code);
  deps.directory.recordUploaded(op.stockId, stored);
}

export async function uploadCodes(deps: CodeDeps, stockId: string, codes: readonly string[], req: ManagerRequest): Promise<RunOutcome & { codes: BatchCodeResult[] }> {
  const { operation } = deps.journal.write({
    kind: 'codes_upload',
    stockId,
    parts: { path: { stock_id: stockId }, body: { coupon_code_list: [...codes] } },
    summary: { codes: codes.length, first: codes[0] ?? null, last: codes[codes.length - 1] ?? null },
    managerId: req.managerId,
    training: deps.training,
    ...(req.clientRef ? { clientRef: req.clientRef } : {}),
  });
  const done = await attempt(deps, operation, req.managerId);
  recordInDirectory(deps, done);
  return { ...outcomeOf(done), codes: batchResults(done) };
}

/** A retried upload (same number) is recorded in the directory once it succeeds. */
export function afterRetry(deps: CodeDeps, out: RunOutcome): RunOutcome & { codes?: BatchCodeResult[] } {
  if (out.operation.kind !== 'codes_upload') return out;
  recordInDirectory(deps, out.operation);
  return { ...out, codes: batchResults(out.operation) };
}

export interface CodesPage {
  stockId: string;
  total: number;
  offset: number;
  codes: { code: string; status: string; uploadTime: string | null; dispatchedTime: string | null }[];
}

export async function listCodes(deps: CodeDeps, stockId: string, page: { offset: number; limit: number; status?: 'AVAILABLE' | 'DISPATCHED' }): Promise<CodesPage> {
  const res = await deps.client.call('couponCodes.list', {
    path: { stock_id: stockId },
    query: { offset: page.offset, limit: page.limit, ...(page.status ? { status: page.status } : {}) },
  });
  return {
    stockId,
    total: res.data.total_count,
    offset: page.offset,
    codes: (res.data.data ?? []).map((c) => ({ code: c.code, status: c.code_status, uploadTime: c.upload_time ?? null, dispatchedTime: c.dispatched_time ?? null })),
  };
}

export async function deleteCode(deps: CodeDeps, stockId: string, code: string, req: ManagerRequest): Promise<RunOutcome> {
  const { operation } = deps.journal.write({
    kind: 'code_delete',
    stockId,
    parts: { path: { stock_id: stockId, coupon_code: code }, query: {} },
    summary: { code },
    managerId: req.managerId,
    training: deps.training,
    ...(req.clientRef ? { clientRef: req.clientRef } : {}),
  });
  return outcomeOf(await attempt(deps, operation, req.managerId));
}
