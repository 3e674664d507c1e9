// The directory's tables and its rows → the store's records, shared by both stores. PostgreSQL hands BIGINT back as
// text, so every number goes through Number().
import type { CodeEntry, CodeSource, Credential, CredentialRole, StoredOperation } from './directory-store';

type Int = number | string;
const int = (v: Int) => Number(v);
const intOrNull = (v: Int | null) => (v === null ? null : Number(v));

export interface CodeRow {
  stock_id: string;
  coupon_code: string;
  openid: string | null;
  unionid: string | null;
  send_time: string | null;
  send_channel: string | null;
  send_merchant: string | null;
  source: CodeSource;
  notification_id: string | null;
  updated_at: Int;
}

export const codeEntry = (r: CodeRow): CodeEntry => ({
  couponCode: r.coupon_code,
  stockId: r.stock_id,
  openid: r.openid,
  unionid: r.unionid,
  sendTime: r.send_time,
  sendChannel: r.send_channel,
  sendMerchant: r.send_merchant,
  source: r.source,
  notificationId: r.notification_id,
  updatedAt: int(r.updated_at),
});

export interface CredentialRow {
  id: string;
  role: CredentialRole;
  till_id: string;
  store_id: string;
  secret_hash: string;
  created_at: Int;
  revoked_at: Int | null;
}

export const credentialOf = (r: CredentialRow): Credential => ({
  id: r.id,
  role: r.role,
  tillId: r.till_id,
  storeId: r.store_id,
  secretHash: r.secret_hash,
  createdAt: int(r.created_at),
  revokedAt: intOrNull(r.revoked_at),
});

export interface StoredOperationRow {
  request_no: string;
  till_id: string;
  store_id: string;
  op_id: string;
  kind: string;
  status: string;
  coupon_code: string;
  stock_id: string | null;
  discount_fen: Int | null;
  order_amount_fen: Int | null;
  offline_accepted: Int | boolean;
  cashier_id: string | null;
  shift_id: string | null;
  created_at: Int;
  resolved_at: Int | null;
  received_at: Int;
}

export const storedOperation = (r: StoredOperationRow): StoredOperation => ({
  requestNo: r.request_no,
  tillId: r.till_id,
  storeId: r.store_id,
  opId: r.op_id,
  kind: r.kind,
  status: r.status,
  couponCode: r.coupon_code,
  stockId: r.stock_id,
  discountFen: intOrNull(r.discount_fen),
  orderAmountFen: intOrNull(r.order_amount_fen),
  offlineAccepted: r.offline_accepted === true || Number(r.offline_accepted) === 1,
  cashierId: r.cashier_id,
  shiftId: r.shift_id,
  createdAt: int(r.created_at),
  resolvedAt: intOrNull(r.resolved_at),
  receivedAt: int(r.received_at),
});

/**
 * The directory's tables, one definition for both stores: only the integer and boolean column
 * types differ (epoch milliseconds need PostgreSQL's BIGINT; SQLite's INTEGER holds 64 bits and
 * stands for booleans too).
 */
export function directorySchema(dialect: 'sqlite' | 'postgres'): string {
  const integer = dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
  const flag = dialect === 'postgres' ? 'BOOLEAN' : 'INTEGER';
  return `
  CREATE TABLE IF NOT EXISTS notifications (
    id TEXT PRIMARY KEY,
    create_time TEXT NOT NULL,
    received_at ${integer} NOT NULL,
    stock_id TEXT NOT NULL,
    coupon_code TEXT NOT NULL,
    resource TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS coupon_codes (
    stock_id TEXT NOT NULL,
    coupon_code TEXT NOT NULL,
    openid TEXT,
    unionid TEXT,
    send_time TEXT,
    send_channel TEXT,
    send_merchant TEXT,
    source TEXT NOT NULL,
    notification_id TEXT,
    updated_at ${integer} NOT NULL,
    PRIMARY KEY (stock_id, coupon_code)
  );
  CREATE INDEX IF NOT EXISTS coupon_codes_by_code ON coupon_codes (coupon_code);
  CREATE TABLE IF NOT EXISTS credentials (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    till_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at ${integer} NOT NULL,
    revoked_at ${integer}
  );
  CREATE TABLE IF NOT EXISTS operations (
    request_no TEXT PRIMARY KEY,
    till_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    op_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    coupon_code TEXT NOT NULL,
    stock_id TEXT,
    discount_fen ${integer},
    order_amount_fen ${integer},
    offline_accepted ${flag} NOT NULL,
    cashier_id TEXT,
    shift_id TEXT,
    created_at ${integer} NOT NULL,
    resolved_at ${integer},
    received_at ${integer} NOT NULL
  );
  CREATE INDEX IF NOT EXISTS operations_by_resolved ON operations (resolved_at);
`;
}
