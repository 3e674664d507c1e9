// Merchant-uploaded coupon codes for MERCHANT_UPLOAD stocks (docs/wechatpay/busifavor.md#uploaded-codes): upload with
// per-code results, list (offset = start position), query one, delete an undispatched one,
// and the random pick a send makes.
import { COUPON_CODE_CHAR, COUPON_CODE_MAX } from '../../../shared/busifavor/codes';
import { couponEntity } from './entities';
import { canonical } from './ledger';
import type { StockRecord, UploadedCodeRecord } from './model';
import { type FailResult, invalidRequest, MESSAGES, notFound, ok, paramError, type SimResult } from './result';
import { isFail, stockFor } from './stocks';
import type { World } from './world';

export const MAX_CODES_PER_UPLOAD = 200;

export interface UploadCodesInput {
  coupon_code_list?: string[];
  upload_request_no?: string;
}

function uploadStock(world: World, caller: string, stockId: string): StockRecord | FailResult {
  const stock = stockFor(world, caller, stockId);
  if (isFail(stock)) return stock;
  if (stock.definition.coupon_code_mode !== 'MERCHANT_UPLOAD') return invalidRequest('该批次不是预上传券code模式（MERCHANT_UPLOAD）');
  return stock;
}

/** Per-code failure; LENGTH_LIMIT is WeChat's example (docs/wechatpay/busifavor.md#uploaded-codes), the other codes are this simulator's. */
function codeProblem(code: string): { code: string; message: string } | null {
  if (code.length === 0 || code.length > COUPON_CODE_MAX) return { code: 'LENGTH_LIMIT', message: `长度超过最大值${COUPON_CODE_MAX}位` };
  const bad = Array.from(code).find((ch) => !COUPON_CODE_CHAR.test(ch));
  if (bad !== undefined) return { code: 'CHARACTER_INVALID', message: `包含不允许的字符“${bad}”` };
  return null;
}

export function uploadCodes(world: World, caller: string, stockId: string, body: UploadCodesInput): SimResult {
  const stock = uploadStock(world, caller, stockId);
  if (isFail(stock)) return stock;
  const requestNo = body.upload_request_no;
  if (typeof requestNo !== 'string' || requestNo === '') return paramError('缺少必填参数 upload_request_no', 'upload_request_no');
  const list = body.coupon_code_list;
  if (!Array.isArray(list) || list.length === 0) return paramError('coupon_code_list 不能为空', 'coupon_code_list');
  if (list.length > MAX_CODES_PER_UPLOAD) return paramError(`每次最多上传 ${MAX_CODES_PER_UPLOAD} 个券code`, 'coupon_code_list');
  const fingerprint = canonical(body);
  const seen = world.ledger.check('codes.upload', stockId, requestNo, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);

  const codes = world.codesOf(stockId);
  const max = stock.definition.stock_send_rule.max_coupons;
  const unique = new Set<string>();
  const duplicates = new Set<string>();
  const success: string[] = [];
  const failed: { coupon_code: string; code: string; message: string }[] = [];
  const exist: string[] = [];
  const now = world.nowText();
  for (const code of list) {
    if (typeof code !== 'string') return paramError('券code必须是字符串', 'coupon_code_list');
    if (unique.has(code)) {
      duplicates.add(code);
      continue;
    }
    unique.add(code);
    const problem = codeProblem(code);
    if (problem) failed.push({ coupon_code: code, ...problem });
    else if (codes.has(code)) exist.push(code);
    else if (max !== undefined && codes.size >= max) failed.push({ coupon_code: code, code: 'EXCEED_MAX_COUPONS', message: '上传的券code数量超过批次发放总数' });
    else {
      codes.set(code, { stock_id: stockId, code, code_status: 'AVAILABLE', upload_time: now, upload_request_no: requestNo });
      success.push(code);
    }
  }
  const result = ok({
    stock_id: stockId,
    total_count: unique.size,
    success_count: success.length,
    success_codes: success,
    success_time: now,
    fail_count: failed.length,
    fail_codes: failed,
    exist_codes: exist,
    duplicate_codes: [...duplicates],
  });
  world.ledger.record('codes.upload', stockId, requestNo, fingerprint, result, now, stockId, success.length > 0 ? 1 : 0);
  return result;
}

