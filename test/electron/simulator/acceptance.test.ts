// Issue 4's acceptance: an independent client, wechatpay-axios-plugin (unchanged), configured
// only from the credentials line of a real `npm run sim` process, runs the whole busifavor
// scenario in both key modes and verifies every response with its own verifier.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aes, Multipart, Wechatpay } from 'wechatpay-axios-plugin';
import type { AxiosResponse } from 'axios';
import type { SeedWithPartner } from '../../../electron/simulator/index';
import { spawnSim, type SpawnedSim } from './support/cli';
import { adminFetch } from './support/sim';

/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201a3e7c3950000000049454e44ae426082', 'hex');

function chinaTime(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

type Wx = InstanceType<typeof Wechatpay>;
type Segment =
  | 'stocks'
  | '_stock_id_'
  | 'coupons'
  | 'send'
  | 'users'
  | '_openid_'
  | '_coupon_code_'
  | 'appids'
  | '_appid_'
  | 'associate'
  | 'use'
  | 'return'
  | 'deactivate'
  | 'couponcodes'
  | 'subsidy'
  | 'pay-receipts'
  | '_subsidy_receipt_id_'
  | 'callbacks'
  | 'certificates'
  | 'imageUpload';
/** The plugin's chained API, typed just enough for this scenario. */
type Chain = { [K in Segment]: Chain } & {
  get(config?: object): Promise<AxiosResponse>;
  post(data?: unknown, config?: object): Promise<AxiosResponse>;
  patch(data?: unknown, config?: object): Promise<AxiosResponse>;
  delete(config?: object): Promise<AxiosResponse>;
};

async function refusal(promise: Promise<AxiosResponse>): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    const r = await promise;
    throw new Error(`expected a refusal, got HTTP ${r.status}`);
  } catch (err) {
    const response = (err as { response?: { status: number; data: Record<string, unknown> } }).response;
    if (!response) throw err;
    return { status: response.status, data: response.data };
  }
}

