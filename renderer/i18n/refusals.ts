// The cashier's sentences for every refusal, in Chinese; English comes from the shared
// catalogue posctl also prints. Each says what happened and what to do next.
import { formatFen } from '../../shared/money';
import { num, str, type RefusalCatalogue, type RefusalParams } from '../../shared/refusals';

const COUPON_STATE_ZH: Record<string, string> = {
  SENDED: '未使用',
  USED: '已核销',
  EXPIRED: '已过期',
  DELETED: '已被顾客删除',
  DEACTIVATED: '已失效',
};

/** A coupon state (WeChat's word) in plain Chinese; an unknown one is shown as WeChat wrote it. */
export const couponStateChinese = (state: string): string => COUPON_STATE_ZH[state] ?? state;

const money = (p: RefusalParams, key: string) => formatFen(num(p, key));
const next = (p: RefusalParams) => (str(p, 'next') ? `（下次可用：${str(p, 'next')}）` : '');

export const refusalChinese: RefusalCatalogue = {
  PAYMENT_CODE: () => '这是付款码，不是优惠券。请让顾客在微信卡包中打开优惠券再扫描',
  EMPTY_SCAN: () => '没有扫描到内容，请重新扫描',
  MULTIPLE_LINES: () => '扫描内容中间有换行，可能是两次扫描连在一起或条码没有读完整，请重新扫描',
  LOOKS_LIKE_URL: () => '这是网址或收款二维码，不是优惠券码',
  ILLEGAL_CHARACTER: (p) =>
    `第 ${num(p, 'position')} 个字符${str(p, 'char') ? `“${str(p, 'char')}”` : ''}（${str(p, 'codePoint')}）不能出现在券码中，券码只含数字、字母、空格和 - _ \\ / = |`,
  TOO_LONG: (p) => `券码最多 ${num(p, 'max')} 位，扫描到 ${num(p, 'length')} 位，可能是两次扫描连在一起，请重新扫描`,
  BAD_AMOUNT: () => '订单金额无效，请输入大于 0 的金额',
  INVALID_FIELD: (p) => `微信支付会拒绝这个请求：${str(p, 'field')} ${str(p, 'issue')}`,
  NO_OPEN_SHIFT: () => '本收银台没有进行中的班次，请先开班',
  STOCK_UNKNOWN: () => '无法确定这张券属于哪个批次，请选择批次后再核销',
  STOCK_UNAVAILABLE: () => '无法获取该批次的规则（网络不通且本机没有缓存），暂时不能核销',
  BELOW_MINIMUM: (p) =>
    `${str(p, 'basis') === 'remaining' ? '剩余应付' : '订单金额'} ${money(p, 'orderFen')} 未达到使用门槛 ${money(p, 'minimumFen')}，还差 ${money(p, 'shortfallFen')}`,
  RULE_UNSUPPORTED: (p) => `本收银台无法计算此类券（${str(p, 'stockType')}）的优惠，请联系店长`,
  NOT_YET_EFFECTIVE: (p) => `这张券还没到可用时间${next(p)}`,
  EXPIRED: () => '这张券已过期',
  NO_VALID_PERIOD: () => '这张券没有可用的有效期',
  OUTSIDE_WEEKLY_WINDOW: (p) => `现在不在这张券每周的可用时段内${next(p)}`,
  OUTSIDE_IRREGULAR_WINDOW: (p) => `现在不在这张券的可用时间段内${next(p)}`,
  OUTSIDE_TIME_WINDOWS: (p) => `现在不在这张券的可用时段内${next(p)}`,
  COUPON_NOT_USABLE: (p) => `这张券${couponStateChinese(str(p, 'couponState'))}，不能核销`,
  ALREADY_REDEEMED_HERE: () => '这张券已在本收银台核销，正在等待微信支付确认，不能再次核销',
  COUPON_NEEDS_ATTENTION: () => '这张券之前的一笔操作被微信支付拒绝，正在等待店长处理；处理前不能对它做其他操作',
  ASSOCIATE_NEEDS_UNUSED: () => '只有未核销的券可以关联订单：请先关联订单，再核销',
  RETURN_NEEDS_USED: (p) => `只有已核销的券可以退券，这张券${couponStateChinese(str(p, 'couponState'))}`,
  DEACTIVATE_NEEDS_UNUSED: (p) => `只有未使用的券可以使券失效，这张券${couponStateChinese(str(p, 'couponState'))}`,
  MANAGER_REQUIRED: () => '此操作需要店长授权',
  JOURNAL_UNWRITABLE: () => '本机无法写入操作记录（磁盘已满或无法写入），所以没有发送给微信支付，券没有核销。请不要给予优惠，并联系 IT 清理磁盘后重试',
  ORDER_NOT_OPEN: () => '这笔订单已经完成或取消，请开始新订单',
  ORDER_NUMBER_REQUIRED: () => '本店要求每张券都关联微信支付订单：请先输入或扫描收银机小票上的订单号',
  ORDER_LOCKED: () => '这笔订单已经用过券，金额和订单号不能再改；请完成这笔订单后开始新订单',
  ORDER_HAS_COUPONS: () => '这笔订单已经核销过券，不能取消；如需撤销请让店长退券',
  ORDER_OPEN_ELSEWHERE: () => '本收银台还有一笔进行中的订单，请先完成或取消它',
  ORDER_PAID_IN_FULL: () => '这笔订单已无需再付款，不能再用券',
  STACK_LIMIT: (p) => `本店每笔订单最多使用 ${num(p, 'max')} 张券`,
  STACK_SAME_STOCK: () => '这笔订单已经用过同一批次的券，本店规定同一批次每单只能用一张',
  STACK_SAME_COUPON: () => '这张券已经在这笔订单上了',
  OFFLINE: () => '无法连接微信支付，且本店未开启离线核销，请稍后再试',
  OFFLINE_STOCK_NOT_CACHED: () => '离线时只能核销本机已缓存规则的批次',
  OFFLINE_DISCOUNT_LIMIT: (p) => `离线核销单张券优惠不能超过 ${money(p, 'maxFen')}（本券 ${money(p, 'discountFen')}）`,
  OFFLINE_COUNT_LIMIT: (p) => `本班次离线核销已达上限 ${num(p, 'max')} 张`,
  OFFLINE_TOTAL_LIMIT: (p) => `本班次离线核销优惠总额上限 ${money(p, 'maxFen')}，已用 ${money(p, 'usedFen')}，本券 ${money(p, 'discountFen')} 超出`,
  OFFLINE_STATE_UNKNOWN: (p) => `本机记录这张券${couponStateChinese(str(p, 'couponState'))}，离线时不能受理`,
  WECHAT_REFUSED: (p) => `微信支付拒绝了此操作：${str(p, 'wechatMessage') || str(p, 'wechatCode') || '未说明原因'}`,
  OUTCOME_PENDING: () => '暂时无法确认结果，请不要给予优惠；系统会用同一请求号继续重试，结果请在待处理列表查看',
};
