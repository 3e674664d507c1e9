// Path and query building/parsing: the client and the simulator must agree byte for byte,
// because the URL line is signed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPath,
  buildUrl,
  decodeQuery,
  encodeComponent,
  encodeQuery,
  endpointList,
  endpoints,
  matchPath,
  RequestParamError,
  routeRequest,
  validateRequest,
  type EndpointDef,
} from '../../../shared/busifavor';

const CODE_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -_\\/=|'.split('');
const couponCodeArb = fc.array(fc.constantFrom(...CODE_CHARS), { minLength: 1, maxLength: 32 }).map((a) => a.join(''));

describe('buildPath', () => {
  it('fills the template', () => {
    expect(buildPath(endpoints['userCoupons.get'], { openid: 'o-1', coupon_code: '1227944959000000911017', appid: 'wx1' })).toBe(
      '/v3/marketing/busifavor/users/o-1/coupons/1227944959000000911017/appids/wx1',
    );
  });
  it('percent-encodes every reserved character of a merchant code', () => {
    expect(buildPath(endpoints['couponCodes.get'], { stock_id: '98065001', coupon_code: 'a b/c\\d=e|f-g_h' })).toBe(
      '/v3/marketing/busifavor/stocks/98065001/couponcodes/a%20b%2Fc%5Cd%3De%7Cf-g_h',
    );
  });
  it('returns the literal path for endpoints without parameters', () => {
    expect(buildPath(endpoints['coupons.use'])).toBe('/v3/marketing/busifavor/coupons/use');
  });
  it('throws a RequestParamError naming the bad path parameter', () => {
    const err = (() => {
      try {
        buildPath(endpoints['stocks.get'], { stock_id: '' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(RequestParamError);
    expect((err as RequestParamError).paramError.detail).toMatchObject({ field: 'stock_id', location: 'path' });
    // Typed callers cannot even write this; an untyped one (e.g. posctl input) gets an error.
    const untyped: EndpointDef = endpoints['coupons.use'];
    expect(() => buildPath(untyped, { stock_id: '1' })).toThrow(RequestParamError);
  });
  it('every template placeholder is a path parameter and vice versa', () => {
    for (const def of endpointList) {
      const placeholders = [...def.path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]);
      expect(placeholders.sort(), def.id).toEqual(def.pathParams ? Object.keys(def.pathParams.shape).sort() : []);
    }
  });
  it('round-trips any valid coupon code through buildPath and routeRequest', () => {
    fc.assert(
      fc.property(couponCodeArb, fc.stringMatching(/^[0-9]{1,20}$/), (code, stock) => {
        const url = buildPath(endpoints['couponCodes.get'], { stock_id: stock, coupon_code: code });
        const route = routeRequest('GET', url);
        expect(route).toEqual({ kind: 'match', def: endpoints['couponCodes.get'], params: { stock_id: stock, coupon_code: code } });
      }),
    );
  });
});

describe('encodeQuery', () => {
  it('reproduces the signed URL of the doc example (test vector derived.busifavor.list_with_query)', () => {
    const url = buildUrl(endpoints['userCoupons.list'], {
      path: { openid: '2323dfsdf342342' },
      // Deliberately scrambled: the output order comes from the definition, not the caller.
      query: { limit: 20, offset: 0, creator_merchant: '1000000001', coupon_state: 'SENDED', stock_id: '100088', appid: 'wx233544546545989' },
    });
    expect(url).toBe(
      '/v3/marketing/busifavor/users/2323dfsdf342342/coupons?appid=wx233544546545989&stock_id=100088&coupon_state=SENDED&creator_merchant=1000000001&offset=0&limit=20',
    );
  });
  it('omits undefined parameters and returns "" when nothing is set', () => {
    expect(encodeQuery(endpoints['couponCodes.list'], { limit: 10, offset: undefined, appid: undefined })).toBe('limit=10');
    expect(encodeQuery(endpoints['couponCodes.list'], {})).toBe('');
    expect(buildUrl(endpoints['couponCodes.list'], { path: { stock_id: '1' } })).toBe('/v3/marketing/busifavor/stocks/1/couponcodes');
  });
  it('encodes request-number symbols and spaces strictly', () => {
    expect(encodeQuery(endpoints['couponCodes.delete'], { delete_request_no: 'a|b*c-d_e' })).toBe('delete_request_no=a%7Cb%2Ac-d_e');
    expect(encodeQuery(endpoints['subsidy.pay.list'], { stock_id: '1', coupon_code: 'A B+C' })).toBe('stock_id=1&coupon_code=A%20B%2BC');
  });
  it('validates before encoding', () => {
    expect(() => encodeQuery(endpoints['userCoupons.list'], { appid: 'wx1', creator_merchant: '1', limit: 0 })).toThrow(RequestParamError);
    const untyped: EndpointDef = endpoints['coupons.use'];
    expect(() => encodeQuery(untyped, { x: 1 })).toThrow(RequestParamError);
  });
  it('encodeComponent leaves only RFC 3986 unreserved characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(encodeComponent(s)).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
        expect(decodeURIComponent(encodeComponent(s))).toBe(s);
      }),
    );
  });
});

