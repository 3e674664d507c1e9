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
  'print.setup': { paperMm: 58, printer: null },
  'merchant.live': {},
  'merchant.test': {},
  'merchant.provision': { mchid: '1900000001', appid: 'wx1', identity: { kind: 'pem', privateKeyPem: 'x', certificatePem: 'x' }, apiv3Key: 'k', verification: 'certificate' },
};
