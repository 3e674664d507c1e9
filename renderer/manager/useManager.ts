import { useCallback, useEffect, useRef, useState } from 'react';
import type { ManagerStatus, MethodInput, MethodName, MethodOutput, PosApi, PosErrorBody } from '../../shared/contract';
import type { Translate } from '../i18n/i18n';
import { errorText, LIST_TIMEOUT_MS, REDEEM_TIMEOUT_MS, timedCall, type CallOutcome } from '../till/timed-call';

// The manager's door on the till: closed, asking for the PIN, or open. The main process
// owns the session (it checks it on every manager call and ends it when idle); the screen
// only mirrors it, and goes back to the PIN form the moment a call says FORBIDDEN.

export type ManagerView =
  | { status: 'closed' }
  | { status: 'loading' }
  | { status: 'sign_in'; info: ManagerStatus | null; busy: boolean; error: PosErrorBody | null; expired: boolean }
  | { status: 'open'; managerId: string; info: ManagerStatus | null };

export type ManagerCall = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<CallOutcome<MethodOutput<M>>>;

export function useManager(api: PosApi) {
  const [view, setView] = useState<ManagerView>({ status: 'closed' });
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const askPin = useCallback(
    async (expired: boolean) => {
      const o = await timedCall(api, 'manager.status', {}, LIST_TIMEOUT_MS);
      if (!live.current) return;
      if (o.kind === 'ok' && o.value.session) setView({ status: 'open', managerId: o.value.session.managerId, info: o.value });
      else setView({ status: 'sign_in', info: o.kind === 'ok' ? o.value : null, busy: false, error: o.kind === 'error' ? o.error : null, expired });
    },
    [api],
  );

  const open = useCallback(() => {
    setView({ status: 'loading' });
    void askPin(false);
  }, [askPin]);

  const signIn = useCallback(
    async (managerId: string, pin: string) => {
      setView((v) => (v.status === 'sign_in' ? { ...v, busy: true, error: null } : v));
      const o = await timedCall(api, 'manager.signIn', { managerId, pin }, LIST_TIMEOUT_MS);
      if (!live.current) return;
      if (o.kind === 'ok') {
        // Signed in: what this till offers the manager (the mode switch) comes with the status.
        const st = await timedCall(api, 'manager.status', {}, LIST_TIMEOUT_MS);
        if (live.current) setView({ status: 'open', managerId: o.value.managerId, info: st.kind === 'ok' ? st.value : null });
      } else setView((v) => (v.status === 'sign_in' ? { ...v, busy: false, expired: false, error: o.kind === 'error' ? o.error : { code: 'INTERNAL', message: 'timeout' } } : v));
    },
    [api],
  );

  /** Closing the panel signs the manager out: the till is shared, the door must not stay open. */
  const close = useCallback(() => {
    setView({ status: 'closed' });
    void api.call('manager.signOut', {});
  }, [api]);

  /** A manager method; a FORBIDDEN reply means the session ran out, so the PIN is asked again. */
  const call: ManagerCall = useCallback(
    async (method, input) => {
      const o = await timedCall(api, method, input, REDEEM_TIMEOUT_MS);
      if (o.kind === 'error' && o.error.code === 'FORBIDDEN' && live.current) void askPin(true);
      return o;
    },
    [api, askPin],
  );

  return { view, open, close, signIn, call };
}

/** What went wrong with a call on the desk, as a sentence: the service's error, or no answer in time. */
export function failureText(t: Translate, o: { kind: 'error'; error: PosErrorBody } | { kind: 'timeout'; seconds: number }): string {
  return o.kind === 'error' ? errorText(t, o.error) : t('manager.timeout', { seconds: o.seconds });
}
