// What did the cashier just scan? A coupon code we can redeem, a WeChat Pay payment code
// (the customer opened the wrong screen), or something unusable — with the reason.
import { COUPON_CODE_CHAR, COUPON_CODE_MAX, WECHATPAY_MODE_CODE } from '../busifavor/codes';
import { normalizeScan, type Normalized } from './normalize';
import type { Refusal } from '../refusals/refusal';
import { codePointLabel, reasons, type IllegalCharacter } from './reasons';

/** WeChat Pay 付款码: 18 digits starting 10..15. */
export const WECHAT_PAYMENT_CODE = /^1[0-5]\d{16}$/;

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.|weixin:|wxp:)/i;

export type ClassifiedScan =
  | {
      kind: 'coupon_code';
      code: string;
      /** 22 digits: the shape of a WeChat-assigned (WECHATPAY_MODE) code. */
      wechatpayModeShape: boolean;
      normalized: Omit<Normalized, 'text'>;
    }
  | {
      kind: 'payment_code';
      reason: Refusal;
      /** Only the ends are kept: a payment code can charge the customer, so it is never stored or shown whole. */
      masked: string;
    }
  | { kind: 'invalid'; reason: Refusal; illegal?: IllegalCharacter; length: number };

function firstIllegal(text: string): IllegalCharacter | undefined {
  const chars = Array.from(text);
  const i = chars.findIndex((c) => !COUPON_CODE_CHAR.test(c));
  if (i < 0) return undefined;
  const ch = chars[i] ?? '';
  return { position: i + 1, char: ch, codePoint: codePointLabel(ch) };
}

/**
 * Classifies one scan. Never throws. Order matters: framing is removed first, a payment code
 * is recognised before the coupon-code rules (it would also pass them — an 18-digit merchant
 * code starting 10..15 is therefore treated as a payment code, the safe reading), and the
 * first illegal character is reported before the length so the message names the problem.
 */
export function classifyScan(raw: string): ClassifiedScan {
  const n = normalizeScan(typeof raw === 'string' ? raw : '');
  const text = n.text;
  const length = Array.from(text).length;
  if (length === 0) return { kind: 'invalid', reason: reasons.empty(), length };
  if (/[\r\n]/.test(text)) return { kind: 'invalid', reason: reasons.multipleLines(), length };
  if (URL_LIKE.test(text)) return { kind: 'invalid', reason: reasons.url(), length };
  if (WECHAT_PAYMENT_CODE.test(text)) return { kind: 'payment_code', reason: reasons.paymentCode(), masked: `${text.slice(0, 4)}${'*'.repeat(10)}${text.slice(-4)}` };
  const illegal = firstIllegal(text);
  if (illegal) return { kind: 'invalid', reason: reasons.illegalCharacter(illegal), illegal, length };
  if (length > COUPON_CODE_MAX) return { kind: 'invalid', reason: reasons.tooLong(length, COUPON_CODE_MAX), length };
  const { text: _text, ...normalized } = n;
  return { kind: 'coupon_code', code: text, wechatpayModeShape: WECHATPAY_MODE_CODE.test(text), normalized };
}
