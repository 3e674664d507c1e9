// Every call the till makes has a deadline for the screen, not for the operation: when it
// passes, the cashier is told and can go on, while the reply — which may still come, and
// for a redemption may still mean the coupon was used — is kept and shown if it arrives.
import type { MethodInput, MethodName, MethodOutput, PosApi, PosErrorBody, Refusal, Result } from '../../shared/contract';
import type { Translate } from '../i18n/i18n';

export type CallOutcome<T> = { kind: 'ok'; value: T } | { kind: 'error'; error: PosErrorBody } | { kind: 'timeout'; seconds: number; late: Promise<Result<T>> };

export const SCAN_TIMEOUT_MS = 8_000;
export const REDEEM_TIMEOUT_MS = 15_000;
export const LIST_TIMEOUT_MS = 8_000;

export async function timedCall<M extends MethodName>(api: PosApi, method: M, input: MethodInput<M>, timeoutMs: number): Promise<CallOutcome<MethodOutput<M>>> {
  const reply = api.call(method, input).catch((): Result<MethodOutput<M>> => ({ ok: false, error: { code: 'INTERNAL', message: `${method} could not be sent` } }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([reply, deadline]);
  clearTimeout(timer);
  if (first === 'timeout') return { kind: 'timeout', seconds: Math.round(timeoutMs / 1000), late: reply };
  return first.ok ? { kind: 'ok', value: first.value } : { kind: 'error', error: first.error };
}

/** What went wrong, as a sentence that also says what to do (the till's own reason when it gave one). */
export function errorText(t: Translate, error: PosErrorBody, refusal?: (r: Refusal) => string): string {
  if (error.refusal && refusal) return refusal(error.refusal);
  const wechat = error.wechat?.message ?? error.wechat?.code ?? error.message;
  switch (error.code) {
    case 'WECHATPAY_REJECTED':
      return t('error.code.WECHATPAY_REJECTED', { message: wechat });
    case 'VALIDATION':
      return t('error.code.VALIDATION', { message: error.issues?.[0]?.message ?? error.message });
    default:
      return t(`error.code.${error.code}`);
  }
}
