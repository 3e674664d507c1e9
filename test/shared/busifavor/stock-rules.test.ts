// The documented limits of a stock, at and just past each boundary. Lengths count characters,
// so a Chinese name of exactly 21 characters passes and 22 fail.
import { describe, expect, it } from 'vitest';
import { createStockBody, endpoints, validateRequest } from '../../../shared/busifavor';
import { validCreateBody } from './fixtures';

type Body = ReturnType<typeof validCreateBody> & Record<string, unknown>;

function check(edit: (b: Body) => void): { ok: true } | { ok: false; field: string; message: string } {
  const body = validCreateBody() as Body;
  edit(body);
  const r = validateRequest(endpoints['stocks.create'], { body });
  return r.ok ? { ok: true } : { ok: false, field: r.error.detail.field, message: r.error.message };
}

const fieldOf = (r: ReturnType<typeof check>) => (r.ok ? 'ok' : r.field);
const rule = (b: Body) => b.coupon_use_rule as Record<string, unknown>;
const avail = (b: Body) => b.coupon_use_rule.coupon_available_time as Record<string, unknown>;

describe('string lengths in characters', () => {
  const limits: [string, number, number][] = [
    ['stock_name', 1, 21],
    ['comment', 1, 20],
    ['goods_name', 1, 15],
  ];
  for (const [field, min, max] of limits) {
    it(`${field}: ${max} Chinese characters pass, ${max + 1} fail, empty fails`, () => {
      expect(fieldOf(check((b) => (b[field] = '券'.repeat(max))))).toBe('ok');
      expect(fieldOf(check((b) => (b[field] = '券'.repeat(max + 1))))).toBe(`/body/${field}`);
      expect(fieldOf(check((b) => (b[field] = 'a'.repeat(min - 1))))).toBe(`/body/${field}`);
    });
  }
  it('entrance_words ≤ 5 and guiding_words ≤ 6 characters', () => {
    const entrance = (b: Body) => (b.custom_entrance as { mini_programs_info: Record<string, string> }).mini_programs_info;
    expect(fieldOf(check((b) => (entrance(b).entrance_words = '五个中文字')))).toBe('ok');
    expect(fieldOf(check((b) => (entrance(b).entrance_words = '六个中文字啊')))).toBe('/body/custom_entrance/mini_programs_info/entrance_words');
    expect(fieldOf(check((b) => (entrance(b).guiding_words = '七个中文字啊啊')))).toBe('/body/custom_entrance/mini_programs_info/guiding_words');
  });
  it('belong_merchant is 8..15 characters', () => {
    expect(fieldOf(check((b) => (b.belong_merchant = '12345678')))).toBe('ok');
    expect(fieldOf(check((b) => (b.belong_merchant = '1234567')))).toBe('/body/belong_merchant');
    expect(fieldOf(check((b) => (b.belong_merchant = '1'.repeat(16))))).toBe('/body/belong_merchant');
  });
  it('counts the characters in the length message', () => {
    const r = check((b) => (b.stock_name = '满'.repeat(22)));
    expect(r.ok ? '' : r.message).toBe('输入源“/body/stock_name”映射到字符串字段“商家券批次名称”规则校验失败,长度 22 大于最大值 21');
  });
});

describe('4-byte UTF-8 characters are rejected in every string', () => {
  const places: [string, (b: Body, v: string) => void, string][] = [
    ['stock_name', (b, v) => (b.stock_name = v), '/body/stock_name'],
    ['goods_name', (b, v) => (b.goods_name = v), '/body/goods_name'],
    ['description', (b, v) => ((b.display_pattern_info as Record<string, string>).description = v), '/body/display_pattern_info/description'],
    ['out_request_no', (b, v) => (b.out_request_no = v), '/body/out_request_no'],
    ['belong_merchant', (b, v) => (b.belong_merchant = v), '/body/belong_merchant'],
  ];
  for (const [name, put, field] of places) {
    it(`${name} with an emoji`, () => {
      const r = check((b) => put(b, `1234567券😀`));
      expect(r.ok ? 'ok' : r.field).toBe(field);
      expect(r.ok ? '' : r.message).toContain('四字节字符');
    });
  }
  it('also rejects a CJK Extension B character and a lone surrogate, but accepts BMP CJK', () => {
    expect(fieldOf(check((b) => (b.stock_name = '𠀀券')))).toBe('/body/stock_name');
    expect(fieldOf(check((b) => (b.stock_name = 'a\uD800b')))).toBe('/body/stock_name');
    expect(fieldOf(check((b) => (b.stock_name = '鑫鱻龘券')))).toBe('ok');
  });
  it('reports the emoji before the length when a string is both too long and non-BMP', () => {
    const r = check((b) => (b.stock_name = `${'券'.repeat(20)}😀`));
    expect(r.ok ? '' : r.message).toContain('第 21 个字符，U+1F600');
  });
});

