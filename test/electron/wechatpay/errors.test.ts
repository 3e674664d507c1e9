import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { classifyError, classifyHttpStatus, errorFromResponse, isConnectionFailure, WechatPayError } from '../../../electron/wechatpay/errors';
import { keyVector } from './support/vectors';

describe('status classification', () => {
  it('maps every documented status to the right kind', () => {
    const table: [number, string | undefined][] = [
      [200, undefined],
      [204, undefined],
      [202, 'unknown_outcome'],
      [400, 'rejected'],
      [401, 'rejected'],
      [403, 'rejected'],
      [404, 'rejected'],
      [405, 'rejected'],
      [429, 'unknown_outcome'],
      [500, 'unknown_outcome'],
      [502, 'unknown_outcome'],
      [503, 'unknown_outcome'],
    ];
    for (const [status, kind] of table) expect([status, classifyHttpStatus(status)]).toEqual([status, kind]);
  });

  it('builds the error from the {code,message,detail} body and keeps the Request-ID', () => {
    const body = JSON.stringify({
      code: 'PARAM_ERROR',
      message: '输入源“/body/coupon_use_rule/fixed_normal_coupon/discount_amount”映射到数值字段“优惠金额”规则校验失败,值低于最小值 1',
      detail: { location: 'body', value: 0 },
    });
    const error = errorFromResponse(400, Buffer.from(body), '08F78BB5AF0D11EDA4E4-1');
    expect(error).toMatchObject({ kind: 'rejected', httpStatus: 400, code: 'PARAM_ERROR', requestId: '08F78BB5AF0D11EDA4E4-1' });
    expect(error.detail).toEqual({ location: 'body', value: 0 });
    expect(error.message).toContain('优惠金额');
    expect(error.retryable).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ kind: 'rejected', code: 'PARAM_ERROR' });
  });

  it('copes with empty and non-JSON error bodies', () => {
    expect(errorFromResponse(502, '<html>bad gateway</html>')).toMatchObject({ kind: 'unknown_outcome', httpStatus: 502, message: 'WeChat Pay answered HTTP 502' });
    expect(errorFromResponse(202, '')).toMatchObject({ kind: 'unknown_outcome', retryable: true });
  });
});

describe('connection failures and classification of thrown values', () => {
  it('recognises connection-level failures, also when wrapped', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']) {
      expect([code, isConnectionFailure(Object.assign(new Error(code), { code }))]).toEqual([code, true]);
    }
    const wrapped = new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    expect(isConnectionFailure(wrapped)).toBe(true);
    expect(isConnectionFailure(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(false);
    expect(isConnectionFailure(new Error('plain'))).toBe(false);
  });

  it('classifies our errors by kind and anything else as unknown outcome', () => {
    expect(classifyError(new WechatPayError({ kind: 'security', message: 'x' }))).toBe('security');
    expect(classifyError(new TypeError('boom'))).toBe('unknown_outcome');
  });

  it('cuts key material out of any message that would carry it', () => {
    const pem = keyVector('java_merchant_rsa').private_key_pkcs8_pem;
    const error = new WechatPayError({ kind: 'configuration', message: `cannot use ${pem} here` });
    const secretLine = pem.split('\n')[1] as string;
    for (const rendering of [error.message, String(error), JSON.stringify(error), inspect(error)]) {
      expect(rendering).not.toContain(secretLine);
    }
    expect(error.message).toContain('[redacted PEM]');
  });
});
