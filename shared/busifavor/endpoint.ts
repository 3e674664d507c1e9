// The shape of one busifavor endpoint definition. The client builds requests from it and
// the simulator routes and validates with it, so both read the same schemas and limits.
import type { z } from 'zod';

/** The methods busifavor endpoints use (the protocol client sends these and PUT). */
export type EndpointMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Documented frequency limit, e.g. 500 per second for use / associate / disassociate. */
export interface RateLimit {
  limit: number;
  per: 'second' | 'minute';
}

type ObjectSchema = z.ZodObject;

export interface EndpointDef<
  P extends ObjectSchema | null = ObjectSchema | null,
  Q extends ObjectSchema | null = ObjectSchema | null,
  B extends z.ZodType | null = z.ZodType | null,
  R extends z.ZodType | null = z.ZodType | null,
> {
  /** Stable id, e.g. `coupons.use`. */
  id: string;
  method: EndpointMethod;
  /** Template with `{param}` placeholders, e.g. `/v3/marketing/busifavor/stocks/{stock_id}`. */
  path: string;
  /** Path parameters (strict), null when the path has none. */
  pathParams: P;
  /** Query parameters (strict); key order here is the order `encodeQuery` emits. */
  query: Q;
  /** Request body (strict); for multipart uploads the `meta` JSON part. */
  body: B;
  bodyKind: 'json' | 'multipart' | 'none';
  /** Success response body (tolerant); null for 204 No Content. */
  response: R;
  successStatus: 200 | 204;
  /** Request-number field that makes a retry safe, or null. */
  idempotencyKey: string | null;
  /** Where that field travels: the body for all but code deletion (query). */
  idempotencyIn: 'body' | 'query' | null;
  rateLimit: RateLimit | null;
  summary: string;
}

export function defineEndpoint<P extends ObjectSchema | null, Q extends ObjectSchema | null, B extends z.ZodType | null, R extends z.ZodType | null>(
  def: EndpointDef<P, Q, B, R>,
): EndpointDef<P, Q, B, R> {
  return def;
}

type In<S> = S extends z.ZodType ? z.input<S> : undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a caller provides for an endpoint. */
export type PathParamsOf<E extends EndpointDef> = In<E['pathParams']>;
export type QueryOf<E extends EndpointDef> = In<E['query']>;
export type BodyOf<E extends EndpointDef> = In<E['body']>;
/** What a successful call yields (undefined for 204). */
export type ResponseOf<E extends EndpointDef> = Out<E['response']>;
/** A request after validation. */
export interface ValidatedRequestOf<E extends EndpointDef> {
  path: Out<E['pathParams']>;
  query: Out<E['query']>;
  body: Out<E['body']>;
}
