// The English sentences for refusals: the renderer's English screen and posctl's messages
// both read this one catalogue. Each says what happened and what to do next.
import { formatFen } from '../money';
import { num, str, type Refusal, type RefusalCatalogue, type RefusalParams } from './refusal';

const COUPON_STATE_EN: Record<string, string> = {
  SENDED: 'unused',
  USED: 'already redeemed',
  EXPIRED: 'expired',
  DELETED: 'deleted by the customer',
  DEACTIVATED: 'deactivated',
};

/** A coupon state (WeChat's word) in plain English; an unknown one is shown as WeChat wrote it. */
export const couponStateEnglish = (state: string): string => COUPON_STATE_EN[state] ?? state;

const money = (p: RefusalParams, key: string) => formatFen(num(p, key));
const next = (p: RefusalParams) => (str(p, 'next') ? ` (next usable ${str(p, 'next')})` : '');

export const refusalEnglish: RefusalCatalogue = {
  PAYMENT_CODE: () => 'This is a payment code, not a coupon. Ask the customer to open the coupon in the WeChat card wallet and scan again',
  EMPTY_SCAN: () => 'Nothing was scanned; scan again',
  MULTIPLE_LINES: () => 'The scan contains a line break: two scans ran together or the code was read only partly. Scan again',
  LOOKS_LIKE_URL: () => 'This is a web link or payment QR code, not a coupon code',
  ILLEGAL_CHARACTER: (p) =>
    `Character ${str(p, 'char') ? `"${str(p, 'char')}" ` : ''}(${str(p, 'codePoint')}) at position ${num(p, 'position')} cannot be in a coupon code (digits, letters, space and - _ \\ / = | only)`,
  TOO_LONG: (p) => `A coupon code has at most ${num(p, 'max')} characters but ${num(p, 'length')} were scanned; two scans may have run together. Scan again`,
  BAD_AMOUNT: () => 'The order amount is not valid: enter a whole, non-negative amount',
  INVALID_FIELD: (p) => `WeChat Pay would refuse this request: ${str(p, 'field')} ${str(p, 'issue')}`,
  NO_OPEN_SHIFT: () => 'This till has no open shift; open a shift first',
  STOCK_UNKNOWN: () => 'Cannot tell which stock this coupon belongs to; choose the stock and try again',
  STOCK_UNAVAILABLE: () => 'The stock rules cannot be fetched (no network and nothing cached); the coupon cannot be redeemed now',
  BELOW_MINIMUM: (p) =>
    `The ${str(p, 'basis') === 'remaining' ? 'amount left to pay' : 'order'} (${money(p, 'orderFen')}) is below the coupon's minimum of ${money(p, 'minimumFen')}; ${money(p, 'shortfallFen')} more is needed`,
  RULE_UNSUPPORTED: (p) => `This till cannot compute the value of a ${str(p, 'stockType')} coupon; call the manager`,
  NOT_YET_EFFECTIVE: (p) => `This coupon is not valid yet${next(p)}`,
  EXPIRED: () => 'This coupon has expired',
  NO_VALID_PERIOD: () => 'This coupon has no valid period left',
  OUTSIDE_WEEKLY_WINDOW: (p) => `This coupon cannot be used at this time of the week${next(p)}`,
  OUTSIDE_IRREGULAR_WINDOW: (p) => `This coupon cannot be used at this time${next(p)}`,
  OUTSIDE_TIME_WINDOWS: (p) => `This coupon cannot be used at this time${next(p)}`,
  COUPON_NOT_USABLE: (p) => `This coupon is ${couponStateEnglish(str(p, 'couponState'))} and cannot be redeemed`,
  ALREADY_REDEEMED_HERE: () => 'This coupon was already redeemed at this till and is waiting for WeChat Pay; it cannot be redeemed again',
  COUPON_NEEDS_ATTENTION: () => 'An earlier operation on this coupon was refused by WeChat Pay and waits for a manager; nothing else can be done with it until then',
  ASSOCIATE_NEEDS_UNUSED: () => 'Only an unused coupon can be linked to an order: link the order first, then redeem',
  RETURN_NEEDS_USED: (p) => `Only a redeemed coupon can be returned; this one is ${couponStateEnglish(str(p, 'couponState'))}`,
  DEACTIVATE_NEEDS_UNUSED: (p) => `Only an unused coupon can be deactivated; this one is ${couponStateEnglish(str(p, 'couponState'))}`,
  MANAGER_REQUIRED: () => 'This needs a manager',
  JOURNAL_UNWRITABLE: () =>
    'This till cannot write its journal (disk full or not writable), so nothing was sent to WeChat Pay and the coupon is not redeemed. Do not grant the discount; ask IT to free disk space, then try again',
  ORDER_NOT_OPEN: () => 'This order is already finished or cancelled; start a new order',
  ORDER_NUMBER_REQUIRED: () => "This store links every coupon to its WeChat Pay order: enter or scan the order number from the register's receipt first",
  ORDER_LOCKED: () => 'A coupon is already on this order, so its amount and order number can no longer change; finish it and start a new order',
  ORDER_HAS_COUPONS: () => 'Coupons were already redeemed on this order, so it cannot be cancelled; a manager can return them',
  ORDER_OPEN_ELSEWHERE: () => 'This till already has an open order; finish or cancel it first',
  ORDER_PAID_IN_FULL: () => 'Nothing is left to pay on this order; no further coupon can be applied',
  STACK_LIMIT: (p) => `This store allows at most ${num(p, 'max')} coupon(s) per order`,
  STACK_SAME_STOCK: () => 'A coupon of this stock is already on this order, and this store allows one per stock per order',
  STACK_SAME_COUPON: () => 'This coupon is already on this order',
  OFFLINE: () => 'WeChat Pay cannot be reached and offline redemption is off for this store; try again later',
  OFFLINE_STOCK_NOT_CACHED: () => 'Offline, only coupons of stocks whose rules are cached on this till can be accepted',
  OFFLINE_DISCOUNT_LIMIT: (p) => `Offline, one coupon may be worth at most ${money(p, 'maxFen')} (this one: ${money(p, 'discountFen')})`,
  OFFLINE_COUNT_LIMIT: (p) => `This shift has reached its limit of ${num(p, 'max')} offline redemptions`,
  OFFLINE_TOTAL_LIMIT: (p) =>
    `This shift's offline total is capped at ${money(p, 'maxFen')}; ${money(p, 'usedFen')} used, this coupon (${money(p, 'discountFen')}) would exceed it`,
  OFFLINE_STATE_UNKNOWN: (p) => `This till last saw this coupon as ${couponStateEnglish(str(p, 'couponState'))}; it cannot be accepted offline`,
  WECHAT_REFUSED: (p) => `WeChat Pay refused: ${str(p, 'wechatMessage') || str(p, 'wechatCode') || 'no reason given'}`,
  OUTCOME_PENDING: () => 'The outcome is not confirmed yet: do not grant the discount. It is retried with the same request number; see the pending list',
};

export const describeRefusal = (r: Refusal): string => refusalEnglish[r.code](r.params);
