// The endpoint table: one definition per documented endpoint, with its method, path, success
// status, idempotency field and documented rate limit.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { endpointList, endpoints, getEndpoint, type BodyOf, type EndpointId, type Endpoints, type PathParamsOf, type ResponseOf } from '../../../shared/busifavor';

const B = '/v3/marketing/busifavor';
type Row = [EndpointId, string, string, 200 | 204, string | null, string | null];

// id, method, path, success status, idempotency field, rate limit
const table: Row[] = [
  ['stocks.create', 'POST', `${B}/stocks`, 200, 'out_request_no', '1000/minute'],
  ['stocks.get', 'GET', `${B}/stocks/{stock_id}`, 200, null, null],
  ['coupons.use', 'POST', `${B}/coupons/use`, 200, 'use_request_no', '500/second'],
  ['userCoupons.list', 'GET', `${B}/users/{openid}/coupons`, 200, null, null],
  ['userCoupons.get', 'GET', `${B}/users/{openid}/coupons/{coupon_code}/appids/{appid}`, 200, null, null],
  ['couponCodes.upload', 'POST', `${B}/stocks/{stock_id}/couponcodes`, 200, 'upload_request_no', null],
  ['couponCodes.list', 'GET', `${B}/stocks/{stock_id}/couponcodes`, 200, null, null],
  ['couponCodes.get', 'GET', `${B}/stocks/{stock_id}/couponcodes/{coupon_code}`, 200, null, null],
  ['couponCodes.delete', 'DELETE', `${B}/stocks/{stock_id}/couponcodes/{coupon_code}`, 200, 'delete_request_no', null],
  ['callbacks.set', 'POST', `${B}/callbacks`, 200, null, null],
  ['callbacks.get', 'GET', `${B}/callbacks`, 200, null, null],
  ['coupons.associate', 'POST', `${B}/coupons/associate`, 200, 'out_request_no', '500/second'],
  ['coupons.disassociate', 'POST', `${B}/coupons/disassociate`, 200, 'out_request_no', '500/second'],
  ['stocks.budget', 'PATCH', `${B}/stocks/{stock_id}/budget`, 200, 'modify_budget_request_no', null],
  ['stocks.modify', 'PATCH', `${B}/stocks/{stock_id}`, 204, 'out_request_no', null],
  ['coupons.return', 'POST', `${B}/coupons/return`, 200, 'return_request_no', null],
  ['coupons.deactivate', 'POST', `${B}/coupons/deactivate`, 200, 'deactivate_request_no', null],
  ['subsidy.pay.create', 'POST', `${B}/subsidy/pay-receipts`, 200, 'out_subsidy_no', null],
  ['subsidy.pay.get', 'GET', `${B}/subsidy/pay-receipts/{subsidy_receipt_id}`, 200, null, null],
  ['subsidy.pay.list', 'GET', `${B}/subsidy/pay-receipts`, 200, null, null],
  ['subsidy.return.create', 'POST', `${B}/subsidy/return-receipts`, 200, 'out_subsidy_return_no', null],
  ['subsidy.return.get', 'GET', `${B}/subsidy/return-receipts/{subsidy_return_receipt_id}`, 200, null, null],
  ['media.imageUpload', 'POST', '/v3/marketing/favor/media/image-upload', 200, null, '100/minute'],
  ['coupons.send', 'POST', `${B}/coupons/send`, 200, 'out_request_no', null],
];

describe('endpoint table', () => {
  it('holds exactly the documented endpoints, keyed by their own id', () => {
    expect(Object.keys(endpoints).sort()).toEqual(table.map((r) => r[0]).sort());
    for (const [key, def] of Object.entries(endpoints)) expect(def.id).toBe(key);
    expect(endpointList).toHaveLength(table.length);
  });
  for (const [id, method, path, status, idem, rate] of table) {
    it(`${id}: ${method} ${path}`, () => {
      const def = getEndpoint(id);
      expect(def.method).toBe(method);
      expect(def.path).toBe(path);
      expect(def.successStatus).toBe(status);
      expect(def.idempotencyKey).toBe(idem);
      expect(def.rateLimit ? `${def.rateLimit.limit}/${def.rateLimit.per}` : null).toBe(rate);
    });
  }
  it('the idempotency field exists where idempotencyIn says', () => {
    for (const def of endpointList) {
      if (def.idempotencyKey === null) {
        expect(def.idempotencyIn, def.id).toBeNull();
        continue;
      }
      const schema = def.idempotencyIn === 'query' ? def.query : def.body;
      expect(schema && 'shape' in schema ? Object.keys(schema.shape as object) : [], def.id).toContain(def.idempotencyKey);
    }
  });
  it('bodies only on POST/PATCH, none on GET/DELETE; 204 only without a response schema', () => {
    for (const def of endpointList) {
      const hasBody = def.method === 'POST' || def.method === 'PATCH';
      expect(def.body !== null, def.id).toBe(hasBody);
      expect(def.bodyKind === 'none', def.id).toBe(!hasBody);
      expect(def.response === null, def.id).toBe(def.successStatus === 204);
    }
    expect(endpoints['media.imageUpload'].bodyKind).toBe('multipart');
  });
  it('carries request and response types from the table (checked by tsc, parsed at run time)', () => {
    expectTypeOf<BodyOf<Endpoints['coupons.use']>>().toHaveProperty('use_request_no');
    expectTypeOf<PathParamsOf<Endpoints['coupons.use']>>().toEqualTypeOf<undefined>();
    expectTypeOf<ResponseOf<Endpoints['stocks.modify']>>().toEqualTypeOf<undefined>();
    const used: ResponseOf<Endpoints['coupons.use']> = endpoints['coupons.use'].response.parse({ stock_id: '1', openid: 'o', wechatpay_use_time: '2026-11-28T10:00:00+08:00' });
    expectTypeOf(used.wechatpay_use_time).toEqualTypeOf<string>();
    expect(used.openid).toBe('o');
  });
});
