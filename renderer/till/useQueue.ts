import { useCallback, useEffect, useRef, useState } from 'react';
import type { PosApi, PosErrorBody, QueueSnapshot } from '../../shared/contract';
import { LIST_TIMEOUT_MS, timedCall } from './timed-call';

export type QueueView = { status: 'loading' } | { status: 'ready'; snapshot: QueueSnapshot } | { status: 'failed'; error: PosErrorBody } | { status: 'timeout'; seconds: number };

const RETRY_MS = 5_000;

/** The queue as `queue.list` first answers it, then as every `queue.status` event says. */
export function useQueue(api: PosApi): { queue: QueueView; refresh: () => void } {
  const [queue, setQueue] = useState<QueueView>({ status: 'loading' });
  // An event is newer than any list reply still on its way.
  const eventSeen = useRef(false);
  const live = useRef(true);

  const refresh = useCallback(() => {
    eventSeen.current = false;
    void timedCall(api, 'queue.list', {}, LIST_TIMEOUT_MS).then((outcome) => {
      if (!live.current || eventSeen.current) return;
      if (outcome.kind === 'ok') setQueue({ status: 'ready', snapshot: outcome.value });
      else if (outcome.kind === 'error') setQueue({ status: 'failed', error: outcome.error });
      else setQueue((q) => (q.status === 'ready' ? q : { status: 'timeout', seconds: outcome.seconds }));
    });
  }, [api]);

  useEffect(() => {
    live.current = true;
    const off = api.on('queue.status', (snapshot) => {
      eventSeen.current = true;
      setQueue({ status: 'ready', snapshot });
    });
    refresh();
    return () => {
      live.current = false;
      off();
    };
  }, [api, refresh]);

  // Until the list has answered once (the till may still be starting), ask again now and then.
  const waiting = queue.status !== 'ready';
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(refresh, RETRY_MS);
    return () => clearInterval(timer);
  }, [waiting, refresh]);

  return { queue, refresh };
}
