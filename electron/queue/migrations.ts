// Numbered migrations of `journal.sqlite`. The journal, the coupon directory, the stock cache
// and the shifts live in one file so one transaction can cover a redemption and its shift,
// and posctl and the app see the same data. A migration is never edited once released:
// changes are new numbers. `PRAGMA user_version` is the applied number; `schema_version`
// keeps when each was applied, for support.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'journal',
    sql: `
      CREATE TABLE schema_version (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      );
      CREATE TABLE operations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        client_ref TEXT UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('use', 'associate', 'disassociate', 'return', 'deactivate')),
        endpoint TEXT NOT NULL,
        lane TEXT NOT NULL,
        coupon_code TEXT NOT NULL,
        stock_id TEXT,
        openid TEXT,
        appid TEXT,
        request_no TEXT NOT NULL UNIQUE,
        body TEXT NOT NULL,
        out_trade_no TEXT,
        shift_id TEXT,
        till_id TEXT,
        cashier_id TEXT,
        training INTEGER NOT NULL DEFAULT 0,
        offline_accepted INTEGER NOT NULL DEFAULT 0,
        granted INTEGER NOT NULL DEFAULT 0,
        order_amount_fen INTEGER,
        discount_fen INTEGER,
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'rejected', 'failed', 'acknowledged')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_outcome TEXT,
        last_http_status INTEGER,
        last_code TEXT,
        last_message TEXT,
        last_request_id TEXT,
        result TEXT,
        resolution TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        resolved_at INTEGER,
        acknowledged_by TEXT,
        acknowledged_at INTEGER,
        note TEXT
      );
      CREATE INDEX operations_open ON operations (lane, id) WHERE status IN ('pending', 'rejected');
      CREATE INDEX operations_shift ON operations (shift_id, id);
      CREATE INDEX operations_coupon ON operations (coupon_code, id);
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        operation_id INTEGER NOT NULL REFERENCES operations (id),
        action TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        http_status INTEGER,
        wechat_code TEXT,
        wechat_message TEXT,
        request_id TEXT,
        actor TEXT
      );
      CREATE INDEX attempts_operation ON attempts (operation_id, id);
      CREATE TABLE drain_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'pos',
    sql: `
      CREATE TABLE coupon_directory (
        coupon_code TEXT NOT NULL,
        stock_id TEXT NOT NULL,
        openid TEXT,
        appid TEXT,
        coupon_state TEXT,
        available_start_time TEXT,
        expire_time TEXT,
        associate_out_trade_no TEXT,
        source TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (coupon_code, stock_id)
      );
      CREATE TABLE stock_cache (
        stock_id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
      );
      CREATE TABLE shifts (
        shift_id TEXT PRIMARY KEY,
        till_id TEXT NOT NULL,
        cashier_ids TEXT NOT NULL,
        training INTEGER NOT NULL DEFAULT 0,
        opened_at INTEGER NOT NULL,
        opened_by TEXT NOT NULL,
        closed_at INTEGER,
        closed_by TEXT
      );
      CREATE UNIQUE INDEX shifts_one_open_per_till ON shifts (till_id) WHERE closed_at IS NULL;
      CREATE TABLE pos_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT
      );
    `,
  },
];
