import { events, type EventName, type EventPayload } from '../../shared/contract';

type Listener = (event: EventName, payload: unknown) => void;

/** Main-process events (health, later queue status) fanned out to every connected page. */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly last = new Map<EventName, unknown>();

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const value = events[event].parse(payload);
    this.last.set(event, value);
    for (const l of this.listeners) l(event, value);
  }

  /** Subscribers get the latest value of each event at once, so a new page is never blank. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    for (const [event, payload] of this.last) listener(event, payload);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
