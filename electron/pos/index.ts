// The POS domain: redemption, coupon directory, stock cache, offline policy, shifts.
export * from './refusals';
export * from './coupon-directory';
export * from './stock-cache';
export * from './coupon-rules';
export * from './offline-policy';
export * from './shift-report';
export * from './shifts';
export * from './redemption';
export * from './services';
