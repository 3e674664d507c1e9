import { z } from 'zod';
import { Refusal } from '../refusals/refusal';

// Every failure that crosses the service boundary has one of these codes. The renderer
// turns the code into a sentence in the cashier's language; `message` is the English
// fallback for logs and the CLI. Nothing here ever carries key material.
export const ErrorCode = z.enum([
  'VALIDATION', // the payload did not match the method's input schema
  'UNKNOWN_METHOD',
  'FORBIDDEN', // wrong sender frame, or a manager-only method without a manager session
  'PIN_REJECTED', // wrong manager id or PIN
  'PIN_LOCKED', // too many wrong PINs: wait retryAfterMs
  'NOT_PROVISIONED',
  'NOT_FOUND', // no such operation or shift
  'STATE_CONFLICT', // the operation or shift is not in a state that allows this
  'KEYCHAIN',
  'CONFIGURATION',
  'WECHATPAY_REJECTED', // WeChat Pay answered with a business error: do not retry
  'OUTCOME_PENDING', // unknown outcome, kept in the journal and retried with the same request number
  'SECURITY', // a response or notification failed verification
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const Issue = z.object({ path: z.string(), message: z.string() });

export const PosErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(Issue).optional(),
  wechat: z.object({ code: z.string().optional(), message: z.string().optional(), requestId: z.string().optional() }).optional(),
  /** When trying again makes sense (a PIN lock). */
  retryAfterMs: z.number().int().min(0).optional(),
  /** The till's reason, for the screen's sentence (STATE_CONFLICT on an order, for one). */
  refusal: Refusal.optional(),
});
export type PosErrorBody = z.infer<typeof PosErrorBody>;

/** Thrown by service implementations; the router turns it into a typed error reply. */
export class PosError extends Error {
  readonly code: ErrorCode;
  readonly issues: PosErrorBody['issues'];
  readonly wechat: PosErrorBody['wechat'];
  readonly retryAfterMs: PosErrorBody['retryAfterMs'];
  readonly refusal: PosErrorBody['refusal'];
  constructor(code: ErrorCode, message: string, extra: Pick<PosErrorBody, 'issues' | 'wechat' | 'retryAfterMs' | 'refusal'> = {}) {
    super(message);
    this.name = 'PosError';
    this.code = code;
    this.issues = extra.issues;
    this.wechat = extra.wechat;
    this.retryAfterMs = extra.retryAfterMs;
    this.refusal = extra.refusal;
  }
  toBody(): PosErrorBody {
    const body: PosErrorBody = { code: this.code, message: this.message };
    if (this.issues) body.issues = this.issues;
    if (this.wechat) body.wechat = this.wechat;
    if (this.retryAfterMs !== undefined) body.retryAfterMs = this.retryAfterMs;
    if (this.refusal) body.refusal = this.refusal;
    return body;
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: PosErrorBody };

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: PosErrorBody })]);
}
