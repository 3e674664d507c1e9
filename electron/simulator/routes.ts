// From a routed, authenticated request to a SimState call. Decoding and validation use the
// shared endpoint table (the same definitions the client builds requests from), so a field
// the client would refuse to send is exactly what the simulator answers 400 PARAM_ERROR for.
import { createHash } from 'node:crypto';
import {
  decodeQuery,
  detectImageType,
  IMAGE_MAX_BYTES,
  validateRequest,
  type EndpointDef,
  type EndpointId,
  type Endpoints,
  type ParamError,
  type ValidatedRequestOf,
} from '../../shared/busifavor/index';
import type { ParsedImageUpload } from '../wechatpay/index';
import type { CreateStockInput, SimResult, SimState } from './state/index';
import type { ErrorBody } from './auth';

type Handler<E extends EndpointDef> = (state: SimState, caller: string, request: ValidatedRequestOf<E>) => SimResult;

type CreateBody = Parameters<SimState['createStock']>[1];
type BudgetBody = Parameters<SimState['modifyBudget']>[2];

/** One line per endpoint id: which SimState operation answers it. */
const handlers: { [K in EndpointId]: Handler<Endpoints[K]> } = {
  'stocks.create': (s, c, r) => s.createStock(c, r.body as unknown as CreateStockInput satisfies CreateBody),
  'stocks.get': (s, c, r) => s.getStock(c, r.path.stock_id),
  'stocks.modify': (s, c, r) => s.modifyStock(c, r.path.stock_id, r.body as Record<string, unknown>),
  'stocks.budget': (s, c, r) => s.modifyBudget(c, r.path.stock_id, r.body as BudgetBody),
  'coupons.use': (s, c, r) => s.useCoupon(c, r.body),
  'coupons.send': (s, c, r) => s.sendCoupon(c, r.body),
  'coupons.associate': (s, c, r) => s.associateOrder(c, r.body),
  'coupons.disassociate': (s, c, r) => s.disassociateOrder(c, r.body),
  'coupons.return': (s, c, r) => s.returnCoupon(c, r.body),
  'coupons.deactivate': (s, c, r) => s.deactivateCoupon(c, r.body),
  'userCoupons.list': (s, c, r) => s.listUserCoupons(c, r.path.openid, r.query),
  'userCoupons.get': (s, c, r) => s.getUserCoupon(c, r.path.openid, r.path.coupon_code, r.path.appid),
  'couponCodes.upload': (s, c, r) => s.uploadCodes(c, r.path.stock_id, r.body),
  'couponCodes.list': (s, c, r) => s.listCodes(c, r.path.stock_id, r.query),
  'couponCodes.get': (s, c, r) => s.getCode(c, r.path.stock_id, r.path.coupon_code, r.query.appid),
  'couponCodes.delete': (s, c, r) => s.deleteCode(c, r.path.stock_id, r.path.coupon_code, r.query.delete_request_no),
  'callbacks.set': (s, c, r) => s.setCallbacks(c, r.body),
  'callbacks.get': (s, c, r) => s.getCallbacks(c, r.query),
  'subsidy.pay.create': (s, c, r) => s.createPayReceipt(c, r.body),
  'subsidy.pay.get': (s, c, r) => s.getPayReceipt(c, r.path.subsidy_receipt_id),
  'subsidy.pay.list': (s, c, r) => s.listPayReceipts(c, r.query),
  'subsidy.return.create': (s, c, r) => s.createReturnReceipt(c, r.body),
  'subsidy.return.get': (s, c, r) => s.getReturnReceipt(c, r.path.subsidy_return_receipt_id),
  'media.imageUpload': (s, c, r) => s.uploadImage(c, r.body),
};

export interface Answer {
  status: number;
  /** JSON text, or '' for 204. */
  body: string;
}

function error(status: number, body: ErrorBody | ParamError): Answer {
  return { status, body: JSON.stringify(body) };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Lead bytes of 4-byte UTF-8 sequences (characters outside the BMP). */
function fourByteAt(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b >= 0xf0 && b <= 0xf4) return i;
  }
  return -1;
}

