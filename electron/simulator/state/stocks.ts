// Stocks (批次): create with out_request_no idempotency, query, PATCH modify, budget change,
// state derived from time, and the send counters (docs/wechatpay/busifavor.md#stocks).
import type { StockState } from '../../../shared/busifavor/enums';
import { parseRfc3339, startOfChinaDay } from '../../../shared/time';
import { canonical } from './ledger';
import type { CreateStockInput, SimMerchant, StockDefinition, StockRecord } from './model';
import { type FailResult, fail, invalidRequest, MESSAGES, noAuth, noContent, notFound, ok, paramError, type SimResult } from './result';
import { checkAppids, checkDefinition, checkMediaUrls } from './stock-rules';
import type { World } from './world';

/** The calling merchant, if it exists and has the product. */
export function callerMerchant(world: World, caller: string): SimMerchant | FailResult {
  const m = world.merchants.get(caller);
  if (!m || !m.permissions.busifavor) return noAuth(MESSAGES.merchantNoProduct);
  return m;
}

export const isFail = (v: unknown): v is FailResult => typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;

/** The stock if it exists and the caller is its creator or belong merchant. */
export function stockFor(world: World, caller: string, stockId: string | undefined, noAuthMessage: string = MESSAGES.stockNoAuth): StockRecord | FailResult {
  const stock = stockId === undefined ? undefined : world.stocks.get(stockId);
  if (!stock) return notFound(MESSAGES.stockNotFound);
  if (caller !== stock.creator_mchid && caller !== stock.definition.belong_merchant) return noAuth(noAuthMessage);
  return stock;
}

export function stockEnd(stock: StockRecord): Date {
  const end = parseRfc3339(stock.definition.coupon_use_rule.coupon_available_time.available_end_time);
  if (!end) throw new Error(`stock ${stock.stock_id} has no valid end time`);
  return end;
}

export function hasEnded(world: World, stock: StockRecord): boolean {
  return Math.floor(world.now().getTime() / 1000) * 1000 > stockEnd(stock).getTime();
}

/** Console states win; otherwise RUNNING until `available_end_time`, then STOPED. */
export function stockState(world: World, stock: StockRecord): StockState {
  if (stock.console_state === 'STOPED' || hasEnded(world, stock)) return 'STOPED';
  return stock.console_state ?? 'RUNNING';
}

/** Per-day counters belong to one +08:00 day; the first look on a new day starts them at zero. */
export function rollover(world: World, stock: StockRecord): void {
  const today = startOfChinaDay(world.now()).getTime();
  if (stock.counters.day_start_ms !== today) {
    stock.counters.day_start_ms = today;
    stock.counters.today_send_num = 0;
    stock.counters.today_send_amount = 0;
  }
}

/** Which counters WeChat reports depends on the type and on a per-day limit (docs/wechatpay/busifavor.md#stocks). */
export function sendCountInformation(world: World, stock: StockRecord): Record<string, number> {
  rollover(world, stock);
  const c = stock.counters;
  const normal = stock.definition.stock_type === 'NORMAL';
  const perDay = stock.definition.stock_send_rule.max_coupons_by_day !== undefined;
  const out: Record<string, number> = { total_send_num: c.total_send_num };
  if (normal) out.total_send_amount = c.total_send_amount;
  if (perDay) out.today_send_num = c.today_send_num;
  if (normal && perDay) out.today_send_amount = c.today_send_amount;
  return out;
}

export function stockView(world: World, stock: StockRecord): Record<string, unknown> {
  const d = structuredClone(stock.definition);
  const view: Record<string, unknown> = {
    stock_name: d.stock_name,
    belong_merchant: d.belong_merchant,
    comment: d.comment,
    goods_name: d.goods_name,
    stock_type: d.stock_type,
    coupon_use_rule: d.coupon_use_rule,
    stock_send_rule: d.stock_send_rule,
    custom_entrance: d.custom_entrance,
    display_pattern_info: d.display_pattern_info,
    stock_state: stockState(world, stock),
    coupon_code_mode: d.coupon_code_mode,
    stock_id: stock.stock_id,
    notify_config: d.notify_config,
    send_count_information: sendCountInformation(world, stock),
    subsidy: d.subsidy ?? false,
  };
  if (d.coupon_code_mode === 'MERCHANT_UPLOAD') {
    const codes = [...world.codesOf(stock.stock_id).values()];
    view.coupon_code_count = { total_count: codes.length, available_count: codes.filter((c) => c.code_status === 'AVAILABLE').length };
  }
  for (const k of Object.keys(view)) if (view[k] === undefined) delete view[k];
  return view;
}

