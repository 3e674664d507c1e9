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
  {
    version: 3,
    name: 'orders',
    // Statuses get one word each ('failed' → 'refused', 'rejected' → 'parked'), uses and order
    // links name the order they belong to, and orders get their table. SQLite cannot change a
    // CHECK in place: operations and attempts (which points at it) are rebuilt and copied.
    sql: `
      DROP INDEX operations_open;
      DROP INDEX operations_shift;
      DROP INDEX operations_coupon;
      DROP INDEX attempts_operation;
      ALTER TABLE operations RENAME TO operations_v2;
      ALTER TABLE attempts RENAME TO attempts_v2;
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
        order_id TEXT,
        shift_id TEXT,
        till_id TEXT,
        cashier_id TEXT,
        training INTEGER NOT NULL DEFAULT 0,
        offline_accepted INTEGER NOT NULL DEFAULT 0,
        granted INTEGER NOT NULL DEFAULT 0,
        order_amount_fen INTEGER,
        discount_fen INTEGER,
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'refused', 'parked', 'acknowledged')),
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
      INSERT INTO operations
        SELECT id, op_id, client_ref, kind, endpoint, lane, coupon_code, stock_id, openid, appid, request_no, body,
          out_trade_no, NULL, shift_id, till_id, cashier_id, training, offline_accepted, granted, order_amount_fen, discount_fen,
          CASE status WHEN 'failed' THEN 'refused' WHEN 'rejected' THEN 'parked' ELSE status END,
          attempts, next_attempt_at, last_outcome, last_http_status, last_code, last_message, last_request_id, result,
          resolution, created_at, updated_at, resolved_at, acknowledged_by, acknowledged_at, note
        FROM operations_v2;
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
      INSERT INTO attempts SELECT * FROM attempts_v2;
      DROP TABLE attempts_v2;
      DROP TABLE operations_v2;
      CREATE INDEX operations_open ON operations (lane, id) WHERE status IN ('pending', 'parked');
      CREATE INDEX operations_shift ON operations (shift_id, id);
      CREATE INDEX operations_coupon ON operations (coupon_code, id);
      CREATE INDEX operations_order ON operations (order_id, id) WHERE order_id IS NOT NULL;
      CREATE INDEX attempts_operation ON attempts (operation_id, id);
      CREATE TABLE orders (
        order_id TEXT PRIMARY KEY,
        till_id TEXT NOT NULL,
        shift_id TEXT,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        out_trade_no TEXT,
        source TEXT NOT NULL CHECK (source IN ('till', 'register')),
        status TEXT NOT NULL CHECK (status IN ('open', 'finished', 'cancelled')),
        training INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        closed_at INTEGER
      );
      CREATE UNIQUE INDEX orders_one_open_per_till ON orders (till_id) WHERE status = 'open';
      CREATE INDEX orders_shift ON orders (shift_id, created_at);
    `,
  },
  {
    version: 4,
    name: 'backoffice',
    // The manager's changes at WeChat Pay (stocks, budgets, codes, the notify URL, images,
    // subsidies): each written with its request number before its first attempt, like a coupon
    // operation, in a table of its own so the coupon queue's lanes, shifts and reports are untouched.
    // request_no is NULL only for the two calls WeChat gives no number (notify URL, image upload).
    sql: `
      CREATE TABLE backoffice_operations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        client_ref TEXT UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('stock_create', 'stock_modify', 'stock_budget', 'codes_upload', 'code_delete', 'callbacks_set', 'image_upload', 'subsidy_pay')),
        endpoint TEXT NOT NULL,
        stock_id TEXT,
        request_no TEXT UNIQUE,
        request TEXT NOT NULL,
        summary TEXT NOT NULL,
        manager_id TEXT NOT NULL,
        training INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'refused')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_outcome TEXT,
        last_http_status INTEGER,
        last_code TEXT,
        last_message TEXT,
        last_request_id TEXT,
        result TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        resolved_at INTEGER
      );
      CREATE INDEX backoffice_pending ON backoffice_operations (id) WHERE status = 'pending';
      CREATE INDEX backoffice_stock ON backoffice_operations (stock_id, id);
      CREATE TABLE backoffice_attempts (
        id INTEGER PRIMARY KEY,
        operation_id INTEGER NOT NULL REFERENCES backoffice_operations (id),
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        http_status INTEGER,
        wechat_code TEXT,
        wechat_message TEXT,
        request_id TEXT,
        actor TEXT NOT NULL
      );
      CREATE INDEX backoffice_attempts_operation ON backoffice_attempts (operation_id, id);
    `,
  },
];
