// What every state operation answers: the HTTP status and body the simulator's HTTP layer
// will send, or an APIv3 error (`code`, `message`, optional `detail`).
//
// Wording: only the messages marked CONFIRMED below were seen on WeChat's pages or in its answers
// (docs/wechatpay/busifavor.md#errors, where they are marked confirmed or observed);
// every other message is this simulator's own Chinese wording for a PROPOSED error row.

export interface OkResult<T = unknown> {
  ok: true;
  status: 200 | 204;
  body: T;
}

export interface FailResult {
  ok: false;
  status: number;
  code: string;
  message: string;
  detail?: unknown;
}

export type SimResult<T = unknown> = OkResult<T> | FailResult;

export function ok<T>(body: T): OkResult<T> {
  return { ok: true, status: 200, body };
}

export function noContent(): OkResult<null> {
  return { ok: true, status: 204, body: null };
}

export function fail(status: number, code: string, message: string, detail?: unknown): FailResult {
  return detail === undefined ? { ok: false, status, code, message } : { ok: false, status, code, message, detail };
}

export const paramError = (message: string, field?: string): FailResult => fail(400, 'PARAM_ERROR', message, field === undefined ? undefined : { field, location: 'body' });

export const invalidRequest = (message: string, detail?: unknown): FailResult => fail(400, 'INVALID_REQUEST', message, detail);

export const notFound = (message: string): FailResult => fail(404, 'RESOURCE_NOT_EXISTS', message);

export const noAuth = (message: string): FailResult => fail(403, 'NO_AUTH', message);

export const MESSAGES = {
  /** CONFIRMED (deactivate page). */
  stockNotFound: '批次不存在',
  /** CONFIRMED (return page). */
  couponNotFound: '券不存在',
  /** CONFIRMED (return page, where the code is printed NOAUTH; this simulator emits NO_AUTH). */
  couponNoAuth: '商户无权限操作该券',
  /** CONFIRMED (return page). */
  couponDeleted: '券已被删除',
  /** CONFIRMED (community report on the budget API; the code it came with is not known). */
  budgetCurrentMismatch: '批次库存的当前值错误,请获取批次详情查看最新值',
  /** CONFIRMED (community report on the subsidy API). */
  subsidyNoAuth: '无权限使用此API',
  requestNoConflict: '商户请求单号已被使用，且与本次请求的内容不一致',
  stockNoAuth: '商户无权限操作该批次',
  merchantNoProduct: '商户未开通商家券功能',
  appidNotBound: 'AppID与商户号无绑定关系',
  openidMismatch: 'OpenID与AppID不匹配',
  stockEnded: '批次已过有效期，不能修改',
  userAbnormal: '用户账户异常',
} as const;