describe('rule object must match stock_type', () => {
  it('NORMAL without fixed_normal_coupon fails on that field', () => {
    expect(fieldOf(check((b) => delete rule(b).fixed_normal_coupon))).toBe('/body/coupon_use_rule/fixed_normal_coupon');
  });
  it('an extra rule object of another type fails on that object', () => {
    expect(fieldOf(check((b) => (rule(b).discount_coupon = { discount_percent: 88, transaction_minimum: 100 })))).toBe('/body/coupon_use_rule/discount_coupon');
  });
  it('DISCOUNT with discount_coupon passes; percent 1 and 100 pass, 0 and 101 fail', () => {
    const discount = (pct: number) =>
      check((b) => {
        b.stock_type = 'DISCOUNT';
        delete rule(b).fixed_normal_coupon;
        rule(b).discount_coupon = { discount_percent: pct, transaction_minimum: 100 };
      });
    expect(fieldOf(discount(88))).toBe('ok');
    expect(fieldOf(discount(1))).toBe('ok');
    expect(fieldOf(discount(100))).toBe('ok');
    expect(fieldOf(discount(0))).toBe('/body/coupon_use_rule/discount_coupon/discount_percent');
    expect(fieldOf(discount(101))).toBe('/body/coupon_use_rule/discount_coupon/discount_percent');
  });
  it('EXCHANGE needs exchange_coupon; a price of 0 (the Go SDK reading) passes, -1 fails', () => {
    const exchange = (price: number) =>
      check((b) => {
        b.stock_type = 'EXCHANGE';
        delete rule(b).fixed_normal_coupon;
        rule(b).exchange_coupon = { exchange_price: price, transaction_minimum: 100 };
      });
    expect(fieldOf(exchange(1))).toBe('ok');
    expect(fieldOf(exchange(0))).toBe('ok');
    expect(fieldOf(exchange(-1))).toBe('/body/coupon_use_rule/exchange_coupon/exchange_price');
  });
  it('amounts are 1..10,000,000 fen; the threshold is 0..10,000,000 and not compared with the discount', () => {
    const normal = (discount: number, minimum: number) => check((b) => (rule(b).fixed_normal_coupon = { discount_amount: discount, transaction_minimum: minimum }));
    expect(fieldOf(normal(10_000_000, 10_000_000))).toBe('ok');
    expect(fieldOf(normal(10_000_001, 10_000_001))).toBe('/body/coupon_use_rule/fixed_normal_coupon/discount_amount');
    // The guide's FAQ: required, and may be 0 (no threshold).
    expect(fieldOf(normal(500, 0))).toBe('ok');
    expect(fieldOf(normal(500, 499))).toBe('ok');
    expect(fieldOf(normal(500, -1))).toBe('/body/coupon_use_rule/fixed_normal_coupon/transaction_minimum');
    expect(fieldOf(check((b) => delete (rule(b).fixed_normal_coupon as Record<string, unknown>).transaction_minimum))).toBe(
      '/body/coupon_use_rule/fixed_normal_coupon/transaction_minimum',
    );
    expect(fieldOf(normal(1.5, 100))).toBe('/body/coupon_use_rule/fixed_normal_coupon/discount_amount');
  });
  it('MINI_PROGRAMS use method needs the appid and path', () => {
    expect(fieldOf(check((b) => (rule(b).use_method = 'MINI_PROGRAMS')))).toBe('/body/coupon_use_rule/mini_programs_appid');
    expect(fieldOf(check((b) => Object.assign(rule(b), { use_method: 'MINI_PROGRAMS', mini_programs_appid: 'wx1234567890abcdef', mini_programs_path: '/pages/use' })))).toBe('ok');
  });
});

