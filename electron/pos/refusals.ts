// The till's refusals, built where the decision is made: a code and the numbers behind it.
// The sentences live in the catalogues (renderer/i18n for the screens, shared/refusals for
// posctl's English), so this file decides what happened, never how to say it.
import type { ParamError } from '../../shared/busifavor';
import { refusal, type Refusal } from '../../shared/refusals/refusal';
import type { UsabilityReason } from '../../shared/time';

export type { Refusal } from '../../shared/refusals/refusal';

export const refusals = {
  badAmount: (): Refusal => refusal('BAD_AMOUNT'),
  invalidField: (e: ParamError): Refusal => refusal('INVALID_FIELD', { field: e.detail.field, issue: e.detail.issue }),
  noOpenShift: (tillId: string): Refusal => refusal('NO_OPEN_SHIFT', { tillId }),
  /** `candidates` travel in the lookup result itself, not in the refusal. */
  stockUnknown: (): Refusal => refusal('STOCK_UNKNOWN'),
  stockUnavailable: (stockId: string): Refusal => refusal('STOCK_UNAVAILABLE', { stockId }),
  belowMinimum: (minimumFen: number, orderFen: number, basis: 'order_amount' | 'remaining'): Refusal =>
    refusal('BELOW_MINIMUM', { minimumFen, orderFen, shortfallFen: minimumFen - orderFen, basis }),
  ruleUnsupported: (stockType: string): Refusal => refusal('RULE_UNSUPPORTED', { stockType }),
  unusable: (reason: UsabilityReason, next?: Date): Refusal => refusal(reason, next ? { next: next.toISOString() } : {}),
  notUsable: (couponState: string): Refusal => refusal('COUPON_NOT_USABLE', { couponState }),
  alreadyRedeemedHere: (opId: string): Refusal => refusal('ALREADY_REDEEMED_HERE', { operationId: opId }),
  couponNeedsAttention: (opId: string, kind: string): Refusal => refusal('COUPON_NEEDS_ATTENTION', { operationId: opId, kind }),
  associateNeedsUnused: (): Refusal => refusal('ASSOCIATE_NEEDS_UNUSED'),
  returnNeedsUsed: (couponState: string): Refusal => refusal('RETURN_NEEDS_USED', { couponState }),
  deactivateNeedsUnused: (couponState: string): Refusal => refusal('DEACTIVATE_NEEDS_UNUSED', { couponState }),
  managerRequired: (): Refusal => refusal('MANAGER_REQUIRED'),
  offline: (): Refusal => refusal('OFFLINE'),
  offlineStockNotCached: (stockId: string): Refusal => refusal('OFFLINE_STOCK_NOT_CACHED', { stockId }),
  offlineDiscountLimit: (discountFen: number, maxFen: number): Refusal => refusal('OFFLINE_DISCOUNT_LIMIT', { discountFen, maxFen }),
  offlineCountLimit: (max: number): Refusal => refusal('OFFLINE_COUNT_LIMIT', { max }),
  offlineTotalLimit: (usedFen: number, discountFen: number, maxFen: number): Refusal => refusal('OFFLINE_TOTAL_LIMIT', { usedFen, discountFen, maxFen }),
  offlineStateUnknown: (couponState: string): Refusal => refusal('OFFLINE_STATE_UNKNOWN', { couponState }),
  wechatRefused: (code: string | null, message: string | null, requestId: string | null): Refusal =>
    refusal('WECHAT_REFUSED', { wechatCode: code, wechatMessage: message, requestId }),
  journalUnwritable: (sqliteCode: string): Refusal => refusal('JOURNAL_UNWRITABLE', { sqliteCode }),
  outcomePending: (): Refusal => refusal('OUTCOME_PENDING'),
  orderNotOpen: (orderId: string): Refusal => refusal('ORDER_NOT_OPEN', { orderId }),
  orderNumberRequired: (): Refusal => refusal('ORDER_NUMBER_REQUIRED'),
  orderLocked: (orderId: string): Refusal => refusal('ORDER_LOCKED', { orderId }),
  orderHasCoupons: (orderId: string): Refusal => refusal('ORDER_HAS_COUPONS', { orderId }),
  orderOpenElsewhere: (orderId: string): Refusal => refusal('ORDER_OPEN_ELSEWHERE', { orderId }),
  orderPaidInFull: (): Refusal => refusal('ORDER_PAID_IN_FULL'),
  stackLimit: (max: number): Refusal => refusal('STACK_LIMIT', { max }),
  stackSameStock: (stockId: string): Refusal => refusal('STACK_SAME_STOCK', { stockId }),
  stackSameCoupon: (): Refusal => refusal('STACK_SAME_COUPON'),
};
