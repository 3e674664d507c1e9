// The drainer's in-memory view of the open operations: one FIFO lane per coupon and a
// min-heap of lane heads by due time, so picking the next sendable operation costs
// O(log n) instead of a scan of every coupon. The journal stays the source of truth; this
// is rebuilt from it on start and on refresh.
import type { OperationRecord } from './records';

interface Entry {
  due: number;
  lane: string;
  id: number;
}

class MinHeap {
  readonly #items: Entry[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Entry | undefined {
    return this.#items[0];
  }

  push(e: Entry): void {
    const a = this.#items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(a[i] as Entry, a[p] as Entry)) break;
      [a[i], a[p]] = [a[p] as Entry, a[i] as Entry];
      i = p;
    }
  }

  pop(): Entry | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.#less(a[l] as Entry, a[m] as Entry)) m = l;
        if (r < a.length && this.#less(a[r] as Entry, a[m] as Entry)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Entry, a[i] as Entry];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.#items.length = 0;
  }

  // Earlier due first; among equals the older operation, so FIFO holds across coupons too.
  #less(x: Entry, y: Entry): boolean {
    return x.due < y.due || (x.due === y.due && x.id < y.id);
  }
}

export class Lanes {
  readonly #lanes = new Map<string, OperationRecord[]>();
  readonly #heap = new MinHeap();
  readonly #inFlight = new Set<string>();

  /** Replaces everything with `open` (pending and parked operations in id order). */
  load(open: readonly OperationRecord[]): void {
    this.#lanes.clear();
    this.#heap.clear();
    for (const op of open) this.#append(op);
    for (const lane of this.#lanes.keys()) this.#schedule(lane);
  }

  #laneOf(op: OperationRecord): string {
    return op.couponCode;
  }

  #append(op: OperationRecord): boolean {
    const key = this.#laneOf(op);
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = [];
      this.#lanes.set(key, lane);
    }
    if (lane.some((o) => o.id === op.id)) return false;
    lane.push(op);
    lane.sort((a, b) => a.id - b.id);
    return true;
  }

  /** Adds a newly written operation; schedules it if it is now its lane's head. */
  add(op: OperationRecord): void {
    if (this.#append(op)) this.#schedule(this.#laneOf(op));
  }

  /** Swaps in `op` for the entry with its id (after a refresh, the lane may hold an older copy). */
  replace(op: OperationRecord): void {
    const lane = this.#lanes.get(this.#laneOf(op));
    const i = lane?.findIndex((o) => o.id === op.id) ?? -1;
    if (lane && i >= 0) lane[i] = op;
  }

  head(lane: string): OperationRecord | undefined {
    return this.#lanes.get(lane)?.[0];
  }

  find(id: number): OperationRecord | undefined {
    for (const lane of this.#lanes.values()) {
      const op = lane.find((o) => o.id === id);
      if (op) return op;
    }
    return undefined;
  }

  /** Puts the lane's head on the heap if it is pending and not in flight. */
  #schedule(lane: string, due?: number): void {
    const head = this.head(lane);
    if (!head || head.status !== 'pending' || this.#inFlight.has(lane)) return;
    this.#heap.push({ due: due ?? head.nextAttemptAt, lane, id: head.id });
  }

  reschedule(op: OperationRecord, due?: number): void {
    this.#schedule(this.#laneOf(op), due);
  }

  /** Drops a finished head (succeeded, refused, acknowledged) and schedules the next one. */
  finish(op: OperationRecord): void {
    const key = this.#laneOf(op);
    const lane = this.#lanes.get(key);
    if (!lane) return;
    const i = lane.findIndex((o) => o.id === op.id);
    if (i >= 0) lane.splice(i, 1);
    if (lane.length === 0) this.#lanes.delete(key);
    else this.#schedule(key);
  }

  markInFlight(op: OperationRecord): void {
    this.#inFlight.add(this.#laneOf(op));
  }

  clearInFlight(op: OperationRecord): void {
    this.#inFlight.delete(this.#laneOf(op));
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  isInFlight(op: OperationRecord): boolean {
    return this.#inFlight.has(this.#laneOf(op));
  }

  /**
   * The next head due at or before `now`, or the earliest due time if none is due yet
   * (`undefined` when nothing is waiting). Stale heap entries are skipped.
   */
  next(now: number): { op: OperationRecord } | { waitUntil: number } | undefined {
    for (;;) {
      const top = this.#heap.peek();
      if (!top) return undefined;
      const head = this.head(top.lane);
      if (!head || head.id !== top.id || head.status !== 'pending' || this.#inFlight.has(top.lane)) {
        this.#heap.pop();
        continue;
      }
      if (top.due > now) return { waitUntil: top.due };
      this.#heap.pop();
      if (head.nextAttemptAt > now) {
        this.#heap.push({ due: head.nextAttemptAt, lane: top.lane, id: head.id });
        continue;
      }
      return { op: head };
    }
  }

  /** Every pending operation becomes due now (connectivity came back). */
  allDueNow(now: number): void {
    for (const [key, lane] of this.#lanes) {
      for (const op of lane) if (op.status === 'pending' && op.nextAttemptAt > now) op.nextAttemptAt = now;
      this.#schedule(key, now);
    }
  }

  /** Earliest due time among sendable heads (pending, not in flight); undefined when none. Side-effect free. */
  earliestDue(): number | undefined {
    let best: number | undefined;
    for (const [key, lane] of this.#lanes) {
      const head = lane[0];
      if (!head || head.status !== 'pending' || this.#inFlight.has(key)) continue;
      if (best === undefined || head.nextAttemptAt < best) best = head.nextAttemptAt;
    }
    return best;
  }

  get pendingCount(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) for (const op of lane) if (op.status === 'pending') n += 1;
    return n;
  }

  blockedLanes(): OperationRecord[] {
    const out: OperationRecord[] = [];
    for (const lane of this.#lanes.values()) if (lane[0]?.status === 'parked') out.push(lane[0]);
    return out;
  }

  get laneCount(): number {
    return this.#lanes.size;
  }
}
