import { contract, methodNames } from '../../shared/contract';

/** Every method the contract marks manager-only. */
export const managerMethods = methodNames.filter((m) => 'manager' in contract[m] && contract[m].manager);

/** A payload each manager method accepts, so a refusal proves the gate and not the schema. */
export const managerSamples: Record<string, unknown> = {
  'coupon.return': { code: 'X1' },
  'coupon.deactivate': { code: 'X1', reason: '测试' },
  'queue.retry': { operationId: 'OP-1' },
  'queue.ack': { operationId: 'OP-1' },
  'shift.report': {},
  'shift.close': {},
  'app.setMode': { mode: 'live' },
  'offline.policy': {},
  'offline.setPolicy': { policy: { mode: 'off' } },
  'order.setPolicy': { policy: { maxCouponsPerOrder: 1, sameStockTwice: false, thresholdBasis: 'remaining', requireOrderNumber: false } },
  'backoffice.stocks': {},
  'backoffice.stock': { stockId: '123' },
  'backoffice.createStock': {
    stock: {
      stock_name: '券',
      belong_merchant: '1900000109',
      goods_name: '全场',
      stock_type: 'NORMAL',
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: '2026-01-01T00:00:00+08:00', available_end_time: '2026-02-01T00:00:00+08:00' },
        fixed_normal_coupon: { discount_amount: 100, transaction_minimum: 0 },
        use_method: 'OFF_LINE',
      },
      stock_send_rule: { max_coupons: 10, max_coupons_per_user: 1 },
      coupon_code_mode: 'WECHATPAY_MODE',
    },
  },
  'backoffice.modifyStock': { stockId: '123', patch: { comment: 'x' } },
  'backoffice.budget': { stockId: '123', target: 'max_coupons', current: 1, value: 2 },
  'backoffice.uploadCodes': { stockId: '123', codes: ['A1'] },
  'backoffice.codes': { stockId: '123' },
  'backoffice.deleteCode': { stockId: '123', code: 'A1' },
  'backoffice.uploadImage': { filename: 'a.png', contentBase64: 'AAAA' },
  'backoffice.callbacks': {},
  'backoffice.setCallbacks': { notifyUrl: 'https://a.example.com/n' },
  'backoffice.paySubsidy': { stockId: '123', couponCode: 'A1', transactionId: '4'.repeat(28), payeeMerchant: '1900000002', amountFen: 1, description: 'x' },
  'backoffice.subsidy': { receiptId: '1'.repeat(28) },
  'backoffice.sendParams': { coupons: [{ stockId: '123' }] },
  'backoffice.audit': {},
  'backoffice.retry': { operationId: 'OP-1' },
  'print.setup': { paperMm: 58, printer: null },
  'merchant.live': {},
  'merchant.test': {},
  'merchant.provision': { mchid: '1900000001', appid: 'wx1', identity: { kind: 'pem', privateKeyPem: 'x', certificatePem: 'x' }, apiv3Key: 'k', verification: 'certificate' },
};
