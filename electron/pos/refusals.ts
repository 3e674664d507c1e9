// Why the till will not do something: a stable code for programs, a sentence in Chinese and
// English for the person at the till saying what happened and what to do, and the numbers
// behind it. Plain data, so it crosses the service contract unchanged.
import type { ParamError } from '../../shared/busifavor';
import { fenToYuanString } from '../../shared/money';
import type { ScanReason } from '../../shared/scan';
import type { UsabilityReason } from '../../shared/time';

export type RefusalCode =
  | 'PAYMENT_CODE'
  | 'MALFORMED_CODE'
  | 'BAD_AMOUNT'
  | 'INVALID_FIELD'
  | 'NO_OPEN_SHIFT'
  | 'STOCK_UNKNOWN'
  | 'STOCK_UNAVAILABLE'
  | 'BELOW_MINIMUM'
  | 'RULE_UNSUPPORTED'
  | UsabilityReason
  | 'COUPON_NOT_USABLE'
  | 'ALREADY_REDEEMED_HERE'
  | 'COUPON_NEEDS_ATTENTION'
  | 'ASSOCIATE_NEEDS_UNUSED'
  | 'RETURN_NEEDS_USED'
  | 'DEACTIVATE_NEEDS_UNUSED'
  | 'MANAGER_REQUIRED'
  | 'OFFLINE'
  | 'OFFLINE_STOCK_NOT_CACHED'
  | 'OFFLINE_DISCOUNT_LIMIT'
  | 'OFFLINE_COUNT_LIMIT'
  | 'OFFLINE_TOTAL_LIMIT'
  | 'OFFLINE_STATE_UNKNOWN'
  | 'WECHAT_REJECTED'
  | 'OUTCOME_PENDING'
  | 'JOURNAL_UNWRITABLE';

export interface Refusal {
  code: RefusalCode;
  zh: string;
  en: string;
  /** Numbers and ids behind the sentence (amounts in fen). */
  detail?: Record<string, string | number | boolean | null>;
}

const yuan = (fen: number) => `¥${fenToYuanString(fen)}`;

