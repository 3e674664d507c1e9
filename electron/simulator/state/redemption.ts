// A sent coupon's life (docs/wechatpay/busifavor.md#coupon-states): redeem, return, deactivate, and the
// user deleting it from the card wallet (admin). Every change goes through World.transition,
// so each coupon carries its full history with times and request numbers.
import type { CouponState } from '../../../shared/busifavor/enums';
import { isUsableAt, parseRfc3339, type UsabilityReason } from '../../../shared/time';
import { canonical } from './ledger';
import type { CouponRecord, StockRecord } from './model';
import { fail, type FailResult, invalidRequest, MESSAGES, notFound, ok, paramError, type SimResult } from './result';
import { callerMerchant, isFail, stockFor } from './stocks';
import { couponKey, type World } from './world';

export interface Located {
  stock: StockRecord;
  coupon: CouponRecord;
}

/** Stock, then the caller's right to it, then the coupon in it (404 / 403 / 404). */
export function couponFor(world: World, caller: string, stockId: string | undefined, code: string): Located | FailResult {
  const stock = stockFor(world, caller, stockId, MESSAGES.couponNoAuth);
  if (isFail(stock)) return stock;
  const coupon = world.coupon(stock.stock_id, code);
  if (!coupon) return notFound(MESSAGES.couponNotFound);
  return { stock, coupon: world.settle(coupon) };
}

export function requireText<T extends object>(body: T, fields: readonly (keyof T & string)[]): FailResult | null {
  for (const f of fields) {
    const v = body[f];
    if (typeof v !== 'string' || v === '') return paramError(`缺少必填参数 ${f}`, f);
  }
  return null;
}

const STATE_MESSAGES: Record<CouponState, string> = {
  SENDED: '券未被核销',
  USED: '券已被核销',
  EXPIRED: '券已过期',
  DELETED: MESSAGES.couponDeleted,
  DEACTIVATED: '券已失效',
};

const UNUSABLE_MESSAGES: Record<UsabilityReason, string> = {
  NOT_YET_EFFECTIVE: '券尚未生效',
  EXPIRED: '券已过期',
  NO_VALID_PERIOD: '券没有可用的有效期',
  OUTSIDE_WEEKLY_WINDOW: '当前时间不在券的每周可用时段内',
  OUTSIDE_IRREGULAR_WINDOW: '当前时间不在券的可用时间段内',
  OUTSIDE_TIME_WINDOWS: '当前时间不在券的可用时段内',
};

export interface UseInput {
  coupon_code: string;
  stock_id?: string;
  appid: string;
  use_time: string;
  use_request_no: string;
  openid?: string;
}

/** Without stock_id only a WECHATPAY_MODE code identifies a coupon; merchant codes are unique per stock only. */
function locateForUse(world: World, caller: string, body: UseInput): Located | FailResult {
  if (body.stock_id !== undefined) return couponFor(world, caller, body.stock_id, body.coupon_code);
  const candidates = world.couponsWithCode(body.coupon_code);
  const wechat = candidates.find((c) => world.stocks.get(c.stock_id)?.definition.coupon_code_mode === 'WECHATPAY_MODE');
  if (!wechat) {
    if (candidates.length > 0) return paramError('商户自定义券code的批次核销时必须传入 stock_id', 'stock_id');
    return notFound(MESSAGES.couponNotFound);
  }
  return couponFor(world, caller, wechat.stock_id, body.coupon_code);
}

export function useCoupon(world: World, caller: string, body: UseInput): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  const missing = requireText(body, ['coupon_code', 'appid', 'use_time', 'use_request_no']);
  if (missing) return missing;
  const fingerprint = canonical(body);
  const seen = world.ledger.check('coupon.use', caller, body.use_request_no, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);

  const found = locateForUse(world, caller, body);
  if (isFail(found)) return found;
  const { stock, coupon } = found;
  if (!world.appidBound(body.appid, [caller, stock.definition.belong_merchant])) return invalidRequest(MESSAGES.appidNotBound);
  const owner = world.user(coupon.user_id);
  const ownerOpenid = world.openidFor(owner, body.appid);
  if (body.openid !== undefined && body.openid !== ownerOpenid) return paramError('openid 与券的所有者不一致', 'openid');
  if (owner.abnormal) return fail(403, 'USER_ACCOUNT_ABNORMAL', MESSAGES.userAbnormal);
  if (coupon.coupon_state !== 'SENDED') return invalidRequest(STATE_MESSAGES[coupon.coupon_state], { coupon_state: coupon.coupon_state });
  const usable = isUsableAt({ ...coupon, coupon_available_time: stock.definition.coupon_use_rule.coupon_available_time }, world.now());
  if (!usable.ok) return invalidRequest(UNUSABLE_MESSAGES[usable.reason], { reason: usable.reason });

  const now = world.nowText();
  world.transition(coupon, 'use', 'USED', body.use_request_no);
  coupon.use_request_no = body.use_request_no;
  coupon.use_time = body.use_time;
  coupon.wechatpay_use_time = now;
  const result = ok({ stock_id: stock.stock_id, openid: ownerOpenid, wechatpay_use_time: now });
  world.ledger.record('coupon.use', caller, body.use_request_no, fingerprint, result, now, couponKey(stock.stock_id, coupon.coupon_code));
  return result;
}

