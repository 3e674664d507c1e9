// Marketing subsidy (营销补差, docs/wechatpay/busifavor.md#subsidies): one merchant pays another for a redeemed coupon,
// and returns it after a refund. The simulator settles at once (SUCCESS), so a receipt never
// sits in ACCEPTED; statuses move to PARTIAL_RETURN / FULL_RETURN as returns arrive.
import { canonical } from './ledger';
import type { PayReceipt, ReturnReceipt } from './model';
import { fail, type FailResult, invalidRequest, MESSAGES, noAuth, notFound, ok, paramError, type SimResult } from './result';
import { requireText } from './redemption';
import { callerMerchant, isFail, stockFor } from './stocks';
import type { World } from './world';

/** 5000 CNY per coupon (docs/wechatpay/busifavor.md#subsidies). */
export const MAX_SUBSIDY_FEN = 500_000;

export interface PayReceiptInput {
  stock_id: string;
  coupon_code: string;
  transaction_id: string;
  payer_merchant: string;
  payee_merchant: string;
  amount: number;
  description: string;
  out_subsidy_no: string;
}

export interface ReturnReceiptInput extends Omit<PayReceiptInput, 'out_subsidy_no'> {
  refund_id: string;
  out_subsidy_return_no: string;
}

function payView(r: PayReceipt): Record<string, unknown> {
  const { returned_amount: _returned, caller: _caller, ...view } = r;
  return view;
}

function returnView(r: ReturnReceipt): Record<string, unknown> {
  const { caller: _caller, ...view } = r;
  return view;
}

function subsidyCaller(world: World, caller: string): FailResult | null {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  return merchant.permissions.subsidy ? null : noAuth(MESSAGES.subsidyNoAuth);
}

const visible = (r: { caller: string; payer_merchant: string; payee_merchant: string }, caller: string) =>
  r.caller === caller || r.payer_merchant === caller || r.payee_merchant === caller;

function checkAmount(amount: unknown): FailResult | null {
  return typeof amount === 'number' && Number.isInteger(amount) && amount >= 1 ? null : paramError('amount 须为正整数（分）', 'amount');
}

export function createPayReceipt(world: World, caller: string, body: PayReceiptInput): SimResult {
  const denied = subsidyCaller(world, caller);
  if (denied) return denied;
  const missing = requireText(body, ['stock_id', 'coupon_code', 'transaction_id', 'payer_merchant', 'payee_merchant', 'description', 'out_subsidy_no']) ?? checkAmount(body.amount);
  if (missing) return missing;
  const fingerprint = canonical(body);
  const seen = world.ledger.check('subsidy.pay', caller, body.out_subsidy_no, fingerprint);
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);
  if (seen.kind === 'replay') {
    const existing = world.payReceipts.get(seen.entry.target ?? '');
    return existing ? ok(payView(existing)) : seen.entry.result;
  }

  const stock = stockFor(world, caller, body.stock_id);
  if (isFail(stock)) return stock;
  if (stock.definition.stock_type === 'EXCHANGE') return invalidRequest('换购券批次不支持营销补差');
  const found = world.coupon(body.stock_id, body.coupon_code);
  if (!found) return notFound(MESSAGES.couponNotFound);
  const coupon = world.settle(found);
  if (coupon.coupon_state !== 'USED') return invalidRequest('券未核销，不能发起营销补差', { coupon_state: coupon.coupon_state });
  const { creator_mchid: creator, definition } = stock;
  if (body.payer_merchant !== creator && body.payer_merchant !== definition.belong_merchant)
    return invalidRequest('补差付款商户必须是批次的创建商户或归属商户', { field: 'payer_merchant' });
  if (!world.merchants.has(body.payee_merchant)) return fail(400, 'MCH_NOT_EXISTS', '补差收款商户号不合法');
  if (body.payee_merchant === body.payer_merchant) return invalidRequest('补差付款商户与收款商户不能相同', { field: 'payee_merchant' });
  if (body.amount > MAX_SUBSIDY_FEN) return invalidRequest('单张券补差金额不能超过 5000 元', { field: 'amount' });
  const already = [...world.payReceipts.values()]
    .filter((r) => r.stock_id === body.stock_id && r.coupon_code === body.coupon_code && r.status !== 'FAIL')
    .reduce((sum, r) => sum + r.amount - r.returned_amount, 0);
  // A DISCOUNT coupon's value depends on an order amount the simulator does not have: only the 5000 CNY cap applies.
  const cap = definition.stock_type === 'NORMAL' ? Math.min(definition.coupon_use_rule.fixed_normal_coupon?.discount_amount ?? 0, MAX_SUBSIDY_FEN) : MAX_SUBSIDY_FEN;
  if (already + body.amount > cap) return invalidRequest('补差金额不能超过券的优惠金额', { field: 'amount', remaining: Math.max(0, cap - already) });

  const now = world.nowText();
  const receipt: PayReceipt = {
    subsidy_receipt_id: world.uniqueDigits(30, (id) => world.payReceipts.has(id)),
    stock_id: body.stock_id,
    coupon_code: body.coupon_code,
    transaction_id: body.transaction_id,
    payer_merchant: body.payer_merchant,
    payee_merchant: body.payee_merchant,
    amount: body.amount,
    description: body.description,
    status: 'SUCCESS',
    success_time: now,
    out_subsidy_no: body.out_subsidy_no,
    create_time: now,
    returned_amount: 0,
    caller,
  };
  world.payReceipts.set(receipt.subsidy_receipt_id, receipt);
  const result = ok(payView(receipt));
  world.ledger.record('subsidy.pay', caller, body.out_subsidy_no, fingerprint, result, now, receipt.subsidy_receipt_id);
  return result;
}