function codeInformation(world: World, rec: UploadedCodeRecord, appid: string | undefined): Record<string, unknown> {
  const info: Record<string, unknown> = { code: rec.code, code_status: rec.code_status, upload_time: rec.upload_time };
  if (rec.code_status === 'DISPATCHED') {
    info.dispatched_time = rec.dispatched_time;
    info.coupon_code = rec.code;
    const user = rec.user_id === undefined ? undefined : world.users.get(rec.user_id);
    if (user && appid !== undefined) {
      info.openid = world.openidFor(user, appid);
      info.unionid = world.unionidFor(user);
    }
  }
  return info;
}

export interface ListCodesInput {
  limit?: number;
  offset?: number;
  appid?: string;
  status?: string;
}

export function listCodes(world: World, caller: string, stockId: string, query: ListCodesInput): SimResult {
  const stock = uploadStock(world, caller, stockId);
  if (isFail(stock)) return stock;
  const limit = query.limit ?? 20;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) return paramError('limit 须为 1..50', 'limit');
  if (!Number.isInteger(offset) || offset < 0) return paramError('offset 不能为负数', 'offset');
  if (query.status !== undefined && query.status !== 'AVAILABLE' && query.status !== 'DISPATCHED') return paramError('status 须为 AVAILABLE 或 DISPATCHED', 'status');
  const all = [...world.codesOf(stockId).values()].filter((c) => query.status === undefined || c.code_status === query.status);
  const page = all.slice(offset, offset + limit).map((c) => codeInformation(world, c, query.appid));
  // Here `offset` is a start position and the answered `limit` is the number of items returned.
  return ok({ stock_id: stockId, total_count: all.length, data: page, offset, limit: page.length });
}

export function getCode(world: World, caller: string, stockId: string, code: string, appid?: string): SimResult {
  const stock = uploadStock(world, caller, stockId);
  if (isFail(stock)) return stock;
  const rec = world.codesOf(stockId).get(code);
  if (!rec) return notFound('券code不存在');
  const body: Record<string, unknown> = { code_information: codeInformation(world, rec, appid) };
  const coupon = rec.code_status === 'DISPATCHED' ? world.coupon(stockId, code) : undefined;
  if (coupon) body.coupon_information = couponEntity(world, world.settle(coupon), true);
  return ok(body);
}

export function deleteCode(world: World, caller: string, stockId: string, code: string, deleteRequestNo: string | undefined): SimResult {
  const stock = uploadStock(world, caller, stockId);
  if (isFail(stock)) return stock;
  if (typeof deleteRequestNo !== 'string' || deleteRequestNo === '') return paramError('缺少必填参数 delete_request_no', 'delete_request_no');
  const fingerprint = canonical({ coupon_code: code });
  const seen = world.ledger.check('codes.delete', stockId, deleteRequestNo, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);
  const codes = world.codesOf(stockId);
  const rec = codes.get(code);
  if (!rec) return notFound('券code不存在');
  if (rec.code_status !== 'AVAILABLE') return invalidRequest('券code已发放给用户，不能删除');
  codes.delete(code);
  const result = ok({ stock_id: stockId, delete_time: world.nowText() });
  world.ledger.record('codes.delete', stockId, deleteRequestNo, fingerprint, result, world.nowText(), `${stockId}/${code}`);
  return result;
}

/** A random AVAILABLE code of the stock (WeChat picks; the merchant cannot choose), or null. */
export function takeUploadedCode(world: World, stock: StockRecord): string | null {
  const available = [...world.codesOf(stock.stock_id).values()].filter((c) => c.code_status === 'AVAILABLE');
  return available.length === 0 ? null : world.rng.pick(available).code;
}
