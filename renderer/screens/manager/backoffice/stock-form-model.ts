// The create-stock form as a person fills it in (yuan, local dates, ticked weekdays), turned into
// WeChat's body and checked by the very schema the main process and the client use
// (shared/contract/backoffice.ts StockDraft), so a field over its documented limit is flagged
// beside the field before anything is sent — never stricter than that schema.
import type { z } from 'zod';
import { BACKGROUND_COLORS, CODE_DISPLAY_MODES, COUPON_CODE_MODES, STOCK_TYPES, USE_METHODS, type StockType } from '../../../../shared/busifavor/enums';
import { StockDraft, StockPatch } from '../../../../shared/contract/backoffice';
import { parseYuan } from '../../../../shared/money';

export type Group = 'basic' | 'rule' | 'availability' | 'send' | 'display' | 'entrance' | 'notify';
export const GROUPS: Group[] = ['basic', 'rule', 'availability', 'send', 'display', 'entrance', 'notify'];

type Kind = 'text' | 'int' | 'yuan' | 'datetime' | 'select' | 'bool';
type Path = readonly (string | number)[];

export interface FieldDef {
  key: string;
  group: Group;
  kind: Kind;
  /** Where the value goes in WeChat's body; the rule fields depend on the stock type. */
  path: Path | ((type: StockType) => Path);
  /** Documented character limit, for the counter beside the field (the schema enforces it). */
  max?: number;
  options?: readonly string[];
  required?: boolean;
}

const RULE: Record<StockType, string> = { NORMAL: 'fixed_normal_coupon', DISCOUNT: 'discount_coupon', EXCHANGE: 'exchange_coupon' };
const VALUE: Record<StockType, string> = { NORMAL: 'discount_amount', DISCOUNT: 'discount_percent', EXCHANGE: 'exchange_price' };
const TIME = ['coupon_use_rule', 'coupon_available_time'] as const;

