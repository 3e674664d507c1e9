import type { PosApi, Result } from '../../shared/contract';

/** Shape the sandboxed preload exposes on window.pos (see electron/preload.ts). */
export interface PreloadBridge {
  methods: Record<string, (input: unknown) => Promise<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function createIpcTransport(bridge: PreloadBridge): PosApi {
  return {
    transport: 'ipc',
    call: (async (method: string, input: unknown) => {
      const fn = bridge.methods[method];
      if (!fn) return { ok: false, error: { code: 'UNKNOWN_METHOD', message: method } } satisfies Result<never>;
      try {
        return await fn(input ?? {});
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'main process unreachable' } } satisfies Result<never>;
      }
    }) as PosApi['call'],
    on: (event, listener) => bridge.on(event, listener as (p: unknown) => void),
  };
}