describe('coupon_available_time', () => {
  it('begin must be before end', () => {
    expect(fieldOf(check((b) => (avail(b).available_end_time = '2026-11-01T00:00:00+08:00')))).toBe('/body/coupon_use_rule/coupon_available_time/available_end_time');
  });
  it('validity is at most one calendar year: exactly a year passes, one second more fails', () => {
    const span = (end: string) =>
      check((b) => {
        avail(b).available_begin_time = '2026-03-01T10:00:00+08:00';
        avail(b).available_end_time = end;
      });
    expect(fieldOf(span('2027-03-01T10:00:00+08:00'))).toBe('ok');
    expect(fieldOf(span('2027-03-01T10:00:01+08:00'))).toBe('/body/coupon_use_rule/coupon_available_time/available_end_time');
    // The same instant written in UTC is still exactly one year.
    expect(fieldOf(span('2027-03-01T02:00:00Z'))).toBe('ok');
  });
  it('a begin time on 29 February ends its year on 28 February', () => {
    const span = (end: string) =>
      check((b) => {
        avail(b).available_begin_time = '2028-02-29T00:00:00+08:00';
        avail(b).available_end_time = end;
      });
    expect(fieldOf(span('2029-02-28T00:00:00+08:00'))).toBe('ok');
    expect(fieldOf(span('2029-03-01T00:00:00+08:00'))).toBe('/body/coupon_use_rule/coupon_available_time/available_end_time');
  });
  it('rejects impossible and offset-less dates', () => {
    expect(fieldOf(check((b) => (avail(b).available_begin_time = '2026-02-30T00:00:00+08:00')))).toBe('/body/coupon_use_rule/coupon_available_time/available_begin_time');
    expect(fieldOf(check((b) => (avail(b).available_begin_time = '2026-11-01 00:00:00')))).toBe('/body/coupon_use_rule/coupon_available_time/available_begin_time');
  });
  it('wait_days_after_receive only together with available_day_after_receive, ≤ 30', () => {
    expect(fieldOf(check((b) => delete avail(b).available_day_after_receive))).toBe('/body/coupon_use_rule/coupon_available_time/wait_days_after_receive');
    expect(fieldOf(check((b) => (avail(b).wait_days_after_receive = 30)))).toBe('ok');
    expect(fieldOf(check((b) => (avail(b).wait_days_after_receive = 31)))).toBe('/body/coupon_use_rule/coupon_available_time/wait_days_after_receive');
  });
  it('available_day_after_receive is 1..365', () => {
    expect(fieldOf(check((b) => (avail(b).available_day_after_receive = 365)))).toBe('ok');
    expect(fieldOf(check((b) => (avail(b).available_day_after_receive = 366)))).toBe('/body/coupon_use_rule/coupon_available_time/available_day_after_receive');
    expect(fieldOf(check((b) => (avail(b).available_day_after_receive = 0)))).toBe('/body/coupon_use_rule/coupon_available_time/available_day_after_receive');
  });
  it('available_day_time: at most 2 entries, seconds 1..86399, begin < end', () => {
    const week = (b: Body) => avail(b).available_week as Record<string, unknown>;
    const times = (list: { begin_time: number; end_time: number }[]) => check((b) => (week(b).available_day_time = list));
    const base = '/body/coupon_use_rule/coupon_available_time/available_week/available_day_time';
    expect(fieldOf(times([{ begin_time: 1, end_time: 86_399 }]))).toBe('ok');
    expect(
      fieldOf(
        times([
          { begin_time: 1, end_time: 3600 },
          { begin_time: 7200, end_time: 9000 },
        ]),
      ),
    ).toBe('ok');
    expect(
      fieldOf(
        times([
          { begin_time: 1, end_time: 2 },
          { begin_time: 3, end_time: 4 },
          { begin_time: 5, end_time: 6 },
        ]),
      ),
    ).toBe(base);
    expect(fieldOf(times([{ begin_time: 0, end_time: 3600 }]))).toBe(`${base}/0/begin_time`);
    expect(fieldOf(times([{ begin_time: 1, end_time: 86_400 }]))).toBe(`${base}/0/end_time`);
    expect(fieldOf(times([{ begin_time: 3600, end_time: 3600 }]))).toBe(`${base}/0/end_time`);
  });
  it('week_day is 0..6, unique, and required with available_day_time', () => {
    const week = (b: Body) => avail(b).available_week as Record<string, unknown>;
    const base = '/body/coupon_use_rule/coupon_available_time/available_week/week_day';
    expect(fieldOf(check((b) => (week(b).week_day = [0, 6])))).toBe('ok');
    expect(fieldOf(check((b) => (week(b).week_day = [7])))).toBe(`${base}/0`);
    expect(fieldOf(check((b) => (week(b).week_day = [1, 1])))).toBe(base);
    expect(fieldOf(check((b) => delete week(b).week_day))).toBe(base);
  });
  it('irregular windows need begin < end', () => {
    expect(fieldOf(check((b) => (avail(b).irregulary_avaliable_time = [{ begin_time: '2026-11-28T22:00:00+08:00', end_time: '2026-11-28T10:00:00+08:00' }])))).toBe(
      '/body/coupon_use_rule/coupon_available_time/irregulary_avaliable_time/0/end_time',
    );
  });
  it('available_second_after_receive (OAS only) is not accepted', () => {
    expect(fieldOf(check((b) => (avail(b).available_second_after_receive = 3600)))).toBe('/body/coupon_use_rule/coupon_available_time/available_second_after_receive');
  });
});

