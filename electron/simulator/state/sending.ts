// Coupons reaching users (docs/wechatpay/busifavor.md#sending-coupons): the direct send API and the admin
// "a customer receives a coupon" (standing in for the mini-program plugin, H5 page and the
// other channels). Both go through `issue`, which enforces stock state, code mode and budget,
// derives the coupon's own validity and queues a COUPON.SEND event.
import { deriveCouponTimes, formatChinaRfc3339, parseRfc3339, startOfChinaDay } from '../../../shared/time';
import { takeUploadedCode } from './codes';
import { canonical } from './ledger';
import type { CouponRecord, StockRecord, UserRecord } from './model';
import { fail, type FailResult, invalidRequest, MESSAGES, noAuth, notFound, ok, paramError, type SimResult } from './result';
import { callerMerchant, isFail, rollover, stockFor, stockState } from './stocks';
import { couponKey, type World } from './world';

export const API_CHANNEL = 'BUSICOUPON_SEND_CHANNEL_API';
export const DEFAULT_RECEIVE_CHANNEL = 'BUSICOUPON_SEND_CHANNEL_MINIAPP';

interface Issue {
  stock: StockRecord;
  user: UserRecord;
  sender: string;
  outRequestNo: string;
  couponCode: string | undefined;
  channel: string;
  receivedAt: Date;
  fingerprint: string;
}

export interface SendInput {
  openid: string;
  appid: string;
  stock_id: string;
  out_request_no: string;
  coupon_code?: string;
}

export function sendCoupon(world: World, caller: string, body: SendInput): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  if (!merchant.permissions.send) return noAuth('商户未开通API发券权限');
  for (const f of ['openid', 'appid', 'stock_id', 'out_request_no'] as const) {
    if (typeof body[f] !== 'string' || body[f] === '') return paramError(`缺少必填参数 ${f}`, f);
  }
  const stock = stockFor(world, caller, body.stock_id);
  if (isFail(stock)) return stock;
  if (!world.appidBound(body.appid, [caller, stock.definition.belong_merchant])) return invalidRequest(MESSAGES.appidNotBound);
  // An OpenID WeChat has not seen under this AppID is taken as a new user of it.
  const user = world.findUser(body.appid, body.openid) ?? world.registerOpenid(body.appid, body.openid);
  return issue(world, {
    stock,
    user,
    sender: caller,
    outRequestNo: body.out_request_no,
    couponCode: body.coupon_code,
    channel: API_CHANNEL,
    receivedAt: world.now(),
    fingerprint: canonical(body),
  });
}

export interface ReceiveInput {
  stock_id: string;
  /** The customer: an existing user, or an OpenID under `appid`, or (neither) a new user. */
  user_id?: string;
  appid?: string;
  openid?: string;
  out_request_no?: string;
  coupon_code?: string;
  send_channel?: string;
  /** Back-dates the receipt (seed data for already-expired coupons); default now. */
  received_at?: string;
}

/** Admin: a customer receives a coupon through a WeChat channel (sender = belong merchant). */
export function receiveCoupon(world: World, input: ReceiveInput): SimResult {
  const stock = world.stocks.get(input.stock_id);
  if (!stock) return notFound(MESSAGES.stockNotFound);
  const belong = stock.definition.belong_merchant;
  const appid = input.appid ?? stock.definition.notify_config?.notify_appid ?? world.merchants.get(belong)?.appids[0] ?? world.merchants.get(stock.creator_mchid)?.appids[0];
  let user: UserRecord | undefined;
  if (input.user_id !== undefined) {
    user = world.users.get(input.user_id);
    if (!user) return paramError('用户不存在', 'user_id');
  } else if (input.openid !== undefined) {
    if (appid === undefined) return paramError('缺少 appid', 'appid');
    user = world.findUser(appid, input.openid) ?? world.registerOpenid(appid, input.openid);
  } else {
    user = world.createUser();
  }
  const receivedAt = input.received_at === undefined ? world.now() : parseRfc3339(input.received_at);
  if (!receivedAt) return paramError('received_at 不是合法的 RFC 3339 时间', 'received_at');
  const outRequestNo = input.out_request_no ?? `SIMRECEIVE${world.seq.coupon + 1}`;
  return issue(world, {
    stock,
    user,
    sender: belong,
    outRequestNo,
    couponCode: input.coupon_code,
    channel: input.send_channel ?? DEFAULT_RECEIVE_CHANNEL,
    receivedAt,
    fingerprint: canonical({ stock_id: input.stock_id, user_id: user.user_id, coupon_code: input.coupon_code }),
  });
}

