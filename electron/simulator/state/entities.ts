// The user coupon object (CouponEntity, docs/wechatpay/busifavor.md#user-coupon-queries) as the query endpoints return it:
// the stock's descriptive fields plus the coupon's own times and request numbers.
import type { CouponRecord } from './model';
import type { World } from './world';

export function couponEntity(world: World, coupon: CouponRecord, withDescription: boolean): Record<string, unknown> {
  const stock = world.stocks.get(coupon.stock_id);
  if (!stock) throw new Error(`coupon ${coupon.coupon_code} refers to unknown stock ${coupon.stock_id}`);
  const d = structuredClone(stock.definition);
  const display = d.display_pattern_info;
  // Since 2020-07-08 the list endpoint leaves the description out; only the single query has it.
  if (display && !withDescription) delete display.description;
  const entity: Record<string, unknown> = {
    belong_merchant: d.belong_merchant,
    stock_name: d.stock_name,
    comment: d.comment,
    goods_name: d.goods_name,
    stock_type: d.stock_type,
    transferable: d.stock_send_rule.transferable,
    shareable: d.stock_send_rule.shareable,
    coupon_state: coupon.coupon_state,
    display_pattern_info: display,
    coupon_use_rule: d.coupon_use_rule,
    custom_entrance: d.custom_entrance,
    coupon_code: coupon.coupon_code,
    stock_id: coupon.stock_id,
    available_start_time: coupon.available_start_time,
    expire_time: coupon.expire_time,
    receive_time: coupon.receive_time,
    send_request_no: coupon.send_request_no,
    use_request_no: coupon.use_request_no,
    use_time: coupon.use_time,
    associate_out_trade_no: coupon.associate_out_trade_no,
    return_request_no: coupon.return_request_no,
    return_time: coupon.return_time,
    deactivate_request_no: coupon.deactivate_request_no,
    deactivate_time: coupon.deactivate_time,
    deactivate_reason: coupon.deactivate_reason,
  };
  for (const k of Object.keys(entity)) if (entity[k] === undefined) delete entity[k];
  return entity;
}
