import type { z } from 'zod';
import { contract, isMethodName, PosError, type MethodInput, type MethodName, type MethodOutput, type PosErrorBody, type Result } from '../../shared/contract';
import type { Logger } from '../log/logger';

export interface CallContext {
  transport: 'ipc' | 'web' | 'register';
  /**
   * Who is calling: the till's own page (the launch token or the Electron window), or the
   * store's register with its credential, which may call only the methods marked `register`.
   */
  caller?: 'page' | 'register';
  /** Set by the router for manager-only methods: who is signed in. */
  managerId?: string;
}

/** Who may call manager-only methods right now; throws FORBIDDEN when nobody may. */
export interface ManagerGate {
  require(): string;
}

export type Handlers = {
  [M in MethodName]: (input: z.output<(typeof contract)[M]['input']>, ctx: CallContext) => Promise<MethodOutput<M>>;
};

export interface Router {
  call(method: unknown, payload: unknown, ctx: CallContext): Promise<Result<unknown>>;
  callTyped<M extends MethodName>(method: M, input: MethodInput<M>, ctx: CallContext): Promise<Result<MethodOutput<M>>>;
}

const toIssues = (error: z.ZodError) => error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));

/**
 * The single implementation of the contract that both transports call. It never throws:
 * unknown methods, bad payloads and handler failures all become typed error replies. The
 * reply is re-parsed through the output schema, which strips any field the contract does
 * not name — a handler cannot leak more than the contract allows.
 */
export function createRouter(handlers: Handlers, log: Logger, gate?: ManagerGate): Router {
  async function call(method: unknown, payload: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isMethodName(method)) {
      return fail({ code: 'UNKNOWN_METHOD', message: `unknown method: ${String(method).slice(0, 64)}` });
    }
    const def = contract[method];
    // Checked before the payload: the register learns nothing about methods it may not call.
    if (ctx.caller === 'register' && !('register' in def && def.register)) {
      return fail({ code: 'FORBIDDEN', message: `${method} is not open to the register` });
    }
    const parsed = def.input.safeParse(payload);
    if (!parsed.success) {
      return fail({ code: 'VALIDATION', message: `invalid input for ${method}`, issues: toIssues(parsed.error) });
    }
    try {
      // Checked here, once for every manager method, so no handler can forget it.
      let callCtx: CallContext = { transport: ctx.transport, caller: ctx.caller ?? 'page' };
      if ('manager' in def && def.manager) {
        if (!gate) throw new PosError('FORBIDDEN', 'manager methods are not available on this host');
        callCtx = { ...callCtx, managerId: gate.require() };
      }
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => Promise<unknown>;
      const value = await handler(parsed.data, callCtx);
      const out = def.output.safeParse(value);
      if (!out.success) {
        log.error('router.output_invalid', { method, issues: toIssues(out.error) });
        return fail({ code: 'INTERNAL', message: `${method} produced an invalid reply` });
      }
      return { ok: true, value: out.data };
    } catch (err) {
      if (err instanceof PosError) return fail(err.toBody());
      // Unexpected errors may carry anything in their text; the reply says only what failed.
      log.error('router.handler_failed', { method, error: err });
      return fail({ code: 'INTERNAL', message: `${method} failed unexpectedly` });
    }
  }
  return {
    call,
    callTyped: (method, input, ctx) => call(method, input, ctx) as Promise<Result<MethodOutput<typeof method>>>,
  };
}

const fail = (error: PosErrorBody): Result<never> => ({ ok: false, error });
