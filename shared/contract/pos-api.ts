import type { EventPayload } from './events';
import type { MethodInput, MethodOutput } from './methods';
import type { EventName, MethodName } from './names';
import type { Result } from './errors';

/**
 * What the renderer sees: one interface whatever the transport (Electron IPC or the
 * loopback web host). Calls never throw for service errors; they resolve to a Result.
 */
export interface PosApi {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  readonly transport: 'ipc' | 'web';
}
