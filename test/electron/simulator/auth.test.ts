// What the simulator checks before business logic, and how every answer is dressed: unsigned,
// wrongly signed, stale and unknown-identity requests get an unsigned 401 with a reason;
// missing headers and bad fields get a signed 400 naming them; every response carries a
// Request-ID and every non-401 one a signature that verifies, 204 included.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SeedSummary } from '../../../electron/simulator/state/index';
import { BASE, DROP, call, get, merchantOf, post, startTestSim, verify } from './support/sim';

const seedOf = (sim: { credentials: { seed: unknown } }) => sim.credentials.seed as SeedSummary;
const stockUrl = (sim: { credentials: { seed: unknown } }) => `${BASE}/stocks/${seedOf(sim).stocks[0]?.stock_id}`;

describe('Authorization', () => {
  it('refuses an unsigned request with 401 SIGN_ERROR, a reason, a Request-ID and no signature', async () => {
    const sim = await startTestSim();
    const answer = await get(sim, stockUrl(sim), { as: false });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ code: 'SIGN_ERROR', detail: { location: 'authorization', detail: { issue: 'Authorization header missing' } } });
    expect(answer.headers['request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(answer.headers['wechatpay-signature']).toBeUndefined();
  });

  it('refuses a request signed with another key: "sign not match" and the message it checked', async () => {
    const sim = await startTestSim();
    const me = merchantOf(sim);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const answer = await get(sim, stockUrl(sim), { as: { ...me, privateKey } });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({
      code: 'SIGN_ERROR',
      detail: { field: 'signature', detail: { issue: 'sign not match' }, sign_information: { method: 'GET', url: stockUrl(sim) } },
    });
    expect(answer.headers['wechatpay-signature']).toBeUndefined();
  });

  it('signs over the exact body bytes: a body changed after signing is refused', async () => {
    const sim = await startTestSim();
    const body = JSON.stringify({ notify_url: 'https://example.com/notify' });
    const answer = await call(sim, { method: 'POST', url: `${BASE}/callbacks`, body: body.replace('example', 'exarnple'), signedBody: body });
    expect(answer.status).toBe(401);
    expect((answer.json?.detail as { detail: { issue: string } }).detail.issue).toBe('sign not match');
  });

  it.each([
    ['301 s in the past', -301],
    ['301 s in the future', 301],
  ])('refuses a timestamp %s (window ±300 s)', async (_label, offset) => {
    // Both clocks pinned: with live clocks a second boundary crossed between signing and
    // checking turns +301 into +300, which is inside the window.
    const at = Date.now();
    const sim = await startTestSim({ now: () => at });
    const answer = await get(sim, stockUrl(sim), { timestampOffsetSeconds: offset, signedAtMs: at });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ code: 'SIGN_ERROR', detail: { field: 'timestamp' } });
    expect(String((answer.json?.detail as { detail: { issue: string } }).detail.issue)).toContain(`${Math.abs(offset)} s from server time`);
  });

  it('accepts a timestamp 290 s off', async () => {
    const sim = await startTestSim();
    const answer = await get(sim, stockUrl(sim), { timestampOffsetSeconds: -290 });
    expect(answer.status).toBe(200);
    expect(verify(sim, answer).ok).toBe(true);
  });

  it('refuses an unknown certificate serial and an unknown merchant, saying which', async () => {
    const sim = await startTestSim();
    const me = merchantOf(sim);
    const badSerial = await get(sim, stockUrl(sim), { as: { ...me, serial: '1234567890ABCDEF1234567890ABCDEF12345678' } });
    expect(badSerial.status).toBe(401);
    expect(badSerial.json).toMatchObject({ code: 'SIGN_ERROR', message: '商户证书序列号有误', detail: { field: 'serial_no' } });
    const badMerchant = await get(sim, stockUrl(sim), { as: { ...me, mchid: '1999999999' } });
    expect(badMerchant.status).toBe(401);
    expect(badMerchant.json).toMatchObject({ code: 'SIGN_ERROR', detail: { field: 'mchid' } });
  });

  it('refuses another Authorization scheme', async () => {
    const sim = await startTestSim();
    const answer = await get(sim, stockUrl(sim), { as: false, headers: { authorization: 'Bearer abc' } });
    expect(answer.status).toBe(401);
    expect(String((answer.json?.detail as { detail: { issue: string } }).detail.issue)).toContain('unsupported scheme');
  });
});

