// Public surface of the busifavor definitions.
export * from './endpoint';
export * from './endpoints';
export * from './enums';
export * from './entities';
export * from './errors';
export * from './fields';
export * from './rules';
export * from './stocks';
export * from './coupons';
export * from './codes';
export * from './subsidy';
export * from './callbacks';
export * from './coupon-send';
export * from './media';
export * from './sending';
export * from './urls';
export * from './param-error';
export { fieldLabel } from './labels';
