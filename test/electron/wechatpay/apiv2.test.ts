// APIv2 signing for the sending plugin: our signer against WeChat's published sample, the derived
// plugin vector, and HMACs this test computes itself with node:crypto from strings it writes out.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiV2SignString, pluginSignFields } from '../../../shared/busifavor';
import { apiV2HmacSign, apiV2SignMatches, validateApiV2Key, WechatPayError } from '../../../electron/wechatpay';

const vectors = JSON.parse(readFileSync('test/fixtures/wechatpay/test-vectors.json', 'utf8')) as {
  apiv2_symmetric_signing: { params: Record<string, string>; key: string; stringA: string; hmac_sha256_upper: string }[];
  derived_busifavor_examples: { id: string; params: Record<string, string>; key: string; string_to_sign: string; sign: string }[];
};

const hmacUpper = (key: string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex').toUpperCase();

describe('APIv2 HMAC-SHA256', () => {
  it("reproduces WeChat's published APIv2 sample", () => {
    const v = vectors.apiv2_symmetric_signing[0]!;
    expect(apiV2SignString(v.params)).toBe(v.stringA);
    expect(apiV2HmacSign(v.params, v.key)).toBe(v.hmac_sha256_upper);
  });

  it('reproduces the derived plugin vector, flattening send_coupon_params as the plugin does', () => {
    const v = vectors.derived_busifavor_examples.find((e) => e.id === 'derived.miniprogram_plugin.sign')!;
    const fields = pluginSignFields({
      send_coupon_merchant: '10016226',
      send_coupon_params: [
        { stock_id: 'abc123', out_request_no: '1234567' },
        { stock_id: '321cba', out_request_no: '7654321' },
      ],
    });
    expect(fields).toEqual(v.params);
    expect(`${apiV2SignString(fields)}&key=${v.key}`).toBe(v.string_to_sign);
    expect(apiV2HmacSign(fields, v.key)).toBe(v.sign);
  });

  it('matches HMACs computed here from hand-written strings (optional fields, Chinese-free values, several entries)', () => {
    const key = 'Aq9Zr2Lw8Xc4Vb7Nm1Ks5Dj3Hf6Gt0Ey';
    const fields = pluginSignFields({
      send_coupon_merchant: '1900000109',
      send_coupon_params: [
        { stock_id: '1286950000000039', out_request_no: 'S20260101AAA', customize_send_time: '2026-01-02T10:00:00+08:00' },
        { stock_id: '98065001', out_request_no: 'S20260101BBB', coupon_code: 'CODE-1' },
      ],
    });
    const written =
      'coupon_code1=CODE-1&customize_send_time0=2026-01-02T10:00:00+08:00&out_request_no0=S20260101AAA&out_request_no1=S20260101BBB' +
      '&send_coupon_merchant=1900000109&stock_id0=1286950000000039&stock_id1=98065001';
    expect(apiV2SignString(fields)).toBe(written);
    expect(apiV2HmacSign(fields, key)).toBe(hmacUpper(key, `${written}&key=${key}`));
    expect(apiV2SignMatches(fields, key, hmacUpper(key, `${written}&key=${key}`).toLowerCase())).toBe(true);
    expect(apiV2SignMatches(fields, key, hmacUpper(key, `${written}&key=x`))).toBe(false);
  });

  it('leaves empty values out of the string', () => {
    expect(apiV2SignString({ b: '2', a: '', c: '3' })).toBe('b=2&c=3');
  });

  it('takes a 32-character APIv2 key and names no key in its refusal', () => {
    expect(validateApiV2Key('192006250b4c09247ec02edce69f6a2d')).toBe('192006250b4c09247ec02edce69f6a2d');
    const short = '192006250b4c09247ec02edce69f6a2';
    const err = (() => {
      try {
        validateApiV2Key(short);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(WechatPayError);
    expect((err as Error).message).not.toContain(short);
  });
});