export const refusals = {
  fromScan: (r: ScanReason, paymentCode: boolean): Refusal => ({ code: paymentCode ? 'PAYMENT_CODE' : 'MALFORMED_CODE', zh: r.zh, en: r.en, detail: { scan_reason: r.code } }),
  badAmount: (): Refusal => ({ code: 'BAD_AMOUNT', zh: '订单金额无效，请输入以分为单位的非负整数金额', en: 'The order amount is not valid: enter a whole, non-negative amount' }),
  invalidField: (e: ParamError): Refusal => ({
    code: 'INVALID_FIELD',
    zh: e.message,
    en: `${e.detail.field}: ${e.detail.issue}`,
    detail: { field: e.detail.field, issue: e.detail.issue },
  }),
  noOpenShift: (tillId: string): Refusal => ({
    code: 'NO_OPEN_SHIFT',
    zh: '本收银台没有进行中的班次，请先开班',
    en: 'This till has no open shift; open a shift first',
    detail: { till_id: tillId },
  }),
  stockUnknown: (candidates: string[]): Refusal => ({
    code: 'STOCK_UNKNOWN',
    zh: '无法确定这张券属于哪个批次，请选择批次后再核销',
    en: 'Cannot tell which stock this coupon belongs to; choose the stock and try again',
    detail: { candidates: candidates.join(',') },
  }),
  stockUnavailable: (stockId: string): Refusal => ({
    code: 'STOCK_UNAVAILABLE',
    zh: '无法获取该批次的规则（网络不通且本机没有缓存），暂时不能核销',
    en: 'The stock rules cannot be fetched (no network and nothing cached); the coupon cannot be redeemed now',
    detail: { stock_id: stockId },
  }),
  belowMinimum: (minimumFen: number, orderFen: number): Refusal => ({
    code: 'BELOW_MINIMUM',
    zh: `订单金额 ${yuan(orderFen)} 未达到使用门槛 ${yuan(minimumFen)}，还差 ${yuan(minimumFen - orderFen)}`,
    en: `The order (${yuan(orderFen)}) is below the coupon's minimum of ${yuan(minimumFen)}; ${yuan(minimumFen - orderFen)} more is needed`,
    detail: { transaction_minimum: minimumFen, order_amount: orderFen, shortfall: minimumFen - orderFen },
  }),
  ruleUnsupported: (stockType: string): Refusal => ({
    code: 'RULE_UNSUPPORTED',
    zh: `本收银台无法计算此类券（${stockType}）的优惠，请联系店长`,
    en: `This till cannot compute the value of a ${stockType} coupon; call the manager`,
    detail: { stock_type: stockType },
  }),
  unusable: (reason: UsabilityReason, next?: Date): Refusal => {
    const when = next ? `（下次可用：${next.toISOString()}）` : '';
    const text: Record<UsabilityReason, [string, string]> = {
      NOT_YET_EFFECTIVE: ['这张券还没到可用时间', 'This coupon is not valid yet'],
      EXPIRED: ['这张券已过期', 'This coupon has expired'],
      NO_VALID_PERIOD: ['这张券没有可用的有效期', 'This coupon has no valid period left'],
      OUTSIDE_WEEKLY_WINDOW: ['现在不在这张券每周的可用时段内', 'This coupon cannot be used at this time of the week'],
      OUTSIDE_IRREGULAR_WINDOW: ['现在不在这张券的可用时间段内', 'This coupon cannot be used at this time'],
      OUTSIDE_TIME_WINDOWS: ['现在不在这张券的可用时段内', 'This coupon cannot be used at this time'],
    };
    const [zh, en] = text[reason];
    return { code: reason, zh: `${zh}${when}`, en: next ? `${en} (next usable ${next.toISOString()})` : en, detail: next ? { next: next.toISOString() } : {} };
  },
  notUsable: (state: string): Refusal => ({
    code: 'COUPON_NOT_USABLE',
    zh: `这张券当前状态为 ${state}，不能核销`,
    en: `This coupon is ${state} and cannot be redeemed`,
    detail: { coupon_state: state },
  }),
  alreadyRedeemedHere: (opId: string): Refusal => ({
    code: 'ALREADY_REDEEMED_HERE',
    zh: '这张券已在本收银台核销，正在等待微信支付确认，不能再次核销',
    en: 'This coupon was already redeemed at this till and is waiting for WeChat Pay; it cannot be redeemed again',
    detail: { op_id: opId },
  }),
  couponNeedsAttention: (opId: string, kind: string): Refusal => ({
    code: 'COUPON_NEEDS_ATTENTION',
    zh: '这张券之前的一笔操作被微信支付拒绝，正在等待店长处理；处理前不能对它做其他操作',
    en: 'An earlier operation on this coupon was refused by WeChat Pay and waits for a manager; nothing else can be done with it until then',
    detail: { op_id: opId, kind },
  }),
  associateNeedsUnused: (): Refusal => ({
    code: 'ASSOCIATE_NEEDS_UNUSED',
    zh: '只有未核销的券可以关联订单：请先关联订单，再核销',
    en: 'Only an unused coupon can be linked to an order: link the order first, then redeem',
  }),
  returnNeedsUsed: (state: string): Refusal => ({
    code: 'RETURN_NEEDS_USED',
    zh: `只有已核销的券可以退券，这张券当前为 ${state}`,
    en: `Only a redeemed coupon can be returned; this one is ${state}`,
    detail: { coupon_state: state },
  }),
  deactivateNeedsUnused: (state: string): Refusal => ({
    code: 'DEACTIVATE_NEEDS_UNUSED',
    zh: `只有未核销的券可以使其失效，这张券当前为 ${state}`,
    en: `Only an unused coupon can be deactivated; this one is ${state}`,
    detail: { coupon_state: state },
  }),
  managerRequired: (): Refusal => ({ code: 'MANAGER_REQUIRED', zh: '此操作需要店长授权', en: 'This needs a manager' }),
  offline: (): Refusal => ({
    code: 'OFFLINE',
    zh: '无法连接微信支付，且本店未开启离线核销，请稍后再试',
    en: 'WeChat Pay cannot be reached and offline redemption is off for this store; try again later',
  }),
  offlineStockNotCached: (stockId: string): Refusal => ({
    code: 'OFFLINE_STOCK_NOT_CACHED',
    zh: '离线时只能核销本机已缓存规则的批次',
    en: 'Offline, only coupons of stocks whose rules are cached on this till can be accepted',
    detail: { stock_id: stockId },
  }),
  offlineDiscountLimit: (discountFen: number, maxFen: number): Refusal => ({
    code: 'OFFLINE_DISCOUNT_LIMIT',
    zh: `离线核销单张券优惠不能超过 ${yuan(maxFen)}（本券 ${yuan(discountFen)}）`,
    en: `Offline, one coupon may be worth at most ${yuan(maxFen)} (this one: ${yuan(discountFen)})`,
    detail: { discount: discountFen, max: maxFen },
  }),
  offlineCountLimit: (max: number): Refusal => ({
    code: 'OFFLINE_COUNT_LIMIT',
    zh: `本班次离线核销已达上限 ${max} 张`,
    en: `This shift has reached its limit of ${max} offline redemptions`,
    detail: { max },
  }),
  offlineTotalLimit: (usedFen: number, discountFen: number, maxFen: number): Refusal => ({
    code: 'OFFLINE_TOTAL_LIMIT',
    zh: `本班次离线核销优惠总额上限 ${yuan(maxFen)}，已用 ${yuan(usedFen)}，本券 ${yuan(discountFen)} 超出`,
    en: `This shift's offline total is capped at ${yuan(maxFen)}; ${yuan(usedFen)} used, this coupon (${yuan(discountFen)}) would exceed it`,
    detail: { used: usedFen, discount: discountFen, max: maxFen },
  }),
  offlineStateUnknown: (state: string): Refusal => ({
    code: 'OFFLINE_STATE_UNKNOWN',
    zh: `本机记录这张券为 ${state}，离线时不能受理`,
    en: `This till last saw this coupon as ${state}; it cannot be accepted offline`,
    detail: { coupon_state: state },
  }),
  wechatRejected: (code: string | null, message: string | null, requestId: string | null): Refusal => ({
    code: 'WECHAT_REJECTED',
    zh: `微信支付拒绝了此操作：${message ?? code ?? '未知原因'}`,
    en: `WeChat Pay refused: ${message ?? code ?? 'no reason given'}`,
    detail: { wechat_code: code, wechat_message: message, request_id: requestId },
  }),
  journalUnwritable: (sqliteCode: string): Refusal => ({
    code: 'JOURNAL_UNWRITABLE',
    zh: '本机无法写入操作记录（磁盘已满或无法写入），所以没有发送给微信支付，券没有核销。请不要给予优惠，并联系 IT 清理磁盘后重试',
    en: 'This till cannot write its journal (disk full or not writable), so nothing was sent to WeChat Pay and the coupon is not redeemed. Do not grant the discount; ask IT to free disk space, then try again',
    detail: { sqlite_code: sqliteCode },
  }),
  outcomePending: (): Refusal => ({
    code: 'OUTCOME_PENDING',
    zh: '暂时无法确认结果，请不要给予优惠；系统会用同一请求号继续重试，结果请在待处理列表查看',
    en: 'The outcome is not confirmed yet: do not grant the discount. It is retried with the same request number; see the pending list',
  }),
};
