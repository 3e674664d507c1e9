import { z } from 'zod';
import { Fen } from '../money';
import { Refusal } from '../refusals/refusal';

// Coupon operations as the journal keeps them and every screen and posctl shows them: one
// vocabulary from the queue to the cashier.

export const OPERATION_KINDS = ['use', 'associate', 'disassociate', 'return', 'deactivate'] as const;
export const OperationKind = z.enum(OPERATION_KINDS);
export type OperationKind = z.infer<typeof OperationKind>;

/**
 * pending: written, not yet confirmed (never sent, or sent with an unknown outcome).
 * succeeded: WeChat Pay confirmed it (its answer, or the coupon shows it on reconciliation).
 * refused: WeChat Pay refused it while someone was watching the answer — final, blocks nothing.
 *   A refused order link is always final: it never holds the coupon's use back.
 * parked: WeChat Pay refused it after the fact (drained later); a manager must retry it or
 *   accept the refusal, and until then the coupon's later operations wait.
 * acknowledged: a manager accepted a parked refusal as final.
 */
export const OPERATION_STATUSES = ['pending', 'succeeded', 'refused', 'parked', 'acknowledged'] as const;
export const OperationStatus = z.enum(OPERATION_STATUSES);
export type OperationStatus = z.infer<typeof OperationStatus>;

export const QueueItem = z.object({
  operationId: z.string(),
  kind: OperationKind,
  code: z.string(),
  stockId: z.string(),
  requestNo: z.string(),
  status: OperationStatus,
  attempts: z.number().int().min(0),
  createdAt: z.string(),
  /** The till's order this operation belongs to (uses and order links), when any. */
  orderId: z.string().nullable(),
  /** The WeChat Pay order number a link names. */
  outTradeNo: z.string().nullable(),
  lastError: z.object({ code: z.string().optional(), message: z.string(), requestId: z.string().optional() }).optional(),
  /** The discount a use gives the customer. */
  discountFen: Fen.optional(),
  training: z.boolean(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const QueueSnapshot = z.object({
  online: z.boolean(),
  pending: z.number().int(),
  parked: z.number().int(),
  items: z.array(QueueItem),
});
export type QueueSnapshot = z.infer<typeof QueueSnapshot>;

/**
 * What became of something the till was asked to do, as far as it got while the person waited.
 * declined: the till said no before anything was written or sent (the refusal says why).
 */
export const ActionStatus = z.enum(['succeeded', 'pending', 'refused', 'declined']);
export type ActionStatus = z.infer<typeof ActionStatus>;

/** A manager's coupon operation (return, deactivate). */
export const OperationResult = z.object({
  operationId: z.string().optional(),
  requestNo: z.string().optional(),
  status: ActionStatus,
  reason: Refusal.optional(),
});
export type OperationResult = z.infer<typeof OperationResult>;
