// The merchant-wide back office against the simulator: images (checked before any request), the
// notify URL, a subsidy for a redeemed coupon and its receipt, and the sending plugin's signed
// parameters — signs recomputed here with node:crypto, and accepted by the simulator's plugin.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackoffice } from '../../../electron/backoffice';
import { WechatPayError } from '../../../electron/wechatpay';
import { formatChinaRfc3339 } from '../../../shared/time';
import { APPID, httpCalls, issueCoupons } from '../queue/support/sim';
import { draft, openOffice, type Office } from './support';

let o: Office;
beforeAll(async () => {
  o = await openOffice();
});
afterAll(async () => o.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('logo bytes of the test')]);

describe('images', () => {
  it('uploads a PNG and the URL it gets is one a stock may use', async () => {
    const out = await o.office.uploadImage({ filename: 'logo.png', content: PNG }, { managerId: 'M01' });
    expect(out.status).toBe('succeeded');
    expect(out.operation).toMatchObject({ kind: 'image_upload', requestNo: null, summary: { filename: 'logo.png', bytes: PNG.length } });
    const url = (out.operation.result as { media_url: string }).media_url;
    expect(url).toMatch(/^https:\/\//);
    const created = await o.office.createStock(draft(o.t, 'NORMAL', { display_pattern_info: { merchant_logo_url: url, background_color: 'Color030' } }), { managerId: 'M01' });
    expect(created.status).toBe('succeeded');
  });

  it.each([
    ['an oversized PNG', 'big.png', Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), 'UPLOAD_TOO_LARGE'],
    ['a PDF named .png', 'doc.png', Buffer.from('%PDF-1.7 not an image'), 'UPLOAD_BAD_CONTENT'],
    ['a GIF', 'anim.gif', Buffer.from('GIF89a....'), 'UPLOAD_BAD_FILENAME'],
  ])('refuses %s before any request or journal entry', async (_what, filename, content, code) => {
    const calls = httpCalls(o.t.sim, 'media.imageUpload');
    const written = o.office.journal.list().length;
    const err = await o.office.uploadImage({ filename, content }, { managerId: 'M01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatPayError);
    expect((err as WechatPayError).code).toBe(code);
    expect(httpCalls(o.t.sim, 'media.imageUpload')).toBe(calls);
    expect(o.office.journal.list()).toHaveLength(written);
  });
});

describe('the notify URL', () => {
  it('is unset at first, then set and read back (https only)', async () => {
    expect(await o.office.getCallbacks()).toEqual({ mchid: o.t.sim.credentials.mchid, notifyUrl: null });
    const out = await o.office.setCallbacks('https://events.example.com/wechat/coupons', { managerId: 'M01' });
    expect(out.status).toBe('succeeded');
    expect(out.operation.requestNo).toBeNull();
    expect(await o.office.getCallbacks()).toEqual({ mchid: o.t.sim.credentials.mchid, notifyUrl: 'https://events.example.com/wechat/coupons' });
    await expect(o.office.setCallbacks('http://events.example.com/x', { managerId: 'M01' })).rejects.toThrow(/https/);
  });
});

describe('subsidies', () => {
  it('pays a subsidy for a redeemed coupon and reads its receipt by id and by coupon', async () => {
    const created = await o.office.createStock(draft(o.t, 'NORMAL', { coupon_code_mode: 'MERCHANT_API' }), { managerId: 'M01' });
    const stockId = created.operation.stockId as string;
    const [coupon] = issueCoupons(o.t.sim, stockId, ['SUBSIDY-1']);
    o.t.sim.state.useCoupon(o.t.sim.credentials.mchid, {
      coupon_code: 'SUBSIDY-1',
      stock_id: stockId,
      appid: APPID,
      use_time: formatChinaRfc3339(new Date()),
      use_request_no: 'SUBUSE1',
      openid: coupon?.openid,
    });
    const partner = (o.t.sim.credentials.seed as { partner_mchid?: string } | null)?.partner_mchid ?? String(BigInt(o.t.sim.credentials.mchid) + 1n);
    const out = await o.office.paySubsidy(
      { stockId, couponCode: 'SUBSIDY-1', transactionId: '4200000913202101152566792388', payeeMerchant: partner, amountFen: 300, description: '门店补差' },
      { managerId: 'M01' },
    );
    expect(out.status).toBe('succeeded');
    expect(out.operation.request.body).toMatchObject({ payer_merchant: o.t.sim.credentials.mchid, out_subsidy_no: out.operation.requestNo, amount: 300 });
    const receiptId = (out.operation.result as { subsidy_receipt_id: string }).subsidy_receipt_id;
    const [byId] = await o.office.subsidyReceipts({ receiptId });
    expect(byId).toMatchObject({ receiptId, status: 'SUCCESS', amountFen: 300, payeeMerchant: partner, outSubsidyNo: out.operation.requestNo });
    expect(await o.office.subsidyReceipts({ stockId, couponCode: 'SUBSIDY-1' })).toEqual([byId]);
    // More than the coupon's discount is refused by WeChat.
    const over = await o.office.paySubsidy(
      { stockId, couponCode: 'SUBSIDY-1', transactionId: '4200000913202101152566792388', payeeMerchant: partner, amountFen: 800, description: '超额' },
      { managerId: 'M01' },
    );
    expect(over.status).toBe('refused');
  });
});

describe("the sending plugin's parameters", () => {
  it('are signed as an independent HMAC-SHA256 over the flattened parameters, and the plugin (simulator) sends them', async () => {
    const a = (await o.office.createStock(draft(o.t, 'NORMAL'), { managerId: 'M01' })).operation.stockId as string;
    const b = (await o.office.createStock(draft(o.t, 'DISCOUNT', { coupon_code_mode: 'MERCHANT_API' }), { managerId: 'M01' })).operation.stockId as string;
    const params = await o.office.sendParams([{ stockId: a }, { stockId: b, couponCode: 'MP-0001' }]);
    const key = readFileSync(o.t.sim.credentials.files.apiv2_key, 'utf8');
    const [p0, p1] = params.send_coupon_params;
    expect(p0?.out_request_no).toMatch(/^P\d{14}[0-9A-Z]{12}$/);
    expect(p1?.out_request_no).not.toBe(p0?.out_request_no);
    const text =
      `coupon_code1=MP-0001&out_request_no0=${p0?.out_request_no}&out_request_no1=${p1?.out_request_no}` +
      `&send_coupon_merchant=${o.t.sim.credentials.mchid}&stock_id0=${a}&stock_id1=${b}&key=${key}`;
    expect(params.sign).toBe(createHmac('sha256', key).update(text).digest('hex').toUpperCase());

    const res = await fetch(`${o.t.sim.url}/_sim/plugin-send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.t.sim.adminToken}` },
      body: JSON.stringify({ ...params, appid: APPID, openid: 'oMiniProgramUser1' }),
    });
    const sent = (await res.json()) as { send_coupon_result: { code: string; coupon_code?: string }[] };
    expect(sent.send_coupon_result.map((r) => r.code)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(o.t.sim.state.coupon(b, 'MP-0001')?.send_request_no).toBe(p1?.out_request_no);
  });

  it('needs the APIv2 key in the keychain, and says so', async () => {
    const keyless = createBackoffice({
      db: o.till.journal.db,
      client: o.t.client,
      directory: o.till.directory,
      stocks: o.till.stocks,
      mchid: o.t.sim.credentials.mchid,
      training: false,
      configuredStockIds: () => [],
      apiV2Key: async () => null,
    });
    await expect(keyless.sendParams([{ stockId: '123' }])).rejects.toMatchObject({ code: 'CONFIGURATION', message: expect.stringContaining('posctl apiv2 set') });
  });
});
