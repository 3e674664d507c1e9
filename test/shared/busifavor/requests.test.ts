// Every endpoint: a valid request passes; invalid ones fail with WeChat's PARAM_ERROR pointing
// at the right field and location.
import { describe, expect, it } from 'vitest';
import { endpoints, validateRequest, type EndpointId, type ParamLocation, type RequestParts } from '../../../shared/busifavor';
import { validRequests } from './fixtures';

type Mutation = { at: ParamLocation; path: (string | number)[]; value: unknown };
type Case = { name: string; id: EndpointId; change: Mutation[]; field: string; location: ParamLocation };

function apply(parts: RequestParts, changes: Mutation[]): RequestParts {
  const copy = structuredClone(parts) as Record<string, unknown>;
  for (const { at, path, value } of changes) {
    copy[at] ??= {};
    let node = copy[at] as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy as RequestParts;
}

const set = (at: ParamLocation, path: (string | number)[], value: unknown): Mutation[] => [{ at, path, value }];
const drop = (at: ParamLocation, path: (string | number)[]): Mutation[] => [{ at, path, value: undefined }];

const cases: Case[] = [
  {
    name: 'discount_amount below 1',
    id: 'stocks.create',
    change: set('body', ['coupon_use_rule', 'fixed_normal_coupon', 'discount_amount'], 0),
    field: '/body/coupon_use_rule/fixed_normal_coupon/discount_amount',
    location: 'body',
  },
  { name: 'stock_name missing', id: 'stocks.create', change: drop('body', ['stock_name']), field: '/body/stock_name', location: 'body' },
  { name: 'stock_id empty', id: 'stocks.get', change: set('path', ['stock_id'], ''), field: 'stock_id', location: 'path' },
  { name: 'stock_id 21 chars', id: 'stocks.get', change: set('path', ['stock_id'], '1'.repeat(21)), field: 'stock_id', location: 'path' },
  { name: 'use_request_no with #', id: 'coupons.use', change: set('body', ['use_request_no'], 'abc#1'), field: '/body/use_request_no', location: 'body' },
  { name: 'use_time without offset', id: 'coupons.use', change: set('body', ['use_time'], '2015-05-20T13:29:35'), field: '/body/use_time', location: 'body' },
  { name: 'use with OAS-only out_trade_no', id: 'coupons.use', change: set('body', ['out_trade_no'], 'T1'), field: '/body/out_trade_no', location: 'body' },
  { name: 'use_request_no 129 chars', id: 'coupons.use', change: set('body', ['use_request_no'], 'a'.repeat(129)), field: '/body/use_request_no', location: 'body' },
  { name: 'bad coupon_state', id: 'userCoupons.list', change: set('query', ['coupon_state'], 'BOGUS'), field: 'coupon_state', location: 'query' },
  { name: 'no caller merchant', id: 'userCoupons.list', change: drop('query', ['creator_merchant']), field: 'creator_merchant', location: 'query' },
  { name: 'limit 51', id: 'userCoupons.list', change: set('query', ['limit'], 51), field: 'limit', location: 'query' },
  { name: 'appid missing', id: 'userCoupons.list', change: drop('query', ['appid']), field: 'appid', location: 'query' },
  { name: 'coupon_code 33 chars', id: 'userCoupons.get', change: set('path', ['coupon_code'], 'A'.repeat(33)), field: 'coupon_code', location: 'path' },
  {
    name: '201 codes',
    id: 'couponCodes.upload',
    change: set(
      'body',
      ['coupon_code_list'],
      Array.from({ length: 201 }, (_, i) => `C${i}`),
    ),
    field: '/body/coupon_code_list',
    location: 'body',
  },
  { name: 'empty code list', id: 'couponCodes.upload', change: set('body', ['coupon_code_list'], []), field: '/body/coupon_code_list', location: 'body' },
  { name: 'tab inside a code', id: 'couponCodes.upload', change: set('body', ['coupon_code_list', 1], 'AB\tC'), field: '/body/coupon_code_list/1', location: 'body' },
  { name: 'code status from the OAS', id: 'couponCodes.list', change: set('query', ['status'], 'SENDED'), field: 'status', location: 'query' },
  { name: 'unknown query param', id: 'couponCodes.get', change: set('query', ['foo'], 'x'), field: 'foo', location: 'query' },
  { name: 'delete_request_no missing', id: 'couponCodes.delete', change: drop('query', ['delete_request_no']), field: 'delete_request_no', location: 'query' },
  { name: 'http notify_url', id: 'callbacks.set', change: set('body', ['notify_url'], 'http://pos.example.com/notify'), field: '/body/notify_url', location: 'body' },
  { name: 'notify_url with query', id: 'callbacks.set', change: set('body', ['notify_url'], 'https://pos.example.com/n?x=1'), field: '/body/notify_url', location: 'body' },
  { name: 'mchid too short', id: 'callbacks.get', change: set('query', ['mchid'], '1234567'), field: 'mchid', location: 'query' },
  { name: 'out_trade_no 129 chars', id: 'coupons.associate', change: set('body', ['out_trade_no'], 'x'.repeat(129)), field: '/body/out_trade_no', location: 'body' },
  { name: 'out_request_no missing', id: 'coupons.disassociate', change: drop('body', ['out_request_no']), field: '/body/out_request_no', location: 'body' },
  {
    name: 'two budget targets',
    id: 'stocks.budget',
    change: [...set('body', ['target_max_coupons_by_day'], 50), ...set('body', ['current_max_coupons_by_day'], 40)],
    field: '/body/target_max_coupons_by_day',
    location: 'body',
  },
  { name: 'budget target without current', id: 'stocks.budget', change: drop('body', ['current_max_coupons']), field: '/body/current_max_coupons', location: 'body' },
  {
    name: 'current of the other target',
    id: 'stocks.budget',
    change: set('body', ['current_max_coupons_by_day'], 40),
    field: '/body/current_max_coupons_by_day',
    location: 'body',
  },
  {
    name: 'no budget target',
    id: 'stocks.budget',
    change: [...drop('body', ['target_max_coupons']), ...drop('body', ['current_max_coupons'])],
    field: '/body/target_max_coupons',
    location: 'body',
  },
  { name: 'modify nothing', id: 'stocks.modify', change: drop('body', ['goods_name']), field: '/body', location: 'body' },
  { name: 'modify stock_name of 22 characters', id: 'stocks.modify', change: set('body', ['stock_name'], '券'.repeat(22)), field: '/body/stock_name', location: 'body' },
  {
    name: 'modify the logo to an http URL',
    id: 'stocks.modify',
    change: set('body', ['display_pattern_info'], { merchant_logo_url: 'http://qpic.cn/y' }),
    field: '/body/display_pattern_info/merchant_logo_url',
    location: 'body',
  },
  {
    name: 'modify store_id (not in modify)',
    id: 'stocks.modify',
    change: set('body', ['custom_entrance'], { store_id: '1' }),
    field: '/body/custom_entrance/store_id',
    location: 'body',
  },
  { name: 'return without stock_id', id: 'coupons.return', change: drop('body', ['stock_id']), field: '/body/stock_id', location: 'body' },
  { name: 'deactivate reason 65 chars', id: 'coupons.deactivate', change: set('body', ['deactivate_reason'], '废'.repeat(65)), field: '/body/deactivate_reason', location: 'body' },
  { name: 'subsidy over 5000 CNY', id: 'subsidy.pay.create', change: set('body', ['amount'], 500_001), field: '/body/amount', location: 'body' },
  { name: 'transaction_id 27 chars', id: 'subsidy.pay.create', change: set('body', ['transaction_id'], '4'.repeat(27)), field: '/body/transaction_id', location: 'body' },
  { name: 'receipt id 27 chars', id: 'subsidy.pay.get', change: set('path', ['subsidy_receipt_id'], '1'.repeat(27)), field: 'subsidy_receipt_id', location: 'path' },
  { name: 'list without coupon_code', id: 'subsidy.pay.list', change: drop('query', ['coupon_code']), field: 'coupon_code', location: 'query' },
  { name: 'return without refund_id', id: 'subsidy.return.create', change: drop('body', ['refund_id']), field: '/body/refund_id', location: 'body' },
  { name: 'empty return receipt id', id: 'subsidy.return.get', change: set('path', ['subsidy_return_receipt_id'], ''), field: 'subsidy_return_receipt_id', location: 'path' },
  { name: 'gif upload', id: 'media.imageUpload', change: set('body', ['filename'], 'logo.gif'), field: '/body/filename', location: 'body' },
  { name: 'short sha256', id: 'media.imageUpload', change: set('body', ['sha256'], 'abc'), field: '/body/sha256', location: 'body' },
  { name: 'send with a dot in the code', id: 'coupons.send', change: set('body', ['coupon_code'], 'AB.C'), field: '/body/coupon_code', location: 'body' },
];

describe('valid requests', () => {
  it('has one for every endpoint', () => {
    expect(Object.keys(validRequests).sort()).toEqual(Object.keys(endpoints).sort());
  });
  for (const id of Object.keys(endpoints) as EndpointId[]) {
    it(`${id} accepts its valid request`, () => {
      const r = validateRequest(endpoints[id], validRequests[id] ?? {});
      expect(r.ok ? 'ok' : r.error).toBe('ok');
    });
  }
});

describe('invalid requests', () => {
  it('covers every endpoint', () => {
    expect(new Set(cases.map((c) => c.id))).toEqual(new Set(Object.keys(endpoints)));
  });
  for (const c of cases) {
    it(`${c.id}: ${c.name} → ${c.field}`, () => {
      const r = validateRequest(endpoints[c.id], apply(validRequests[c.id] ?? {}, c.change));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('PARAM_ERROR');
      expect(r.error.detail.field).toBe(c.field);
      expect(r.error.detail.location).toBe(c.location);
      expect(r.error.message).toContain(`输入源“${c.field}”`);
    });
  }
});

describe('request parts an endpoint does not take', () => {
  it('rejects a body on a GET', () => {
    const r = validateRequest(endpoints['stocks.get'], { path: { stock_id: '1' }, body: {} });
    expect(r.ok ? null : r.error.detail).toEqual({ field: '/body', location: 'body', issue: 'this endpoint takes no body parameters' });
  });
  it('rejects query parameters where none are documented', () => {
    const r = validateRequest(endpoints['coupons.use'], { ...validRequests['coupons.use'], query: { debug: '1' } });
    expect(r.ok ? null : r.error.detail.field).toBe('debug');
  });
  it('reports a missing body as required', () => {
    const r = validateRequest(endpoints['coupons.use'], {});
    expect(r.ok ? null : r.error.detail).toMatchObject({ field: '/body', issue: 'required' });
  });
  it('checks the path before the body', () => {
    const r = validateRequest(endpoints['stocks.budget'], { path: { stock_id: '' }, body: {} });
    expect(r.ok ? null : r.error.detail.location).toBe('path');
  });
});