describe('protocol headers', () => {
  it.each([
    ['User-Agent missing', { 'user-agent': DROP }, 'User-Agent'],
    ['Accept empty', { accept: '' }, 'Accept'],
  ])('%s → signed 400 INVALID_REQUEST before the signature is looked at', async (_label, headers, field) => {
    const sim = await startTestSim();
    const answer = await get(sim, stockUrl(sim), { as: false, headers });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'INVALID_REQUEST', message: 'Http头缺少Accept或User-Agent', detail: { field } });
    expect(verify(sim, answer).ok).toBe(true);
  });
});

describe('validation', () => {
  it('answers a field out of range with a signed 400 PARAM_ERROR naming the field', async () => {
    const sim = await startTestSim();
    const coupon = seedOf(sim).coupons.SENDED[0];
    if (!coupon) throw new Error('seed has no SENDED coupon');
    const answer = await post(sim, `${BASE}/coupons/use`, {
      coupon_code: coupon.coupon_code,
      stock_id: coupon.stock_id,
      appid: seedOf(sim).appid,
      use_time: '2026-01-01T10:00:00+08:00',
      use_request_no: 'bad#number',
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/body/use_request_no', location: 'body' } });
    expect(verify(sim, answer).ok).toBe(true);
    expect(sim.state.coupon(coupon.stock_id, coupon.coupon_code)?.coupon_state).toBe('SENDED');
  });

  it('names a nested field (discount_amount 0 on stock creation)', async () => {
    const sim = await startTestSim();
    const answer = await post(sim, `${BASE}/stocks`, {
      stock_name: '测试券',
      belong_merchant: sim.credentials.mchid,
      goods_name: '全场',
      stock_type: 'NORMAL',
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: '2026-01-01T00:00:00+08:00', available_end_time: '2026-03-01T00:00:00+08:00' },
        fixed_normal_coupon: { discount_amount: 0, transaction_minimum: 100 },
        use_method: 'OFF_LINE',
      },
      stock_send_rule: { max_coupons: 10, max_coupons_per_user: 1 },
      out_request_no: 'AUTHTEST1',
      coupon_code_mode: 'WECHATPAY_MODE',
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/body/coupon_use_rule/fixed_normal_coupon/discount_amount', value: 0 } });
  });

  it('refuses a 4-byte UTF-8 character with PARAM_ERROR naming the field', async () => {
    const sim = await startTestSim();
    const coupon = seedOf(sim).coupons.SENDED[0];
    if (!coupon) throw new Error('seed has no SENDED coupon');
    const answer = await post(sim, `${BASE}/coupons/deactivate`, {
      coupon_code: coupon.coupon_code,
      stock_id: coupon.stock_id,
      deactivate_request_no: 'DEACT4BYTE',
      deactivate_reason: '顾客不要了😀',
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/body/deactivate_reason' } });
    expect(String(answer.json?.message)).toContain('四字节');
  });

  it('refuses a body that is not JSON', async () => {
    const sim = await startTestSim();
    const answer = await call(sim, { method: 'POST', url: `${BASE}/coupons/use`, body: '{"coupon_code":' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'PARAM_ERROR', detail: { issue: 'body is not JSON' } });
  });
});

describe('every answer is signed and carries a Request-ID', () => {
  it('signs a 204 over the empty body', async () => {
    const sim = await startTestSim();
    const answer = await call(sim, { method: 'PATCH', url: stockUrl(sim), body: JSON.stringify({ out_request_no: 'MODIFY1', comment: '改个备注' }) });
    expect(answer.status).toBe(204);
    expect(answer.raw.length).toBe(0);
    expect(verify(sim, answer)).toMatchObject({ ok: true, serial: sim.credentials.wechatpay_public_key_id });
    expect(answer.headers['request-id']).toBeTruthy();
  });

  it('signs 404 and 405 answers, and gives each request its own Request-ID', async () => {
    const sim = await startTestSim();
    const missing = await get(sim, `${BASE}/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: 'RESOURCE_NOT_EXISTS' });
    expect(verify(sim, missing).ok).toBe(true);
    const wrongMethod = await call(sim, { method: 'DELETE', url: stockUrl(sim) });
    expect(wrongMethod.status).toBe(405);
    expect(verify(sim, wrongMethod).ok).toBe(true);
    expect(wrongMethod.headers['request-id']).not.toBe(missing.headers['request-id']);
  });

  it('signs business errors (404 for a stock that does not exist)', async () => {
    const sim = await startTestSim();
    const answer = await get(sim, `${BASE}/stocks/1234`);
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ code: 'RESOURCE_NOT_EXISTS', message: '批次不存在' });
    expect(verify(sim, answer).ok).toBe(true);
  });
});