describe('decodeQuery', () => {
  it('turns numeric parameters into numbers and keeps the rest as strings', () => {
    const r = decodeQuery(endpoints['userCoupons.list'], '?appid=wx1&creator_merchant=0012&offset=0&limit=20');
    expect(r).toEqual({ ok: true, query: { appid: 'wx1', creator_merchant: '0012', offset: 0, limit: 20 } });
  });
  it('reads + as a space (Go and Java clients form-encode) and %2B as +', () => {
    const r = decodeQuery(endpoints['subsidy.pay.list'], 'stock_id=1&coupon_code=A+B%2BC');
    expect(r.ok && r.query.coupon_code).toBe('A B+C');
  });
  it('rejects repeated and undecodable parameters', () => {
    const repeated = decodeQuery(endpoints['callbacks.get'], 'mchid=10000098&mchid=10000099');
    expect(repeated.ok ? null : repeated.error.detail).toEqual({ field: 'mchid', location: 'query', issue: 'parameter repeated' });
    const broken = decodeQuery(endpoints['callbacks.get'], 'mchid=%E4%B8');
    expect(broken.ok).toBe(false);
  });
  it('leaves a non-numeric value for a numeric field to the schema, which rejects it', () => {
    const r = decodeQuery(endpoints['userCoupons.list'], 'appid=wx1&creator_merchant=1&limit=ten');
    expect(r.ok && r.query.limit).toBe('ten');
    const v = validateRequest(endpoints['userCoupons.list'], { path: { openid: 'o' }, query: r.ok ? r.query : {} });
    expect(v.ok ? null : v.error.detail).toMatchObject({ field: 'limit', location: 'query', value: 'ten' });
  });
  it('decodes exactly what encodeQuery produced, for any valid user-coupon query', () => {
    const queryArb = fc.record(
      {
        appid: fc.stringMatching(/^wx[0-9a-f]{1,30}$/),
        stock_id: fc.stringMatching(/^[0-9]{1,20}$/),
        coupon_state: fc.constantFrom('SENDED', 'USED', 'EXPIRED', 'DELETED', 'DEACTIVATED'),
        creator_merchant: fc.string({ minLength: 1, maxLength: 32, unit: 'binary' }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
        offset: fc.nat(1000),
        limit: fc.integer({ min: 1, max: 50 }),
      },
      { requiredKeys: ['appid', 'creator_merchant'] },
    );
    fc.assert(
      fc.property(queryArb, (q) => {
        const def = endpoints['userCoupons.list'];
        const r = decodeQuery(def, encodeQuery(def, q));
        expect(r).toEqual({ ok: true, query: q });
      }),
    );
  });
});

describe('routing', () => {
  it('finds each endpoint by method and concrete path', () => {
    for (const def of endpointList) {
      const params = def.pathParams ? Object.fromEntries(Object.keys(def.pathParams.shape).map((k) => [k, k === 'subsidy_receipt_id' ? '1'.repeat(28) : `v-${k}`])) : undefined;
      const url = `${buildPath(def, params)}?x=1`;
      const route = routeRequest(def.method, url);
      expect(route.kind === 'match' && route.def.id, def.id).toBe(def.id);
    }
  });
  it('answers 405 with the allowed methods and 404 for unknown paths', () => {
    expect(routeRequest('PUT', '/v3/marketing/busifavor/stocks/123')).toEqual({ kind: 'method_not_allowed', allowed: ['GET', 'PATCH'] });
    expect(routeRequest('GET', '/v3/marketing/busifavor/nothing')).toEqual({ kind: 'not_found' });
    expect(routeRequest('GET', '/v3/marketing/busifavor/stocks/')).toEqual({ kind: 'not_found' });
  });
  it('matchPath keeps a literal + in a path segment', () => {
    expect(matchPath(endpoints['stocks.get'], '/v3/marketing/busifavor/stocks/1+2')).toEqual({ stock_id: '1+2' });
  });
});
