// Group commit for attempt results: every answer that arrives in the same turn of the event
// loop shares one fsync'd transaction. Listeners (a waiting cashier, the coupon directory)
// hear about an outcome only after it is on disk. Losing a batch in a crash is safe: those
// operations are still pending in the journal and are resent with the same number.
import type { Journal, JournalWrite } from './journal';

export class GroupCommit {
  #writes: JournalWrite[] = [];
  #after: (() => void)[] = [];
  #queued = false;

  constructor(
    private readonly journal: Journal,
    /** False once the owner stopped: a late batch is then left to the next flush (or dropped with the process). */
    private readonly active: () => boolean,
    /** A batch the journal refused (disk full, I/O error): nothing of it is on disk, and its listeners are not called. */
    private readonly onError: (err: unknown) => void = (err) => {
      throw err;
    },
  ) {}

  /** Queues writes and what to do once they are durable. */
  add(writes: readonly JournalWrite[], after: () => void): void {
    this.#writes.push(...writes);
    this.#after.push(after);
    if (this.#queued) return;
    this.#queued = true;
    setImmediate(() => {
      this.#queued = false;
      if (this.active()) this.flush();
    });
  }

  flush(): void {
    if (this.#writes.length === 0 && this.#after.length === 0) return;
    const writes = this.#writes;
    const after = this.#after;
    this.#writes = [];
    this.#after = [];
    try {
      this.journal.commit(writes);
    } catch (err) {
      this.onError(err);
      return;
    }
    for (const fn of after) fn();
  }
}
