// The drainer: sends what the journal holds. Per coupon strictly in order (a coupon's later
// operation waits until the earlier one is confirmed, or acknowledged by a manager), many
// coupons in parallel, each endpoint paced below WeChat's limit, unknown outcomes resent
// with the same request number after a jittered backoff, rejections parked for a manager.
//
// Crash safety does not depend on anything in memory: results are committed in small
// batches after the answers arrive, and an operation whose result was lost in a crash is
// simply still pending — resending it with its stored number makes WeChat Pay replay the
// original answer instead of acting twice.
import type { EndpointId } from '../../shared/busifavor';
import { applyReport, runAttempt, type AttemptReport, type CouponCaller } from './attempt';
import { DrainLock } from './drain-lock';
import type { EnqueueInput, Journal, JournalWrite } from './journal';
import { ProbeLoop } from './connectivity';
import { GroupCommit } from './group-commit';
import { Lanes } from './lanes';
import { Waiters } from './waiters';
import { backoffDelay, DEFAULT_BACKOFF, EndpointPacer, systemScheduler, type BackoffPolicy, type RateSpec, type Scheduler } from './pacing';
import { updateOf, type OperationRecord } from './records';

export type DrainEvent =
  | { type: 'resolved'; operation: OperationRecord }
  | { type: 'parked'; operation: OperationRecord }
  | { type: 'retry'; operation: OperationRecord }
  | { type: 'connectivity'; online: boolean }
  /** The journal refused to record answers (disk full, I/O error): sending pauses, nothing is lost. */
  | { type: 'journal_error'; message: string }
  /**
   * The drain lock could not be renewed (`held: false`: another process, `holderPid`, took it
   * while this one stalled): sending stopped at once. `held: true`: it was taken back.
   */
  | { type: 'lock'; held: boolean; holderPid?: number };

export interface DrainerOptions {
  journal: Journal;
  client: CouponCaller;
  scheduler?: Scheduler;
  random?: () => number;
  backoff?: BackoffPolicy;
  rates?: Partial<Record<EndpointId, RateSpec>>;
  /** Operations in flight at once (one per coupon at most). */
  concurrency?: number;
  /** Query the coupon after an unknown outcome before resending (needs openid and appid). */
  reconcile?: boolean;
  /** Answers true when WeChat Pay is reachable; enables pausing while offline. */
  probe?: () => Promise<boolean>;
  probeIntervalMs?: number;
  /** Re-read the journal this often to see what other processes (posctl) changed; 0 = never. */
  refreshIntervalMs?: number;
  lockTtlMs?: number;
  onEvent?: (event: DrainEvent) => void;
  /** How long sending pauses after the journal refused a write. */
  journalRetryMs?: number;
}

export interface DrainStatus {
  running: boolean;
  online: boolean;
  /** False while another process holds the drain lock: this one sends nothing. */
  lockHeld: boolean;
  /** Who holds it instead, while lockHeld is false. */
  lockHolderPid: number | null;
  pending: number;
  inFlight: number;
  parked: number;
}

export class QueueDrainer {
  readonly #journal: Journal;
  readonly #client: CouponCaller;
  readonly #sched: Scheduler;
  readonly #random: () => number;
  readonly #backoff: BackoffPolicy;
  readonly #limiter: EndpointPacer;
  readonly #concurrency: number;
  readonly #reconcile: boolean;
  readonly #prober: ProbeLoop | undefined;
  readonly #refreshIntervalMs: number;
  readonly #lockTtlMs: number;
  readonly #onEvent: (event: DrainEvent) => void;
  readonly #journalRetryMs: number;
  #pausedUntil = 0;
  readonly #lock: DrainLock;
  readonly #lanes = new Lanes();
  readonly #attended = new Set<number>();
  readonly #waiters: Waiters;
  readonly #inFlight = new Map<number, { promise: Promise<void>; abort: AbortController }>();
  readonly #commits: GroupCommit;
  #timer: unknown;
  #timerAt = Infinity;
  #housekeeping: unknown;
  #lastRefresh = 0;
  #running = false;
  #stopping = false;
  #online = true;

