// Drainer set-up for tests: a journal in a fresh directory, a drainer over the simulator
// client with zero backoff jitter (retries come at once, so tests wait on outcomes, never
// on time), and a transport spy that watches what leaves the machine.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { WechatPayTransport } from '../../../../electron/busifavor';
import { BusifavorClient } from '../../../../electron/busifavor';
import { Journal, JOURNAL_FILE, QueueDrainer, type DrainerOptions, type DrainEvent } from '../../../../electron/queue';
import type { WechatPayRequest, WechatPayResponse } from '../../../../electron/wechatpay';
import { tempDir } from './sim';

export interface SentRequest {
  path: string;
  body: Record<string, unknown> | undefined;
  bodyText: string | undefined;
  /** What the journal held for this request number at the moment it was sent. */
  journalRow: { status: string; body: string } | undefined;
}

/** Wraps the real client: records each request and how many are in flight, overall and per coupon. */
export class TransportSpy implements WechatPayTransport {
  readonly sent: SentRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  maxPerCoupon = 0;
  readonly #perCoupon = new Map<string, number>();
  #reader: Database.Database | undefined;

  constructor(
    private readonly inner: WechatPayTransport,
    private readonly journalDir?: string,
  ) {}

  #journalRow(requestNo: string | undefined): SentRequest['journalRow'] {
    if (!this.journalDir || !requestNo) return undefined;
    this.#reader ??= new Database(join(this.journalDir, JOURNAL_FILE), { readonly: true });
    return this.#reader.prepare('SELECT status, body FROM operations WHERE request_no = ?').get(requestNo) as SentRequest['journalRow'];
  }

  async request<T = unknown>(req: WechatPayRequest): Promise<WechatPayResponse<T>> {
    const bodyText = typeof req.body === 'string' ? req.body : req.body === undefined ? undefined : JSON.stringify(req.body);
    const body = bodyText === undefined ? undefined : (JSON.parse(bodyText) as Record<string, unknown>);
    const requestNo = body
      ? (['use_request_no', 'out_request_no', 'return_request_no', 'deactivate_request_no'].map((k) => body[k]).find((v) => typeof v === 'string') as string | undefined)
      : undefined;
    this.sent.push({ path: req.path, body, bodyText, journalRow: this.#journalRow(requestNo) });
    const code = typeof body?.coupon_code === 'string' ? body.coupon_code : undefined;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (code) {
      const n = (this.#perCoupon.get(code) ?? 0) + 1;
      this.#perCoupon.set(code, n);
      this.maxPerCoupon = Math.max(this.maxPerCoupon, n);
    }
    try {
      return await this.inner.request<T>(req);
    } finally {
      this.inFlight -= 1;
      if (code) this.#perCoupon.set(code, (this.#perCoupon.get(code) ?? 1) - 1);
    }
  }

  close(): void {
    this.#reader?.close();
  }
}

export interface DrainRig {
  dir: string;
  journal: Journal;
  drainer: QueueDrainer;
  spy: TransportSpy;
  events: DrainEvent[];
  close(): Promise<void>;
}

export function drainRig(transport: WechatPayTransport, options: Partial<DrainerOptions> & { dir?: string } = {}): DrainRig {
  const d = options.dir ? { path: options.dir, remove: () => undefined } : tempDir('drain-');
  const journal = Journal.open(d.path);
  const spy = new TransportSpy(transport, d.path);
  const events: DrainEvent[] = [];
  const drainer = new QueueDrainer({
    random: () => 0,
    refreshIntervalMs: 0,
    ...options,
    journal,
    client: new BusifavorClient(spy),
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  return {
    dir: d.path,
    journal,
    drainer,
    spy,
    events,
    close: async () => {
      await drainer.stop(1_000);
      spy.close();
      journal.close();
      d.remove();
    },
  };
}

/** Polls until `done()` holds (deadline only to end a hung test, never asserted on). */
export async function until(done: () => boolean, what = 'condition', deadlineMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > deadlineMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const drained = (journal: Journal) => () => journal.countByStatus().pending === 0;
