// The back office through the router, on a training till (embedded simulator, real signed HTTP,
// the APIv2 key provisioned into the real keychain as training does): a manager lists the stocks,
// creates one, changes its budget, uploads codes and an image, sets the notify URL, pays a
// subsidy, makes the sending parameters — and the audit trail says who did what under which number.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedSummary } from '../../../electron/simulator';
import { formatChinaRfc3339 } from '../../../shared/time';
import { testContext } from '../../helpers/context';

let ctx: ReturnType<typeof testContext>;
let seed: SeedSummary;
const call = (method: string, input: unknown = {}) => ctx.router.call(method, input, { transport: 'web' });
const value = <T = Record<string, unknown>>(r: unknown) => {
  const reply = r as { ok: boolean; value?: T; error?: unknown };
  if (!reply.ok) throw new Error(`expected ok, got ${JSON.stringify(reply.error)}`);
  return reply.value as T;
};

beforeAll(async () => {
  ctx = testContext('web');
  const till = await ctx.startTill();
  seed = till!.simulator!.credentials.seed as SeedSummary;
  value(await call('manager.signIn', { managerId: 'TRAIN', pin: '0000' }));
}, 60_000);
afterAll(async () => ctx.close());

const sim = () => ctx.till!.simulator!;
const mchid = () => sim().credentials.mchid;

function stockDraft(name: string, mode = 'WECHATPAY_MODE') {
  const now = sim().state.now();
  return {
    stock_name: name,
    belong_merchant: mchid(),
    goods_name: '全场通用',
    stock_type: 'NORMAL',
    coupon_use_rule: {
      coupon_available_time: { available_begin_time: formatChinaRfc3339(now), available_end_time: formatChinaRfc3339(new Date(now.getTime() + 30 * 86_400_000)) },
      fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 0 },
      use_method: 'OFF_LINE',
    },
    stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 2 },
    coupon_code_mode: mode,
  };
}

