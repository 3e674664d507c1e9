import { ZodError } from 'zod';
import { RequestParamError } from '../../shared/busifavor';
import { BackofficeError } from '../backoffice/run';
import { isWechatPayError } from '../wechatpay';
import { KeychainError } from '../secrets/secret-store';

/** posctl's exit codes: a contract store IT scripts rely on (docs/contracts.md#posctl-exit-codes). */
export const EXIT = {
  ok: 0,
  usage: 2,
  business: 3,
  pending: 4,
  security: 5,
  configuration: 6,
} as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A manager action whose PIN was refused or is locked out: a security failure (exit 5). */
export class ManagerProofError extends Error {
  override name = 'ManagerProofError';
  constructor(
    readonly code: 'PIN_REJECTED' | 'PIN_LOCKED',
    message: string,
  ) {
    super(message);
  }
}

export interface CliFailure {
  exit: number;
  error: { kind: string; code?: string; message: string; http_status?: number; request_id?: string; detail?: unknown };
}

/** Maps any thrown value to an exit code and a JSON-able error that carries no secret. */
export function classifyFailure(err: unknown): CliFailure {
  if (err instanceof UsageError) return { exit: EXIT.usage, error: { kind: 'usage', message: err.message } };
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    return { exit: EXIT.usage, error: { kind: 'usage', message: `${issue?.path.join('.') || 'input'}: ${issue?.message}` } };
  }
  // A field WeChat would refuse (too long, a character it does not take): bad input, nothing sent.
  if (err instanceof RequestParamError) return { exit: EXIT.usage, error: { kind: 'usage', code: err.paramError.code, message: err.message } };
  if (err instanceof ManagerProofError) return { exit: EXIT.security, error: { kind: 'manager_pin', code: err.code, message: err.message } };
  if (err instanceof KeychainError) return { exit: EXIT.configuration, error: { kind: 'keychain', code: err.reason, message: err.message } };
  if (err instanceof BackofficeError)
    return { exit: err.code === 'CONFIGURATION' ? EXIT.configuration : EXIT.business, error: { kind: 'backoffice', code: err.code, message: err.message } };
  // An image WeChat Pay would refuse (type, size, name) is refused before any request: bad input.
  if (isWechatPayError(err) && err.code?.startsWith('UPLOAD_')) return { exit: EXIT.usage, error: { kind: 'usage', code: err.code, message: err.message } };
  if (isWechatPayError(err)) {
    const exit = err.kind === 'rejected' ? EXIT.business : err.kind === 'unknown_outcome' ? EXIT.pending : err.kind === 'security' ? EXIT.security : EXIT.configuration;
    return {
      exit,
      error: {
        kind: err.kind,
        ...(err.code ? { code: err.code } : {}),
        message: err.message,
        ...(err.httpStatus ? { http_status: err.httpStatus } : {}),
        ...(err.requestId ? { request_id: err.requestId } : {}),
        ...(err.detail !== undefined ? { detail: err.detail } : {}),
      },
    };
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' || e?.code === 'EACCES') return { exit: EXIT.usage, error: { kind: 'usage', code: e.code, message: e.message } };
  return { exit: EXIT.configuration, error: { kind: 'internal', message: e?.message ?? String(err) } };
}
