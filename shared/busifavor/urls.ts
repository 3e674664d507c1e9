// URLs: the client builds them, the simulator parses them, and the signature covers the exact
// string — so both sides use these functions. Encoding is RFC 3986 strict: every byte but
// A–Z a–z 0–9 - . _ ~ is percent-encoded (so a coupon code's `/`, `\`, `=`, `|` and space
// never change the path's shape), query parameters come in the schema's key order, and
// undefined parameters are left out.
import { z } from 'zod';
import type { EndpointDef, EndpointMethod, PathParamsOf, QueryOf } from './endpoint';
import { endpointList } from './endpoints';
import { RequestParamError, toParamError, type ParamError } from './param-error';

export function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `/v3/.../stocks/{stock_id}` + {stock_id:'123'} → `/v3/.../stocks/123`. Throws RequestParamError on invalid params. */
export function buildPath<E extends EndpointDef>(def: E, params?: PathParamsOf<E>): string {
  if (def.pathParams === null) {
    if (params && typeof params === 'object' && Object.keys(params).length > 0)
      throw new RequestParamError(
        toParamError(new z.ZodError([{ code: 'unrecognized_keys', keys: Object.keys(params), path: [], message: 'unexpected path parameter' }]), 'path', params),
      );
    return def.path;
  }
  const r = def.pathParams.safeParse(params ?? {});
  if (!r.success) throw new RequestParamError(toParamError(r.error, 'path', params));
  const values = r.data as Record<string, string>;
  return def.path.replace(/\{([a-z_]+)\}/g, (_, name: string) => encodeComponent(String(values[name])));
}

function queryText(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/** The query string without `?` ('' when nothing is set). Throws RequestParamError on invalid params. */
export function encodeQuery<E extends EndpointDef>(def: E, query?: QueryOf<E>): string {
  if (def.query === null) {
    if (query && typeof query === 'object' && Object.values(query).some((v) => v !== undefined)) {
      throw new RequestParamError(
        toParamError(new z.ZodError([{ code: 'unrecognized_keys', keys: Object.keys(query), path: [], message: 'unexpected query parameter' }]), 'query', query),
      );
    }
    return '';
  }
  const defined = Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined));
  const r = def.query.safeParse(defined);
  if (!r.success) throw new RequestParamError(toParamError(r.error, 'query', defined));
  const data = r.data as Record<string, unknown>;
  return Object.keys(def.query.shape)
    .filter((k) => data[k] !== undefined)
    .map((k) => `${encodeComponent(k)}=${encodeComponent(queryText(data[k]))}`)
    .join('&');
}

/** Path plus `?query` when there is one: the URL line that gets signed. */
export function buildUrl<E extends EndpointDef>(def: E, parts: { path?: PathParamsOf<E>; query?: QueryOf<E> } = {}): string {
  const q = encodeQuery(def, parts.query);
  return q ? `${buildPath(def, parts.path)}?${q}` : buildPath(def, parts.path);
}

function decodeComponent(text: string): string | null {
  try {
    // '+' is a space in form encoding (Go's and Java's clients send it); we never emit a bare '+'.
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

function isNumberField(schema: unknown): boolean {
  let s = schema;
  while (s instanceof z.ZodOptional) s = s.unwrap();
  return s instanceof z.ZodNumber;
}

function queryError(name: string, message: string, issue: string): { ok: false; error: ParamError } {
  return { ok: false, error: { code: 'PARAM_ERROR', message, detail: { field: name, location: 'query', issue } } };
}

/**
 * Raw query string (with or without `?`) → parameter object ready for `validateRequest`:
 * numeric parameters become numbers, everything else stays a string. A repeated or
 * undecodable parameter is a PARAM_ERROR.
 */
export function decodeQuery(def: EndpointDef, raw: string): { ok: true; query: Record<string, unknown> } | { ok: false; error: ParamError } {
  const text = raw.startsWith('?') ? raw.slice(1) : raw;
  const query: Record<string, unknown> = {};
  const shape: Record<string, unknown> = def.query?.shape ?? {};
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decodeComponent(eq < 0 ? piece : piece.slice(0, eq));
    const value = decodeComponent(eq < 0 ? '' : piece.slice(eq + 1));
    if (name === null || value === null) return queryError(piece, `查询参数“${piece}”的百分号编码无效`, 'malformed percent-encoding');
    if (Object.hasOwn(query, name)) return queryError(name, `查询参数“${name}”重复`, 'parameter repeated');
    query[name] = Object.hasOwn(shape, name) && isNumberField(shape[name]) && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return { ok: true, query };
}

/** Path parameters if `pathname` (no query) matches the endpoint's template, else null. */
export function matchPath(def: EndpointDef, pathname: string): Record<string, string> | null {
  const want = def.path.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    const m = /^\{([a-z_]+)\}$/.exec(w);
    if (m) {
      const v = decodeComponent(g.replace(/\+/g, '%2B'));
      if (v === null || v === '') return null;
      params[m[1] ?? ''] = v;
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

export type RouteMatch = { kind: 'match'; def: EndpointDef; params: Record<string, string> } | { kind: 'method_not_allowed'; allowed: EndpointMethod[] } | { kind: 'not_found' };

/** Routes a request line for the simulator (no two templates overlap, so the first match is the only one). */
export function routeRequest(method: string, url: string, candidates: readonly EndpointDef[] = endpointList): RouteMatch {
  const pathname = url.split('?')[0] ?? '';
  const allowed: EndpointMethod[] = [];
  for (const def of candidates) {
    const params = matchPath(def, pathname);
    if (!params) continue;
    if (def.method === method.toUpperCase()) return { kind: 'match', def, params };
    allowed.push(def.method);
  }
  return allowed.length > 0 ? { kind: 'method_not_allowed', allowed } : { kind: 'not_found' };
}
