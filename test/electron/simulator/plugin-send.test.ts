// The sending plugin as the simulator stands in for it (/_sim/plugin-send): a mini-program's
// parameters signed with the merchant's APIv2 key are sent, coupon by coupon; a bad sign sends
// nothing. The sign is computed here with node:crypto, not with the project's signer.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatChinaRfc3339 } from '../../../shared/time';
import { startTestSim } from './support/sim';

function sign(key: string, fields: Record<string, string>): string {
  const text = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHmac('sha256', key).update(`${text}&key=${key}`).digest('hex').toUpperCase();
}

async function admin(sim: { url: string; adminToken: string }, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.adminToken}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('the sending plugin (simulator admin API)', () => {
  it("names the merchant's APIv2 key file in the credentials line", async () => {
    const sim = await startTestSim({ seedData: false });
    expect(readFileSync(sim.credentials.files.apiv2_key, 'utf8')).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('sends each coupon of correctly signed parameters to the customer, once per request number', async () => {
    const sim = await startTestSim({ seedData: false });
    const mch = sim.credentials.mchid;
    const key = readFileSync(sim.credentials.files.apiv2_key, 'utf8');
    const now = sim.state.now();
    const create = (mode: 'WECHATPAY_MODE' | 'MERCHANT_API', max: number, n: number) => {
      const r = sim.state.createStock(mch, {
        stock_name: `插件券${n}`,
        belong_merchant: mch,
        goods_name: '全场',
        stock_type: 'NORMAL',
        coupon_use_rule: {
          coupon_available_time: {
            available_begin_time: formatChinaRfc3339(new Date(now.getTime() - 86_400_000)),
            available_end_time: formatChinaRfc3339(new Date(now.getTime() + 9 * 86_400_000)),
          },
          fixed_normal_coupon: { discount_amount: 300, transaction_minimum: 0 },
          use_method: 'OFF_LINE',
        },
        stock_send_rule: { max_coupons: max, max_coupons_per_user: 5 },
        coupon_code_mode: mode,
        out_request_no: `PLUGINSTOCK${n}`,
      });
      if (!r.ok) throw new Error(r.message);
      return (r.body as { stock_id: string }).stock_id;
    };
    const a = create('WECHATPAY_MODE', 10, 1);
    const b = create('MERCHANT_API', 10, 2);
    const full = create('WECHATPAY_MODE', 1, 3);
    sim.state.receiveCoupon({ stock_id: full });
    const params = {
      send_coupon_merchant: mch,
      send_coupon_params: [
        { stock_id: a, out_request_no: 'PLUGIN0001' },
        { stock_id: b, out_request_no: 'PLUGIN0002', coupon_code: 'SHOP-9' },
        { stock_id: full, out_request_no: 'PLUGIN0003' },
      ],
    };
    const fields = {
      send_coupon_merchant: mch,
      stock_id0: a,
      out_request_no0: 'PLUGIN0001',
      stock_id1: b,
      out_request_no1: 'PLUGIN0002',
      coupon_code1: 'SHOP-9',
      stock_id2: full,
      out_request_no2: 'PLUGIN0003',
    };
    const good = { ...params, sign: sign(key, fields), appid: sim.credentials.appid, openid: 'oPluginCustomer1' };

    const first = await admin(sim, '/_sim/plugin-send', good);
    expect(first.status).toBe(200);
    const results = first.json.send_coupon_result as { stock_id: string; code: string; coupon_code?: string }[];
    expect(results.map((r) => r.code)).toEqual(['SUCCESS', 'SUCCESS', 'NOTMONEY']);
    expect(results[0]?.coupon_code).toMatch(/^\d{22}$/);
    expect(results[1]?.coupon_code).toBe('SHOP-9');
    expect(sim.state.coupon(b, 'SHOP-9')).toMatchObject({ coupon_state: 'SENDED', send_merchant: mch, send_request_no: 'PLUGIN0002' });

    // The mini-program shows the plugin again: same numbers, same coupons, nothing new.
    const again = await admin(sim, '/_sim/plugin-send', good);
    expect((again.json.send_coupon_result as { coupon_code?: string }[]).map((r) => r.coupon_code)).toEqual(results.map((r) => r.coupon_code));
    expect(sim.state.coupons({ stock_id: a })).toHaveLength(1);

    const tampered = await admin(sim, '/_sim/plugin-send', { ...good, send_coupon_params: [{ stock_id: a, out_request_no: 'PLUGIN0009' }] });
    expect(tampered).toMatchObject({ status: 400, json: { code: 'SIGN_ERROR' } });
    const wrongKey = await admin(sim, '/_sim/plugin-send', { ...good, sign: sign('0'.repeat(32), fields) });
    expect(wrongKey).toMatchObject({ status: 400, json: { code: 'SIGN_ERROR' } });
    expect(sim.state.coupons({ stock_id: a })).toHaveLength(1);
  });
});
