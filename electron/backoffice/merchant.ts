// The merchant-wide back office: the notify URL (docs/wechatpay/busifavor.md#callbacks), marketing
// images (#image-upload), subsidies (#subsidies) and the sending plugin's signed parameters
// (#sending-coupons). What changes WeChat's state is journaled; queries are not.
import { normalizeSubsidyPayFailReason, normalizeSubsidyPayStatus, pluginSendParams, pluginSignFields, type PluginSendParams } from '../../shared/busifavor';
import type { SubsidyReceiptView } from '../../shared/contract/backoffice';
import { requestNoWithLetter } from '../queue/operation';
import { apiV2HmacSign, assertUploadableImage, WechatPayError } from '../wechatpay';
import { createHash } from 'node:crypto';
import { attempt, BackofficeError, outcomeOf, type RunDeps, type RunOutcome } from './run';
import type { ManagerRequest } from './stocks';

export interface MerchantDeps extends RunDeps {
  mchid: string;
  training: boolean;
  /** The merchant's APIv2 key from the keychain (null when IT has not provisioned it). */
  apiV2Key: () => Promise<string | null>;
}

export async function setCallbacks(deps: MerchantDeps, notifyUrl: string, req: ManagerRequest): Promise<RunOutcome> {
  const { operation } = deps.journal.write({
    kind: 'callbacks_set',
    parts: { body: { notify_url: notifyUrl } },
    summary: { notifyUrl },
    managerId: req.managerId,
    training: deps.training,
    ...(req.clientRef ? { clientRef: req.clientRef } : {}),
  });
  return outcomeOf(await attempt(deps, operation, req.managerId));
}

/** The notify URL WeChat holds for this merchant; null when none was ever set (WeChat answers 404). */
export async function getCallbacks(deps: MerchantDeps): Promise<{ mchid: string; notifyUrl: string | null }> {
  try {
    const res = await deps.client.call('callbacks.get', { query: {} });
    return { mchid: res.data.mchid, notifyUrl: res.data.notify_url };
  } catch (err) {
    if (err instanceof WechatPayError && err.httpStatus === 404) return { mchid: deps.mchid, notifyUrl: null };
    throw err;
  }
}

/**
 * Checks the file (JPG, BMP or PNG by its first bytes, at most 2 MB, a fitting name) before
 * anything is written or sent, then uploads it; the answer's URL is what a stock may use.
 */
export async function uploadImage(deps: MerchantDeps, file: { filename: string; content: Buffer }, req: ManagerRequest): Promise<RunOutcome> {
  assertUploadableImage(file);
  const sha256 = createHash('sha256').update(file.content).digest('hex');
  const { operation } = deps.journal.write({
    kind: 'image_upload',
    parts: { body: { filename: file.filename, sha256 } },
    summary: { filename: file.filename, bytes: file.content.length },
    managerId: req.managerId,
    training: deps.training,
  });
  return outcomeOf(await attempt(deps, operation, req.managerId, file));
}

export interface SubsidyRequest {
  stockId: string;
  couponCode: string;
  transactionId: string;
  payerMerchant?: string;
  payeeMerchant: string;
  amountFen: number;
  description: string;
}

export async function paySubsidy(deps: MerchantDeps, s: SubsidyRequest, req: ManagerRequest): Promise<RunOutcome> {
  const body = {
    stock_id: s.stockId,
    coupon_code: s.couponCode,
    transaction_id: s.transactionId,
    payer_merchant: s.payerMerchant ?? deps.mchid,
    payee_merchant: s.payeeMerchant,
    amount: s.amountFen,
    description: s.description,
  };
  const { operation } = deps.journal.write({
    kind: 'subsidy_pay',
    stockId: s.stockId,
    parts: { body },
    summary: { couponCode: s.couponCode, amountFen: s.amountFen, payee: s.payeeMerchant },
    managerId: req.managerId,
    training: deps.training,
    ...(req.clientRef ? { clientRef: req.clientRef } : {}),
  });
  return outcomeOf(await attempt(deps, operation, req.managerId));
}

/** A receipt as the screens show it, its status in the documentation's spelling whatever WeChat sent. */
export function receiptView(r: Record<string, unknown>): SubsidyReceiptView {
  const s = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : null);
  return {
    receiptId: s('subsidy_receipt_id'),
    stockId: s('stock_id') ?? '',
    couponCode: s('coupon_code') ?? '',
    transactionId: s('transaction_id') ?? '',
    payerMerchant: s('payer_merchant') ?? '',
    payeeMerchant: s('payee_merchant') ?? '',
    amountFen: typeof r.amount === 'number' ? r.amount : 0,
    description: s('description') ?? '',
    outSubsidyNo: s('out_subsidy_no') ?? '',
    status: normalizeSubsidyPayStatus(s('status') ?? 'UNKNOWN'),
    failReason: s('fail_reason') === null ? null : normalizeSubsidyPayFailReason(s('fail_reason') as string),
    successTime: s('success_time'),
  };
}

/** One receipt by its id, or every receipt of one coupon. */
export async function subsidyReceipts(deps: MerchantDeps, q: { receiptId: string } | { stockId: string; couponCode: string }): Promise<SubsidyReceiptView[]> {
  try {
    if ('receiptId' in q) return [receiptView((await deps.client.call('subsidy.pay.get', { path: { subsidy_receipt_id: q.receiptId } })).data as Record<string, unknown>)];
    const res = await deps.client.call('subsidy.pay.list', { query: { stock_id: q.stockId, coupon_code: q.couponCode } });
    return (res.data.pay_receipt_list ?? []).map((r) => receiptView(r as Record<string, unknown>));
  } catch (err) {
    if (err instanceof WechatPayError && err.httpStatus === 404) return [];
    throw err;
  }
}

export interface SendCoupon {
  stockId: string;
  couponCode?: string;
  customizeSendTime?: string;
}

/**
 * What the merchant's mini-program passes to WeChat's sending plugin: a fresh out_request_no per
 * coupon, this merchant as sender, and the APIv2 sign. Nothing is sent from here and nothing at
 * WeChat changes until a customer takes the coupons in the mini-program.
 */
export async function sendParams(deps: MerchantDeps, coupons: readonly SendCoupon[]): Promise<PluginSendParams & { sign: string }> {
  const key = await deps.apiV2Key();
  if (!key) throw new BackofficeError('CONFIGURATION', "the merchant's APIv2 key is not in the keychain (IT: posctl apiv2 set --apiv2-key-file FILE)");
  const now = deps.clock();
  const params = pluginSendParams.parse({
    send_coupon_merchant: deps.mchid,
    send_coupon_params: coupons.map((c) => ({
      stock_id: c.stockId,
      out_request_no: requestNoWithLetter('P', now),
      ...(c.couponCode ? { coupon_code: c.couponCode } : {}),
      ...(c.customizeSendTime ? { customize_send_time: c.customizeSendTime } : {}),
    })),
  });
  return { ...params, sign: apiV2HmacSign(pluginSignFields(params), key) };
}
