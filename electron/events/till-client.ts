// The till's side of the events server: code lookups within a tight time budget (the cashier is
// waiting) and pushes of settled operations for chain reporting, both with the till's own
// credential. It remembers how the last call went, for the health panel.
import { Agent, request } from 'undici';
import type { RemoteAnswer, RemoteDirectory } from '../pos/remote-directory';
import type { PushedOperation } from './directory-store';

/** How long a scan waits for the directory before going on with what the till knows. */
export const DEFAULT_LOOKUP_BUDGET_MS = 300;

export type EventsState = 'unknown' | 'ok' | 'unreachable' | 'unauthorized';

export interface EventsStatus {
  state: EventsState;
  /** When the last call ended (epoch ms), null before the first. */
  at: number | null;
  detail: string;
}

/** https, or plain http to this machine only: the credential must not cross a shop network in clear. */
export function checkEventsUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`"${text}" is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new RangeError('the events server URL must be https (plain http only to 127.0.0.1)');
  if (url.search || url.hash || url.username) throw new RangeError('the events server URL must be a base URL, without query, fragment or user');
  return url.toString().replace(/\/+$/, '');
}

export class EventsClient implements RemoteDirectory {
  readonly url: string;
  readonly #credential: string;
  readonly #budgetMs: number;
  readonly #agent = new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 5_000 } });
  readonly #clock: () => number;
  #status: EventsStatus = { state: 'unknown', at: null, detail: 'not asked yet' };

  constructor(options: { url: string; credential: string; lookupBudgetMs?: number; clock?: () => number }) {
    this.url = checkEventsUrl(options.url);
    this.#credential = options.credential;
    this.#budgetMs = options.lookupBudgetMs ?? DEFAULT_LOOKUP_BUDGET_MS;
    this.#clock = options.clock ?? Date.now;
  }

  get status(): EventsStatus {
    return { ...this.#status };
  }

  #note(state: EventsState, detail: string): void {
    this.#status = { state, at: this.#clock(), detail: detail.slice(0, 200) };
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    budgetMs: number,
    body?: unknown,
  ): Promise<{ ok: true; json: unknown } | { ok: false; reason: 'unreachable' | 'unauthorized' }> {
    try {
      const res = await request(`${this.url}${path}`, {
        method,
        dispatcher: this.#agent,
        headers: { authorization: `Bearer ${this.#credential}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(budgetMs),
      });
      const text = await res.body.text();
      if (res.statusCode === 401 || res.statusCode === 403) {
        this.#note('unauthorized', `${res.statusCode}: ${text}`);
        return { ok: false, reason: 'unauthorized' };
      }
      if (res.statusCode !== 200) {
        this.#note('unreachable', `HTTP ${res.statusCode}`);
        return { ok: false, reason: 'unreachable' };
      }
      this.#note('ok', this.url);
      return { ok: true, json: JSON.parse(text) };
    } catch (err) {
      const e = err as { name?: string; code?: string; message?: string };
      this.#note('unreachable', e.name === 'TimeoutError' ? `no answer within ${budgetMs} ms` : (e.code ?? e.message ?? 'connection failed'));
      return { ok: false, reason: 'unreachable' };
    }
  }

  async find(couponCode: string): Promise<RemoteAnswer> {
    const res = await this.#call('GET', `/v1/codes/${encodeURIComponent(couponCode)}`, this.#budgetMs);
    if (!res.ok) return res;
    const entries = ((res.json as { entries?: { stock_id?: unknown; openid?: unknown }[] }).entries ?? []).flatMap((e) =>
      typeof e.stock_id === 'string' ? [{ stockId: e.stock_id, openid: typeof e.openid === 'string' ? e.openid : null }] : [],
    );
    return { ok: true, entries };
  }

  /** Settled operations for chain reporting; the server keeps each request number once. */
  async push(operations: readonly PushedOperation[], budgetMs = 15_000): Promise<{ ok: true; added: number } | { ok: false; reason: 'unreachable' | 'unauthorized' }> {
    const res = await this.#call('POST', '/v1/operations', budgetMs, { operations });
    return res.ok ? { ok: true, added: Number((res.json as { added?: unknown }).added ?? 0) } : res;
  }

  /** For health: a push of nothing proves the server answers and still accepts this till's credential. */
  async probe(budgetMs = 3_000): Promise<EventsStatus> {
    await this.push([], budgetMs);
    return this.status;
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
