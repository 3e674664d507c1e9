// The create-stock form's model: what a person types becomes WeChat's body (fen, China time,
// weekly and irregular windows), and the shared schema's problems land on the right field.
import { describe, expect, it } from 'vitest';
import { checkForm, checkPatch, draftOf, type FormState } from '../../renderer/screens/manager/backoffice/stock-form-model';

const form = (values: Record<string, string>, windows: Partial<FormState['windows']> = {}): FormState => ({
  values: {
    stock_type: 'NORMAL',
    stock_name: '满减券',
    goods_name: '全场',
    belong_merchant: '1900000109',
    coupon_code_mode: 'WECHATPAY_MODE',
    value: '5',
    transaction_minimum: '0',
    use_method: 'OFF_LINE',
    available_begin_time: '2027-01-01T00:00',
    available_end_time: '2027-02-01T00:00',
    max_coupons: '100',
    max_coupons_per_user: '1',
    ...values,
  },
  flags: { transferable: false },
  windows: { weekDays: [], dayTimes: [], periods: [], ...windows },
});

describe('the create-stock form model', () => {
  it('turns yuan into fen, local times into China time, and leaves empty optional fields out', () => {
    const body = draftOf(
      form({ comment: '' }, { weekDays: [6, 1], dayTimes: [{ begin: '09:00', end: '23:59' }], periods: [{ begin: '2027-01-10T10:00', end: '2027-01-10T12:00' }] }),
    );
    expect(body).toMatchObject({
      coupon_use_rule: {
        fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 0 },
        coupon_available_time: {
          available_begin_time: '2027-01-01T00:00:00+08:00',
          available_week: { week_day: [1, 6], available_day_time: [{ begin_time: 32_400, end_time: 86_340 }] },
          irregulary_avaliable_time: [{ begin_time: '2027-01-10T10:00:00+08:00', end_time: '2027-01-10T12:00:00+08:00' }],
        },
      },
      stock_send_rule: { max_coupons: 100, transferable: false },
    });
    expect(body).not.toHaveProperty('comment');
    expect(checkForm(form({})).problems).toEqual([]);
  });

  it('puts each type’s value where WeChat wants it: a percent stays a percent, an exchange price is fen', () => {
    expect(checkForm(form({ stock_type: 'DISCOUNT', value: '88', transaction_minimum: '20' })).draft?.coupon_use_rule.discount_coupon).toEqual({
      discount_percent: 88,
      transaction_minimum: 2000,
    });
    expect(checkForm(form({ stock_type: 'EXCHANGE', value: '0', transaction_minimum: '30' })).draft?.coupon_use_rule.exchange_coupon).toEqual({
      exchange_price: 0,
      transaction_minimum: 3000,
    });
  });

  it('flags what the shared schema refuses on its field: a name over 21 characters, a percent over 100, a missing send limit', () => {
    const keys = (f: FormState) => checkForm(f).problems.map((p) => [p.key, p.issue.code]);
    expect(keys(form({ stock_name: '二十二个字的批次名称二十二个字的批次名称啊啊' }))).toEqual([['stock_name', 'too_big']]);
    expect(keys(form({ stock_name: '二十一个字的批次名称二十一个字的批次名称啊' }))).toEqual([]);
    expect(keys(form({ stock_type: 'DISCOUNT', value: '101' }))).toEqual([['value', 'too_big']]);
    expect(keys(form({ max_coupons: '' }))).toEqual([['max_coupons', 'invalid_type']]);
    expect(keys(form({}, { dayTimes: [{ begin: '10:00', end: '09:00' }] })).map(([k]) => k)).toContain('weekly');
  });

  it('builds a modify body from the fields filled in and flags a merchant name over 12 characters', () => {
    expect(checkPatch({ comment: '第二版', merchant_logo_url: 'https://qpic.cn/logo.png', background_color: 'Color030', goods_name: '' }).patch).toEqual({
      comment: '第二版',
      display_pattern_info: { merchant_logo_url: 'https://qpic.cn/logo.png', background_color: 'Color030' },
    });
    expect(checkPatch({ merchant_name: '十三个字的商户名称十三个字' }).problems.map((p) => [p.key, p.issue.code])).toEqual([['merchant_name', 'too_big']]);
    expect(checkPatch({}).patch).toBeNull();
  });
});
