// The directory in one SQLite file (the default): WAL, synchronous=FULL, so a stored event has
// reached the disk before WeChat hears "success". Events arriving within a couple of
// milliseconds share one transaction (one fsync), which is what lets one file keep up with a
// burst of notifications (WeChat waits seconds for an answer, so the wait costs nothing); each
// caller still learns only after its own event is on disk.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CodeEntry, Credential, DirectoryStore, PushedOperation, StoredSendEvent, StoredOperation } from './directory-store';
import { codeEntry, credentialOf, directorySchema, storedOperation, type CodeRow, type CredentialRow, type StoredOperationRow } from './rows';

const SCHEMA = directorySchema('sqlite');

interface Pending {
  event: StoredSendEvent;
  resolve: (outcome: 'stored' | 'duplicate') => void;
  reject: (err: unknown) => void;
}

export class SqliteStore implements DirectoryStore {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #insertNotification: Database.Statement;
  readonly #upsertCode: Database.Statement;
  readonly #batch: (events: readonly StoredSendEvent[]) => boolean[];
  readonly #windowMs: number;
  #pending: Pending[] = [];
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(file: string, options: { groupWindowMs?: number } = {}) {
    this.#windowMs = options.groupWindowMs ?? 2;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.#db = new Database(file);
    this.#db.pragma('busy_timeout = 5000');
    const mode = this.#db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`${file} could not be put in WAL mode`);
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(SCHEMA);
    this.#insertNotification = this.#db.prepare(
      `INSERT INTO notifications (id, create_time, received_at, stock_id, coupon_code, resource)
       VALUES (@notificationId, @createTime, @receivedAt, @stockId, @couponCode, @resource) ON CONFLICT (id) DO NOTHING`,
    );
    this.#upsertCode = this.#db.prepare(
      `INSERT INTO coupon_codes (stock_id, coupon_code, openid, unionid, send_time, send_channel, send_merchant, source, notification_id, updated_at)
       VALUES (@stockId, @couponCode, @openid, @unionid, @sendTime, @sendChannel, @sendMerchant, 'send', @notificationId, @receivedAt)
       ON CONFLICT (stock_id, coupon_code) DO UPDATE SET openid = excluded.openid, unionid = excluded.unionid, send_time = excluded.send_time,
         send_channel = excluded.send_channel, send_merchant = excluded.send_merchant, source = 'send',
         notification_id = excluded.notification_id, updated_at = excluded.updated_at`,
    );
    this.#batch = this.#db.transaction((events: readonly StoredSendEvent[]) =>
      events.map((event) => {
        if (this.#insertNotification.run(event).changes === 0) return false;
        this.#upsertCode.run(event);
        return true;
      }),
    );
  }

  recordSend(event: StoredSendEvent): Promise<'stored' | 'duplicate'> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      this.#timer = setTimeout(() => this.#flush(), this.#windowMs);
    });
  }

  #flush(): void {
    this.#scheduled = false;
    clearTimeout(this.#timer);
    const batch = this.#pending;
    this.#pending = [];
    let stored: boolean[];
    try {
      stored = this.#batch(batch.map((p) => p.event));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => p.resolve(stored[i] ? 'stored' : 'duplicate'));
  }

  async recordUploaded(stockId: string, codes: readonly string[], now: number): Promise<number> {
    const insert = this.#db.prepare(
      `INSERT INTO coupon_codes (stock_id, coupon_code, source, updated_at) VALUES (?, ?, 'upload', ?) ON CONFLICT (stock_id, coupon_code) DO NOTHING`,
    );
    return this.#db.transaction(() => codes.reduce((added, code) => added + insert.run(stockId, code, now).changes, 0))();
  }

  async lookup(couponCode: string): Promise<CodeEntry[]> {
    const rows = this.#db.prepare('SELECT * FROM coupon_codes WHERE coupon_code = ? ORDER BY updated_at DESC').all(couponCode) as CodeRow[];
    return rows.map(codeEntry);
  }

  async notificationCount(): Promise<number> {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM notifications').get() as { n: number }).n;
  }

  async addCredential(c: Credential): Promise<void> {
    this.#db
      .prepare('INSERT INTO credentials (id, role, till_id, store_id, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.id, c.role, c.tillId, c.storeId, c.secretHash, c.createdAt, c.revokedAt);
  }

  async credential(id: string): Promise<Credential | undefined> {
    const row = this.#db.prepare('SELECT * FROM credentials WHERE id = ?').get(id) as CredentialRow | undefined;
    return row && credentialOf(row);
  }

  async credentials(): Promise<Credential[]> {
    return (this.#db.prepare('SELECT * FROM credentials ORDER BY created_at, id').all() as CredentialRow[]).map(credentialOf);
  }

  async revokeCredential(id: string, now: number): Promise<boolean> {
    return this.#db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }

  async recordOperations(tillId: string, storeId: string, operations: readonly PushedOperation[], now: number): Promise<number> {
    const insert = this.#db.prepare(
      `INSERT INTO operations (request_no, till_id, store_id, op_id, kind, status, coupon_code, stock_id, discount_fen, order_amount_fen,
         offline_accepted, cashier_id, shift_id, created_at, resolved_at, received_at)
       VALUES (@requestNo, @tillId, @storeId, @opId, @kind, @status, @couponCode, @stockId, @discountFen, @orderAmountFen,
         @offline, @cashierId, @shiftId, @createdAt, @resolvedAt, @now) ON CONFLICT (request_no) DO NOTHING`,
    );
    return this.#db.transaction(() => operations.reduce((added, op) => added + insert.run({ ...op, offline: op.offlineAccepted ? 1 : 0, tillId, storeId, now }).changes, 0))();
  }

  async operationsBetween(from: number, to: number): Promise<StoredOperation[]> {
    const rows = this.#db
      .prepare('SELECT * FROM operations WHERE resolved_at >= ? AND resolved_at < ? ORDER BY store_id, till_id, resolved_at')
      .all(from, to) as StoredOperationRow[];
    return rows.map(storedOperation);
  }

  async close(): Promise<void> {
    if (this.#scheduled) this.#flush();
    this.#db.close();
  }
}
