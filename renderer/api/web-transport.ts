import type { EventName, PosApi, Result } from '../../shared/contract';

const TOKEN_KEY = 'pos.token';

/** Takes the launch token from the URL fragment once, keeps it for this tab, and hides it from the address bar. */
export function takeLaunchToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

type Listener = (payload: unknown) => void;

/** PosApi over the loopback web host: POST per call, one server-sent event stream for events. */
export function createWebTransport(token: string): PosApi {
  const listeners = new Map<string, Set<Listener>>();
  let streaming = false;

  async function call(method: string, input: unknown): Promise<Result<never>> {
    try {
      const res = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      const body = await res.json().catch(() => null);
      if (body && typeof body === 'object' && 'ok' in body) return body as Result<never>;
      return { ok: false, error: { code: 'INTERNAL', message: `host answered ${res.status}` } };
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: 'host unreachable' } };
    }
  }

  async function stream() {
    let delay = 500;
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers: { Authorization: `Bearer ${token}` } });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let idx;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            dispatch(buf.slice(0, idx));
            buf = buf.slice(idx + 2);
          }
        }
      } catch {
        // The host restarted or the till slept: reconnect with a capped backoff.
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  function dispatch(block: string) {
    let event = '';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!event || !data) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    listeners.get(event)?.forEach((l) => l(payload));
  }

  return {
    transport: 'web',
    call: call as PosApi['call'],
    on(event: EventName, listener) {
      if (!streaming) {
        streaming = true;
        void stream();
      }
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
  };
}