const fourByteError = (location: 'body' | 'query' | 'path'): Answer =>
  error(400, {
    code: 'PARAM_ERROR',
    message: '请求中包含微信支付不接受的四字节UTF-8字符（如表情符号或生僻字）',
    detail: { field: location === 'body' ? '/body' : location, location, issue: 'contains a 4-byte UTF-8 character (outside the Basic Multilingual Plane)' },
  });

export interface RoutedRequest {
  def: EndpointDef;
  params: Record<string, string>;
  rawQuery: string;
  rawBody: Buffer;
  upload?: ParsedImageUpload;
}

/** Decodes the JSON body: '' is no body; bad UTF-8 or bad JSON is refused before validation. */
function decodeBody(def: EndpointDef, request: RoutedRequest): { ok: true; body: unknown } | { ok: false; answer: Answer } {
  if (def.bodyKind === 'multipart') {
    if (!request.upload) return { ok: false, answer: error(400, { code: 'INVALID_REQUEST', message: '图片上传须使用 multipart/form-data' }) };
    return { ok: true, body: request.upload.meta };
  }
  if (request.rawBody.length === 0) return { ok: true, body: undefined };
  let text: string;
  try {
    text = UTF8.decode(request.rawBody);
  } catch {
    return { ok: false, answer: error(400, { code: 'PARAM_ERROR', message: '请求体不是合法的UTF-8编码', detail: { field: '/body', location: 'body', issue: 'invalid UTF-8' } }) };
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, answer: error(400, { code: 'PARAM_ERROR', message: '请求体不是合法的JSON', detail: { field: '/body', location: 'body', issue: 'body is not JSON' } }) };
  }
}

/** The file part must be what the signed meta describes (docs/wechatpay/apiv3.md#multipart-upload). */
function checkUploadedFile(upload: ParsedImageUpload): Answer | undefined {
  const bad = (issue: string, message: string) => error(400, { code: 'PARAM_ERROR', message, detail: { field: 'file', location: 'body', issue } });
  const data = upload.file.data;
  if (data.length === 0) return bad('file is empty', '图片文件为空');
  if (data.length > IMAGE_MAX_BYTES) return bad('file is larger than 2 MB', '图片大小不能超过2M');
  if (!detectImageType(data)) return bad('file is not a JPG, PNG or BMP image', '图片格式只支持JPG、BMP、PNG');
  const digest = createHash('sha256').update(data).digest('hex');
  if (digest !== upload.meta.sha256.toLowerCase()) return bad('sha256 in meta does not match the file', '文件sha256摘要与meta中的sha256不一致');
  return undefined;
}

/** Validates and runs one busifavor request; the answer's body is the exact text to send. */
export function answerRequest(state: SimState, caller: string, request: RoutedRequest): Answer {
  const { def } = request;
  const query = decodeQuery(def, request.rawQuery);
  if (!query.ok) return error(400, query.error);
  const body = decodeBody(def, request);
  if (!body.ok) return body.answer;
  const valid = validateRequest(def, { path: request.params, query: query.query, body: body.body });
  if (!valid.ok) return error(400, valid.error);
  // The schemas name a 4-byte character in any string they know; this catches the rest.
  if (fourByteAt(request.upload ? Buffer.from(request.upload.metaJson) : request.rawBody) >= 0) return fourByteError('body');
  if (/%F[0-4]/i.test(request.rawQuery)) return fourByteError('query');
  if (request.upload) {
    const fileProblem = checkUploadedFile(request.upload);
    if (fileProblem) return fileProblem;
  }
  const handler = handlers[def.id as EndpointId] as Handler<EndpointDef> | undefined;
  if (!handler) return error(404, { code: 'RESOURCE_NOT_EXISTS', message: '接口不存在' });
  const result = handler(state, caller, valid.value);
  if (!result.ok) {
    const failure: ErrorBody = { code: result.code, message: result.message };
    if (result.detail !== undefined) failure.detail = result.detail;
    return error(result.status, failure);
  }
  return { status: result.status, body: result.status === 204 ? '' : JSON.stringify(result.body) };
}
