// Valid requests for every endpoint: the base that invalid cases mutate.
import type { RequestParts } from '../../../shared/busifavor';

export const validCreateBody = () => ({
  stock_name: '满100减10元券',
  belong_merchant: '1900000109',
  comment: '双十一活动',
  goods_name: '全场通用',
  stock_type: 'NORMAL',
  coupon_use_rule: {
    coupon_available_time: {
      available_begin_time: '2026-11-01T00:00:00+08:00',
      available_end_time: '2026-11-30T23:59:59+08:00',
      available_day_after_receive: 3,
      wait_days_after_receive: 1,
      available_week: { week_day: [1, 2, 3, 4, 5], available_day_time: [{ begin_time: 36_000, end_time: 79_200 }] },
      irregulary_avaliable_time: [{ begin_time: '2026-11-28T10:00:00+08:00', end_time: '2026-11-28T22:00:00+08:00' }],
    },
    fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 10_000 },
    use_method: 'OFF_LINE',
  },
  stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 2, max_coupons_by_day: 100, prevent_api_abuse: true },
  out_request_no: '1900000109-20261101-0001',
  custom_entrance: {
    mini_programs_info: { mini_programs_appid: 'wx1234567890abcdef', mini_programs_path: '/pages/index', entrance_words: '欢迎选购', guiding_words: '获取更多优惠' },
    code_display_mode: 'BARCODE',
  },
  display_pattern_info: { description: '全场可用', background_color: 'Color020', merchant_logo_url: 'https://qpic.cn/xxx' },
  coupon_code_mode: 'WECHATPAY_MODE',
  notify_config: { notify_appid: 'wx1234567890abcdef' },
});

/** One valid request per endpoint id. */
export const validRequests: Record<string, RequestParts> = {
  'stocks.create': { body: validCreateBody() },
  'stocks.get': { path: { stock_id: '1286950000000039' } },
  'coupons.use': {
    body: { coupon_code: 'sxxe34343434', stock_id: '100088', appid: 'wx1234567889999', use_time: '2015-05-20T13:29:35+08:00', use_request_no: '1002600620019090123143254435' },
  },
  'userCoupons.list': {
    path: { openid: '2323dfsdf342342' },
    query: { appid: 'wx233544546545989', stock_id: '100088', coupon_state: 'SENDED', creator_merchant: '1000000001', offset: 0, limit: 20 },
  },
  'userCoupons.get': { path: { openid: 'odXnH1CJjeQoWTld48db-pnxs-Wg', coupon_code: '1227944959000000911017', appid: 'wx1234567889999' } },
  'couponCodes.upload': { path: { stock_id: '98065001' }, body: { coupon_code_list: ['ABC-123', 'a b/c=d|e\\f_g'], upload_request_no: 'up|2026_*-1' } },
  'couponCodes.list': { path: { stock_id: '98065001' }, query: { limit: 10, offset: 0, status: 'AVAILABLE' } },
  'couponCodes.get': { path: { stock_id: '98065001', coupon_code: 'ABC-123' }, query: { appid: 'wx1234567889999' } },
  'couponCodes.delete': { path: { stock_id: '98065001', coupon_code: 'ABC-123' }, query: { delete_request_no: 'del-0001' } },
  'callbacks.set': { body: { mchid: '10000098', notify_url: 'https://pos.example.com/wechat/notify' } },
  'callbacks.get': { query: { mchid: '10000098' } },
  'coupons.associate': { body: { stock_id: '100088', coupon_code: 'sxxe34343434', out_trade_no: 'POS-20261128-0001', out_request_no: 'assoc-0001' } },
  'coupons.disassociate': { body: { stock_id: '100088', coupon_code: 'sxxe34343434', out_trade_no: 'POS-20261128-0001', out_request_no: 'disassoc-0001' } },
  'stocks.budget': { path: { stock_id: '98065001' }, body: { target_max_coupons: 300, current_max_coupons: 200, modify_budget_request_no: 'budget-0001' } },
  'stocks.modify': { path: { stock_id: '98065001' }, body: { goods_name: '饮品可用', out_request_no: 'modify-0001' } },
  'coupons.return': { body: { coupon_code: 'sxxe34343434', stock_id: '100088', return_request_no: 'ret-0001' } },
  'coupons.deactivate': { body: { coupon_code: 'sxxe34343434', stock_id: '100088', deactivate_request_no: 'deact-0001', deactivate_reason: '顾客要求作废' } },
  'subsidy.pay.create': {
    body: {
      stock_id: '128888000000001',
      coupon_code: 'ABCD12345678',
      transaction_id: '4200000913202101152566792388',
      payer_merchant: '1900000001',
      payee_merchant: '1900000002',
      amount: 100,
      description: '20210115DESCRIPTION',
      out_subsidy_no: 'subsidy-20210115-0001',
    },
  },
  'subsidy.pay.get': { path: { subsidy_receipt_id: '1120200119165100000000000001' } },
  'subsidy.pay.list': { query: { stock_id: '128888000000001', coupon_code: 'ABCD12345678', out_subsidy_no: 'subsidy-20210115-0001' } },
  'subsidy.return.create': {
    body: {
      stock_id: '128888000000001',
      coupon_code: 'ABCD12345678',
      transaction_id: '4200000913202101152566792388',
      refund_id: '50000000382019052709732678859',
      payer_merchant: '1900000001',
      payee_merchant: '1900000002',
      amount: 100,
      description: '订单退款，回退补差',
      out_subsidy_return_no: 'subsidy-return-0001',
    },
  },
  'subsidy.return.get': { path: { subsidy_return_receipt_id: '1120200119165100000000000001' } },
  'media.imageUpload': { body: { filename: 'logo.png', sha256: 'a'.repeat(64) } },
  'coupons.send': { body: { openid: 'odXnH1CJjeQoWTld48db-pnxs-Wg', appid: 'wx1234567889999', stock_id: '1286950000000039', out_request_no: 'send-0001' } },
};
