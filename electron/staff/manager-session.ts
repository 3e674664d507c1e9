// The manager's key turned in the till: one manager at a time, for this app instance, ending
// after a short idle time so a manager who walks away does not leave returns open to the
// next person at the counter. Every manager-only call goes through `require()`, which both
// checks and extends the session.
import { PosError } from '../../shared/contract';

export interface ManagerSessionView {
  managerId: string;
  expiresAt: string;
}

export class ManagerSession {
  readonly #idleMs: number;
  readonly #clock: () => number;
  #managerId: string | null = null;
  #expiresAt = 0;

  constructor(options: { idleMs?: number; clock?: () => number } = {}) {
    this.#idleMs = options.idleMs ?? 120_000;
    this.#clock = options.clock ?? Date.now;
  }

  begin(managerId: string): ManagerSessionView {
    this.#managerId = managerId;
    this.#expiresAt = this.#clock() + this.#idleMs;
    return this.view()!;
  }

  end(): void {
    this.#managerId = null;
  }

  /** The session as it stands, or null when none is open or it ran out. */
  view(): ManagerSessionView | null {
    if (this.#managerId === null) return null;
    if (this.#clock() >= this.#expiresAt) {
      this.#managerId = null;
      return null;
    }
    return { managerId: this.#managerId, expiresAt: new Date(this.#expiresAt).toISOString() };
  }

  /** The signed-in manager's id; any use counts as activity. Throws FORBIDDEN without a session. */
  require(): string {
    const v = this.view();
    if (!v) throw new PosError('FORBIDDEN', 'this needs a shift manager: sign in with a manager PIN');
    this.#expiresAt = this.#clock() + this.#idleMs;
    return v.managerId;
  }
}
