// The APIv3 error body (docs/wechatpay/apiv3.md#error-envelope). `code` is what programs key on; `message` is shown,
// never parsed; `detail` is loosely structured and optional.
import { z } from 'zod';

export const wechatErrorBody = z.looseObject({
  code: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
});

export type WechatErrorBody = z.infer<typeof wechatErrorBody>;

/** Codes the busifavor pages use or that we expect (docs/wechatpay/busifavor.md#errors). */
export const KNOWN_ERROR_CODES = [
  'PARAM_ERROR',
  'INVALID_REQUEST',
  'SIGN_ERROR',
  'SYSTEM_ERROR',
  'NO_AUTH',
  'RESOURCE_NOT_EXISTS',
  'MCH_NOT_EXISTS',
  'USER_ACCOUNT_ABNORMAL',
  'FREQUENCY_LIMITED',
  'RATELIMIT_EXCEEDED',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'APPID_MCHID_NOT_MATCH',
] as const;

const SPELLINGS: Record<string, string> = {
  // The return page prints NOAUTH; every other page NO_AUTH.
  NOAUTH: 'NO_AUTH',
};

/** One spelling per meaning, so callers can compare with `===`. */
export function normalizeErrorCode(code: string): string {
  const upper = code.trim().toUpperCase();
  return SPELLINGS[upper] ?? upper;
}
