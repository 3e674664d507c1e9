import { z } from 'zod';
import { AppHealth, AppInfo } from './app';
import { QueueSnapshot } from './operations';
import { OrderView } from './order';
import type { EventName } from './names';

/** Events flow main → renderer over the same two transports as method replies. */
export const events = {
  /** After a manager switched between training and live: the page starts afresh on the new till. */
  'app.info': AppInfo,
  'app.health': AppHealth,
  'queue.status': QueueSnapshot,
  /** An order of this till changed: opened (by the cashier or the register), a coupon applied or settled, finished, cancelled. */
  'order.status': OrderView,
} satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const EventEnvelope = z.object({ event: z.string(), payload: z.unknown() });
