// WeChat's enumerations, spelled as WeChat spells them (STOPED, SENDED). Request schemas use
// the strict `z.enum`; responses use `tolerantEnum` so a new value never breaks a till.
import { z } from 'zod';
import { tolerantEnum } from './fields';

export const STOCK_TYPES = ['NORMAL', 'DISCOUNT', 'EXCHANGE'] as const;
export const COUPON_CODE_MODES = ['WECHATPAY_MODE', 'MERCHANT_API', 'MERCHANT_UPLOAD'] as const;
export const USE_METHODS = ['OFF_LINE', 'MINI_PROGRAMS', 'SELF_CONSUME', 'PAYMENT_CODE'] as const;
export const CODE_DISPLAY_MODES = ['NOT_SHOW', 'BARCODE', 'QRCODE'] as const;
export const BACKGROUND_COLORS = ['Color010', 'Color020', 'Color030', 'Color040', 'Color050', 'Color060', 'Color070', 'Color080', 'Color090', 'Color100'] as const;
export const STOCK_STATES = ['UNAUDIT', 'RUNNING', 'STOPED', 'PAUSED'] as const;
export const COUPON_STATES = ['SENDED', 'USED', 'EXPIRED', 'DELETED', 'DEACTIVATED'] as const;
/** Uploaded-code status (Go SDK); the OAS lists coupon states instead — we trust the SDK (docs/wechatpay/busifavor.md#disagreements). */
export const CODE_STATUSES = ['AVAILABLE', 'DISPATCHED'] as const;

/** Subsidy pay status, doc form. The Go/Java SDKs prefix every value with `PAY_RECEIPT_`. */
export const SUBSIDY_PAY_STATUSES = ['ACCEPTED', 'SUCCESS', 'FAIL', 'RETURNING', 'PARTIAL_RETURN', 'FULL_RETURN'] as const;
export const SUBSIDY_PAY_FAIL_REASONS = ['INSUFFICIENT_BALANCE', 'NOT_INCOMESPLIT_ORDER', 'EXCEED_SUBSIDY_AMOUNT_QUOTA', 'EXCEED_SUBSIDY_COUNT_QUOTA', 'OTHER'] as const;
/** Subsidy return status, doc/SDK form. One OAS example drops the `RETURN_RECEIPT_` prefix. */
export const SUBSIDY_RETURN_STATUSES = ['RETURN_RECEIPT_ACCEPTED', 'RETURN_RECEIPT_SUCCESS', 'RETURN_RECEIPT_FAIL', 'RETURN_RECEIPT_UNKNOWN'] as const;
export const SUBSIDY_RETURN_FAIL_REASONS = ['RETURN_RECEIPT_INSUFFICIENT_BALANCE', 'RETURN_RECEIPT_OTHER'] as const;

export type StockType = (typeof STOCK_TYPES)[number];
export type CouponCodeMode = (typeof COUPON_CODE_MODES)[number];
export type UseMethod = (typeof USE_METHODS)[number];
export type CodeDisplayMode = (typeof CODE_DISPLAY_MODES)[number];
export type BackgroundColor = (typeof BACKGROUND_COLORS)[number];
export type StockState = (typeof STOCK_STATES)[number];
export type CouponState = (typeof COUPON_STATES)[number];
export type CodeStatus = (typeof CODE_STATUSES)[number];
export type SubsidyPayStatus = (typeof SUBSIDY_PAY_STATUSES)[number];
export type SubsidyReturnStatus = (typeof SUBSIDY_RETURN_STATUSES)[number];

// Strict (request) forms.
export const stockType = z.enum(STOCK_TYPES);
export const couponCodeMode = z.enum(COUPON_CODE_MODES);
export const useMethod = z.enum(USE_METHODS);
export const codeDisplayMode = z.enum(CODE_DISPLAY_MODES);
export const backgroundColor = z.enum(BACKGROUND_COLORS);
export const couponState = z.enum(COUPON_STATES);
export const codeStatus = z.enum(CODE_STATUSES);
export const weekDay = z.number().int().min(0).max(6);

// Tolerant (response) forms.
export const stockTypeOut = tolerantEnum(STOCK_TYPES);
export const couponCodeModeOut = tolerantEnum(COUPON_CODE_MODES);
export const useMethodOut = tolerantEnum(USE_METHODS);
export const codeDisplayModeOut = tolerantEnum(CODE_DISPLAY_MODES);
export const backgroundColorOut = tolerantEnum(BACKGROUND_COLORS);
export const stockStateOut = tolerantEnum(STOCK_STATES);
export const couponStateOut = tolerantEnum(COUPON_STATES);
export const codeStatusOut = tolerantEnum(CODE_STATUSES);
export const subsidyPayStatusOut = tolerantEnum([...SUBSIDY_PAY_STATUSES, ...SUBSIDY_PAY_STATUSES.map((s) => `PAY_RECEIPT_${s}` as const), 'PAY_RECEIPT_UNKNOWN']);
export const subsidyPayFailReasonOut = tolerantEnum([...SUBSIDY_PAY_FAIL_REASONS, ...SUBSIDY_PAY_FAIL_REASONS.map((s) => `PAY_RECEIPT_${s}` as const)]);
export const subsidyReturnStatusOut = tolerantEnum([...SUBSIDY_RETURN_STATUSES, 'ACCEPTED', 'SUCCESS', 'FAIL', 'UNKNOWN']);
export const subsidyReturnFailReasonOut = tolerantEnum([...SUBSIDY_RETURN_FAIL_REASONS, 'INSUFFICIENT_BALANCE', 'OTHER']);

/** `PAY_RECEIPT_SUCCESS` and `SUCCESS` → `SUCCESS` (doc form, what the simulator emits). */
export function normalizeSubsidyPayStatus(status: string): string {
  return status.startsWith('PAY_RECEIPT_') ? status.slice('PAY_RECEIPT_'.length) : status;
}

/** Same for pay `fail_reason`. */
export const normalizeSubsidyPayFailReason = normalizeSubsidyPayStatus;

/** `SUCCESS` and `RETURN_RECEIPT_SUCCESS` → `RETURN_RECEIPT_SUCCESS` (doc/SDK form); also for `fail_reason`. */
export function normalizeSubsidyReturnValue(value: string): string {
  return value.startsWith('RETURN_RECEIPT_') ? value : `RETURN_RECEIPT_${value}`;
}
