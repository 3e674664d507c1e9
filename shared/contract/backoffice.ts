import { z } from 'zod';
import { couponCode, CODES_PER_UPLOAD } from '../busifavor/codes';
import { notifyUrl } from '../busifavor/callbacks';
import { IMAGE_MAX_BYTES } from '../busifavor/media';
import { checkRuleMatchesType } from '../busifavor/rules';
import { checkSomethingToModify, createStockFields, modifyStockFields } from '../busifavor/stocks';
import { dateTime, merchantNo, text, wechatOrderId } from '../busifavor/fields';
import { stockOut } from '../busifavor/entities';
import { CODE_REASONS } from '../backoffice/code-file';
import { Fen } from '../money';
import { Refusal } from '../refusals/refusal';
import { ActionStatus } from './operations';
import { StockId } from './till';

// The manager's back office: the stocks, their budgets and texts, uploaded codes, images, the
// notify URL, subsidies and the sending plugin's parameters. Every method is manager-only; every
// one that changes WeChat Pay's state is journaled first with its request number, and shows in
// the audit trail. Request bodies are WeChat's own (snake_case, checked by the endpoint table).

/** What the back office journals, one word per kind of change at WeChat Pay. */
export const BACKOFFICE_KINDS = ['stock_create', 'stock_modify', 'stock_budget', 'codes_upload', 'code_delete', 'callbacks_set', 'image_upload', 'subsidy_pay'] as const;
export const BackofficeKind = z.enum(BACKOFFICE_KINDS);
export type BackofficeKind = z.infer<typeof BackofficeKind>;

/** pending: written, outcome not known yet (resent with the same number); succeeded; refused by WeChat Pay (final). */
export const BackofficeStatus = z.enum(['pending', 'succeeded', 'refused']);
export type BackofficeStatus = z.infer<typeof BackofficeStatus>;

/** One line of the audit trail: who asked for what, when, under which request number, and what came of it. */
export const BackofficeOperationView = z.object({
  operationId: z.string(),
  kind: BackofficeKind,
  stockId: z.string().nullable(),
  /** Null for the two calls WeChat gives no request number: the notify URL and image uploads. */
  requestNo: z.string().nullable(),
  managerId: z.string(),
  status: BackofficeStatus,
  attempts: z.number().int().min(0),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the manager asked for, in a few fields (budget from → to, how many codes, the URL…). */
  summary: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  lastError: z.object({ code: z.string().optional(), message: z.string(), requestId: z.string().optional() }).optional(),
  training: z.boolean(),
});
export type BackofficeOperationView = z.infer<typeof BackofficeOperationView>;

/** One code of an upload call: what WeChat Pay made of it, and why (worded by the screen). */
export const CodeResult = z.object({
  code: z.string(),
  result: z.enum(['ok', 'duplicate', 'invalid']),
  reason: z.enum(CODE_REASONS),
  params: z.object({ wechatCode: z.string().optional(), wechatMessage: z.string().optional() }),
});
export type CodeResult = z.infer<typeof CodeResult>;

export const BackofficeOutcome = z.object({
  status: ActionStatus,
  operation: BackofficeOperationView.optional(),
  reason: Refusal.optional(),
  /** WeChat Pay's answer on success (the new stock id, the budget, the receipt, the URL…). */
  result: z.unknown().optional(),
  /** Uploads only: each code of the batch. */
  codes: z.array(CodeResult).optional(),
});
export type BackofficeOutcome = z.infer<typeof BackofficeOutcome>;

/** A stock in the back office's list: why it is known here, and what WeChat Pay says of it now. */
export const BackofficeStockRow = z.object({
  stockId: z.string(),
  /** configured: the store accepts it; seen: a coupon of it passed this till; created: made in this back office. */
  sources: z.array(z.enum(['configured', 'seen', 'created'])),
  stockName: z.string().nullable(),
  stockType: z.string().nullable(),
  stockState: z.string().nullable(),
  couponCodeMode: z.string().nullable(),
  maxCoupons: z.number().int().nullable(),
  maxCouponsByDay: z.number().int().nullable(),
  /** WeChat Pay's count of coupons sent. */
  sent: z.number().int().nullable(),
  /** Uses confirmed through this till's journal (less returns): WeChat Pay publishes no used count. */
  usedHere: z.number().int(),
  availableBegin: z.string().nullable(),
  availableEnd: z.string().nullable(),
  /** `wechat`: read just now; `cache`: WeChat Pay could not be asked, this is the till's last copy; `none`: nothing known. */
  freshness: z.enum(['wechat', 'cache', 'none']),
});
export type BackofficeStockRow = z.infer<typeof BackofficeStockRow>;