describe('send rule and other fields', () => {
  const send = (b: Body) => b.stock_send_rule as Record<string, unknown>;
  it('max_coupons_per_user is 1..100', () => {
    expect(fieldOf(check((b) => (send(b).max_coupons_per_user = 100)))).toBe('ok');
    expect(fieldOf(check((b) => (send(b).max_coupons_per_user = 101)))).toBe('/body/stock_send_rule/max_coupons_per_user');
  });
  it('max_coupons is always sent, 1..1,000,000,000', () => {
    expect(fieldOf(check((b) => delete send(b).max_coupons))).toBe('/body/stock_send_rule/max_coupons');
    expect(fieldOf(check((b) => (send(b).max_coupons = 1_000_000_001)))).toBe('/body/stock_send_rule/max_coupons');
  });
  it('fields documented as not yet open are accepted and passed through, with their documented types', () => {
    expect(fieldOf(check((b) => Object.assign(send(b), { max_amount: 100_000, max_amount_by_day: 10_000, transferable: false, shareable: true })))).toBe('ok');
    expect(fieldOf(check((b) => (b.subsidy = true)))).toBe('ok');
    expect(fieldOf(check((b) => (send(b).transferable = 'no')))).toBe('/body/stock_send_rule/transferable');
    expect(fieldOf(check((b) => (send(b).max_amount = 1.5)))).toBe('/body/stock_send_rule/max_amount');
    // A field no source documents is still refused: it is a typo, not a reading.
    expect(fieldOf(check((b) => (send(b).transferrable = false)))).toBe('/body/stock_send_rule/transferrable');
  });
  it('enums are exact, with WeChat spellings', () => {
    expect(fieldOf(check((b) => (b.coupon_code_mode = 'MERCHANT_UPLOAD')))).toBe('ok');
    expect(fieldOf(check((b) => (b.coupon_code_mode = 'merchant_upload')))).toBe('/body/coupon_code_mode');
    expect(fieldOf(check((b) => ((b.display_pattern_info as Record<string, string>).background_color = 'Color110')))).toBe('/body/display_pattern_info/background_color');
  });
  it('image URLs must be https', () => {
    expect(fieldOf(check((b) => ((b.display_pattern_info as Record<string, string>).coupon_image_url = 'http://qpic.cn/x')))).toBe('/body/display_pattern_info/coupon_image_url');
  });
  it('out_request_no: 128 allowed characters pass, 129 fail, other symbols fail', () => {
    expect(fieldOf(check((b) => (b.out_request_no = 'A|_*-9'.repeat(21) + 'ab')))).toBe('ok');
    expect(fieldOf(check((b) => (b.out_request_no = 'a'.repeat(129))))).toBe('/body/out_request_no');
    expect(fieldOf(check((b) => (b.out_request_no = 'abc.def')))).toBe('/body/out_request_no');
    expect(fieldOf(check((b) => (b.out_request_no = 'abc def')))).toBe('/body/out_request_no');
  });
  it('the exported body schema is the one the endpoint uses', () => {
    expect(endpoints['stocks.create'].body).toBe(createStockBody);
  });
});
