import { useCallback, useEffect, useRef, useState } from 'react';
import type { PosApi, PosErrorBody, ShiftView } from '../../shared/contract';
import { LIST_TIMEOUT_MS, timedCall } from './timed-call';

export type ShiftState =
  | { status: 'loading' }
  | { status: 'open'; shift: ShiftView }
  | { status: 'none'; opening: boolean; error: PosErrorBody | null; timedOut: boolean }
  /** shift.current itself failed: the till cannot tell, and the redemption service will decide. */
  | { status: 'unknown'; error: PosErrorBody | null };

const RETRY_MS = 3_000;

/** The till's shift: redemptions need one open, so the screen asks for it up front. */
export function useShift(api: PosApi) {
  const [state, setState] = useState<ShiftState>({ status: 'loading' });
  const live = useRef(true);
  // Bumped when the shift changed elsewhere (a manager closed it), so it is asked for again.
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    live.current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The till services may still be starting when the page loads: ask again until they answer.
    const ask = () =>
      void timedCall(api, 'shift.current', {}, LIST_TIMEOUT_MS).then((o) => {
        if (!live.current) return;
        if (o.kind === 'ok') {
          setState((s) => (s.status === 'none' && s.opening ? s : o.value ? { status: 'open', shift: o.value } : { status: 'none', opening: false, error: null, timedOut: false }));
          return;
        }
        setState({ status: 'unknown', error: o.kind === 'error' ? o.error : null });
        timer = setTimeout(ask, RETRY_MS);
      });
    ask();
    return () => {
      live.current = false;
      clearTimeout(timer);
    };
  }, [api, generation]);

  const open = useCallback(
    async (cashierId: string) => {
      setState({ status: 'none', opening: true, error: null, timedOut: false });
      const o = await timedCall(api, 'shift.open', { cashierId }, LIST_TIMEOUT_MS);
      if (!live.current) return;
      if (o.kind === 'ok') setState({ status: 'open', shift: o.value });
      else setState({ status: 'none', opening: false, error: o.kind === 'error' ? o.error : null, timedOut: o.kind === 'timeout' });
    },
    [api],
  );

  const shiftOpen = state.status === 'open' ? true : state.status === 'none' ? false : null;
  return { shift: state, shiftOpen, open, reload };
}