export interface PluginSendInput {
  send_coupon_merchant: string;
  send_coupon_params: { stock_id: string; out_request_no: string; coupon_code?: string; customize_send_time?: string }[];
  /** The customer in the mini-program: an existing user, or an OpenID under `appid`, or (neither) a new user. */
  user_id?: string;
  appid?: string;
  openid?: string;
}

/** One entry of the plugin's `bind:sendcoupon` detail (docs/wechatpay/busifavor.md#sending-coupons). */
export interface PluginSendResult {
  stock_id: string;
  out_request_no: string;
  coupon_code?: string;
  code: string;
  message: string;
}

/** The plugin's per-coupon codes for what `issue` refuses; anything else keeps WeChat's error code (simulator's choice). */
function pluginCode(failure: FailResult): string {
  const reason = (failure.detail as { reason?: unknown } | undefined)?.reason;
  if (reason === 'NOTMONEY' || reason === 'DAY_LIMIT') return 'NOTMONEY';
  if (reason === 'USERLIMIT') return 'USERLIMIT';
  if (failure.message === MESSAGES.requestNoConflict) return 'DUPREQUEST';
  return failure.code;
}

/**
 * A send through the mini-program plugin, once WeChat has checked its APIv2 sign (the admin
 * layer does, with the merchant's key): each entry is issued on its own, with the sending
 * merchant as sender, so one entry over its limit does not stop the others.
 */
export function pluginSend(world: World, input: PluginSendInput): PluginSendResult[] {
  const appid = input.appid;
  let user: UserRecord | undefined;
  if (input.user_id !== undefined) user = world.users.get(input.user_id);
  else if (input.openid !== undefined && appid !== undefined) user = world.findUser(appid, input.openid) ?? world.registerOpenid(appid, input.openid);
  user ??= world.createUser();
  return input.send_coupon_params.map((entry) => {
    const head = { stock_id: entry.stock_id, out_request_no: entry.out_request_no };
    const stock = stockFor(world, input.send_coupon_merchant, entry.stock_id);
    if (isFail(stock)) return { ...head, code: stock.code, message: stock.message };
    const receivedAt = entry.customize_send_time === undefined ? world.now() : parseRfc3339(entry.customize_send_time);
    if (!receivedAt) return { ...head, code: 'PARAM_ERROR', message: 'customize_send_time 不是合法的 RFC 3339 时间' };
    const r = issue(world, {
      stock,
      user: user as UserRecord,
      sender: input.send_coupon_merchant,
      outRequestNo: entry.out_request_no,
      couponCode: entry.coupon_code,
      channel: DEFAULT_RECEIVE_CHANNEL,
      receivedAt,
      fingerprint: canonical({ ...entry, user_id: (user as UserRecord).user_id }),
    });
    if (!r.ok) return { ...head, code: pluginCode(r), message: r.message };
    const sent = (r.body as { send_coupon_result: { coupon_code: string } }).send_coupon_result;
    return { ...head, coupon_code: sent.coupon_code, code: 'SUCCESS', message: '发券成功' };
  });
}

/** Whether the request may carry a code at all: only MERCHANT_API stocks take (and need) one. */
function codeShapeProblem(stock: StockRecord, given: string | undefined): FailResult | null {
  switch (stock.definition.coupon_code_mode) {
    case 'WECHATPAY_MODE':
      return given === undefined ? null : paramError('该批次由微信支付生成券code，不能指定 coupon_code', 'coupon_code');
    case 'MERCHANT_API':
      return given !== undefined && given !== '' ? null : paramError('商户API指定券code模式的批次必须传入 coupon_code', 'coupon_code');
    case 'MERCHANT_UPLOAD':
      return given === undefined ? null : paramError('预上传券code模式的批次由微信支付随机选取券code，不能指定', 'coupon_code');
  }
}

function chooseCode(world: World, stock: StockRecord, given: string | undefined): string | FailResult {
  switch (stock.definition.coupon_code_mode) {
    case 'WECHATPAY_MODE':
      return world.uniqueDigits(22, (code) => world.isWechatCodeTaken(code));
    case 'MERCHANT_API':
      if (given === undefined || world.coupon(stock.stock_id, given)) return invalidRequest('该券code已在本批次中发放过', { coupon_code: given });
      return given;
    case 'MERCHANT_UPLOAD':
      return takeUploadedCode(world, stock) ?? invalidRequest('批次预上传的可用券code已用完', { reason: 'NO_AVAILABLE_CODE' });
  }
}