export const FIELDS: FieldDef[] = [
  { key: 'stock_type', group: 'basic', kind: 'select', path: ['stock_type'], options: STOCK_TYPES, required: true },
  { key: 'stock_name', group: 'basic', kind: 'text', path: ['stock_name'], max: 21, required: true },
  { key: 'goods_name', group: 'basic', kind: 'text', path: ['goods_name'], max: 15, required: true },
  { key: 'comment', group: 'basic', kind: 'text', path: ['comment'], max: 20 },
  { key: 'belong_merchant', group: 'basic', kind: 'text', path: ['belong_merchant'], required: true },
  { key: 'coupon_code_mode', group: 'basic', kind: 'select', path: ['coupon_code_mode'], options: COUPON_CODE_MODES, required: true },
  { key: 'value', group: 'rule', kind: 'yuan', path: (t) => ['coupon_use_rule', RULE[t], VALUE[t]], required: true },
  { key: 'transaction_minimum', group: 'rule', kind: 'yuan', path: (t) => ['coupon_use_rule', RULE[t], 'transaction_minimum'], required: true },
  { key: 'use_method', group: 'rule', kind: 'select', path: ['coupon_use_rule', 'use_method'], options: USE_METHODS, required: true },
  { key: 'mini_programs_appid', group: 'rule', kind: 'text', path: ['coupon_use_rule', 'mini_programs_appid'] },
  { key: 'mini_programs_path', group: 'rule', kind: 'text', path: ['coupon_use_rule', 'mini_programs_path'] },
  { key: 'available_begin_time', group: 'availability', kind: 'datetime', path: [...TIME, 'available_begin_time'], required: true },
  { key: 'available_end_time', group: 'availability', kind: 'datetime', path: [...TIME, 'available_end_time'], required: true },
  { key: 'available_day_after_receive', group: 'availability', kind: 'int', path: [...TIME, 'available_day_after_receive'] },
  { key: 'wait_days_after_receive', group: 'availability', kind: 'int', path: [...TIME, 'wait_days_after_receive'] },
  { key: 'max_coupons', group: 'send', kind: 'int', path: ['stock_send_rule', 'max_coupons'], required: true },
  { key: 'max_coupons_per_user', group: 'send', kind: 'int', path: ['stock_send_rule', 'max_coupons_per_user'], required: true },
  { key: 'max_coupons_by_day', group: 'send', kind: 'int', path: ['stock_send_rule', 'max_coupons_by_day'] },
  { key: 'max_amount', group: 'send', kind: 'yuan', path: ['stock_send_rule', 'max_amount'] },
  { key: 'max_amount_by_day', group: 'send', kind: 'yuan', path: ['stock_send_rule', 'max_amount_by_day'] },
  { key: 'natural_person_limit', group: 'send', kind: 'bool', path: ['stock_send_rule', 'natural_person_limit'] },
  { key: 'prevent_api_abuse', group: 'send', kind: 'bool', path: ['stock_send_rule', 'prevent_api_abuse'] },
  { key: 'transferable', group: 'send', kind: 'bool', path: ['stock_send_rule', 'transferable'] },
  { key: 'shareable', group: 'send', kind: 'bool', path: ['stock_send_rule', 'shareable'] },
  { key: 'description', group: 'display', kind: 'text', path: ['display_pattern_info', 'description'], max: 1000 },
  { key: 'merchant_name', group: 'display', kind: 'text', path: ['display_pattern_info', 'merchant_name'], max: 12 },
  { key: 'merchant_logo_url', group: 'display', kind: 'text', path: ['display_pattern_info', 'merchant_logo_url'] },
  { key: 'coupon_image_url', group: 'display', kind: 'text', path: ['display_pattern_info', 'coupon_image_url'] },
  { key: 'background_color', group: 'display', kind: 'select', path: ['display_pattern_info', 'background_color'], options: BACKGROUND_COLORS },
  { key: 'finder_id', group: 'display', kind: 'text', path: ['display_pattern_info', 'finder_info', 'finder_id'] },
  { key: 'finder_video_id', group: 'display', kind: 'text', path: ['display_pattern_info', 'finder_info', 'finder_video_id'] },
  { key: 'finder_video_cover_image_url', group: 'display', kind: 'text', path: ['display_pattern_info', 'finder_info', 'finder_video_cover_image_url'] },
  { key: 'entrance_appid', group: 'entrance', kind: 'text', path: ['custom_entrance', 'mini_programs_info', 'mini_programs_appid'] },
  { key: 'entrance_path', group: 'entrance', kind: 'text', path: ['custom_entrance', 'mini_programs_info', 'mini_programs_path'] },
  { key: 'entrance_words', group: 'entrance', kind: 'text', path: ['custom_entrance', 'mini_programs_info', 'entrance_words'], max: 5 },
  { key: 'guiding_words', group: 'entrance', kind: 'text', path: ['custom_entrance', 'mini_programs_info', 'guiding_words'], max: 6 },
  { key: 'entrance_official_appid', group: 'entrance', kind: 'text', path: ['custom_entrance', 'appid'] },
  { key: 'hall_id', group: 'entrance', kind: 'text', path: ['custom_entrance', 'hall_id'] },
  { key: 'store_id', group: 'entrance', kind: 'text', path: ['custom_entrance', 'store_id'] },
  { key: 'code_display_mode', group: 'entrance', kind: 'select', path: ['custom_entrance', 'code_display_mode'], options: CODE_DISPLAY_MODES },
  { key: 'notify_appid', group: 'notify', kind: 'text', path: ['notify_config', 'notify_appid'] },
  { key: 'subsidy', group: 'notify', kind: 'bool', path: ['subsidy'] },
];

/** The weekly windows and irregular periods: lists, not single fields. */
export interface Windows {
  weekDays: number[];
  dayTimes: { begin: string; end: string }[];
  periods: { begin: string; end: string }[];
}

export interface FormState {
  values: Record<string, string>;
  flags: Record<string, boolean>;
  windows: Windows;
}

