import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../../electron/simulator/state/result';
import { chinaDate } from '../../../../shared/time';
import { APPID, createStock, customer, DAY, expectFail, expectOk, fixture, MCH, okBody, OTHER_APPID, OTHER_MCH, send, stockBody } from './support';

describe('create stock', () => {
  it('assigns a 16-digit stock id and the create time, and is queryable', () => {
    const { state } = fixture();
    const r = okBody<{ stock_id: string; create_time: string }>(state.createStock(MCH, stockBody()));
    expect(r.stock_id).toMatch(/^[1-9]\d{15}$/);
    expect(r.create_time).toBe('2026-01-01T10:00:00+08:00');
    const stock = okBody(state.getStock(MCH, r.stock_id));
    expect(stock).toMatchObject({
      stock_id: r.stock_id,
      stock_state: 'RUNNING',
      stock_type: 'NORMAL',
      subsidy: false,
      send_count_information: { total_send_num: 0, total_send_amount: 0 },
    });
    expect(stock).not.toHaveProperty('out_request_no');
    expect(stock).not.toHaveProperty('coupon_code_count');
  });

  it('replays the same out_request_no and body with the original id and time, creating nothing', () => {
    const { state, clock } = fixture();
    const body = stockBody();
    const first = okBody(state.createStock(MCH, body));
    clock.advance(DAY);
    const again = okBody(state.createStock(MCH, structuredClone(body)));
    expect(again).toEqual(first);
    const report = state.requestNumbers().filter((r) => r.op === 'stock.create');
    expect(report).toEqual([expect.objectContaining({ request_no: body.out_request_no, changes: 1, replays: 1 })]);
  });

  it('refuses the same out_request_no with a different body', () => {
    const { state } = fixture();
    const body = stockBody();
    okBody(state.createStock(MCH, body));
    expectFail(state.createStock(MCH, { ...body, stock_name: '另一个名字' }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
  });

  it('lets another merchant use the same out_request_no', () => {
    const { state } = fixture();
    const body = stockBody();
    const a = okBody<{ stock_id: string }>(state.createStock(MCH, body));
    const b = okBody<{ stock_id: string }>(state.createStock(OTHER_MCH, { ...body, belong_merchant: OTHER_MCH }));
    expect(a.stock_id).not.toBe(b.stock_id);
  });

  it('checks the caller, the belong merchant and the business rules', () => {
    const { state } = fixture();
    expectFail(state.createStock('1999999999', stockBody()), 403, 'NO_AUTH');
    expectFail(state.createStock(MCH, stockBody({ out_request_no: '' })), 400, 'PARAM_ERROR');
    expectFail(state.createStock(MCH, stockBody({ belong_merchant: '1888888888' })), 404, 'MCH_NOT_EXISTS');
    expectFail(state.createStock(MCH, stockBody({ belong_merchant: OTHER_MCH })), 403, 'NO_AUTH');
    const cases: [string, Parameters<typeof stockBody>[0]][] = [
      ['rule object of another type', { stock_type: 'DISCOUNT', coupon_use_rule: stockBody().coupon_use_rule }],
      ['per-user limit over 100', { stock_send_rule: { max_coupons: 10, max_coupons_per_user: 101 } }],
      ['bad coupon_code_mode', { coupon_code_mode: 'RANDOM' as never }],
    ];
    for (const [why, overrides] of cases) expect([why, state.createStock(MCH, stockBody(overrides)).ok]).toEqual([why, false]);
  });

  it('enforces validity rules: begin before end, at most one year, wait days only with day-after-receive', () => {
    const { state } = fixture();
    const withTime = (t: Record<string, unknown>) => {
      const body = stockBody();
      Object.assign(body.coupon_use_rule.coupon_available_time, t);
      return body;
    };
    expectFail(state.createStock(MCH, withTime({ available_end_time: '2025-12-31T00:00:00+08:00' })), 400, 'PARAM_ERROR', '结束时间必须晚于开始时间');
    expectFail(state.createStock(MCH, withTime({ available_end_time: '2027-01-01T00:00:01+08:00' })), 400, 'PARAM_ERROR', '商家券有效期不能超过一年');
    okBody(state.createStock(MCH, withTime({ available_end_time: '2027-01-01T00:00:00+08:00' })));
    expectFail(state.createStock(MCH, withTime({ wait_days_after_receive: 1 })), 400, 'PARAM_ERROR');
    expectFail(
      state.createStock(
        MCH,
        withTime({
          available_week: {
            week_day: [1],
            available_day_time: [
              { begin_time: 1, end_time: 2 },
              { begin_time: 3, end_time: 4 },
              { begin_time: 5, end_time: 6 },
            ],
          },
        }),
      ),
      400,
      'PARAM_ERROR',
    );
  });

  it('accepts only image URLs issued by the image upload, and only AppIDs bound to the caller or belong merchant', () => {
    const { state } = fixture();
    const denied = stockBody({ display_pattern_info: { merchant_logo_url: 'https://example.com/logo.png' } });
    expectFail(state.createStock(MCH, denied), 400, 'PARAM_ERROR');
    const { media_url } = okBody<{ media_url: string }>(state.uploadImage(MCH, { filename: 'logo.png', sha256: 'a'.repeat(64) }));
    okBody(state.createStock(MCH, stockBody({ display_pattern_info: { merchant_logo_url: media_url, coupon_image_url: media_url } })));
    expectFail(state.createStock(MCH, stockBody({ notify_config: { notify_appid: OTHER_APPID } })), 400, 'INVALID_REQUEST', MESSAGES.appidNotBound);
    okBody(state.createStock(MCH, stockBody({ notify_config: { notify_appid: APPID } })));
  });

  it('lets a service provider create for a sub-merchant it manages, using the sub-merchant AppIDs', () => {
    const { state } = fixture();
    state.addMerchant({ mchid: MCH, managed_merchants: [OTHER_MCH] });
    const id = okBody<{ stock_id: string }>(state.createStock(MCH, stockBody({ belong_merchant: OTHER_MCH, notify_config: { notify_appid: OTHER_APPID } }))).stock_id;
    // Both the creator and the belong merchant may query it.
    okBody(state.getStock(OTHER_MCH, id));
  });
});

describe('query stock', () => {
  it('answers 404 for an unknown stock and 403 for an unrelated merchant', () => {
    const { state } = fixture();
    const id = createStock(state);
    expectFail(state.getStock(MCH, '1234567890123456'), 404, 'RESOURCE_NOT_EXISTS', MESSAGES.stockNotFound);
    expectFail(state.getStock(OTHER_MCH, id), 403, 'NO_AUTH');
  });

  it('becomes STOPED once available_end_time has passed, and console states show', () => {
    const { state, clock } = fixture();
    const id = createStock(state);
    okBody(state.setStockState(id, 'PAUSED'));
    expect(okBody(state.getStock(MCH, id)).stock_state).toBe('PAUSED');
    okBody(state.setStockState(id, null));
    clock.set(chinaDate(2026, 3, 31, 23, 59, 59));
    expect(okBody(state.getStock(MCH, id)).stock_state).toBe('RUNNING');
    clock.advance(1000);
    expect(okBody(state.getStock(MCH, id)).stock_state).toBe('STOPED');
  });
});

describe('modify stock', () => {
  it('merges only the given fields and answers 204', () => {
    const { state } = fixture();
    const { media_url } = okBody<{ media_url: string }>(state.uploadImage(MCH, { filename: 'logo.png', sha256: 'b'.repeat(64) }));
    const id = createStock(state, { display_pattern_info: { merchant_logo_url: media_url, description: '旧说明' }, comment: '旧备注' });
    const r = state.modifyStock(MCH, id, {
      out_request_no: 'MOD1',
      display_pattern_info: { description: '新说明' },
      coupon_use_rule: { use_method: 'MINI_PROGRAMS', mini_programs_appid: APPID, mini_programs_path: '/pages/use' },
    });
    expect(r).toEqual({ ok: true, status: 204, body: null });
    const stock = okBody<{ display_pattern_info: object; comment: string; coupon_use_rule: Record<string, unknown> }>(state.getStock(MCH, id));
    expect(stock.display_pattern_info).toEqual({ merchant_logo_url: media_url, description: '新说明' });
    expect(stock.comment).toBe('旧备注');
    expect(stock.coupon_use_rule).toMatchObject({ use_method: 'MINI_PROGRAMS', mini_programs_path: '/pages/use', fixed_normal_coupon: { discount_amount: 1000 } });
  });

  it('replays an out_request_no without a second change and refuses it with a different body', () => {
    const { state } = fixture();
    const id = createStock(state);
    expectOk(state.modifyStock(MCH, id, { out_request_no: 'MOD1', comment: '第一次' }), 204);
    expectOk(state.modifyStock(MCH, id, { out_request_no: 'MOD2', comment: '第二次' }), 204);
    expectOk(state.modifyStock(MCH, id, { out_request_no: 'MOD1', comment: '第一次' }), 204);
    expect(okBody(state.getStock(MCH, id)).comment).toBe('第二次');
    expectFail(state.modifyStock(MCH, id, { out_request_no: 'MOD1', comment: '别的' }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
  });

  it('accepts the fields the guide sends but the reference page fixes, and leaves them as they were', () => {
    const { state } = fixture();
    const id = createStock(state);
    const before = (state.getStock(MCH, id) as { body: Record<string, unknown> }).body;
    expectOk(
      state.modifyStock(MCH, id, {
        out_request_no: 'GUIDE1',
        stock_name: '新名字',
        display_pattern_info: { merchant_logo_url: 'https://xxx', merchant_name: '新名', description: '新说明' },
        stock_send_rule: { natural_person_limit: true },
      }),
      204,
    );
    const after = (state.getStock(MCH, id) as { body: Record<string, unknown> & { display_pattern_info: Record<string, unknown> } }).body;
    expect(after.stock_name).toBe(before.stock_name);
    expect(after.stock_send_rule).toEqual(before.stock_send_rule);
    expect(after.display_pattern_info).toEqual({ ...(before.display_pattern_info as object), description: '新说明' });
  });

  it('refuses fields that cannot be modified', () => {
    const { state } = fixture();
    const id = createStock(state);
    const refused: Record<string, unknown>[] = [
      { custom_entrance: { store_id: 'S1' } },
      { stock_send_rule: { max_coupons: 5 } },
      { coupon_use_rule: { fixed_normal_coupon: { discount_amount: 1, transaction_minimum: 1 } } },
      { stock_type: 'DISCOUNT' },
    ];
    refused.forEach((patch, n) => expectFail(state.modifyStock(MCH, id, { out_request_no: `BAD${n}`, ...patch }), 400, 'INVALID_REQUEST', /不支持修改/));
    expectFail(state.modifyStock(MCH, id, { out_request_no: 'EMPTY' }), 400, 'PARAM_ERROR');
    expectFail(state.modifyStock(MCH, id, { comment: 'x' }), 400, 'PARAM_ERROR');
    expectFail(state.modifyStock(MCH, id, { out_request_no: 'IMG', display_pattern_info: { coupon_image_url: 'https://x/never-uploaded.png' } }), 400, 'PARAM_ERROR');
    expectFail(state.modifyStock(MCH, id, { out_request_no: 'APPID', custom_entrance: { appid: OTHER_APPID } }), 400, 'INVALID_REQUEST', MESSAGES.appidNotBound);
    expectFail(state.modifyStock(MCH, '1234567890123456', { out_request_no: 'X', comment: 'x' }), 404, 'RESOURCE_NOT_EXISTS');
  });

  it('allows subsidy only from false to true', () => {
    const { state } = fixture();
    const id = createStock(state);
    expectOk(state.modifyStock(MCH, id, { out_request_no: 'S1', subsidy: true }), 204);
    expectFail(state.modifyStock(MCH, id, { out_request_no: 'S2', subsidy: false }), 400, 'INVALID_REQUEST');
    expect(okBody(state.getStock(MCH, id)).subsidy).toBe(true);
  });

  it('refuses changes after the stock has ended', () => {
    const { state, clock } = fixture();
    const id = createStock(state);
    clock.set(chinaDate(2026, 4, 1));
    expectFail(state.modifyStock(MCH, id, { out_request_no: 'LATE', comment: 'x' }), 400, 'INVALID_REQUEST', MESSAGES.stockEnded);
    expectFail(state.modifyBudget(MCH, id, { target_max_coupons: 200, current_max_coupons: 100, modify_budget_request_no: 'LATE' }), 400, 'INVALID_REQUEST', MESSAGES.stockEnded);
  });
});

describe('budget', () => {
  it('changes max_coupons when current_max_coupons matches', () => {
    const { state } = fixture();
    const id = createStock(state);
    expect(okBody(state.modifyBudget(MCH, id, { target_max_coupons: 300, current_max_coupons: 100, modify_budget_request_no: 'B1' }))).toEqual({ max_coupons: 300 });
    expect(okBody(state.getStock(MCH, id)).stock_send_rule).toMatchObject({ max_coupons: 300 });
  });

  it('answers the confirmed message when the current value is stale', () => {
    const { state } = fixture();
    const id = createStock(state);
    expectFail(
      state.modifyBudget(MCH, id, { target_max_coupons: 300, current_max_coupons: 99, modify_budget_request_no: 'B1' }),
      400,
      'INVALID_REQUEST',
      '批次库存的当前值错误,请获取批次详情查看最新值',
    );
    expectFail(
      state.modifyBudget(MCH, id, { target_max_coupons_by_day: 30, current_max_coupons_by_day: 10, modify_budget_request_no: 'B2' }),
      400,
      'INVALID_REQUEST',
      MESSAGES.budgetCurrentMismatch,
    );
  });

  it('changes the per-day limit and refuses a target below what was sent', () => {
    const { state } = fixture();
    const id = createStock(state, { stock_send_rule: { max_coupons: 100, max_coupons_per_user: 5, max_coupons_by_day: 10 } });
    const u = customer(state);
    send(state, id, u.openid);
    send(state, id, u.openid);
    expectFail(state.modifyBudget(MCH, id, { target_max_coupons: 1, current_max_coupons: 100, modify_budget_request_no: 'LOW' }), 400, 'INVALID_REQUEST', /已发放数量 2/);
    expect(okBody(state.modifyBudget(MCH, id, { target_max_coupons_by_day: 2, current_max_coupons_by_day: 10, modify_budget_request_no: 'DAY' }))).toEqual({
      max_coupons: 100,
      max_coupons_by_day: 2,
    });
    expectFail(state.modifyBudget(MCH, id, { target_max_coupons_by_day: 1, current_max_coupons_by_day: 2, modify_budget_request_no: 'DAY2' }), 400, 'INVALID_REQUEST');
  });

  it('checks the shape: exactly one target, each with its current value', () => {
    const { state } = fixture();
    const id = createStock(state);
    expectFail(
      state.modifyBudget(MCH, id, { target_max_coupons: 1, current_max_coupons: 100, target_max_coupons_by_day: 1, current_max_coupons_by_day: 1, modify_budget_request_no: 'B' }),
      400,
      'PARAM_ERROR',
    );
    expectFail(state.modifyBudget(MCH, id, { modify_budget_request_no: 'B' }), 400, 'PARAM_ERROR');
    expectFail(state.modifyBudget(MCH, id, { target_max_coupons: 200, modify_budget_request_no: 'B' }), 400, 'PARAM_ERROR');
    expectFail(state.modifyBudget(MCH, id, { target_max_coupons: 200, current_max_coupons: 100 }), 400, 'PARAM_ERROR');
    expectFail(state.modifyBudget(OTHER_MCH, id, { target_max_coupons: 200, current_max_coupons: 100, modify_budget_request_no: 'B' }), 403, 'NO_AUTH');
  });

  it('replays a request number with the current values and no second change', () => {
    const { state } = fixture();
    const id = createStock(state);
    const body = { target_max_coupons: 300, current_max_coupons: 100, modify_budget_request_no: 'B1' };
    okBody(state.modifyBudget(MCH, id, body));
    okBody(state.modifyBudget(MCH, id, { target_max_coupons: 400, current_max_coupons: 300, modify_budget_request_no: 'B2' }));
    // The first body again: its current value (100) is stale now, yet it is a replay, not a new change.
    expect(okBody(state.modifyBudget(MCH, id, body))).toEqual({ max_coupons: 400 });
    expectFail(state.modifyBudget(MCH, id, { ...body, target_max_coupons: 500 }), 400, 'INVALID_REQUEST', MESSAGES.requestNoConflict);
    expect(
      state
        .requestNumbers()
        .filter((r) => r.op === 'stock.budget')
        .map((r) => [r.request_no, r.changes, r.replays]),
    ).toEqual([
      ['B1', 1, 1],
      ['B2', 1, 0],
    ]);
  });
});

describe('send counters and limits', () => {
  it('counts totals, counts today per +08:00 day and resets at midnight', () => {
    const { state, clock } = fixture();
    const id = createStock(state, { stock_send_rule: { max_coupons: 100, max_coupons_per_user: 10, max_coupons_by_day: 2 } });
    const u = customer(state);
    send(state, id, u.openid);
    send(state, id, u.openid);
    expect(okBody(state.getStock(MCH, id)).send_count_information).toEqual({ total_send_num: 2, total_send_amount: 2000, today_send_num: 2, today_send_amount: 2000 });
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'DAYFULL' }), 400, 'INVALID_REQUEST', /今日/);
    clock.set(chinaDate(2026, 1, 1, 23, 59, 59));
    expectFail(state.sendCoupon(MCH, { openid: u.openid, appid: APPID, stock_id: id, out_request_no: 'DAYFULL' }), 400, 'INVALID_REQUEST');
    clock.advance(1000);
    send(state, id, u.openid);
    expect(okBody(state.getStock(MCH, id)).send_count_information).toEqual({ total_send_num: 3, total_send_amount: 3000, today_send_num: 1, today_send_amount: 1000 });
  });

  it('reports only the counters that apply to the stock type', () => {
    const { state } = fixture();
    const id = createStock(state, { stock_type: 'DISCOUNT' });
    send(state, id, customer(state).openid);
    expect(okBody(state.getStock(MCH, id)).send_count_information).toEqual({ total_send_num: 1 });
  });

  it('stops at max_coupons and at max_coupons_per_user', () => {
    const { state } = fixture();
    const id = createStock(state, { stock_send_rule: { max_coupons: 3, max_coupons_per_user: 2 } });
    const a = customer(state);
    const b = customer(state);
    send(state, id, a.openid);
    send(state, id, a.openid);
    expectFail(state.sendCoupon(MCH, { openid: a.openid, appid: APPID, stock_id: id, out_request_no: 'A3' }), 400, 'INVALID_REQUEST', '用户领取数量已达上限');
    send(state, id, b.openid);
    expectFail(state.sendCoupon(MCH, { openid: b.openid, appid: APPID, stock_id: id, out_request_no: 'B2' }), 400, 'INVALID_REQUEST', '批次可发放数量已用完');
  });

  it('a budget raise lets sending continue', () => {
    const { state } = fixture();
    const id = createStock(state, { stock_send_rule: { max_coupons: 1, max_coupons_per_user: 5 } });
    const a = customer(state);
    send(state, id, a.openid);
    expect(state.sendCoupon(MCH, { openid: a.openid, appid: APPID, stock_id: id, out_request_no: 'MORE' }).ok).toBe(false);
    okBody(state.modifyBudget(MCH, id, { target_max_coupons: 2, current_max_coupons: 1, modify_budget_request_no: 'RAISE' }));
    expect(okBody(state.sendCoupon(MCH, { openid: a.openid, appid: APPID, stock_id: id, out_request_no: 'MORE' }))).toHaveProperty('send_coupon_result');
  });
});
