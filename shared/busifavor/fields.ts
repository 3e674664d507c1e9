// Building blocks for request fields. Every request string goes through `text()`, which
// rejects what APIv3 cannot carry: characters outside the Basic Multilingual Plane (4-byte
// UTF-8 — emoji, CJK Extension B) and lone surrogates. With those gone, a JavaScript string's
// length is its character count, which is how WeChat counts limits (字数: one Chinese
// character = one letter = one).
import { z } from 'zod';
import { isRfc3339 } from '../time';

/** Any UTF-16 surrogate: half of a 4-byte UTF-8 character, or a broken one. */
const SURROGATE = /[\uD800-\uDFFF]/;

export function firstNonBmpIndex(text: string): number {
  const m = SURROGATE.exec(text);
  return m ? m.index : -1;
}

const describeChar = (ch: string): string => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Request string of `min..max` characters (max omitted = no documented limit), BMP only. */
export function text(min: number, max?: number) {
  // The BMP check comes first so an emoji is reported as such, not as a length overflow.
  const bmp = z.string().superRefine((value, ctx) => {
    const at = firstNonBmpIndex(value);
    if (at >= 0) {
      const cp = value.codePointAt(at) ?? 0;
      ctx.addIssue({
        code: 'custom',
        message: `包含微信支付不接受的四字节字符（第 ${Array.from(value.slice(0, at)).length + 1} 个字符，${describeChar(String.fromCodePoint(cp))}），请删除表情符号或生僻字`,
        params: { issue: `contains a character outside the Basic Multilingual Plane (4-byte UTF-8) at index ${at}`, rule: 'non_bmp' },
      });
    }
  });
  return max === undefined ? bmp.min(min) : bmp.min(min).max(max);
}

/**
 * Restricts a string to a set of characters and names the first offender, so the error tells
 * the cashier exactly which character to remove.
 */
export function charset(schema: z.ZodType<string>, allowed: RegExp, describeZh: string, describeEn: string) {
  return schema.superRefine((value, ctx) => {
    if (typeof value !== 'string') return;
    const chars = Array.from(value);
    const i = chars.findIndex((c) => !allowed.test(c));
    if (i < 0) return;
    const bad = chars[i] ?? '';
    ctx.addIssue({
      code: 'custom',
      message: `第 ${i + 1} 个字符“${bad}”（${describeChar(bad)}）不允许，只能包含${describeZh}`,
      params: { issue: `character ${JSON.stringify(bad)} (${describeChar(bad)}) at position ${i + 1} is not allowed; allowed: ${describeEn}`, rule: 'charset' },
    });
  });
}

/** Request-number charset (商户请求单号): letters, digits, `|`, `_`, `*`, `-`. */
export const REQUEST_NO_CHAR = /^[A-Za-z0-9|_*-]$/;

export function requestNo(max = 128) {
  return charset(text(1, max), REQUEST_NO_CHAR, '英文字母、数字、|、_、*、-', 'letters, digits, | _ * -');
}

/** RFC 3339 date-time with an explicit offset, e.g. 2026-11-28T10:00:00+08:00. */
export function dateTime() {
  return text(20, 40).superRefine((value, ctx) => {
    if (typeof value === 'string' && !isRfc3339(value)) {
      ctx.addIssue({
        code: 'custom',
        message: '不是合法的 RFC 3339 时间，应形如 2026-11-28T10:00:00+08:00',
        params: { issue: 'not an RFC 3339 date-time with offset', rule: 'rfc3339' },
      });
    }
  });
}

/** Integer in [min, max]: amounts in fen, counts, seconds of the day. */
export function int(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

/**
 * Image URL as returned by the marketing image-upload API (https, ≤ 256 characters). Only its
 * shape can be checked here; that WeChat issued it, only WeChat knows.
 */
export function mediaUrl() {
  return text(9, 256).superRefine((value, ctx) => {
    if (typeof value === 'string' && !/^https:\/\/[^\s/?#]+(?:[/?#]\S*)?$/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: '必须是通过图片上传接口获得的 https 地址',
        params: { issue: 'must be an https URL returned by the marketing image-upload API', rule: 'media_url' },
      });
    }
  });
}

// Documented lengths of identifiers shared by many endpoints.
export const stockId = () => text(1, 20);
export const appid = () => text(1, 32);
export const openid = () => text(1, 128);
export const mchid = () => text(8, 15);
export const merchantNo = () => text(1, 32);
export const wechatOrderId = () => text(28, 32);

// --- response side: tolerant ---------------------------------------------------------------

/** Response time: RFC 3339 with or without fractional seconds. */
export const responseTime = z.string().refine(isRfc3339, { message: 'not an RFC 3339 date-time' });

/**
 * Enum in a response: known values are typed, unknown ones still parse — WeChat adds states
 * (the OAS already shows PENDING_REDEEM on coupons) and old tills must keep working.
 */
export function tolerantEnum<const T extends readonly [string, ...string[]]>(_values: T) {
  return z.string() as unknown as z.ZodType<T[number] | (string & {}), string>;
}
