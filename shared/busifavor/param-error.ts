// Turns a zod failure on a request into the 400 body WeChat Pay sends for bad parameters:
// {code:'PARAM_ERROR', message, detail:{field, location, issue, value?}}. The message copies
// the one confirmed real example ("输入源“/body/…/discount_amount”映射到数值字段“优惠金额”规则
// 校验失败,值低于最小值 1"); the other wordings follow its pattern but are this project's.
import type { z } from 'zod';
import { fieldLabel } from './labels';
import type { EndpointDef, ValidatedRequestOf } from './endpoint';

export type ParamLocation = 'body' | 'query' | 'path';

export interface ParamError {
  code: 'PARAM_ERROR';
  message: string;
  detail: {
    /** JSON Pointer (`/body/coupon_use_rule/...`) for body fields; the parameter name for path/query. */
    field: string;
    location: ParamLocation;
    /** Short English statement of what is wrong. */
    issue: string;
    /** The offending value when it is a number, boolean or short string. */
    value?: string | number | boolean;
  };
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function fieldOf(location: ParamLocation, path: readonly PropertyKey[]): string {
  if (location === 'body') return `/body${path.map((p) => `/${escapePointer(String(p))}`).join('')}`;
  return path.length > 0 ? String(path[0]) : location;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

const TYPE_ZH: Record<string, string> = {
  string: '字符串',
  number: '数值',
  int: '整数',
  boolean: '布尔值',
  array: '数组',
  object: '对象',
};

const KIND_ZH: Record<string, string> = { number: '数值', int: '数值', string: '字符串', array: '数组' };

function describe(issue: z.core.$ZodIssue, f: string, label: string, value: unknown): { message: string; issue: string } {
  const src = `输入源“${f}”`;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return { message: `${src}映射到值字段“${label}”必填性规则校验失败,此字段为必填项`, issue: 'required' };
      return {
        message: `${src}映射到值字段“${label}”类型校验失败,应为${TYPE_ZH[issue.expected] ?? issue.expected}`,
        issue: `expected ${issue.expected}, got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`,
      };
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      const kind = KIND_ZH[issue.origin] ?? '值';
      const head = `${src}映射到${kind}字段“${label}”规则校验失败,`;
      if (issue.origin === 'string' || issue.origin === 'array') {
        const n = typeof value === 'string' ? Array.from(value).length : Array.isArray(value) ? value.length : NaN;
        const what = issue.origin === 'string' ? '长度' : '元素个数';
        return {
          message: `${head}${what} ${n} ${small ? '小于最小值' : '大于最大值'} ${bound}`,
          issue: `${issue.origin === 'string' ? 'length' : 'item count'} ${n} is ${small ? 'below the minimum' : 'above the maximum'} ${bound}`,
        };
      }
      return { message: `${head}${small ? '值低于最小值' : '值高于最大值'} ${bound}`, issue: `${small ? 'below the minimum' : 'above the maximum'} ${bound}` };
    }
    case 'invalid_value':
      return {
        message: `${src}映射到枚举字段“${label}”规则校验失败,值不在可选范围内（${issue.values.join('、')}）`,
        issue: `must be one of ${issue.values.join(', ')}`,
      };
    case 'unrecognized_keys':
      return { message: `${src}不是可识别的字段`, issue: 'unknown field' };
    case 'invalid_format':
      return { message: `${src}映射到值字段“${label}”格式校验失败,${issue.message}`, issue: `invalid format${issue.pattern ? ` (must match ${issue.pattern})` : ''}` };
    case 'custom': {
      const en = issue.params?.issue;
      return { message: `${src}映射到值字段“${label}”规则校验失败,${issue.message}`, issue: typeof en === 'string' ? en : issue.message };
    }
    default:
      return { message: `${src}映射到值字段“${label}”规则校验失败`, issue: issue.message };
  }
}

function shownValue(v: unknown): string | number | boolean | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 64 ? `${v.slice(0, 64)}…` : v;
  return undefined;
}

/**
 * The first issue of `error` as WeChat's PARAM_ERROR. `input` is what was validated, used to
 * tell "missing" from "wrong type" and to echo the offending value.
 */
export function toParamError(error: z.ZodError, location: ParamLocation, input?: unknown): ParamError {
  const first = error.issues[0];
  if (!first) return { code: 'PARAM_ERROR', message: '请求参数错误', detail: { field: location === 'body' ? '/body' : location, location, issue: 'invalid' } };
  // Zod reports unknown keys on their parent; WeChat points at the key itself.
  const path = first.code === 'unrecognized_keys' && first.keys[0] !== undefined ? [...first.path, first.keys[0]] : first.path;
  const field = fieldOf(location, path);
  const value = valueAt(input, path);
  const { message, issue } = describe(first, field, fieldLabel(path), value);
  const shown = shownValue(value);
  return { code: 'PARAM_ERROR', message, detail: shown === undefined ? { field, location, issue } : { field, location, issue, value: shown } };
}

export class RequestParamError extends Error {
  constructor(readonly paramError: ParamError) {
    super(paramError.message);
    this.name = 'RequestParamError';
  }
}

export interface RequestParts {
  path?: unknown;
  query?: unknown;
  body?: unknown;
}

/**
 * Validates a whole request the way the simulator answers it: path first, then query, then
 * body; the first failure wins. A part the endpoint does not take must be absent (an empty
 * object is accepted for path/query).
 */
export function validateRequest<E extends EndpointDef>(def: E, parts: RequestParts): { ok: true; value: ValidatedRequestOf<E> } | { ok: false; error: ParamError } {
  const out: Record<ParamLocation, unknown> = { path: undefined, query: undefined, body: undefined };
  const steps: [ParamLocation, z.ZodType | null, unknown][] = [
    ['path', def.pathParams, parts.path],
    ['query', def.query, parts.query],
    ['body', def.body, parts.body],
  ];
  for (const [location, schema, input] of steps) {
    if (schema === null) {
      const empty = input === undefined || (location !== 'body' && typeof input === 'object' && input !== null && Object.keys(input).length === 0);
      if (!empty) {
        const key = location !== 'body' && typeof input === 'object' && input !== null ? Object.keys(input)[0] : undefined;
        const field = location === 'body' ? '/body' : (key ?? location);
        return {
          ok: false,
          error: { code: 'PARAM_ERROR', message: `输入源“${field}”不是可识别的字段`, detail: { field, location, issue: `this endpoint takes no ${location} parameters` } },
        };
      }
      continue;
    }
    const r = schema.safeParse(input ?? (location === 'body' ? undefined : {}));
    if (!r.success) return { ok: false, error: toParamError(r.error, location, input) };
    out[location] = r.data;
  }
  return { ok: true, value: out as unknown as ValidatedRequestOf<E> };
}