export function createStock(world: World, caller: string, body: CreateStockInput): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  if (typeof body.out_request_no !== 'string' || body.out_request_no === '') return paramError('缺少必填参数 out_request_no', 'out_request_no');
  const fingerprint = canonical(body);
  const seen = world.ledger.check('stock.create', caller, body.out_request_no, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);

  const invalid = checkDefinition(body);
  if (invalid) return invalid;
  const belong = body.belong_merchant;
  if (!world.merchants.has(belong)) return fail(404, 'MCH_NOT_EXISTS', '批次归属商户号不存在');
  if (belong !== caller && !merchant.managed_merchants.includes(belong)) return noAuth('调用商户无权为该归属商户创建批次');
  const badUrl = checkMediaUrls(world, body.display_pattern_info);
  if (badUrl) return badUrl;
  const badAppid = checkAppids(world, body, [caller, belong]);
  if (badAppid) return badAppid;

  const { out_request_no, ...definition } = structuredClone(body);
  const stock: StockRecord = {
    stock_id: world.uniqueDigits(16, (id) => world.stocks.has(id)),
    creator_mchid: caller,
    create_time: world.nowText(),
    out_request_no,
    definition: definition as StockDefinition,
    counters: { total_send_num: 0, total_send_amount: 0, day_start_ms: startOfChinaDay(world.now()).getTime(), today_send_num: 0, today_send_amount: 0 },
    per_user: {},
  };
  world.stocks.set(stock.stock_id, stock);
  const result = ok({ stock_id: stock.stock_id, create_time: stock.create_time });
  world.ledger.record('stock.create', caller, out_request_no, fingerprint, result, stock.create_time, stock.stock_id);
  return result;
}

export function getStock(world: World, caller: string, stockId: string): SimResult {
  const stock = stockFor(world, caller, stockId);
  if (isFail(stock)) return stock;
  return ok(stockView(world, stock));
}

/** Which nested keys a PATCH may carry (docs/wechatpay/busifavor.md#stocks); anything else is an unmodifiable field. */
const MODIFIABLE: Record<string, readonly string[] | true> = {
  custom_entrance: ['mini_programs_info', 'appid', 'hall_id', 'code_display_mode'],
  comment: true,
  goods_name: true,
  out_request_no: true,
  display_pattern_info: ['description', 'background_color', 'coupon_image_url', 'finder_info'],
  coupon_use_rule: ['use_method', 'mini_programs_appid', 'mini_programs_path'],
  stock_send_rule: ['prevent_api_abuse'],
  notify_config: ['notify_appid'],
  subsidy: true,
};

/**
 * Fields the reference page says cannot change (or are "not supported yet") but the guide's
 * own modify request sends: accepted, and — our reading — left as they are
 * (docs/wechatpay/busifavor.md#disagreements).
 */
const IGNORED: Record<string, readonly string[] | true> = {
  stock_name: true,
  display_pattern_info: ['merchant_logo_url', 'merchant_name'],
  stock_send_rule: ['natural_person_limit'],
};

/** The body without the fields WeChat accepts but does not apply. */
function withoutIgnored(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const ignored = IGNORED[key];
    if (ignored === true) continue;
    if (ignored && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const kept = Object.fromEntries(Object.entries(value).filter(([inner]) => !ignored.includes(inner)));
      if (Object.keys(kept).length > 0) out[key] = kept;
      continue;
    }
    out[key] = value;
  }
  return out;
}

function unmodifiableField(body: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(body)) {
    const allowed = MODIFIABLE[key];
    if (allowed === undefined) return key;
    if (allowed === true) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return key;
    for (const inner of Object.keys(value)) if (!allowed.includes(inner)) return `${key}/${inner}`;
  }
  return null;
}

