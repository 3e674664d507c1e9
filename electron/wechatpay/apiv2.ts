// APIv2 signing, which WeChat still uses for the sending plugin's and the H5 page's parameters
// (docs/wechatpay/busifavor.md#sending-coupons): HMAC-SHA256 keyed with the merchant's APIv2 key
// over the sorted `k=v&…` string followed by `&key=<the same key>`, in upper-case hex.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { apiV2SignString } from '../../shared/busifavor/sending';
import { WechatPayError } from './errors';

/** The APIv2 key: 32 printable ASCII characters (not the APIv3 key). The message never echoes it. */
export function validateApiV2Key(key: string): string {
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length !== 32 || !bytes.every((b) => b > 0x20 && b < 0x7f)) {
    throw new WechatPayError({
      kind: 'configuration',
      code: 'BAD_APIV2_KEY',
      message: `The APIv2 key must be exactly 32 printable ASCII characters (got ${bytes.length} bytes); it is set in the merchant platform under API安全 → APIv2密钥`,
    });
  }
  return key;
}

export function apiV2HmacSign(fields: Record<string, string>, key: string): string {
  return createHmac('sha256', key)
    .update(`${apiV2SignString(fields)}&key=${key}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}

/** Constant-time comparison of a received sign with the expected one (case-insensitive hex). */
export function apiV2SignMatches(fields: Record<string, string>, key: string, sign: string): boolean {
  const expected = Buffer.from(apiV2HmacSign(fields, key), 'utf8');
  const got = Buffer.from(sign.toUpperCase(), 'utf8');
  return expected.length === got.length && timingSafeEqual(expected, got);
}
