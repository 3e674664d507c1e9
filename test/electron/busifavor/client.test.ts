import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusifavorClient, isUnreadableSuccess, RESPONSE_SCHEMA, UNEXPECTED_STATUS } from '../../../electron/busifavor';
import { ResponseSigner, WechatPayError } from '../../../electron/wechatpay';
import { RequestParamError } from '../../../shared/busifavor';
import { formatChinaRfc3339 } from '../../../shared/time';
import { APPID, createStock, httpCalls, issueCoupons, simKeys, startTestSim, type TestSim, wechatpayClientFor } from '../queue/support/sim';

let t: TestSim;
let stockId: string;

beforeAll(async () => {
  t = await startTestSim();
  stockId = createStock(t.sim, { discountFen: 1000, minimumFen: 5000 });
});
afterAll(async () => t.close());

describe('BusifavorClient against the simulator', () => {
  it('reads a stock with the tolerant schema and keeps the Request-ID', async () => {
    const res = await t.client.call('stocks.get', { path: { stock_id: stockId } });
    expect(res.status).toBe(200);
    expect(res.data.stock_id).toBe(stockId);
    expect(res.data.stock_type).toBe('NORMAL');
    expect(res.data.coupon_use_rule.fixed_normal_coupon).toEqual({ discount_amount: 1000, transaction_minimum: 5000 });
    expect(res.requestId).toMatch(/^[0-9A-F]{16,}$/);
    expect((await t.client.getStock(stockId)).stock_name).toBe(res.data.stock_name);
  });

  it('redeems a coupon and returns the owner openid', async () => {
    const [c] = issueCoupons(t.sim, stockId, ['CLIENT-USE-1']);
    const res = await t.client.useCoupon({ coupon_code: 'CLIENT-USE-1', stock_id: stockId, appid: APPID, use_time: formatChinaRfc3339(new Date()), use_request_no: 'CLIENTUSE1' });
    expect(res.data.openid).toBe(c?.openid);
    expect(t.sim.state.coupon(stockId, 'CLIENT-USE-1')?.coupon_state).toBe('USED');
  });

  it('refuses an invalid request before anything is signed or sent', async () => {
    const before = httpCalls(t.sim, 'coupons.use');
    const err = await t.client
      .call('coupons.use', { body: { coupon_code: 'BAD#CODE', stock_id: stockId, appid: APPID, use_time: formatChinaRfc3339(new Date()), use_request_no: 'CLIENTBAD1' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestParamError);
    expect((err as RequestParamError).paramError.detail.field).toBe('/body/coupon_code');
    const noSuchField = await t.client.call('stocks.get', { path: { stock_id: stockId }, query: { appid: APPID } as never }).catch((e: unknown) => e);
    expect(noSuchField).toBeInstanceOf(RequestParamError);
    expect(httpCalls(t.sim, 'coupons.use')).toBe(before);
  });

  it('turns a refusal into a rejected WechatPayError with code, message and Request-ID', async () => {
    const err = await t.client
      .useCoupon({ coupon_code: 'NO-SUCH-CODE', stock_id: stockId, appid: APPID, use_time: formatChinaRfc3339(new Date()), use_request_no: 'CLIENTMISSING1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatPayError);
    const e = err as WechatPayError;
    expect(e.kind).toBe('rejected');
    expect(e.httpStatus).toBe(404);
    expect(e.code).toBe('RESOURCE_NOT_EXISTS');
    expect(e.requestId).toBeTruthy();
  });

  it('percent-encodes path parameters so a code with / and space keeps the path shape', async () => {
    const [c] = issueCoupons(t.sim, stockId, ['A/B 7=|']);
    const coupon = await t.client.getUserCoupon({ openid: c?.openid ?? '', coupon_code: 'A/B 7=|', appid: APPID });
    expect(coupon.coupon_code).toBe('A/B 7=|');
    expect(coupon.coupon_state).toBe('SENDED');
  });

  it('sends query parameters in the schema order and parses the list', async () => {
    const [c] = issueCoupons(t.sim, stockId, ['CLIENT-LIST-1']);
    const list = await t.client.listUserCoupons(c?.openid ?? '', { appid: APPID, stock_id: stockId, creator_merchant: t.sim.credentials.mchid, limit: 10, offset: 0 });
    expect(list.data?.map((x) => x.coupon_code)).toEqual(['CLIENT-LIST-1']);
    expect(list.limit).toBe(10);
  });

  it('returns no data for a 204 endpoint', async () => {
    const res = await t.client.call('stocks.modify', { path: { stock_id: stockId }, body: { comment: '改了备注', out_request_no: 'CLIENTMODIFY1' } });
    expect(res.status).toBe(204);
    expect(res.data).toBeUndefined();
  });
});

describe('BusifavorClient against a signed answer of the wrong shape', () => {
  let server: Server;
  let reply: { status: number; body: string } = { status: 200, body: '{}' };
  let client: BusifavorClient;

  beforeAll(async () => {
    const keys = await simKeys();
    const signer = new ResponseSigner({ serial: keys.wechatpayPublicKey.id, privateKey: createPrivateKey(keys.wechatpayPublicKey.privateKeyPem) });
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': 'SHAPE-1', ...signer.sign(reply.body) });
        res.end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const sim = await startTestSim();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new BusifavorClient(wechatpayClientFor(sim.sim.credentials, { baseUrl: url }));
    await sim.close();
  });
  afterAll(async () => new Promise<void>((r) => server.close(() => r())));

  it('reports a verified 200 with missing fields as an unreadable success', async () => {
    reply = { status: 200, body: JSON.stringify({ stock_id: '1' }) };
    const err = await client
      .useCoupon({ coupon_code: 'X1', stock_id: '1', appid: APPID, use_time: formatChinaRfc3339(new Date()), use_request_no: 'SHAPE1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatPayError);
    expect((err as WechatPayError).code).toBe(RESPONSE_SCHEMA);
    expect((err as WechatPayError).kind).toBe('unknown_outcome');
    expect(isUnreadableSuccess(err)).toBe(true);
  });

  it('reports a 2xx other than the documented one as an unknown outcome', async () => {
    reply = { status: 201, body: '{}' };
    const err = await client.getStock('1').catch((e: unknown) => e);
    expect((err as WechatPayError).code).toBe(UNEXPECTED_STATUS);
    expect((err as WechatPayError).httpStatus).toBe(201);
    expect(isUnreadableSuccess(err)).toBe(false);
  });
});