  constructor(options: DrainerOptions) {
    this.#journal = options.journal;
    this.#client = options.client;
    this.#sched = options.scheduler ?? systemScheduler;
    this.#random = options.random ?? Math.random;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#limiter = new EndpointPacer(options.rates ?? {}, () => this.#sched.now());
    this.#concurrency = Math.max(1, options.concurrency ?? 16);
    this.#reconcile = options.reconcile ?? true;
    this.#prober =
      options.probe &&
      new ProbeLoop(options.probe, {
        scheduler: this.#sched,
        intervalMs: options.probeIntervalMs ?? 5_000,
        wanted: () => this.#running && !this.#stopping && !this.#online,
        onReachable: () => this.#setOnline(true),
      });
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 5_000;
    this.#lockTtlMs = options.lockTtlMs ?? 30_000;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#journalRetryMs = options.journalRetryMs ?? 5_000;
    this.#commits = new GroupCommit(
      this.#journal,
      () => this.#running,
      (err) => this.#journalFailed(err),
    );
    this.#waiters = new Waiters(this.#sched, (id) => this.#journal.getById(id));
    this.#lock = new DrainLock({
      journal: this.#journal,
      scheduler: this.#sched,
      ttlMs: this.#lockTtlMs,
      onChange: (change) => {
        // Requests already on the wire cannot be recalled; nothing more is sent for them (a
        // resend, a reconciliation): their operations stay pending for the process holding
        // the lock now, which sends them with the same request numbers.
        if (!change.held) for (const f of this.#inFlight.values()) f.abort.abort();
        this.#onEvent({ type: 'lock', ...change });
      },
      onJournalError: (err) => this.#journalError(err),
    });
  }

  get online(): boolean {
    return this.#online;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Takes the drain lock, loads the open operations and starts sending (drain on start-up). */
  start(): void {
    if (this.#running) return;
    this.#lock.take();
    this.#running = true;
    this.#stopping = false;
    this.#reload();
    this.#housekeep();
    this.#pump();
  }

  #reload(): void {
    this.#commits.flush();
    this.#lanes.load(this.#journal.openOperations());
    this.#lastRefresh = this.#sched.now();
  }

  /** Re-reads the journal (e.g. after posctl retried or acknowledged something) and sends what is due. */
  kick(): void {
    if (!this.#running || this.#stopping) return;
    this.#reloadKeepingInFlight();
    this.#pump();
  }

  #reloadKeepingInFlight(): void {
    this.#commits.flush();
    const open = this.#journal.openOperations();
    const inFlightIds = new Set(this.#inFlight.keys());
    this.#lanes.load(open);
    for (const id of inFlightIds) {
      const op = this.#lanes.find(id);
      if (op) this.#lanes.markInFlight(op);
    }
    this.#lastRefresh = this.#sched.now();
  }

  // Lock renewal and the periodic journal refresh share one timer.
  #housekeep(): void {
    if (!this.#running || this.#stopping) return;
    const every = Math.max(1_000, Math.min(this.#lockTtlMs / 3, this.#refreshIntervalMs || Infinity));
    this.#housekeeping = this.#sched.setTimer(() => {
      if (!this.#running || this.#stopping) return;
      try {
        const lost = this.#lock.lostTo !== null;
        if (this.#lock.renew() && lost) this.#pump();
        if (this.#refreshIntervalMs > 0 && this.#sched.now() - this.#lastRefresh >= this.#refreshIntervalMs) this.kick();
      } catch (err) {
        // A full disk must not take the till down from a timer; the next pass tries again.
        this.#journalError(err);
      }
      this.#housekeep();
    }, every);
  }

  /**
   * Writes an operation to the journal (durably, before anything is sent) and queues it.
   * `attended`: the cashier is waiting for the answer, so a refusal is final (`refused`)
   * rather than parked for a manager.
   */
  enqueue(input: EnqueueInput, options: { attended?: boolean } = {}): OperationRecord {
    return this.enqueueAll([input], options)[0] as OperationRecord;
  }

  /** Several operations written in one transaction, in order (an order link before its use). */
  enqueueAll(inputs: readonly EnqueueInput[], options: { attended?: boolean } = {}): OperationRecord[] {
    const written = this.#journal.enqueueAll(inputs).map((w) => w.operation);
    for (const operation of written) {
      if (options.attended) this.#attended.add(operation.id);
      if (operation.status === 'pending' && this.#running) this.#lanes.add(operation);
    }
    this.#pump();
    // The lane's copy changes as attempts come back; the caller gets a snapshot.
    return written.map((operation) => ({ ...operation }));
  }

  /** The cashier stopped waiting: a later refusal is parked for a manager. */
  unattend(opId: string): void {
    const op = this.#journal.get(opId);
    if (op) this.#attended.delete(op.id);
  }

  /**
   * Resolves with the operation once it is no longer pending, or the queue went offline, or
   * `timeoutMs` passed — whichever comes first (the answer then shows it still pending).
   */
  settle(opId: string, timeoutMs: number): Promise<OperationRecord> {
    const op = this.#journal.get(opId);
    if (!op) return Promise.reject(new Error(`no operation ${opId}`));
    if (op.status !== 'pending' || !this.#online || !this.#running) return Promise.resolve(op);
    return this.#waiters.wait(op.id, timeoutMs);
  }

  // --- manager actions (in-process; posctl's changes arrive through refresh) -------------------

  retry(opId: string, actor: string): OperationRecord {
    const op = this.#journal.retry(opId, actor);
    if (this.#running) this.kick();
    return op;
  }

  acknowledge(opId: string, actor: string, note?: string): OperationRecord {
    const op = this.#journal.acknowledge(opId, actor, note);
    if (this.#running) this.kick();
    return op;
  }

  status(): DrainStatus {
    return {
      running: this.#running,
      online: this.#online,
      lockHeld: this.#running && this.#lock.lostTo === null,
      lockHolderPid: this.#lock.lostTo?.pid ?? null,
      pending: this.#lanes.pendingCount,
      inFlight: this.#inFlight.size,
      parked: this.#lanes.blockedLanes().length,
    };
  }

  /**
   * Resolves once nothing is in flight and nothing is due within `horizonMs` — what is left
   * is waiting on backoff, on connectivity, or on a manager. For posctl's `queue drain`.
   */
  async whenIdle(horizonMs = 0, pollMs = 20): Promise<DrainStatus> {
    for (;;) {
      const due = this.#lanes.earliestDue();
      const busy = this.#inFlight.size > 0 || (this.#online && due !== undefined && due <= this.#sched.now() + horizonMs);
      if (!this.#running || !busy) return this.status();
      await new Promise<void>((resolve) => setTimeout(resolve, pollMs));
    }
  }

  // --- sending ----------------------------------------------------------------------------------

  #pump(): void {
    if (!this.#running || this.#stopping || !this.#online) return;
    if (this.#sched.now() < this.#pausedUntil) return this.#wakeAt(this.#pausedUntil);
    // Before anything is sent: a drainer waking from a stall may have lost the lock meanwhile.
    if (!this.#lock.holds()) return;
    for (;;) {
      if (this.#inFlight.size >= this.#concurrency) return;
      const now = this.#sched.now();
      const next = this.#lanes.next(now);
      if (!next) return;
      if ('waitUntil' in next) {
        this.#wakeAt(next.waitUntil);
        return;
      }
      const op = next.op;
      const wait = this.#limiter.take(op.endpoint as EndpointId);
      if (wait > 0) {
        // Paced: the head goes back and everything waits the few ms until a token is due,
        // rather than reshuffling a large backlog on every pump.
        this.#lanes.reschedule(op, now);
        this.#wakeAt(now + wait);
        return;
      }
      this.#dispatch(op);
    }
  }

  #wakeAt(at: number): void {
    if (at >= this.#timerAt) return;
    if (this.#timer !== undefined) this.#sched.clearTimer(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#sched.setTimer(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    }, at - this.#sched.now());
  }

  #dispatch(op: OperationRecord): void {
    this.#lanes.markInFlight(op);
    const abort = new AbortController();
    const promise = runAttempt(this.#client, op, { reconcile: this.#reconcile, now: () => this.#sched.now(), signal: abort.signal })
      .then((report) => this.#complete(op, report))
      .catch(() => this.#complete(op, null))
      .finally(() => {
        this.#inFlight.delete(op.id);
        this.#lanes.clearInFlight(op);
        this.#pump();
      });
    this.#inFlight.set(op.id, { promise, abort });
  }

  #complete(op: OperationRecord, report: AttemptReport | null): void {
    // After stop() gave up on it, the journal may be closed: the operation simply stays
    // pending and is resent, with its number, next time.
    if (!this.#running || abortedLate(this.#inFlight.get(op.id)?.abort)) return;
    // The copy that was in flight is the current one, even if a refresh reloaded the lane meanwhile;
    // and it leaves the in-flight set first, so the lane's next head (or its retry) can be scheduled.
    this.#lanes.replace(op);
    this.#lanes.clearInFlight(op);
    const now = this.#sched.now();
    // A refused order link is final even unattended: the link is statistics for the merchant,
    // and the coupon's use queued behind it must not wait for a manager because of it.
    const finalIfRefused = this.#attended.has(op.id) || op.kind === 'associate' || op.kind === 'disassociate';
    const { settlement, offline } = applyReport(op, report, { now, finalIfRefused, retryDelay: (attempts) => backoffDelay(attempts, this.#backoff, this.#random) });
    if (settlement === 'resolved') this.#lanes.finish(op);
    if (settlement === 'retry') this.#lanes.reschedule(op);
    if (op.status === 'succeeded' && !this.#online) this.#setOnline(true);
    if (offline && this.#prober) this.#setOnline(false);
    const writes: JournalWrite[] = [{ id: op.id, update: updateOf(op) }, ...(report?.entries ?? []).map((attempt) => ({ id: op.id, attempt }))];
    const snapshot = { ...op };
    this.#commits.add(writes, () => {
      this.#onEvent({ type: settlement, operation: snapshot });
      if (snapshot.status !== 'pending') this.#waiters.release((id) => id === snapshot.id);
    });
  }

  /**
   * Answers that could not be written are not on disk, so their operations are still pending
   * there: the lanes are reloaded from the journal and, after a pause, those operations are
   * resent with their own request numbers — WeChat Pay answers a repeat with the first result.
   */
  #journalFailed(err: unknown): void {
    this.#journalError(err);
    this.#pausedUntil = this.#sched.now() + this.#journalRetryMs;
    try {
      this.#reloadKeepingInFlight();
    } catch {
      // Not even readable: the next kick or housekeeping pass tries again.
    }
    this.#wakeAt(this.#pausedUntil);
  }

  #journalError(err: unknown): void {
    this.#onEvent({ type: 'journal_error', message: err instanceof Error ? err.message : String(err) });
  }

  // --- connectivity -----------------------------------------------------------------------------

  #setOnline(online: boolean): void {
    if (this.#online === online) return;
    this.#online = online;
    this.#onEvent({ type: 'connectivity', online });
    if (!online) {
      // Nobody should wait for an answer that cannot come.
      this.#waiters.release(() => true);
      this.#prober?.start();
    } else {
      this.#journal.makeDueNow();
      this.#lanes.allDueNow(this.#sched.now());
      this.#pump();
    }
  }

  /**
   * Another call to WeChat Pay (a coupon query, a stock fetch) could not even connect: the queue
   * goes offline now rather than after its own next attempt, so the screen and health say so at
   * once and a redemption does not wait for an answer that cannot come.
   */
  reportUnreachable(): void {
    if (this.#running && !this.#stopping && this.#prober) this.#setOnline(false);
  }

  /** Tells the drainer connectivity is back (e.g. the OS reported a network change): probe now. */
  connectivityChanged(): void {
    if (!this.#online) this.#prober?.start();
    else this.#pump();
  }

  // --- shutdown ---------------------------------------------------------------------------------

  /**
   * Stops sending new attempts and lets the ones in flight finish for up to `graceMs`; those
   * still running after that are abandoned — they stay pending in the journal and are resent
   * with the same number next time. Results already received are committed before returning.
   */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.#running) return;
    this.#stopping = true;
    if (this.#timer !== undefined) this.#sched.clearTimer(this.#timer);
    if (this.#housekeeping !== undefined) this.#sched.clearTimer(this.#housekeeping);
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const inFlight = [...this.#inFlight.values()];
    if (inFlight.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all(inFlight.map((f) => f.promise)), deadline]);
      clearTimeout(timer);
      for (const f of this.#inFlight.values()) f.abort.abort();
    }
    this.#commits.flush();
    this.#running = false;
    this.#waiters.release(() => true);
    this.#lock.release();
  }
}

function abortedLate(abort: AbortController | undefined): boolean {
  return abort?.signal.aborted ?? false;
}