describe.each(['pubkey', 'cert'] as const)('wechatpay-axios-plugin against `npm run sim -- --mode %s`', (mode) => {
  let sim: SpawnedSim;
  let wx: Wx;
  let busifavor: Chain;
  let seed: SeedWithPartner;
  let expectedSerial: string;

  beforeAll(async () => {
    sim = await spawnSim(['--mode', mode, '--seed', '21', '--port', '0']);
    const c = sim.credentials;
    seed = c.seed as SeedWithPartner;
    expectedSerial = mode === 'pubkey' ? c.wechatpay_public_key_id : c.platform_serial;
    const certs =
      mode === 'pubkey' ? { [c.wechatpay_public_key_id]: readFileSync(c.files.wechatpay_public_key) } : { [c.platform_serial]: readFileSync(c.files.platform_certificate) };
    wx = new Wechatpay({ mchid: c.mchid, serial: c.merchant_serial, privateKey: readFileSync(c.files.merchant_private_key), certs, baseURL: `${c.base_url}/` });
    busifavor = (wx as unknown as { v3: { marketing: { busifavor: Chain } } }).v3.marketing.busifavor;
  }, 60_000);

  afterAll(async () => {
    await sim.stop();
    expect(sim.lines).toHaveLength(1);
    await expect(adminFetch(sim, 'state')).rejects.toThrow();
  });

  /** Every answer the plugin accepted was verified by it; this pins down which key signed. */
  const signedBy = (r: AxiosResponse) => expect(r.headers['wechatpay-serial']).toBe(expectedSerial);

  it('runs the scenario', async () => {
    const c = sim.credentials;
    const openid = seed.users[0]?.openid as string;
    const now = Date.now();

    // Create a stock and query it.
    const created = await busifavor.stocks.post({
      stock_name: '验收满减券',
      belong_merchant: c.mchid,
      goods_name: '全场通用',
      stock_type: 'NORMAL',
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: chinaTime(now - 3_600_000), available_end_time: chinaTime(now + 30 * 86_400_000), available_day_after_receive: 10 },
        fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 2000 },
        use_method: 'OFF_LINE',
      },
      stock_send_rule: { max_coupons: 100, max_coupons_per_user: 5 },
      out_request_no: `ACCEPT${mode}STOCK`,
      coupon_code_mode: 'WECHATPAY_MODE',
      notify_config: { notify_appid: c.appid },
    });
    signedBy(created);
    const stockId = created.data.stock_id as string;
    const stock = await busifavor.stocks._stock_id_.get({ stock_id: stockId });
    expect(stock.data).toMatchObject({ stock_id: stockId, stock_name: '验收满减券', stock_state: 'RUNNING', coupon_code_mode: 'WECHATPAY_MODE' });

    // Send a coupon, list it and get it.
    const send = (requestNo: string) => busifavor.coupons.send.post({ openid, appid: c.appid, stock_id: stockId, out_request_no: requestNo });
    const sent = await send(`ACCEPT${mode}SEND1`);
    signedBy(sent);
    const code = sent.data.send_coupon_result.coupon_code as string;
    expect(code).toMatch(/^\d{22}$/);
    const list = await busifavor.users._openid_.coupons.get({ openid, params: { appid: c.appid, stock_id: stockId, creator_merchant: c.mchid } });
    expect(list.data).toMatchObject({ total_count: 1, data: [{ coupon_code: code, coupon_state: 'SENDED' }] });
    const one = await busifavor.users._openid_.coupons._coupon_code_.appids._appid_.get({ openid, coupon_code: code, appid: c.appid });
    expect(one.data).toMatchObject({ coupon_code: code, stock_id: stockId, coupon_state: 'SENDED' });

    // Associate an order, then use; the same request number answers the same; a new one is refused.
    signedBy(await busifavor.coupons.associate.post({ stock_id: stockId, coupon_code: code, out_trade_no: `ORDER${mode}1`, out_request_no: `ACCEPT${mode}ASSOC1` }));
    const useBody = (requestNo: string) => ({ coupon_code: code, stock_id: stockId, appid: c.appid, use_time: chinaTime(Date.now()), use_request_no: requestNo });
    const firstUseBody = useBody(`ACCEPT${mode}USE1`);
    const used = await busifavor.coupons.use.post(firstUseBody);
    expect(used.data).toMatchObject({ stock_id: stockId, openid });
    const replay = await busifavor.coupons.use.post(firstUseBody);
    expect(replay.data).toEqual(used.data);
    signedBy(replay);
    const again = await refusal(busifavor.coupons.use.post(useBody(`ACCEPT${mode}USE2`)));
    expect(again).toMatchObject({ status: 400, data: { code: 'INVALID_REQUEST' } });

    // Return it, and use it again.
    signedBy(await busifavor.coupons.return.post({ coupon_code: code, stock_id: stockId, return_request_no: `ACCEPT${mode}RETURN1` }));
    const reused = await busifavor.coupons.use.post(useBody(`ACCEPT${mode}USE3`));
    expect(reused.status).toBe(200);
    const afterReuse = await busifavor.users._openid_.coupons._coupon_code_.appids._appid_.get({ openid, coupon_code: code, appid: c.appid });
    expect(afterReuse.data).toMatchObject({ coupon_state: 'USED', use_request_no: `ACCEPT${mode}USE3` });

    // Deactivate another coupon.
    const other = (await send(`ACCEPT${mode}SEND2`)).data.send_coupon_result.coupon_code as string;
    signedBy(await busifavor.coupons.deactivate.post({ coupon_code: other, stock_id: stockId, deactivate_request_no: `ACCEPT${mode}DEACT1`, deactivate_reason: '验收测试' }));
    const deactivated = await busifavor.users._openid_.coupons._coupon_code_.appids._appid_.get({ openid, coupon_code: other, appid: c.appid });
    expect(deactivated.data).toMatchObject({ coupon_state: 'DEACTIVATED' });

    // Upload codes to the seeded MERCHANT_UPLOAD stock.
    const uploadStock = seed.stocks.find((s) => s.coupon_code_mode === 'MERCHANT_UPLOAD')?.stock_id as string;
    const uploaded = await busifavor.stocks._stock_id_.couponcodes.post(
      { coupon_code_list: [`ACC${mode}CODE1`, `ACC${mode}CODE2`], upload_request_no: `ACCEPT${mode}UPLOAD1` },
      { stock_id: uploadStock },
    );
    expect(uploaded.data).toMatchObject({ stock_id: uploadStock, total_count: 2, success_count: 2 });

    // Subsidy pay for the used coupon, then query the receipt.
    const paid = await busifavor.subsidy['pay-receipts'].post({
      stock_id: stockId,
      coupon_code: code,
      transaction_id: '4200000913202101152566792388',
      payer_merchant: c.mchid,
      payee_merchant: seed.partner_mchid,
      amount: 300,
      description: '验收补差',
      out_subsidy_no: `ACCEPT${mode}SUBSIDY1`,
    });
    expect(paid.data).toMatchObject({ status: 'SUCCESS', amount: 300, coupon_code: code });
    const receipt = await busifavor.subsidy['pay-receipts']._subsidy_receipt_id_.get({ subsidy_receipt_id: paid.data.subsidy_receipt_id });
    expect(receipt.data).toEqual(paid.data);

    // Set and get the notify URL.
    const notifyUrl = `https://till.example.com/wxpay/${mode}/notify`;
    const set = await busifavor.callbacks.post({ mchid: c.mchid, notify_url: notifyUrl });
    expect(set.data).toMatchObject({ mchid: c.mchid, notify_url: notifyUrl });
    const got = await busifavor.callbacks.get({ params: { mchid: c.mchid } });
    expect(got.data).toEqual({ mchid: c.mchid, notify_url: notifyUrl });

    // Upload an image: the signed body is the meta JSON.
    const meta = { filename: 'logo.png', sha256: createHash('sha256').update(PNG).digest('hex') };
    const form = new Multipart().append('file', PNG, 'logo.png').append('meta', JSON.stringify(meta), 'meta.json');
    const media = (wx as unknown as { v3: { marketing: { favor: { media: { imageUpload: Chain } } } } }).v3.marketing.favor.media.imageUpload;
    const image = await media.post(form, { meta, headers: form.getHeaders() });
    signedBy(image);
    expect(image.data.media_url).toMatch(/^https:\/\/.+/);
  }, 60_000);

  it('refuses a field out of range with 400 PARAM_ERROR naming it', async () => {
    const bad = await refusal(busifavor.coupons.use.post({ coupon_code: '1', stock_id: '1', appid: sim.credentials.appid, use_time: 'yesterday', use_request_no: 'X1' }));
    expect(bad).toMatchObject({ status: 400, data: { code: 'PARAM_ERROR', detail: { field: '/body/use_time' } } });
  });

  it('catches a corrupted response signature (the plugin really verifies)', async () => {
    expect((await adminFetch(sim, 'faults', { method: 'POST', body: JSON.stringify({ spec: 'stocks.get:bad_signature' }) })).status).toBe(200);
    const stockId = seed.stocks[0]?.stock_id as string;
    await expect(busifavor.stocks._stock_id_.get({ stock_id: stockId })).rejects.toThrow(/Verify the response's data/);
    expect((await adminFetch(sim, 'faults/clear', { method: 'POST' })).status).toBe(200);
    expect((await busifavor.stocks._stock_id_.get({ stock_id: stockId })).status).toBe(200);
  });

  if (mode === 'cert') {
    it('downloads the platform certificates and opens them with the APIv3 key', async () => {
      const c = sim.credentials;
      const download = await (wx as unknown as { v3: { certificates: Chain } }).v3.certificates.get();
      signedBy(download);
      const [entry] = download.data.data as { serial_no: string; encrypt_certificate: { ciphertext: string; nonce: string; associated_data: string } }[];
      expect(entry?.serial_no).toBe(c.platform_serial);
      const { ciphertext, nonce, associated_data } = entry?.encrypt_certificate ?? { ciphertext: '', nonce: '', associated_data: '' };
      const pem = Aes.AesGcm.decrypt(ciphertext, readFileSync(c.files.apiv3_key, 'utf8'), nonce, associated_data);
      expect(pem.replace(/\r\n/g, '\n').trim()).toBe(readFileSync(c.files.platform_certificate, 'utf8').replace(/\r\n/g, '\n').trim());
    });
  } else {
    it('answers the certificate download 404 RESOURCE_NOT_EXISTS', async () => {
      const answer = await refusal((wx as unknown as { v3: { certificates: Chain } }).v3.certificates.get());
      expect(answer).toMatchObject({ status: 404, data: { code: 'RESOURCE_NOT_EXISTS' } });
    });
  }
});
