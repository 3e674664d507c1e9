// COUPON.SEND notifications (docs/wechatpay/busifavor.md#coupon-send-notification, docs/wechatpay/apiv3.md#notifications): after a coupon reaches a user, the
// creator merchant's notify URL gets a signed POST whose resource is sealed with the APIv3
// key; anything but a 2xx within the deadline is retried every 60 s, 11 deliveries in all.
// `timeScale` compresses that schedule for tests. Every attempt is recorded.
import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { aeadEncrypt } from '../wechatpay/index';
import { formatChinaRfc3339 } from '../../shared/time';
import type { SendEvent, SimState } from './state/index';
import type { ResponseSigning } from './signing';

export const NOTIFY_INTERVAL_MS = 60_000;
export const NOTIFY_DELIVERIES = 11;
/** WeChat Pay waits 5 s for the merchant's answer. */
export const NOTIFY_DEADLINE_MS = 5_000;

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface DeliveryRecord {
  notification_id: string;
  event_id: number;
  mchid: string;
  stock_id: string;
  coupon_code: string;
  url?: string;
  state: 'pending' | 'delivered' | 'failed' | 'skipped';
  reason?: string;
  attempts: DeliveryAttempt[];
}

export interface NotifierOptions {
  state: SimState;
  signing: ResponseSigning;
  apiv3Key: string;
  /** 1 = real time; 0.001 turns the 60 s interval into 60 ms. */
  timeScale?: number;
  intervalMs?: number;
  deliveries?: number;
  deadlineMs?: number;
  /** Deliver loopback notify URLs over plain HTTP (the simulator has no TLS certificate). */
  allowHttpCallbacks?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname.toLowerCase());
}

export class Notifier {
  readonly #state: SimState;
  readonly #signing: ResponseSigning;
  readonly #apiv3Key: string;
  readonly #records: DeliveryRecord[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inflight = new Set<{ destroy(): void }>();
  readonly #listeners = new Set<(record: DeliveryRecord) => void>();
  #lastEventId: number;
  #closed = false;
  timeScale: number;
  allowHttpCallbacks: boolean;
  readonly intervalMs: number;
  readonly deliveries: number;
  readonly deadlineMs: number;

  constructor(options: NotifierOptions) {
    this.#state = options.state;
    this.#signing = options.signing;
    this.#apiv3Key = options.apiv3Key;
    this.timeScale = options.timeScale ?? 1;
    this.intervalMs = options.intervalMs ?? NOTIFY_INTERVAL_MS;
    this.deliveries = options.deliveries ?? NOTIFY_DELIVERIES;
    this.deadlineMs = options.deadlineMs ?? NOTIFY_DEADLINE_MS;
    this.allowHttpCallbacks = options.allowHttpCallbacks ?? false;
    // Events from before a restart were someone else's to deliver.
    this.#lastEventId = this.#latestEventId();
  }

  #latestEventId(): number {
    const events = this.#state.sendEvents(0);
    return events.length === 0 ? 0 : (events[events.length - 1] as SendEvent).event_id;
  }

  /** Starts delivering every COUPON.SEND event queued since the last call. */
  poll(): void {
    if (this.#closed) return;
    for (const event of this.#state.sendEvents(this.#lastEventId)) {
      this.#lastEventId = Math.max(this.#lastEventId, event.event_id);
      this.#start(event);
    }
  }

  /** Forgets queued events (after a state reset). */
  resync(): void {
    this.#lastEventId = this.#latestEventId();
  }

  records(): DeliveryRecord[] {
    return structuredClone(this.#records);
  }

  onUpdate(listener: (record: DeliveryRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the first record (now or later) that satisfies `test`. */
  waitFor(test: (record: DeliveryRecord) => boolean): Promise<DeliveryRecord> {
    const found = this.#records.find(test);
    if (found) return Promise.resolve(structuredClone(found));
    return new Promise((resolve) => {
      const off = this.onUpdate((record) => {
        if (!test(record)) return;
        off();
        resolve(record);
      });
    });
  }

  #emit(record: DeliveryRecord): void {
    const copy = structuredClone(record);
    for (const listener of this.#listeners) listener(copy);
  }

  #start(event: SendEvent): void {
    const record: DeliveryRecord = {
      notification_id: randomUUID(),
      event_id: event.event_id,
      mchid: event.creator_mchid,
      stock_id: event.stock_id,
      coupon_code: event.coupon_code,
      state: 'pending',
      attempts: [],
    };
    this.#records.push(record);
    const url = this.#state.merchant(event.creator_mchid)?.notify_url;
    if (url === undefined) return this.#finish(record, 'skipped', 'no notify URL set for the creator merchant');
    record.url = url;
    const target = this.#target(url);
    if (typeof target === 'string') return this.#finish(record, 'skipped', target);
    const body = this.#envelope(record.notification_id, event);
    this.#attempt(record, target, body);
  }

  #target(url: string): URL | string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'notify URL does not parse';
    }
    if (parsed.protocol === 'https:' && this.allowHttpCallbacks && isLoopbackUrl(parsed)) parsed.protocol = 'http:';
    if (parsed.protocol === 'http:' && !(this.allowHttpCallbacks && isLoopbackUrl(parsed)))
      return 'plain-http notify URLs are delivered only to loopback with allow_http_callbacks on';
    return parsed;
  }

  #envelope(id: string, event: SendEvent): string {
    const { event_id: _id, creator_mchid: _creator, ...payload } = event;
    const nonce = randomBytes(6).toString('hex');
    return JSON.stringify({
      id,
      create_time: formatChinaRfc3339(this.#state.now()),
      resource_type: 'encrypt-resource',
      event_type: 'COUPON.SEND',
      summary: '商家券领券通知',
      resource: {
        original_type: 'coupon',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: aeadEncrypt({ key: this.#apiv3Key, nonce, associatedData: 'coupon', plaintext: JSON.stringify(payload) }),
        associated_data: 'coupon',
        nonce,
      },
    });
  }

  #attempt(record: DeliveryRecord, target: URL, body: string): void {
    if (this.#closed) return;
    const headers = {
      ...this.#signing.signerFor(undefined).sign(body),
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'Mozilla/4.0 (busifavor simulator)',
      'Request-ID': randomUUID(),
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const attempt: DeliveryAttempt = { at: new Date().toISOString() };
    let settled = false;
    const done = (outcome: { status?: number; error?: string }) => {
      if (settled) return;
      settled = true;
      this.#inflight.delete(req);
      Object.assign(attempt, outcome);
      record.attempts.push(attempt);
      const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
      if (ok) return this.#finish(record, 'delivered');
      if (record.attempts.length >= this.deliveries) return this.#finish(record, 'failed', `no 2xx after ${this.deliveries} deliveries`);
      this.#emit(record);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#attempt(record, target, body);
      }, this.intervalMs * this.timeScale);
      this.#timers.add(timer);
    };
    const req = send(target, { method: 'POST', headers, timeout: this.deadlineMs }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0 }));
      res.on('error', () => done({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => {
      req.destroy();
      done({ error: `no answer within ${this.deadlineMs} ms` });
    });
    req.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? 'connection failed' }));
    this.#inflight.add(req);
    req.end(body);
  }

  #finish(record: DeliveryRecord, state: DeliveryRecord['state'], reason?: string): void {
    record.state = state;
    if (reason !== undefined) record.reason = reason;
    this.#emit(record);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const req of this.#inflight) req.destroy();
    this.#inflight.clear();
  }
}
