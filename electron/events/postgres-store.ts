// The directory in PostgreSQL, for a chain: several server instances behind a load balancer
// share one database. Each event is stored in one statement (insert the notification unless its
// id is there, and only then upsert the code), so two instances receiving the same delivery at
// once store it once: the second waits on the first's row and does nothing. Commits are
// durable before the answer (PostgreSQL's default synchronous_commit).
import pg from 'pg';
import type { CodeEntry, Credential, DirectoryStore, PushedOperation, StoredSendEvent, StoredOperation } from './directory-store';
import { codeEntry, credentialOf, directorySchema, storedOperation, type CodeRow, type CredentialRow, type StoredOperationRow } from './rows';

const SCHEMA = directorySchema('postgres');

/** Any fixed number: instances starting together take turns creating the tables. */
const SCHEMA_LOCK = 0x65766e74;

const RECORD_SEND = `
  WITH n AS (
    INSERT INTO notifications (id, create_time, received_at, stock_id, coupon_code, resource)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id
  )
  INSERT INTO coupon_codes (stock_id, coupon_code, openid, unionid, send_time, send_channel, send_merchant, source, notification_id, updated_at)
  SELECT $4, $5, $7, $8, $9, $10, $11, 'send', id, $3 FROM n
  ON CONFLICT (stock_id, coupon_code) DO UPDATE SET openid = excluded.openid, unionid = excluded.unionid, send_time = excluded.send_time,
    send_channel = excluded.send_channel, send_merchant = excluded.send_merchant, source = 'send',
    notification_id = excluded.notification_id, updated_at = excluded.updated_at
  RETURNING 1`;

export class PostgresStore implements DirectoryStore {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects (the password comes from the URL, PGPASSWORD or ~/.pgpass) and creates the tables if missing. */
  static async open(url: string, options: { max?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5_000 });
    // An idle connection the server dropped must not take the process down.
    pool.on('error', () => {});
    const client = await pool.connect().catch(async (err: unknown) => {
      await pool.end();
      throw err;
    });
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
      await pool.end();
      throw err;
    }
    client.release();
    return new PostgresStore(pool);
  }

  async recordSend(e: StoredSendEvent): Promise<'stored' | 'duplicate'> {
    const res = await this.#pool.query(RECORD_SEND, [
      e.notificationId,
      e.createTime,
      e.receivedAt,
      e.stockId,
      e.couponCode,
      e.resource,
      e.openid,
      e.unionid,
      e.sendTime,
      e.sendChannel,
      e.sendMerchant,
    ]);
    return res.rowCount === 1 ? 'stored' : 'duplicate';
  }

  async recordUploaded(stockId: string, codes: readonly string[], now: number): Promise<number> {
    const res = await this.#pool.query(
      `INSERT INTO coupon_codes (stock_id, coupon_code, source, updated_at) SELECT $1, code, 'upload', $3 FROM unnest($2::text[]) AS code
       ON CONFLICT (stock_id, coupon_code) DO NOTHING`,
      [stockId, [...new Set(codes)], now],
    );
    return res.rowCount ?? 0;
  }

  async lookup(couponCode: string): Promise<CodeEntry[]> {
    const res = await this.#pool.query<CodeRow>('SELECT * FROM coupon_codes WHERE coupon_code = $1 ORDER BY updated_at DESC', [couponCode]);
    return res.rows.map(codeEntry);
  }

  async notificationCount(): Promise<number> {
    const res = await this.#pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM notifications');
    return Number(res.rows[0]?.n ?? 0);
  }

  async addCredential(c: Credential): Promise<void> {
    await this.#pool.query('INSERT INTO credentials (id, role, till_id, store_id, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      c.id,
      c.role,
      c.tillId,
      c.storeId,
      c.secretHash,
      c.createdAt,
      c.revokedAt,
    ]);
  }

  async credential(id: string): Promise<Credential | undefined> {
    const res = await this.#pool.query<CredentialRow>('SELECT * FROM credentials WHERE id = $1', [id]);
    return res.rows[0] && credentialOf(res.rows[0]);
  }

  async credentials(): Promise<Credential[]> {
    return (await this.#pool.query<CredentialRow>('SELECT * FROM credentials ORDER BY created_at, id')).rows.map(credentialOf);
  }

  async revokeCredential(id: string, now: number): Promise<boolean> {
    const res = await this.#pool.query('UPDATE credentials SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
    return res.rowCount === 1;
  }

  async recordOperations(tillId: string, storeId: string, operations: readonly PushedOperation[], now: number): Promise<number> {
    if (operations.length === 0) return 0;
    const res = await this.#pool.query(
      `INSERT INTO operations (request_no, till_id, store_id, op_id, kind, status, coupon_code, stock_id, discount_fen, order_amount_fen,
         offline_accepted, cashier_id, shift_id, created_at, resolved_at, received_at)
       SELECT o."requestNo", $1, $2, o."opId", o.kind, o.status, o."couponCode", o."stockId", o."discountFen", o."orderAmountFen",
         o."offlineAccepted", o."cashierId", o."shiftId", o."createdAt", o."resolvedAt", $3
       FROM json_to_recordset($4::json) AS o("requestNo" text, "opId" text, kind text, status text, "couponCode" text, "stockId" text,
         "discountFen" bigint, "orderAmountFen" bigint, "offlineAccepted" boolean, "cashierId" text, "shiftId" text, "createdAt" bigint, "resolvedAt" bigint)
       ON CONFLICT (request_no) DO NOTHING`,
      [tillId, storeId, now, JSON.stringify(operations)],
    );
    return res.rowCount ?? 0;
  }

  async operationsBetween(from: number, to: number): Promise<StoredOperation[]> {
    const res = await this.#pool.query<StoredOperationRow>('SELECT * FROM operations WHERE resolved_at >= $1 AND resolved_at < $2 ORDER BY store_id, till_id, resolved_at', [
      from,
      to,
    ]);
    return res.rows.map(storedOperation);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
