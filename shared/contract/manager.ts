import { z } from 'zod';
import { text } from '../busifavor/fields';
import { Fen } from '../money';
import { AppMode } from './app';
import { OperationKind, OperationStatus, QueueItem } from './operations';
import { CouponCode, ShiftView, StockId } from './till';

// The shift manager's side of the contract: sign in with a PIN, then returns, deactivations,
// the operations WeChat Pay refused, and closing the shift with its report. Methods built on
// these are marked `manager` in the contract; the router refuses them without a manager session.

export const ManagerSignInInput = z
  .object({
    managerId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    pin: z.string().regex(/^\d{4,12}$/),
  })
  .strict();

export const ManagerSessionView = z.object({ managerId: z.string(), expiresAt: z.string() });

export const ManagerStatus = z.object({
  session: ManagerSessionView.nullable(),
  /** Whether any manager has a PIN on this till; store IT sets them with posctl. */
  pinsSet: z.boolean(),
  mode: AppMode,
  /** A live merchant is provisioned, so a manager may switch between training and live. */
  liveProvisioned: z.boolean(),
  /** On a till with no live merchant only: the practice manager's id and PIN, shown on the sign-in form. */
  training: z.object({ managerId: z.string(), pin: z.string() }).nullable(),
});
export type ManagerStatus = z.infer<typeof ManagerStatus>;

export const CouponReturnInput = z.object({ code: CouponCode, stockId: StockId.optional() }).strict();
export const CouponDeactivateInput = z.object({ code: CouponCode, stockId: StockId.optional(), reason: text(1, 64) }).strict();

export const OperationRef = z.object({ operationId: z.string().min(1).max(64) }).strict();
export const AcknowledgeInput = z.object({ operationId: z.string().min(1).max(64), note: text(1, 200).optional() }).strict();

const ReportRow = z.object({
  stockId: z.string(),
  stockName: z.string().nullable(),
  kind: OperationKind,
  status: OperationStatus,
  count: z.number().int(),
  /** Discounts the customers kept: uses granted and not returned since. */
  discountFen: Fen,
});

/** One order of the shift with its coupons, as the report and its CSV group them. */
const ReportOrder = z.object({
  orderId: z.string(),
  amountFen: Fen,
  outTradeNo: z.string().nullable(),
  status: z.enum(['open', 'finished', 'cancelled']),
  coupons: z.array(
    z.object({
      code: z.string(),
      stockId: z.string(),
      discountFen: Fen,
      status: OperationStatus,
      /** The discount counts: granted, not refused, not returned. */
      counted: z.boolean(),
      returned: z.boolean(),
      link: OperationStatus.nullable(),
    }),
  ),
  discountFen: Fen,
  payableFen: Fen,
});

export const ShiftReportView = z.object({
  shift: ShiftView.extend({ closedAt: z.string().nullable(), closedBy: z.string().nullable() }),
  generatedAt: z.string(),
  rows: z.array(ReportRow),
  orders: z.array(ReportOrder),
  /** Coupons whose discount the customers kept (confirmed or accepted offline, not returned, not refused). */
  redeemed: z.object({ count: z.number().int(), discountFen: Fen, orderAmountFen: Fen }),
  returned: z.object({ count: z.number().int(), discountFen: Fen }),
  offline: z.object({
    accepted: z.number().int(),
    acceptedDiscountFen: Fen,
    confirmed: z.number().int(),
    pending: z.number().int(),
    lost: z.number().int(),
    lostDiscountFen: Fen,
  }),
  losses: z.array(z.object({ operationId: z.string(), code: z.string(), stockId: z.string(), discountFen: Fen, wechatMessage: z.string().nullable() })),
  /** Order links WeChat Pay refused: the coupons were redeemed, but the order is not linked. */
  failedLinks: z.array(z.object({ operationId: z.string(), code: z.string(), outTradeNo: z.string(), wechatMessage: z.string().nullable() })),
  confirmedNotGranted: z.number().int(),
  unresolved: z.number().int(),
});
export type ShiftReportView = z.infer<typeof ShiftReportView>;

export const ShiftCloseResult = z.discriminatedUnion('closed', [
  /**
   * `csvFile`: where the report was saved for the back office (null: it could not be written);
   * `csv`: the same report, for the screen to offer as a file to download (UTF-8 with BOM).
   */
  z.object({ closed: z.literal(true), report: ShiftReportView, csvFile: z.string().nullable(), csv: z.object({ fileName: z.string(), content: z.string() }) }),
  z.object({ closed: z.literal(false), unresolved: z.array(QueueItem) }),
]);
export type ShiftCloseResult = z.infer<typeof ShiftCloseResult>;

/** The store's offline redemption policy (set by a manager): off, or on with limits that cap the possible loss. */
export const OfflinePolicy = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('off') }),
  z.strictObject({
    mode: z.literal('limited'),
    /** Largest discount one coupon accepted offline may give. */
    maxDiscountPerCouponFen: Fen,
    /** Coupons accepted offline per shift. */
    maxCountPerShift: z.number().int().min(0).max(100_000),
    /** Sum of discounts accepted offline per shift. */
    maxTotalPerShiftFen: Fen,
  }),
]);
export type OfflinePolicy = z.infer<typeof OfflinePolicy>;

export const OfflinePolicyView = z.object({
  policy: OfflinePolicy,
  /** Who set it and when; null while the till runs on the default (off). */
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type OfflinePolicyView = z.infer<typeof OfflinePolicyView>;
