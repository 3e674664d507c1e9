// Method and event names without zod, so the sandboxed preload can expose exactly these
// and nothing else without bundling the schemas. methods.ts checks it matches the contract.
export const methodNames = [
  'app.info',
  'app.health',
  'app.setMode',
  'till.scan',
  'till.redeem',
  'order.current',
  'order.open',
  'order.get',
  'order.finish',
  'order.cancel',
  'order.policy',
  'order.setPolicy',
  'queue.list',
  'shift.current',
  'shift.open',
  'manager.status',
  'manager.signIn',
  'manager.signOut',
  'coupon.return',
  'coupon.deactivate',
  'queue.retry',
  'queue.ack',
  'shift.report',
  'shift.close',
  'offline.policy',
  'offline.setPolicy',
  'backoffice.stocks',
  'backoffice.stock',
  'backoffice.createStock',
  'backoffice.modifyStock',
  'backoffice.budget',
  'backoffice.uploadCodes',
  'backoffice.codes',
  'backoffice.deleteCode',
  'backoffice.uploadImage',
  'backoffice.callbacks',
  'backoffice.setCallbacks',
  'backoffice.paySubsidy',
  'backoffice.subsidy',
  'backoffice.sendParams',
  'backoffice.audit',
  'backoffice.retry',
  'print.config',
  'print.setup',
  'print.slip',
  'merchant.live',
  'merchant.provision',
  'merchant.test',
  'training.practice',
] as const;
export type MethodName = (typeof methodNames)[number];

export const eventNames = ['app.info', 'app.health', 'queue.status', 'order.status'] as const;
export type EventName = (typeof eventNames)[number];

/** IPC channel for a method; one channel per method, never a generic "invoke anything". */
export const channelFor = (method: MethodName) => `pos:${method}`;
export const eventChannel = 'pos:event';
