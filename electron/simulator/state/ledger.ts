// Request-number idempotency (docs/wechatpay/busifavor.md#request-numbers). A number that succeeded once is remembered with the
// exact request it carried and the answer it got: the same number with the same request is
// answered again without touching the state; the same number with anything else is refused.
// Failed requests are not remembered, so a retry after an error is a fresh attempt.
import type { LedgerEntry } from './model';
import type { OkResult } from './result';

/** JSON with object keys sorted and `undefined` members dropped: equal requests, equal text. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export type LedgerCheck = { kind: 'new' } | { kind: 'replay'; entry: LedgerEntry } | { kind: 'conflict'; entry: LedgerEntry };

const keyOf = (op: string, scope: string, requestNo: string) => `${op}\u0000${scope}\u0000${requestNo}`;

export class Ledger {
  private readonly entries = new Map<string, LedgerEntry>();

  constructor(entries: Iterable<LedgerEntry> = []) {
    for (const e of entries) this.entries.set(keyOf(e.op, e.scope, e.request_no), e);
  }

  /** Looks the number up; a replay is counted on the entry. */
  check(op: string, scope: string, requestNo: string, fingerprint: string): LedgerCheck {
    const entry = this.entries.get(keyOf(op, scope, requestNo));
    if (!entry) return { kind: 'new' };
    if (entry.fingerprint !== fingerprint) return { kind: 'conflict', entry };
    entry.replays += 1;
    return { kind: 'replay', entry };
  }

  record(op: string, scope: string, requestNo: string, fingerprint: string, result: OkResult, at: string, target?: string, changes = 1): void {
    const key = keyOf(op, scope, requestNo);
    const existing = this.entries.get(key);
    // Never overwrite: a second recording of the same number would hide a double change.
    if (existing) {
      existing.changes += changes;
      return;
    }
    const entry: LedgerEntry = { op, scope, request_no: requestNo, fingerprint, result, changes, replays: 0, at };
    if (target !== undefined) entry.target = target;
    this.entries.set(key, entry);
  }

  list(): LedgerEntry[] {
    return [...this.entries.values()];
  }
}