export interface ReturnInput {
  coupon_code: string;
  stock_id: string;
  return_request_no: string;
}

export function returnCoupon(world: World, caller: string, body: ReturnInput): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  const missing = requireText(body, ['coupon_code', 'stock_id', 'return_request_no']);
  if (missing) return missing;
  const fingerprint = canonical(body);
  const seen = world.ledger.check('coupon.return', caller, body.return_request_no, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);

  const found = couponFor(world, caller, body.stock_id, body.coupon_code);
  if (isFail(found)) return found;
  const { coupon } = found;
  if (coupon.coupon_state === 'DELETED') return notFound(MESSAGES.couponDeleted);
  if (coupon.coupon_state !== 'USED') return invalidRequest(`券不是已核销状态，不能退券（${STATE_MESSAGES[coupon.coupon_state]}）`, { coupon_state: coupon.coupon_state });

  // The simulator's choice (docs/wechatpay/busifavor.md#coupon-states): a coupon returned after its validity ended comes back expired.
  const expire = parseRfc3339(coupon.expire_time);
  const expired = expire !== null && Math.floor(world.now().getTime() / 1000) * 1000 > expire.getTime();
  const now = world.nowText();
  world.transition(coupon, 'return', expired ? 'EXPIRED' : 'SENDED', body.return_request_no);
  coupon.return_request_no = body.return_request_no;
  coupon.return_time = now;
  const result = ok({ wechatpay_return_time: now });
  world.ledger.record('coupon.return', caller, body.return_request_no, fingerprint, result, now, couponKey(coupon.stock_id, coupon.coupon_code));
  return result;
}

export interface DeactivateInput {
  coupon_code: string;
  stock_id: string;
  deactivate_request_no: string;
  deactivate_reason?: string;
}

export function deactivateCoupon(world: World, caller: string, body: DeactivateInput): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  const missing = requireText(body, ['coupon_code', 'stock_id', 'deactivate_request_no']);
  if (missing) return missing;
  const fingerprint = canonical(body);
  const seen = world.ledger.check('coupon.deactivate', caller, body.deactivate_request_no, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);

  const found = couponFor(world, caller, body.stock_id, body.coupon_code);
  if (isFail(found)) return found;
  const { coupon } = found;
  if (coupon.coupon_state !== 'SENDED') return invalidRequest(`券不是可用状态，不能使其失效（${STATE_MESSAGES[coupon.coupon_state]}）`, { coupon_state: coupon.coupon_state });

  const now = world.nowText();
  world.transition(coupon, 'deactivate', 'DEACTIVATED', body.deactivate_request_no, body.deactivate_reason);
  coupon.deactivate_request_no = body.deactivate_request_no;
  coupon.deactivate_time = now;
  if (body.deactivate_reason !== undefined) coupon.deactivate_reason = body.deactivate_reason;
  const result = ok({ wechatpay_deactivate_time: now });
  world.ledger.record('coupon.deactivate', caller, body.deactivate_request_no, fingerprint, result, now, couponKey(coupon.stock_id, coupon.coupon_code));
  return result;
}

/** Admin: the user deletes the coupon from the card wallet (only an unused, valid one). */
export function userDeletesCoupon(world: World, stockId: string, code: string): SimResult {
  const found = world.coupon(stockId, code);
  if (!found) return notFound(MESSAGES.couponNotFound);
  const coupon = world.settle(found);
  if (coupon.coupon_state !== 'SENDED') return invalidRequest(`只有可用状态的券可以被用户删除（${STATE_MESSAGES[coupon.coupon_state]}）`, { coupon_state: coupon.coupon_state });
  world.transition(coupon, 'delete', 'DELETED');
  return ok({ stock_id: stockId, coupon_code: code, coupon_state: coupon.coupon_state });
}
