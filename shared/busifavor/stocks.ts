// Stock (批次) endpoints: create, query, modify, change budget (docs/wechatpay/busifavor.md#stocks).
import { z } from 'zod';
import { defineEndpoint } from './endpoint';
import { couponCodeMode, stockType, useMethod } from './enums';
import { stockOut } from './entities';
import { appid, int, mchid, requestNo, responseTime, stockId, text } from './fields';
import { checkRuleMatchesType, couponUseRule, customEntrance, customEntranceModify, displayPatternInfo, notifyConfig, stockSendRule } from './rules';

const BASE = '/v3/marketing/busifavor';

export const stockIdPath = z.strictObject({ stock_id: stockId() });

/** Create body's fields. `subsidy` is documented as "not yet open": accepted and passed through. */
export const createStockFields = z.strictObject({
  stock_name: text(1, 21),
  belong_merchant: mchid(),
  comment: text(1, 20).optional(),
  goods_name: text(1, 15),
  stock_type: stockType,
  coupon_use_rule: couponUseRule,
  stock_send_rule: stockSendRule,
  out_request_no: requestNo(),
  custom_entrance: customEntrance.optional(),
  display_pattern_info: displayPatternInfo.optional(),
  coupon_code_mode: couponCodeMode,
  notify_config: notifyConfig.optional(),
  subsidy: z.boolean().optional(),
});

export const createStockBody = createStockFields.superRefine(checkRuleMatchesType);

export const createStock = defineEndpoint({
  id: 'stocks.create',
  method: 'POST',
  path: `${BASE}/stocks`,
  pathParams: null,
  query: null,
  body: createStockBody,
  bodyKind: 'json',
  response: z.looseObject({ stock_id: z.string(), create_time: responseTime }),
  successStatus: 200,
  idempotencyKey: 'out_request_no',
  idempotencyIn: 'body',
  rateLimit: { limit: 1000, per: 'minute' },
  summary: '创建商家券批次',
});

export const getStock = defineEndpoint({
  id: 'stocks.get',
  method: 'GET',
  path: `${BASE}/stocks/{stock_id}`,
  pathParams: stockIdPath,
  query: null,
  body: null,
  bodyKind: 'none',
  response: stockOut,
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: null,
  summary: '查询商家券批次详情',
});

/**
 * Modify body. The reference page says `stock_name`, the logo and the merchant name cannot
 * change and `natural_person_limit` and `subsidy` are not open, but the guide's own modify
 * request sends the first three: all are accepted and passed through, and WeChat decides
 * (docs/wechatpay/busifavor.md#disagreements).
 */
export const modifyStockFields = z.strictObject({
  custom_entrance: customEntranceModify.optional(),
  stock_name: text(1, 21).optional(),
  comment: text(1, 20).optional(),
  goods_name: text(1, 15).optional(),
  out_request_no: requestNo(),
  display_pattern_info: displayPatternInfo.optional(),
  coupon_use_rule: z.strictObject({ use_method: useMethod.optional(), mini_programs_appid: appid().optional(), mini_programs_path: text(1).optional() }).optional(),
  stock_send_rule: z.strictObject({ prevent_api_abuse: z.boolean().optional(), natural_person_limit: z.boolean().optional() }).optional(),
  notify_config: notifyConfig.optional(),
  subsidy: z.boolean().optional(),
});

/** A modify request must change something besides carrying its number. */
export function checkSomethingToModify(b: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (Object.keys(b).every((k) => k === 'out_request_no')) {
    ctx.addIssue({ code: 'custom', path: [], message: '没有需要修改的字段', params: { issue: 'nothing to modify besides out_request_no' } });
  }
}

export const modifyStockBody = modifyStockFields.superRefine(checkSomethingToModify);

export const modifyStock = defineEndpoint({
  id: 'stocks.modify',
  method: 'PATCH',
  path: `${BASE}/stocks/{stock_id}`,
  pathParams: stockIdPath,
  query: null,
  body: modifyStockBody,
  bodyKind: 'json',
  response: null,
  successStatus: 204,
  idempotencyKey: 'out_request_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '修改商家券批次基本信息',
});

const count = int(1, 1_000_000_000);

/**
 * Budget change: exactly one target per call (the doc's example sends both; its text says
 * only one may change — the text wins), each with the matching `current_*` value WeChat
 * compares against (optimistic concurrency), and no `current_*` for the other target.
 */
export const budgetBody = z
  .strictObject({
    target_max_coupons: count.optional(),
    current_max_coupons: count.optional(),
    target_max_coupons_by_day: count.optional(),
    current_max_coupons_by_day: count.optional(),
    modify_budget_request_no: requestNo(),
  })
  .superRefine((b, ctx) => {
    const total = b.target_max_coupons !== undefined;
    const byDay = b.target_max_coupons_by_day !== undefined;
    if (total && byDay) {
      ctx.addIssue({
        code: 'custom',
        path: ['target_max_coupons_by_day'],
        message: '每次只能修改一个预算目标',
        params: { issue: 'only one budget target may be changed per call' },
      });
      return;
    }
    if (!total && !byDay) {
      ctx.addIssue({
        code: 'custom',
        path: ['target_max_coupons'],
        message: '必须提供 target_max_coupons 或 target_max_coupons_by_day 之一',
        params: { issue: 'one budget target is required' },
      });
      return;
    }
    const [current, other] = total ? (['current_max_coupons', 'current_max_coupons_by_day'] as const) : (['current_max_coupons_by_day', 'current_max_coupons'] as const);
    if (b[current] === undefined) {
      ctx.addIssue({ code: 'custom', path: [current], message: '修改预算时必须提供当前值', params: { issue: `${current} is required with its target` } });
    }
    if (b[other] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [other], message: '不能提供未修改目标的当前值', params: { issue: `${other} belongs to the target not being changed` } });
    }
  });

export const modifyBudget = defineEndpoint({
  id: 'stocks.budget',
  method: 'PATCH',
  path: `${BASE}/stocks/{stock_id}/budget`,
  pathParams: stockIdPath,
  query: null,
  body: budgetBody,
  bodyKind: 'json',
  response: z.looseObject({ max_coupons: z.number().int(), max_coupons_by_day: z.number().int().optional() }),
  successStatus: 200,
  idempotencyKey: 'modify_budget_request_no',
  idempotencyIn: 'body',
  rateLimit: null,
  summary: '修改批次预算',
});

export type CreateStockBody = z.input<typeof createStockBody>;
export type ModifyStockBody = z.input<typeof modifyStockBody>;
export type BudgetBody = z.input<typeof budgetBody>;