export function modifyStock(world: World, caller: string, stockId: string, request: Record<string, unknown>): SimResult {
  const stock = stockFor(world, caller, stockId);
  if (isFail(stock)) return stock;
  const requestNo = request.out_request_no;
  if (typeof requestNo !== 'string' || requestNo === '') return paramError('缺少必填参数 out_request_no', 'out_request_no');
  const fingerprint = canonical(request);
  const seen = world.ledger.check('stock.modify', stockId, requestNo, fingerprint);
  if (seen.kind === 'replay') return seen.entry.result;
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);
  if (hasEnded(world, stock) || stock.console_state === 'STOPED') return invalidRequest(MESSAGES.stockEnded);

  if (Object.keys(request).length === 1) return paramError('没有需要修改的字段');
  const body = withoutIgnored(request);
  const field = unmodifiableField(body);
  if (field !== null) return invalidRequest(`字段 ${field} 不支持修改`, { field });
  const def = stock.definition;
  if (body.subsidy === false && def.subsidy === true) return invalidRequest('营销补差只能由关闭改为开启', { field: 'subsidy' });
  const patch = body as Partial<StockDefinition>;
  const badUrl = checkMediaUrls(world, patch.display_pattern_info);
  if (badUrl) return badUrl;
  const badAppid = checkAppids(world, patch, [caller, def.belong_merchant]);
  if (badAppid) return badAppid;

  // PATCH: top-level scalars replace, objects merge one level deep (a nested object such as
  // mini_programs_info is replaced whole, since its members are required together).
  const merged = structuredClone(def) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(structuredClone(body))) {
    if (key === 'out_request_no') continue;
    const current = merged[key];
    merged[key] = value !== null && typeof value === 'object' && current !== null && typeof current === 'object' ? { ...current, ...value } : value;
  }
  stock.definition = merged as unknown as StockDefinition;
  const result = noContent();
  world.ledger.record('stock.modify', stockId, requestNo, fingerprint, result, world.nowText(), stockId);
  return result;
}

export interface BudgetInput {
  target_max_coupons?: number;
  current_max_coupons?: number;
  target_max_coupons_by_day?: number;
  current_max_coupons_by_day?: number;
  modify_budget_request_no?: string;
}

function budgetView(stock: StockRecord): { max_coupons?: number; max_coupons_by_day?: number } {
  const r = stock.definition.stock_send_rule;
  const out: { max_coupons?: number; max_coupons_by_day?: number } = {};
  if (r.max_coupons !== undefined) out.max_coupons = r.max_coupons;
  if (r.max_coupons_by_day !== undefined) out.max_coupons_by_day = r.max_coupons_by_day;
  return out;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1_000_000_000;

export function modifyBudget(world: World, caller: string, stockId: string, body: BudgetInput): SimResult {
  const stock = stockFor(world, caller, stockId);
  if (isFail(stock)) return stock;
  const requestNo = body.modify_budget_request_no;
  if (typeof requestNo !== 'string' || requestNo === '') return paramError('缺少必填参数 modify_budget_request_no', 'modify_budget_request_no');
  const fingerprint = canonical(body);
  const seen = world.ledger.check('stock.budget', stockId, requestNo, fingerprint);
  // A repeated number answers with the current values and changes nothing (docs/wechatpay/busifavor.md#request-numbers).
  if (seen.kind === 'replay') return ok(budgetView(stock));
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);

  const total = body.target_max_coupons !== undefined;
  const byDay = body.target_max_coupons_by_day !== undefined;
  if (total && byDay) return paramError('每次只能修改一个预算目标', 'target_max_coupons_by_day');
  if (!total && !byDay) return paramError('必须提供 target_max_coupons 或 target_max_coupons_by_day 之一', 'target_max_coupons');
  const [targetKey, currentKey, ruleKey] = total
    ? (['target_max_coupons', 'current_max_coupons', 'max_coupons'] as const)
    : (['target_max_coupons_by_day', 'current_max_coupons_by_day', 'max_coupons_by_day'] as const);
  const target = body[targetKey];
  const current = body[currentKey];
  if (!isCount(target)) return paramError(`${targetKey} 须为 1..1000000000`, targetKey);
  if (current === undefined) return paramError(`修改预算时必须提供 ${currentKey}`, currentKey);
  if (hasEnded(world, stock) || stock.console_state === 'STOPED') return invalidRequest(MESSAGES.stockEnded);
  if (current !== stock.definition.stock_send_rule[ruleKey]) return invalidRequest(MESSAGES.budgetCurrentMismatch);
  rollover(world, stock);
  const sent = total ? stock.counters.total_send_num : stock.counters.today_send_num;
  if (target < sent) return invalidRequest(`目标值不能小于已发放数量 ${sent}`, { field: targetKey, sent });

  stock.definition.stock_send_rule[ruleKey] = target;
  const result = ok(budgetView(stock));
  world.ledger.record('stock.budget', stockId, requestNo, fingerprint, result, world.nowText(), stockId);
  return result;
}
