// WeChat-style PARAM_ERROR bodies built from zod failures.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { endpoints, toParamError, validateRequest } from '../../../shared/busifavor';
import { validCreateBody, validRequests } from './fixtures';

describe('toParamError', () => {
  it('reproduces the confirmed WeChat message for a number below its minimum', () => {
    const body = validCreateBody();
    body.coupon_use_rule.fixed_normal_coupon.discount_amount = 0;
    const r = validateRequest(endpoints['stocks.create'], { body });
    expect(r.ok ? null : r.error).toEqual({
      code: 'PARAM_ERROR',
      message: '输入源“/body/coupon_use_rule/fixed_normal_coupon/discount_amount”映射到数值字段“优惠金额”规则校验失败,值低于最小值 1',
      detail: { field: '/body/coupon_use_rule/fixed_normal_coupon/discount_amount', location: 'body', issue: 'below the minimum 1', value: 0 },
    });
  });
  it('says a missing field is required', () => {
    const r = validateRequest(endpoints['coupons.return'], { body: { coupon_code: 'A1', stock_id: '1' } });
    expect(r.ok ? null : r.error).toEqual({
      code: 'PARAM_ERROR',
      message: '输入源“/body/return_request_no”映射到值字段“退券请求单据号”必填性规则校验失败,此字段为必填项',
      detail: { field: '/body/return_request_no', location: 'body', issue: 'required' },
    });
  });
  it('says which type was expected', () => {
    const r = validateRequest(endpoints['coupons.use'], { body: { ...(validRequests['coupons.use']?.body as object), appid: 12 } });
    expect(r.ok ? null : r.error.detail).toEqual({ field: '/body/appid', location: 'body', issue: 'expected string, got number', value: 12 });
    expect(r.ok ? '' : r.error.message).toContain('应为字符串');
  });
  it('points at an unknown key itself, JSON-pointer escaped', () => {
    const r = validateRequest(endpoints['coupons.return'], { body: { coupon_code: 'A1', stock_id: '1', return_request_no: 'r1', 'a/b~c': 1 } });
    expect(r.ok ? null : r.error.detail).toEqual({ field: '/body/a~1b~0c', location: 'body', issue: 'unknown field', value: 1 });
  });
  it('uses the bare parameter name for query and path errors', () => {
    const q = validateRequest(endpoints['userCoupons.list'], { path: { openid: 'o' }, query: { appid: 'wx', creator_merchant: '1', offset: -1 } });
    expect(q.ok ? null : q.error.detail).toEqual({ field: 'offset', location: 'query', issue: 'below the minimum 0', value: -1 });
    expect(q.ok ? '' : q.error.message).toBe('输入源“offset”映射到数值字段“分页页码”规则校验失败,值低于最小值 0');
    const p = validateRequest(endpoints['userCoupons.get'], { path: { openid: 'o', coupon_code: 'a.b', appid: 'wx' } });
    expect(p.ok ? null : p.error.detail).toMatchObject({ field: 'coupon_code', location: 'path', value: 'a.b' });
    expect(p.ok ? '' : p.error.message).toContain('第 2 个字符“.”（U+002E）不允许');
  });
  it('names a context-specific label and an array element', () => {
    const body = validCreateBody();
    body.coupon_use_rule.coupon_available_time.available_week.available_day_time = [{ begin_time: 100, end_time: 90_000 }];
    const r = validateRequest(endpoints['stocks.create'], { body });
    expect(r.ok ? '' : r.error.message).toBe(
      '输入源“/body/coupon_use_rule/coupon_available_time/available_week/available_day_time/0/end_time”映射到数值字段“当天可用结束时间”规则校验失败,值高于最大值 86399',
    );
  });
  it('lists enum values and truncates long echoed values', () => {
    const r = validateRequest(endpoints['coupons.deactivate'], { body: { coupon_code: 'A1', stock_id: '1', deactivate_request_no: 'd1', deactivate_reason: 'x'.repeat(100) } });
    expect(r.ok ? null : r.error.detail.value).toBe(`${'x'.repeat(64)}…`);
    const e = toParamError(z.enum(['A', 'B']).safeParse('C').error as z.ZodError, 'query');
    expect(e.message).toContain('（A、B）');
  });
  it('array length messages count elements', () => {
    const r = validateRequest(endpoints['couponCodes.upload'], {
      path: { stock_id: '1' },
      body: { coupon_code_list: Array.from({ length: 201 }, (_, i) => `c${i}`), upload_request_no: 'u1' },
    });
    expect(r.ok ? '' : r.error.message).toBe('输入源“/body/coupon_code_list”映射到数组字段“券code列表”规则校验失败,元素个数 201 大于最大值 200');
  });
});
