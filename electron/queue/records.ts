// The journal's rows as plain data (camelCase, epoch milliseconds, booleans): what the
// services hand to the UI contract and posctl. No class instances, no Dates.
import type { OperationUpdate } from './journal';
import type { OperationKind, OperationStatus } from './operation';

export interface OperationRecord {
  /** Journal order; also the FIFO order within a coupon. */
  id: number;
  opId: string;
  clientRef: string | null;
  kind: OperationKind;
  endpoint: string;
  couponCode: string;
  stockId: string | null;
  openid: string | null;
  appid: string | null;
  requestNo: string;
  /** The exact request body sent on every attempt. */
  body: Record<string, unknown>;
  outTradeNo: string | null;
  orderId: string | null;
  shiftId: string | null;
  tillId: string | null;
  cashierId: string | null;
  training: boolean;
  /** Accepted at the till while WeChat Pay could not be reached. */
  offlineAccepted: boolean;
  /** The customer got the benefit at the till (online success or offline acceptance). */
  granted: boolean;
  orderAmountFen: number | null;
  discountFen: number | null;
  status: OperationStatus;
  attempts: number;
  nextAttemptAt: number;
  lastOutcome: string | null;
  lastHttpStatus: number | null;
  lastCode: string | null;
  lastMessage: string | null;
  lastRequestId: string | null;
  /** WeChat Pay's success answer. */
  result: unknown;
  /** How it ended: `sent`, `reconciled`, `acknowledged`. */
  resolution: string | null;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  note: string | null;
}

export type AttemptAction = 'send' | 'reconcile' | 'manager_retry' | 'manager_ack';

export interface AttemptRecord {
  id: number;
  opId: string;
  action: AttemptAction;
  startedAt: number;
  finishedAt: number;
  /** succeeded | refused | unknown_outcome | security | configuration | applied | inconclusive | retry | acknowledged */
  outcome: string;
  httpStatus: number | null;
  wechatCode: string | null;
  wechatMessage: string | null;
  requestId: string | null;
  actor: string | null;
}

export interface OperationRow {
  id: number;
  op_id: string;
  client_ref: string | null;
  kind: OperationKind;
  endpoint: string;
  lane: string;
  coupon_code: string;
  stock_id: string | null;
  openid: string | null;
  appid: string | null;
  request_no: string;
  body: string;
  out_trade_no: string | null;
  order_id: string | null;
  shift_id: string | null;
  till_id: string | null;
  cashier_id: string | null;
  training: number;
  offline_accepted: number;
  granted: number;
  order_amount_fen: number | null;
  discount_fen: number | null;
  status: OperationStatus;
  attempts: number;
  next_attempt_at: number;
  last_outcome: string | null;
  last_http_status: number | null;
  last_code: string | null;
  last_message: string | null;
  last_request_id: string | null;
  result: string | null;
  resolution: string | null;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  note: string | null;
}

export interface AttemptRow {
  id: number;
  op_id: string;
  action: AttemptAction;
  started_at: number;
  finished_at: number;
  outcome: string;
  http_status: number | null;
  wechat_code: string | null;
  wechat_message: string | null;
  request_id: string | null;
  actor: string | null;
}

export function toOperationRecord(r: OperationRow): OperationRecord {
  return {
    id: r.id,
    opId: r.op_id,
    clientRef: r.client_ref,
    kind: r.kind,
    endpoint: r.endpoint,
    couponCode: r.coupon_code,
    stockId: r.stock_id,
    openid: r.openid,
    appid: r.appid,
    requestNo: r.request_no,
    body: JSON.parse(r.body) as Record<string, unknown>,
    outTradeNo: r.out_trade_no,
    orderId: r.order_id,
    shiftId: r.shift_id,
    tillId: r.till_id,
    cashierId: r.cashier_id,
    training: r.training === 1,
    offlineAccepted: r.offline_accepted === 1,
    granted: r.granted === 1,
    orderAmountFen: r.order_amount_fen,
    discountFen: r.discount_fen,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastOutcome: r.last_outcome,
    lastHttpStatus: r.last_http_status,
    lastCode: r.last_code,
    lastMessage: r.last_message,
    lastRequestId: r.last_request_id,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    resolution: r.resolution,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    note: r.note,
  };
}

export function toAttemptRecord(r: AttemptRow): AttemptRecord {
  return {
    id: r.id,
    opId: r.op_id,
    action: r.action,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome,
    httpStatus: r.http_status,
    wechatCode: r.wechat_code,
    wechatMessage: r.wechat_message,
    requestId: r.request_id,
    actor: r.actor,
  };
}

/** The columns an attempt changes, from the drainer's copy of the operation. */
export function updateOf(op: OperationRecord): OperationUpdate {
  return {
    status: op.status,
    attempts: op.attempts,
    nextAttemptAt: op.nextAttemptAt,
    lastOutcome: op.lastOutcome,
    lastHttpStatus: op.lastHttpStatus,
    lastCode: op.lastCode,
    lastMessage: op.lastMessage,
    lastRequestId: op.lastRequestId,
    result: op.result,
    resolution: op.resolution,
    resolvedAt: op.resolvedAt,
  };
}