const operationRef = z.object({ operationId: z.string().min(1).max(64) }).strict();
/** The screen's id for one filled-in form: sending the same form again resends the first operation, never a second. */
const clientRef = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/)
  .optional();

/** Create: WeChat's body without `out_request_no`, which the journal makes once. */
export const StockDraft = createStockFields.omit({ out_request_no: true }).superRefine(checkRuleMatchesType);
export type StockDraft = z.input<typeof StockDraft>;
export const StockPatch = modifyStockFields.omit({ out_request_no: true }).superRefine(checkSomethingToModify);
export type StockPatch = z.input<typeof StockPatch>;
export const CreateStockInput = z.object({ stock: StockDraft, clientRef }).strict();
export const ModifyStockInput = z.object({ stockId: StockId, patch: StockPatch, clientRef }).strict();
export const BudgetInput = z
  .object({
    stockId: StockId,
    target: z.enum(['max_coupons', 'max_coupons_by_day']),
    /** The value the manager saw: WeChat compares it with its own (optimistic concurrency). */
    current: z.number().int().min(1).max(1_000_000_000),
    value: z.number().int().min(1).max(1_000_000_000),
    clientRef,
  })
  .strict();
export const UploadCodesInput = z.object({ stockId: StockId, codes: z.array(couponCode()).min(1).max(CODES_PER_UPLOAD), clientRef }).strict();
export const ListCodesInput = z
  .object({
    stockId: StockId,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(50).default(20),
    status: z.enum(['AVAILABLE', 'DISPATCHED']).optional(),
  })
  .strict();
export const DeleteCodeInput = z.object({ stockId: StockId, code: couponCode(), clientRef }).strict();
/** The file as base64: at most 2 MB of image (checked again on the bytes). */
export const UploadImageInput = z
  .object({
    filename: text(1, 128),
    contentBase64: z
      .string()
      .min(4)
      .max(Math.ceil(IMAGE_MAX_BYTES / 3) * 4),
  })
  .strict();
export const SetCallbacksInput = z.object({ notifyUrl: notifyUrl(), clientRef }).strict();
export const PaySubsidyInput = z
  .object({
    stockId: StockId,
    couponCode: text(1, 128),
    transactionId: wechatOrderId(),
    /** Default: this till's merchant. */
    payerMerchant: merchantNo().optional(),
    payeeMerchant: merchantNo(),
    amountFen: Fen.refine((n) => n >= 1 && n <= 500_000, { message: '1 fen to 5000 yuan' }),
    description: text(1, 1024),
    clientRef,
  })
  .strict();
export const SubsidyQueryInput = z.union([z.object({ receiptId: wechatOrderId() }).strict(), z.object({ stockId: StockId, couponCode: text(1, 128) }).strict()]);
export const SendParamsInput = z
  .object({
    coupons: z
      .array(z.object({ stockId: StockId, couponCode: couponCode().optional(), customizeSendTime: dateTime().optional() }).strict())
      .min(1)
      .max(20),
  })
  .strict();

export const CodesPage = z.object({
  stockId: z.string(),
  total: z.number().int(),
  offset: z.number().int(),
  codes: z.array(z.object({ code: z.string(), status: z.string(), uploadTime: z.string().nullable(), dispatchedTime: z.string().nullable() })),
});

export const CallbacksView = z.object({ mchid: z.string(), notifyUrl: z.string().nullable() });

export const SubsidyReceiptView = z.object({
  receiptId: z.string().nullable(),
  stockId: z.string(),
  couponCode: z.string(),
  transactionId: z.string(),
  payerMerchant: z.string(),
  payeeMerchant: z.string(),
  amountFen: z.number().int(),
  description: z.string(),
  outSubsidyNo: z.string(),
  /** Normalised to the documentation's spelling (ACCEPTED, SUCCESS, FAIL, RETURNING, PARTIAL_RETURN, FULL_RETURN). */
  status: z.string(),
  failReason: z.string().nullable(),
  successTime: z.string().nullable(),
});
export type SubsidyReceiptView = z.infer<typeof SubsidyReceiptView>;

/** What the merchant's mini-program passes to WeChat's sending plugin, signed (docs in the project). */
export const SendParamsView = z.object({
  send_coupon_params: z.array(z.object({ stock_id: z.string(), out_request_no: z.string(), coupon_code: z.string().optional(), customize_send_time: z.string().optional() })),
  send_coupon_merchant: z.string(),
  sign: z.string(),
});
export type SendParamsView = z.infer<typeof SendParamsView>;

export const backofficeSchemas = { operationRef, stockRef: z.object({ stockId: StockId }).strict(), stockDetail: stockOut };
