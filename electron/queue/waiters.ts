// Callers waiting for an operation's outcome (a cashier in front of the customer). Each
// wait ends when the operation leaves pending, when the queue goes offline or stops, or at
// its timeout — and always answers with the operation as the journal now has it.
import type { Scheduler } from './pacing';
import type { OperationRecord } from './records';

interface Waiter {
  id: number;
  resolve: (op: OperationRecord) => void;
  timer: unknown;
}

export class Waiters {
  readonly #list: Waiter[] = [];

  constructor(
    private readonly sched: Scheduler,
    private readonly read: (id: number) => OperationRecord | undefined,
  ) {}

  wait(id: number, timeoutMs: number): Promise<OperationRecord> {
    return new Promise((resolve) => {
      const waiter: Waiter = { id, resolve, timer: undefined };
      waiter.timer = this.sched.setTimer(() => this.#end(waiter), timeoutMs);
      this.#list.push(waiter);
    });
  }

  /** Ends every wait whose operation id matches. */
  release(match: (id: number) => boolean): void {
    for (const w of [...this.#list]) if (match(w.id)) this.#end(w);
  }

  #end(waiter: Waiter): void {
    const i = this.#list.indexOf(waiter);
    if (i < 0) return;
    this.#list.splice(i, 1);
    this.sched.clearTimer(waiter.timer);
    const op = this.read(waiter.id);
    if (op) waiter.resolve(op);
  }
}
