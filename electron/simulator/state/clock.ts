// The simulator's notion of "now". Every rule that depends on time (validity windows, expiry,
// per-day counters, stock end) reads this clock, so tests and the admin API can move time
// forward instead of waiting for it.

export type ClockSnapshot = { kind: 'manual'; now_ms: number } | { kind: 'system'; offset_ms: number };

export interface Clock {
  now(): Date;
  /** Moves time forward (or back, with a negative amount) by `ms`. */
  advance(ms: number): void;
  snapshot(): ClockSnapshot;
}

/** Time stands still until advanced: what tests and a reproducible seed use. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | number) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(at: Date): void {
    this.ms = at.getTime();
  }

  snapshot(): ClockSnapshot {
    return { kind: 'manual', now_ms: this.ms };
  }
}

/** Wall-clock time plus an offset, so a running simulator can still be sent into the future. */
export class SystemClock implements Clock {
  constructor(private offsetMs = 0) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  snapshot(): ClockSnapshot {
    return { kind: 'system', offset_ms: this.offsetMs };
  }
}

export function clockFromSnapshot(snapshot: ClockSnapshot): Clock {
  return snapshot.kind === 'manual' ? new ManualClock(snapshot.now_ms) : new SystemClock(snapshot.offset_ms);
}
