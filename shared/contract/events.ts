import { z } from 'zod';
import { AppHealth } from './app';
import { QueueSnapshot } from './till';
import type { EventName } from './names';

/** Events flow main → renderer over the same two transports as method replies. */
export const events = {
  'app.health': AppHealth,
  'queue.status': QueueSnapshot,
} satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const EventEnvelope = z.object({ event: z.string(), payload: z.unknown() });