export function getPayReceipt(world: World, caller: string, id: string): SimResult {
  const denied = subsidyCaller(world, caller);
  if (denied) return denied;
  const r = world.payReceipts.get(id);
  if (!r || !visible(r, caller)) return notFound('补差付款单不存在');
  return ok(payView(r));
}

export function listPayReceipts(world: World, caller: string, query: { stock_id?: string; coupon_code?: string; out_subsidy_no?: string }): SimResult {
  const denied = subsidyCaller(world, caller);
  if (denied) return denied;
  const missing = requireText(query, ['stock_id', 'coupon_code']);
  if (missing) return missing;
  const list = [...world.payReceipts.values()].filter(
    (r) =>
      r.stock_id === query.stock_id &&
      r.coupon_code === query.coupon_code &&
      (query.out_subsidy_no === undefined || r.out_subsidy_no === query.out_subsidy_no) &&
      visible(r, caller),
  );
  return ok({ pay_receipt_list: list.map(payView) });
}

export function createReturnReceipt(world: World, caller: string, body: ReturnReceiptInput): SimResult {
  const denied = subsidyCaller(world, caller);
  if (denied) return denied;
  const fields = ['stock_id', 'coupon_code', 'transaction_id', 'refund_id', 'payer_merchant', 'payee_merchant', 'description', 'out_subsidy_return_no'] as const;
  const missing = requireText(body, fields) ?? checkAmount(body.amount);
  if (missing) return missing;
  const fingerprint = canonical(body);
  const seen = world.ledger.check('subsidy.return', caller, body.out_subsidy_return_no, fingerprint);
  if (seen.kind === 'conflict') return invalidRequest(MESSAGES.requestNoConflict);
  if (seen.kind === 'replay') {
    const existing = world.returnReceipts.get(seen.entry.target ?? '');
    return existing ? ok(returnView(existing)) : seen.entry.result;
  }

  const paid = [...world.payReceipts.values()].filter(
    (r) =>
      r.stock_id === body.stock_id &&
      r.coupon_code === body.coupon_code &&
      r.transaction_id === body.transaction_id &&
      r.payer_merchant === body.payer_merchant &&
      r.payee_merchant === body.payee_merchant &&
      (r.status === 'SUCCESS' || r.status === 'PARTIAL_RETURN') &&
      visible(r, caller),
  );
  if (paid.length === 0) return notFound('未找到可退回的补差付款单');
  const remaining = paid.reduce((sum, r) => sum + r.amount - r.returned_amount, 0);
  if (body.amount > remaining) return invalidRequest('退回金额超过可退回的补差金额', { field: 'amount', remaining });

  let left = body.amount;
  for (const r of paid) {
    const take = Math.min(left, r.amount - r.returned_amount);
    r.returned_amount += take;
    r.status = r.returned_amount === r.amount ? 'FULL_RETURN' : r.returned_amount > 0 ? 'PARTIAL_RETURN' : r.status;
    left -= take;
    if (left === 0) break;
  }
  const now = world.nowText();
  const first = paid[0] as PayReceipt;
  const receipt: ReturnReceipt = {
    subsidy_return_receipt_id: world.uniqueDigits(30, (id) => world.returnReceipts.has(id)),
    out_subsidy_return_no: body.out_subsidy_return_no,
    stock_id: body.stock_id,
    coupon_code: body.coupon_code,
    transaction_id: body.transaction_id,
    refund_id: body.refund_id,
    payer_merchant: body.payer_merchant,
    payee_merchant: body.payee_merchant,
    amount: body.amount,
    description: body.description,
    status: 'RETURN_RECEIPT_SUCCESS',
    return_done_time: now,
    subsidy_receipt_id: first.subsidy_receipt_id,
    return_create_time: now,
    caller,
  };
  world.returnReceipts.set(receipt.subsidy_return_receipt_id, receipt);
  const result = ok(returnView(receipt));
  world.ledger.record('subsidy.return', caller, body.out_subsidy_return_no, fingerprint, result, now, receipt.subsidy_return_receipt_id);
  return result;
}

export function getReturnReceipt(world: World, caller: string, id: string): SimResult {
  const denied = subsidyCaller(world, caller);
  if (denied) return denied;
  const r = world.returnReceipts.get(id);
  if (!r || !visible(r, caller)) return notFound('补差退回单不存在');
  return ok(returnView(r));
}
