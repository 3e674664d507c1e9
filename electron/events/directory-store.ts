// The events server's storage, one interface over two stores: SQLite for one store's server
// (one file, nothing to install) and PostgreSQL for a chain (several server instances behind a
// load balancer share one database). Both keep the same four things: the COUPON.SEND events
// as received, the coupon directory (code → stock and owner) they and uploaded codes make, the
// tills' credentials (hashes only), and the operations tills push for chain reporting.

/** Where a directory entry came from: a COUPON.SEND event, or codes the merchant uploaded. */
export type CodeSource = 'send' | 'upload';

export interface CodeEntry {
  couponCode: string;
  stockId: string;
  /** The owner under the stock's `notify_config.notify_appid`; null when the stock has none. */
  openid: string | null;
  unionid: string | null;
  sendTime: string | null;
  sendChannel: string | null;
  sendMerchant: string | null;
  source: CodeSource;
  /** The notification that told us (null for uploaded codes). */
  notificationId: string | null;
  updatedAt: number;
}

/** One verified, decrypted COUPON.SEND, ready to store. */
export interface SendEvent {
  notificationId: string;
  createTime: string;
  receivedAt: number;
  couponCode: string;
  stockId: string;
  openid: string | null;
  unionid: string | null;
  sendTime: string | null;
  sendChannel: string | null;
  sendMerchant: string | null;
  /** The decrypted resource as WeChat sent it (kept for support; fields we do not read included). */
  resource: string;
}

export type CredentialRole = 'till' | 'report';

export interface Credential {
  id: string;
  role: CredentialRole;
  /** Till id for till credentials, a name for report readers. */
  tillId: string;
  storeId: string;
  /** SHA-256 of the secret part, hex. The secret itself is never stored. */
  secretHash: string;
  createdAt: number;
  revokedAt: number | null;
}

/** A settled operation as a till pushes it (from its journal). */
export interface PushedOperation {
  requestNo: string;
  opId: string;
  kind: string;
  status: string;
  couponCode: string;
  stockId: string | null;
  discountFen: number | null;
  orderAmountFen: number | null;
  offlineAccepted: boolean;
  cashierId: string | null;
  shiftId: string | null;
  /** When the till created it and when WeChat Pay settled it (epoch ms, the till's clock). */
  createdAt: number;
  resolvedAt: number | null;
}

export interface StoredOperation extends PushedOperation {
  tillId: string;
  storeId: string;
  receivedAt: number;
}

export interface DirectoryStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Stores the event and its directory entry durably, in one transaction, before resolving.
   * Idempotent on the notification id (WeChat resends) and on (stock_id, coupon_code).
   */
  recordSend(event: SendEvent): Promise<'stored' | 'duplicate'>;
  /** Codes the merchant uploaded to a MERCHANT_UPLOAD stock; a code already known keeps its owner. */
  recordUploaded(stockId: string, codes: readonly string[], now: number): Promise<number>;
  /** Every stock the code is known in (merchant codes are unique per stock only). */
  lookup(couponCode: string): Promise<CodeEntry[]>;
  notificationCount(): Promise<number>;

  addCredential(credential: Credential): Promise<void>;
  credential(id: string): Promise<Credential | undefined>;
  credentials(): Promise<Credential[]>;
  /** True when a live credential was revoked now. */
  revokeCredential(id: string, now: number): Promise<boolean>;

  /** Idempotent on the request number; returns how many were new. */
  recordOperations(tillId: string, storeId: string, operations: readonly PushedOperation[], now: number): Promise<number>;
  /** Operations settled (resolved) in [from, to) epoch ms. */
  operationsBetween(from: number, to: number): Promise<StoredOperation[]>;

  close(): Promise<void>;
}

export class StoreError extends Error {
  override name = 'StoreError';
}