function issue(world: World, req: Issue): SimResult {
  const { stock, user } = req;
  const scope = `${stock.stock_id}|${user.user_id}`;
  const seen = world.ledger.check('coupon.send', scope, req.outRequestNo, req.fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);
  const shape = codeShapeProblem(stock, req.couponCode);
  if (shape) return shape;

  const state = stockState(world, stock);
  if (state !== 'RUNNING') return invalidRequest(`批次当前状态为 ${state}，不能发券`, { stock_state: state });
  rollover(world, stock);
  const rule = stock.definition.stock_send_rule;
  const c = stock.counters;
  if (rule.max_coupons !== undefined && c.total_send_num >= rule.max_coupons) return invalidRequest('批次可发放数量已用完', { reason: 'NOTMONEY' });
  if (rule.max_coupons_by_day !== undefined && c.today_send_num >= rule.max_coupons_by_day) return invalidRequest('批次今日可发放数量已用完', { reason: 'DAY_LIMIT' });
  // prevent_api_abuse: WeChat keeps coupons from accounts it considers risky.
  if (rule.prevent_api_abuse && user.abnormal) return fail(403, 'USER_ACCOUNT_ABNORMAL', MESSAGES.userAbnormal);
  if ((stock.per_user[user.user_id] ?? 0) >= rule.max_coupons_per_user) return invalidRequest('用户领取数量已达上限', { reason: 'USERLIMIT' });
  // The uploaded code is taken last, only once nothing else can refuse the send.
  const code = chooseCode(world, stock, req.couponCode);
  if (isFail(code)) return code;

  const times = deriveCouponTimes(stock.definition.coupon_use_rule.coupon_available_time, req.receivedAt);
  const receiveTime = formatChinaRfc3339(req.receivedAt);
  world.seq.coupon += 1;
  const coupon: CouponRecord = {
    seq: world.seq.coupon,
    stock_id: stock.stock_id,
    coupon_code: code,
    user_id: user.user_id,
    coupon_state: 'SENDED',
    receive_time: receiveTime,
    available_start_time: formatChinaRfc3339(times.available_start_time),
    expire_time: formatChinaRfc3339(times.expire_time),
    send_request_no: req.outRequestNo,
    send_channel: req.channel,
    send_merchant: req.sender,
    history: [{ at: receiveTime, op: 'send', from: null, to: 'SENDED', request_no: req.outRequestNo }],
  };
  world.addCoupon(coupon);
  if (stock.definition.coupon_code_mode === 'MERCHANT_UPLOAD') {
    const uploaded = world.codesOf(stock.stock_id).get(code);
    if (uploaded) {
      uploaded.code_status = 'DISPATCHED';
      uploaded.dispatched_time = receiveTime;
      uploaded.user_id = user.user_id;
    }
  }

  const amount = stock.definition.stock_type === 'NORMAL' ? (stock.definition.coupon_use_rule.fixed_normal_coupon?.discount_amount ?? 0) : 0;
  c.total_send_num += 1;
  c.total_send_amount += amount;
  if (startOfChinaDay(req.receivedAt).getTime() === c.day_start_ms) {
    c.today_send_num += 1;
    c.today_send_amount += amount;
  }
  stock.per_user[user.user_id] = (stock.per_user[user.user_id] ?? 0) + 1;

  const notifyAppid = stock.definition.notify_config?.notify_appid;
  world.seq.event += 1;
  world.events.push({
    event_id: world.seq.event,
    creator_mchid: stock.creator_mchid,
    event_type: 'EVENT_TYPE_BUSICOUPON_SEND',
    coupon_code: code,
    stock_id: stock.stock_id,
    send_time: receiveTime,
    ...(notifyAppid === undefined ? {} : { openid: world.openidFor(user, notifyAppid), unionid: world.unionidFor(user) }),
    send_channel: req.channel,
    send_merchant: req.sender,
  });

  const result = ok({ send_coupon_result: { stock_id: stock.stock_id, out_request_no: req.outRequestNo, coupon_code: code } });
  world.ledger.record('coupon.send', scope, req.outRequestNo, req.fingerprint, result, receiveTime, couponKey(stock.stock_id, code));
  return result;
}
