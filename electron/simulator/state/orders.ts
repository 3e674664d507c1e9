// Linking an unused coupon to a WeChat Pay order for statistics (docs/wechatpay/busifavor.md#coupon-operations). Neither call
// changes coupon_state; both are recorded in the coupon's history because they change what
// the coupon shows (`associate_out_trade_no`).
import { canonical } from './ledger';
import { invalidRequest, MESSAGES, ok, type SimResult } from './result';
import { couponFor, requireText } from './redemption';
import { callerMerchant, isFail } from './stocks';
import { couponKey, type World } from './world';

export interface OrderLinkInput {
  stock_id: string;
  coupon_code: string;
  out_trade_no: string;
  out_request_no: string;
}

type Direction = 'associate' | 'disassociate';

function link(world: World, caller: string, body: OrderLinkInput, direction: Direction): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  const missing = requireText(body, ['stock_id', 'coupon_code', 'out_trade_no', 'out_request_no']);
  if (missing) return missing;
  const op = `coupon.${direction}`;
  const fingerprint = canonical(body);
  const seen = world.ledger.check(op, caller, body.out_request_no, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);

  const found = couponFor(world, caller, body.stock_id, body.coupon_code);
  if (isFail(found)) return found;
  const { coupon } = found;
  if (coupon.coupon_state !== 'SENDED') return invalidRequest('只有未核销的可用券可以关联或取消关联订单', { coupon_state: coupon.coupon_state });
  const current = coupon.associate_out_trade_no;
  if (direction === 'associate' && current !== undefined) {
    return invalidRequest(current === body.out_trade_no ? '券已关联该订单' : '券已关联其他订单，请先取消关联', { associate_out_trade_no: current });
  }
  if (direction === 'disassociate' && current === undefined) return invalidRequest('券未关联订单，无需取消关联');
  if (direction === 'disassociate' && current !== body.out_trade_no) return invalidRequest('券关联的订单与请求的订单号不一致');

  const now = world.nowText();
  world.transition(coupon, direction, 'SENDED', body.out_request_no, body.out_trade_no);
  if (direction === 'associate') coupon.associate_out_trade_no = body.out_trade_no;
  else delete coupon.associate_out_trade_no;
  const result = ok(direction === 'associate' ? { wechatpay_associate_time: now } : { wechatpay_disassociate_time: now });
  world.ledger.record(op, caller, body.out_request_no, fingerprint, result, now, couponKey(coupon.stock_id, coupon.coupon_code));
  return result;
}

export const associateOrder = (world: World, caller: string, body: OrderLinkInput): SimResult => link(world, caller, body, 'associate');
export const disassociateOrder = (world: World, caller: string, body: OrderLinkInput): SimResult => link(world, caller, body, 'disassociate');
