// A user's coupons as a merchant may see them (docs/wechatpay/busifavor.md#user-coupon-queries): the filtered list (offset is
// a page index, limit default 20 and at most 50, no description) and the single coupon.
import { COUPON_STATES } from '../../../shared/busifavor/enums';
import { couponEntity } from './entities';
import type { CouponRecord, SimMerchant, UserRecord } from './model';
import { type FailResult, invalidRequest, MESSAGES, noAuth, notFound, ok, paramError, type SimResult } from './result';
import { callerMerchant, isFail } from './stocks';
import type { World } from './world';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 50;

export interface ListUserCouponsInput {
  appid: string;
  stock_id?: string;
  coupon_state?: string;
  creator_merchant?: string;
  belong_merchant?: string;
  sender_merchant?: string;
  offset?: number;
  limit?: number;
}

function visibleTo(world: World, coupon: CouponRecord, caller: string): boolean {
  const stock = world.stocks.get(coupon.stock_id);
  return !!stock && (stock.creator_mchid === caller || stock.definition.belong_merchant === caller || coupon.send_merchant === caller);
}

/** The user behind (appid, openid); undefined for an OpenID never seen; a failure when it belongs to another AppID. */
function userFor(world: World, merchant: SimMerchant, appid: string, openid: string): UserRecord | undefined | FailResult {
  if (!world.appidBound(appid, [merchant.mchid, ...merchant.managed_merchants])) return invalidRequest(MESSAGES.appidNotBound);
  const user = world.findUser(appid, openid);
  if (!user && world.openidBelongsElsewhere(appid, openid)) return invalidRequest(MESSAGES.openidMismatch);
  return user;
}

export function listUserCoupons(world: World, caller: string, openid: string, query: ListUserCouponsInput): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  if (typeof query.appid !== 'string' || query.appid === '') return paramError('缺少必填参数 appid', 'appid');
  const roles = [query.creator_merchant, query.belong_merchant, query.sender_merchant];
  if (!roles.includes(caller)) return paramError('必须以调用商户的身份传入 creator_merchant、belong_merchant 或 sender_merchant 之一', 'creator_merchant');
  if (query.coupon_state !== undefined && !COUPON_STATES.includes(query.coupon_state as never)) return paramError('coupon_state 不合法', 'coupon_state');
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return paramError(`limit 须为 1..${MAX_LIMIT}`, 'limit');
  if (!Number.isInteger(offset) || offset < 0) return paramError('offset 不能为负数', 'offset');
  const user = userFor(world, merchant, query.appid, openid);
  if (isFail(user)) return user;

  const matching: CouponRecord[] = [];
  if (user) {
    for (const coupon of world.coupons.values()) {
      if (coupon.user_id !== user.user_id || !visibleTo(world, coupon, caller)) continue;
      const stock = world.stocks.get(coupon.stock_id);
      if (!stock) continue;
      if (query.stock_id !== undefined && coupon.stock_id !== query.stock_id) continue;
      if (query.creator_merchant !== undefined && stock.creator_mchid !== query.creator_merchant) continue;
      if (query.belong_merchant !== undefined && stock.definition.belong_merchant !== query.belong_merchant) continue;
      if (query.sender_merchant !== undefined && coupon.send_merchant !== query.sender_merchant) continue;
      if (query.coupon_state !== undefined && world.settle(coupon).coupon_state !== query.coupon_state) continue;
      matching.push(world.settle(coupon));
    }
  }
  matching.sort((a, b) => a.seq - b.seq);
  const page = matching.slice(offset * limit, offset * limit + limit);
  return ok({ data: page.map((c) => couponEntity(world, c, false)), total_count: matching.length, limit, offset });
}

export function getUserCoupon(world: World, caller: string, openid: string, code: string, appid: string): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  const user = userFor(world, merchant, appid, openid);
  if (isFail(user)) return user;
  if (!user) return notFound(MESSAGES.couponNotFound);
  // No stock_id in this path: a merchant code may repeat across stocks; the newest of the user's wins.
  const owned = world.couponsWithCode(code).filter((c) => c.user_id === user.user_id);
  const coupon = owned.sort((a, b) => b.seq - a.seq)[0];
  if (!coupon) return notFound(MESSAGES.couponNotFound);
  if (!visibleTo(world, coupon, caller)) return noAuth(MESSAGES.couponNoAuth);
  return ok(couponEntity(world, world.settle(coupon), true));
}
