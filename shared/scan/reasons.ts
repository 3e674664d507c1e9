// Why a scan is not a coupon code: a stable code for programs and logs, and a sentence in
// Chinese and English for the cashier saying what happened and what to do.

export type ScanReasonCode = 'PAYMENT_CODE' | 'EMPTY' | 'MULTIPLE_LINES' | 'LOOKS_LIKE_URL' | 'ILLEGAL_CHARACTER' | 'TOO_LONG';

export interface ScanReason {
  code: ScanReasonCode;
  zh: string;
  en: string;
}

export interface IllegalCharacter {
  /** 1-based position in the cleaned text, counted in characters. */
  position: number;
  char: string;
  /** `U+002E` */
  codePoint: string;
}

export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Controls and spaces are invisible on screen: for those only the code point is shown. */
function isVisible(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  const invisible =
    cp <= 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) || cp === 0x205f || cp === 0x3000 || cp === 0xfeff;
  return !invisible;
}

export const reasons = {
  paymentCode: (): ScanReason => ({
    code: 'PAYMENT_CODE',
    zh: '这是付款码，不是优惠券。请让顾客在微信卡包中打开优惠券再扫描',
    en: 'This is a payment code, not a coupon. Ask the customer to open the coupon in the WeChat card wallet and scan again',
  }),
  empty: (): ScanReason => ({ code: 'EMPTY', zh: '没有扫描到内容，请重新扫描', en: 'Nothing was scanned; scan again' }),
  multipleLines: (): ScanReason => ({
    code: 'MULTIPLE_LINES',
    zh: '扫描内容中间有换行，可能是两次扫描连在一起或条码没有读完整，请重新扫描',
    en: 'The scan contains a line break: two scans ran together or the code was read only partly. Scan again',
  }),
  url: (): ScanReason => ({
    code: 'LOOKS_LIKE_URL',
    zh: '这是网址或收款二维码，不是优惠券码',
    en: 'This is a web link or payment QR code, not a coupon code',
  }),
  illegalCharacter: (c: IllegalCharacter): ScanReason => ({
    code: 'ILLEGAL_CHARACTER',
    zh: `第 ${c.position} 个字符${isVisible(c.char) ? `“${c.char}”` : ''}（${c.codePoint}）不能出现在券码中，券码只含数字、字母、空格和 - _ \\ / = |`,
    en: `Character ${isVisible(c.char) ? `"${c.char}" ` : ''}(${c.codePoint}) at position ${c.position} cannot be in a coupon code (digits, letters, space and - _ \\ / = | only)`,
  }),
  tooLong: (length: number, max: number): ScanReason => ({
    code: 'TOO_LONG',
    zh: `券码最多 ${max} 位，扫描到 ${length} 位，可能是两次扫描连在一起，请重新扫描`,
    en: `A coupon code has at most ${max} characters but ${length} were scanned; two scans may have run together. Scan again`,
  }),
};
