// The POS domain: orders and redemption, coupon lookup and directory, stock cache, the
// store's offline and stacking rules, shifts and their report.
export * from './refusals';
export * from './coupon-directory';
export * from './coupon-lookup';
export * from './coupon-actions';
export * from './contract-views';
export * from './stock-cache';
export * from './coupon-rules';
export * from './offline-policy';
export * from './orders';
export * from './stacking';
export * from './stacking-policy';
export * from './shift-report';
export * from './shifts';
export * from './redemption';
export * from './services';