describe('the back office on a training till', () => {
  it("lists the store's stocks (the training simulator's seeded ones) as configured", async () => {
    const rows = value<{ stockId: string; sources: string[]; stockState: string }[]>(await call('backoffice.stocks'));
    for (const s of seed.stocks) expect(rows.find((r) => r.stockId === s.stock_id)).toMatchObject({ sources: expect.arrayContaining(['configured']), stockState: 'RUNNING' });
  });

  it('creates a stock, raises its budget and shows both in the audit trail with who, when and the number', async () => {
    const created = value<{ status: string; operation: { stockId: string; requestNo: string } }>(
      await call('backoffice.createStock', { stock: stockDraft('后台新券'), clientRef: 'create-form-0001' }),
    );
    expect(created.status).toBe('succeeded');
    const id = created.operation.stockId;
    const budget = value<{ status: string; result: { max_coupons: number } }>(await call('backoffice.budget', { stockId: id, target: 'max_coupons', current: 1000, value: 1500 }));
    expect(budget).toMatchObject({ status: 'succeeded', result: { max_coupons: 1500 } });
    const audit = value<{ kind: string; managerId: string; requestNo: string; status: string; createdAt: string; summary: Record<string, unknown> }[]>(
      await call('backoffice.audit'),
    );
    expect(audit.slice(0, 2).map((a) => [a.kind, a.managerId, a.status])).toEqual([
      ['stock_budget', 'TRAIN', 'succeeded'],
      ['stock_create', 'TRAIN', 'succeeded'],
    ]);
    expect(audit[1]?.requestNo).toBe(created.operation.requestNo);
    expect(audit[0]?.summary).toEqual({ target: 'max_coupons', from: 1000, to: 1500 });
    expect(Date.parse(audit[0]?.createdAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    // The same form again is the same operation, not a second stock.
    const again = value<{ operation: { stockId: string } }>(await call('backoffice.createStock', { stock: stockDraft('后台新券'), clientRef: 'create-form-0001' }));
    expect(again.operation.stockId).toBe(id);
  });

  it('refuses a field over its documented limit before anything is written', async () => {
    const before = value<unknown[]>(await call('backoffice.audit')).length;
    const r = await call('backoffice.createStock', { stock: { ...stockDraft('二十二个字的批次名称二十二个字的批次名称啊啊'), comment: '备注' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(value<unknown[]>(await call('backoffice.audit'))).toHaveLength(before);
  });

  it('uploads codes and an image, sets the notify URL, and words a WeChat refusal', async () => {
    const upload = value<{ status: string; operation: { stockId: string } }>(await call('backoffice.createStock', { stock: stockDraft('上传码券', 'MERCHANT_UPLOAD') }));
    const id = upload.operation.stockId;
    const codes = value<{ status: string; codes: { code: string; result: string }[] }>(await call('backoffice.uploadCodes', { stockId: id, codes: ['TR-1', 'TR-2'] }));
    expect(codes.codes.map((c) => c.result)).toEqual(['ok', 'ok']);
    expect(value<{ total: number }>(await call('backoffice.codes', { stockId: id })).total).toBe(2);
    const scan = value<{ kind: string }>(await call('till.scan', { raw: 'TR-2' }));
    expect(scan.kind).toBe('coupon');

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('training logo')]);
    const image = value<{ status: string; result: { media_url: string } }>(await call('backoffice.uploadImage', { filename: 'logo.png', contentBase64: png.toString('base64') }));
    expect(image.result.media_url).toMatch(/^https:\/\//);
    expect(await call('backoffice.uploadImage', { filename: 'note.png', contentBase64: Buffer.from('not an image').toString('base64') })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });

    value(await call('backoffice.setCallbacks', { notifyUrl: 'https://shop.example.com/wechat/notify' }));
    expect(value(await call('backoffice.callbacks'))).toEqual({ mchid: mchid(), notifyUrl: 'https://shop.example.com/wechat/notify' });
    expect(await call('backoffice.setCallbacks', { notifyUrl: 'http://shop.example.com/n' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const stale = value<{ status: string; reason: { code: string } }>(await call('backoffice.budget', { stockId: id, target: 'max_coupons', current: 7, value: 9 }));
    expect(stale).toMatchObject({ status: 'refused', reason: { code: 'WECHAT_REFUSED' } });
    expect(await call('backoffice.stock', { stockId: '99999999999' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('pays a subsidy for a redeemed coupon and reads its receipt back, its status in plain words', async () => {
    const id = value<{ operation: { stockId: string } }>(await call('backoffice.createStock', { stock: stockDraft('补差券', 'MERCHANT_API') })).operation.stockId;
    const user = sim().state.addUser(sim().credentials.appid);
    expect(sim().admin.receiveCoupon({ stock_id: id, user_id: user.user_id, coupon_code: 'TR-SUB-1', out_request_no: 'RECVTRSUB1' }).ok).toBe(true);
    sim().state.useCoupon(mchid(), {
      coupon_code: 'TR-SUB-1',
      stock_id: id,
      appid: sim().credentials.appid,
      use_time: formatChinaRfc3339(sim().state.now()),
      use_request_no: 'TRSUBUSE1',
      openid: user.openid,
    });
    const payee = (seed as { partner_mchid?: string }).partner_mchid ?? String(BigInt(mchid()) + 1n);
    const input = {
      stockId: id,
      couponCode: 'TR-SUB-1',
      transactionId: '4200000913202101152566792388',
      payeeMerchant: payee,
      amountFen: 200,
      description: '门店补差',
      clientRef: 'subsidy-form-0001',
    };
    const paid = value<{ status: string; operation: { kind: string; requestNo: string } }>(await call('backoffice.paySubsidy', input));
    expect(paid).toMatchObject({ status: 'succeeded', operation: { kind: 'subsidy_pay' } });
    // The same form sent again (a retry after a timeout) is the same payment.
    expect(value<{ operation: { requestNo: string } }>(await call('backoffice.paySubsidy', input)).operation.requestNo).toBe(paid.operation.requestNo);
    const receipts = value<{ status: string; amountFen: number; outSubsidyNo: string }[]>(await call('backoffice.subsidy', { stockId: id, couponCode: 'TR-SUB-1' }));
    expect(receipts).toEqual([expect.objectContaining({ status: 'SUCCESS', amountFen: 200, outSubsidyNo: paid.operation.requestNo })]);
  });

  it('makes sending parameters signed with the APIv2 key training provisioned into the keychain', async () => {
    const stockId = seed.stocks[0]!.stock_id;
    const params = value<{ send_coupon_params: { stock_id: string; out_request_no: string }[]; send_coupon_merchant: string; sign: string }>(
      await call('backoffice.sendParams', { coupons: [{ stockId }] }),
    );
    // Training provisioned the simulator's APIv2 key into the practice namespace; the sign must be made with it.
    const key = readFileSync(sim().credentials.files.apiv2_key, 'utf8').trim();
    const p0 = params.send_coupon_params[0]!;
    const text = `out_request_no0=${p0.out_request_no}&send_coupon_merchant=${mchid()}&stock_id0=${stockId}&key=${key}`;
    expect(params.sign).toBe(createHmac('sha256', key).update(text).digest('hex').toUpperCase());
    expect(JSON.stringify(params)).not.toContain(key);
  });
});
