// Public surface of the simulator's state engine.
export { SimState, DEFAULT_START, type SimStateOptions, type RequestNumberReport } from './state';
export { ManualClock, SystemClock, clockFromSnapshot, type Clock, type ClockSnapshot } from './clock';
export type { SimResult, OkResult, FailResult } from './result';
export type { SimSnapshot } from './persistence';
export type { SeedOptions, SeedSummary, SeedCoupon } from './seed';
export type * from './model';
export type { SendInput, ReceiveInput, PluginSendInput, PluginSendResult } from './sending';
export type { UseInput, ReturnInput, DeactivateInput } from './redemption';
export type { OrderLinkInput } from './orders';
export type { BudgetInput } from './stocks';
export type { UploadCodesInput, ListCodesInput } from './codes';
export type { ListUserCouponsInput } from './user-coupons';
export type { PayReceiptInput, ReturnReceiptInput } from './subsidy';
export type { MerchantInput } from './merchants';