export const pathOf = (f: FieldDef, type: StockType): Path => (typeof f.path === 'function' ? f.path(type) : f.path);
/** `2026-12-01T09:30` from a datetime-local input, as China time with its offset (what WeChat takes). */
export const chinaTime = (local: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+08:00` : local);
/** `09:30` as seconds of the day; `23:59` ends at the last second WeChat allows. */
const seconds = (hhmm: string) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  return m ? Math.min(Number(m[1]) * 3600 + Number(m[2]) * 60, 86_399) : Number.NaN;
};

function set(target: Record<string, unknown>, path: Path, value: unknown): void {
  let at = target;
  path.slice(0, -1).forEach((k) => {
    at[k] ??= {};
    at = at[k] as Record<string, unknown>;
  });
  at[path[path.length - 1] as string] = value;
}

/** A number field's text as WeChat's number (fen for yuan; the percent as typed); NaN for the schema to flag. */
function numberOf(kind: Kind, text: string): number {
  if (kind === 'yuan') {
    const y = parseYuan(text, { allowZero: true });
    return y.ok ? y.fen : Number.NaN;
  }
  return /^\d{1,10}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

/** WeChat's body from the form: empty optional fields are left out, not sent empty. */
export function draftOf(form: FormState): Record<string, unknown> {
  const type = (form.values.stock_type ?? 'NORMAL') as StockType;
  const body: Record<string, unknown> = {};
  for (const f of FIELDS) {
    if (f.kind === 'bool') {
      if (form.flags[f.key] !== undefined) set(body, pathOf(f, type), form.flags[f.key]);
      continue;
    }
    const text = form.values[f.key] ?? '';
    if (text === '' && !f.required) continue;
    // A discount percent is typed as a percent, not as yuan.
    const kind = f.key === 'value' && type === 'DISCOUNT' ? 'int' : f.kind;
    set(body, pathOf(f, type), kind === 'int' || kind === 'yuan' ? numberOf(kind, text) : kind === 'datetime' ? chinaTime(text) : text);
  }
  const w = form.windows;
  if (w.weekDays.length > 0 || w.dayTimes.length > 0) {
    set(body, [...TIME, 'available_week'], {
      ...(w.weekDays.length > 0 ? { week_day: [...w.weekDays].sort() } : {}),
      ...(w.dayTimes.length > 0 ? { available_day_time: w.dayTimes.map((d) => ({ begin_time: seconds(d.begin), end_time: seconds(d.end) })) } : {}),
    });
  }
  if (w.periods.length > 0)
    set(
      body,
      [...TIME, 'irregulary_avaliable_time'],
      w.periods.map((p) => ({ begin_time: chinaTime(p.begin), end_time: chinaTime(p.end) })),
    );
  return body;
}

/** A problem the schema found, placed on a field (or on the group of window lists). */
export interface FieldProblem {
  key: string;
  issue: z.core.$ZodIssue;
}

export function checkForm(form: FormState): { draft: z.output<typeof StockDraft> | null; problems: FieldProblem[] } {
  const type = (form.values.stock_type ?? 'NORMAL') as StockType;
  const parsed = StockDraft.safeParse(draftOf(form));
  if (parsed.success) return { draft: parsed.data, problems: [] };
  const problems = parsed.error.issues.map((issue) => {
    const at = issue.path.map(String).join('.');
    const full = (f: FieldDef) => pathOf(f, type).join('.');
    // The field itself; else the field an issue deeper down belongs to; else the first field under an object the issue names.
    const field = FIELDS.find((f) => at === full(f)) ?? FIELDS.find((f) => at.startsWith(`${full(f)}.`)) ?? FIELDS.find((f) => at !== '' && full(f).startsWith(`${at}.`));
    const key = field?.key ?? (at.includes('available_week') ? 'weekly' : at.includes('irregulary_avaliable_time') ? 'periods' : 'form');
    return { key, issue };
  });
  return { draft: null, problems };
}

/** What a manager may change on an existing stock from the desk (the modify body's texts and looks). */
export const MODIFY_FIELDS: FieldDef[] = FIELDS.filter((f) =>
  ['stock_name', 'goods_name', 'comment', 'description', 'merchant_name', 'merchant_logo_url', 'coupon_image_url', 'background_color'].includes(f.key),
);

/** The modify body from the fields filled in, checked by the contract's StockPatch schema. */
export function checkPatch(values: Record<string, string>): { patch: z.output<typeof StockPatch> | null; problems: FieldProblem[] } {
  const body: Record<string, unknown> = {};
  for (const f of MODIFY_FIELDS) if ((values[f.key] ?? '') !== '') set(body, pathOf(f, 'NORMAL'), values[f.key]);
  const parsed = StockPatch.safeParse(body);
  if (parsed.success) return { patch: parsed.data, problems: [] };
  return {
    patch: null,
    problems: parsed.error.issues.map((issue) => ({ key: MODIFY_FIELDS.find((f) => issue.path.join('.') === pathOf(f, 'NORMAL').join('.'))?.key ?? 'form', issue })),
  };
}
