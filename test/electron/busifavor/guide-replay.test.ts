// Every request WeChat Pay's developer guide prints (test/fixtures/wechatpay/guide-requests.json),
// replayed twice: through the shared endpoint validation exactly as printed (only the dates moved
// into the future), and through the typed client against the simulator. Nothing the guide sends
// may be refused for its form (docs/wechatpay/busifavor.md#disagreements).
//
// Against the simulator, identifiers WeChat or the merchant assigns (stock ids, coupon codes,
// merchant numbers, receipt ids) are mapped to entities a scene prepared for that one request,
// because the guide's ids name nothing here. Two placeholder values of the modify example are
// replaced, as the guide tells its readers to do ("替换请求参数后可发起测试"): the test first
// shows they are the only thing in the guide the shared validation refuses.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQuery, routeRequest, validateRequest, type EndpointDef, type EndpointId } from '../../../shared/busifavor';
import { formatChinaRfc3339, isRfc3339, parseRfc3339 } from '../../../shared/time';
import { startTestSim, type TestSim } from '../queue/support/sim';

interface GuideRequest {
  step: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

const guide = (JSON.parse(readFileSync('test/fixtures/wechatpay/guide-requests.json', 'utf8')) as { requests: GuideRequest[] }).requests;

/** Every date moved by one offset, so the earliest lands on `now` and their spacing is kept. */
function datesMovedTo(value: unknown, now: Date): unknown {
  const dates: number[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string' && isRfc3339(v)) dates.push((parseRfc3339(v) as Date).getTime());
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(value);
  if (dates.length === 0) return value;
  const shift = now.getTime() - Math.min(...dates);
  const move = (v: unknown): unknown => {
    if (typeof v === 'string' && isRfc3339(v)) return formatChinaRfc3339(new Date((parseRfc3339(v) as Date).getTime() + shift));
    if (Array.isArray(v)) return v.map(move);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, move(x)]));
    return v;
  };
  return move(value);
}

/** Strings equal to a key of `ids` replaced by its value, wherever they sit. */
function mapped<T>(value: T, ids: Record<string, string>): T {
  const swap = (v: unknown): unknown => {
    if (typeof v === 'string') return Object.hasOwn(ids, v) ? ids[v] : v;
    if (Array.isArray(v)) return v.map(swap);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
    return v;
  };
  return swap(value) as T;
}

function routed(r: GuideRequest): { def: EndpointDef; params: Record<string, string> } {
  const match = routeRequest(r.method, r.path);
  if (match.kind !== 'match') throw new Error(`${r.method} ${r.path} is no endpoint we know`);
  return { def: match.def, params: match.params };
}

function queryOf(def: EndpointDef, r: GuideRequest): Record<string, unknown> | undefined {
  if (!r.query) return undefined;
  const decoded = decodeQuery(def, new URLSearchParams(r.query).toString());
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.query;
}

const MODIFY = guide.findIndex((r) => r.method === 'PATCH' && !r.path.endsWith('/budget'));
/** The modify example's placeholder values (not identifiers: a colour name and an image address). */
const PLACEHOLDER_FIELDS = ['/body/display_pattern_info/background_color', '/body/display_pattern_info/coupon_image_url'];

describe("the guide's requests through the shared validation", () => {
  it('the fixture holds every request the guide prints, one per endpoint it exercises', () => {
    const ids = guide.map((r) => routed(r).def.id);
    expect(ids).toEqual([
      'stocks.create',
      'stocks.get',
      'coupons.use',
      'userCoupons.list',
      'userCoupons.get',
      'couponCodes.upload',
      'callbacks.set',
      'callbacks.get',
      'coupons.associate',
      'coupons.disassociate',
      'stocks.budget',
      'stocks.modify',
      'coupons.return',
      'coupons.deactivate',
      'subsidy.pay.create',
      'subsidy.pay.get',
    ]);
  });

  it.each(guide.map((r, i) => [i, `${r.method} ${r.path}`] as const))('#%i %s is accepted as printed (dates moved forward)', (i) => {
    const r = guide[i] as GuideRequest;
    const { def, params } = routed(r);
    const body = datesMovedTo(r.body, new Date());
    const checked = validateRequest(def, { path: params, query: queryOf(def, r), body });
    if (i === MODIFY) {
      // Only the two placeholders are refused, one at a time: everything else in it is accepted.
      expect(checked.ok ? 'accepted' : checked.error.detail.field).toBe(PLACEHOLDER_FIELDS[0]);
      const display = (body as { display_pattern_info: Record<string, unknown> }).display_pattern_info;
      const withColour = { ...(body as object), display_pattern_info: { ...display, background_color: 'Color020' } };
      const second = validateRequest(def, { path: params, body: withColour });
      expect(second.ok ? 'accepted' : second.error.detail.field).toBe(PLACEHOLDER_FIELDS[1]);
      const real = { ...(body as object), display_pattern_info: { ...display, background_color: 'Color020', coupon_image_url: 'https://qpic.cn/busifavor/a.png' } };
      expect(validateRequest(def, { path: params, body: real }).ok).toBe(true);
      return;
    }
    expect(checked.ok ? 'accepted' : checked.error).toBe('accepted');
  });

  it('the no-threshold coupon of the FAQ (transaction_minimum 0) and the fields "not open yet" pass', () => {
    const create = guide[0] as GuideRequest;
    const body = datesMovedTo(create.body, new Date()) as { coupon_use_rule: { fixed_normal_coupon: Record<string, number> }; stock_send_rule: Record<string, unknown> };
    body.coupon_use_rule.fixed_normal_coupon.transaction_minimum = 0;
    expect(body.stock_send_rule).toMatchObject({ transferable: false, shareable: false });
    expect(validateRequest(routed(create).def, { body }).ok).toBe(true);
  });
});

describe("the guide's requests against the simulator", () => {
  let t: TestSim;
  let mch: string;
  const answers: Partial<Record<EndpointId, unknown>> = {};
  const GUIDE_APPIDS = ['wx1234567889999', 'wx233544546545989', 'wx234545656765876', 'wx324345hgfhfghfg', 'wx23232232323'];
  const PAYEE = '1900000002';
  let stockCounter = 0;

  beforeAll(async () => {
    t = await startTestSim();
    mch = t.sim.credentials.mchid;
    // The AppIDs the guide names are the merchant's own; the payee is a second merchant.
    t.sim.state.addMerchant({ mchid: mch, appids: GUIDE_APPIDS });
    t.sim.state.addMerchant({ mchid: PAYEE });
  });
  afterAll(async () => t?.close());

  /** A scene's stock, created in the simulator directly (setting the scene is not what is tested). */
  function stock(mode: 'MERCHANT_API' | 'MERCHANT_UPLOAD', maxCoupons = 1000): string {
    stockCounter += 1;
    const now = t.sim.state.now();
    const r = t.sim.state.createStock(mch, {
      stock_name: `场景券${stockCounter}`,
      belong_merchant: mch,
      goods_name: '全场通用',
      stock_type: 'NORMAL',
      coupon_use_rule: {
        coupon_available_time: {
          available_begin_time: formatChinaRfc3339(new Date(now.getTime() - 86_400_000)),
          available_end_time: formatChinaRfc3339(new Date(now.getTime() + 30 * 86_400_000)),
        },
        fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 0 },
        use_method: 'OFF_LINE',
      },
      stock_send_rule: { max_coupons: maxCoupons, max_coupons_per_user: 100 },
      coupon_code_mode: mode,
      out_request_no: `SCENE${stockCounter}X${Date.now()}`,
    });
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
    return (r.body as { stock_id: string }).stock_id;
  }

  /** A customer, by the guide's OpenID under the guide's AppID, receives the guide's code. */
  function received(stockId: string, code: string, openid: string, appid: string): void {
    const r = t.sim.admin.receiveCoupon({ stock_id: stockId, appid, openid, coupon_code: code });
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
  }

  function used(stockId: string, code: string, appid: string): void {
    const r = t.sim.state.useCoupon(mch, { coupon_code: code, stock_id: stockId, appid, use_time: formatChinaRfc3339(t.sim.state.now()), use_request_no: `SCENEUSE${stockId}` });
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
  }

  /** What each request needs to find, and the simulator's ids for the guide's. */
  const scenes: Record<EndpointId, (r: GuideRequest) => Record<string, string>> = {
    'stocks.create': () => ({ '1900008361': mch }),
    'stocks.get': () => ({ '1212': (answers['stocks.create'] as { stock_id: string }).stock_id }),
    'coupons.use': (r) => {
      const b = r.body as { stock_id: string; coupon_code: string; openid: string; appid: string };
      const id = stock('MERCHANT_API');
      received(id, b.coupon_code, b.openid, b.appid);
      return { [b.stock_id]: id };
    },
    'userCoupons.list': (r) => {
      const q = r.query as { stock_id: string; appid: string; creator_merchant: string };
      const id = stock('MERCHANT_API');
      const openid = r.path.split('/')[5] as string;
      received(id, 'GUIDELIST1', openid, q.appid);
      used(id, 'GUIDELIST1', q.appid);
      return { [q.stock_id]: id, [q.creator_merchant]: mch };
    },
    'userCoupons.get': (r) => {
      const [, , , , , openid, , code, , appid] = r.path.split('/') as string[];
      received(stock('MERCHANT_API'), code as string, openid as string, appid as string);
      return {};
    },
    'couponCodes.upload': (r) => ({ [r.path.split('/')[5] as string]: stock('MERCHANT_UPLOAD') }),
    'callbacks.set': (r) => ({ [(r.body as { mchid: string }).mchid]: mch }),
    'callbacks.get': (r) => ({ [(r.query as { mchid: string }).mchid]: mch }),
    'coupons.associate': (r) => {
      const b = r.body as { stock_id: string; coupon_code: string };
      const id = stock('MERCHANT_API');
      received(id, b.coupon_code, 'oGuideAssociate', GUIDE_APPIDS[0] as string);
      return { [b.stock_id]: id };
    },
    'coupons.disassociate': (r) => {
      const b = r.body as { stock_id: string; coupon_code: string; out_trade_no: string };
      const id = stock('MERCHANT_API');
      received(id, b.coupon_code, 'oGuideDisassociate', GUIDE_APPIDS[0] as string);
      const linked = t.sim.state.associateOrder(mch, { stock_id: id, coupon_code: b.coupon_code, out_trade_no: b.out_trade_no, out_request_no: 'SCENELINK1' });
      if (!linked.ok) throw new Error(linked.message);
      return { [b.stock_id]: id };
    },
    'stocks.budget': (r) => ({ [r.path.split('/')[5] as string]: stock('MERCHANT_API', (r.body as { current_max_coupons: number }).current_max_coupons) }),
    'stocks.modify': (r) => {
      const logo = t.sim.state.uploadImage(mch, { filename: 'coupon.png', sha256: 'a'.repeat(64) });
      return { [r.path.split('/')[5] as string]: stock('MERCHANT_API'), xxxxx: 'Color020', 图片cdn地址: logo.ok ? (logo.body as { media_url: string }).media_url : '' };
    },
    'coupons.return': (r) => {
      const b = r.body as { stock_id: string; coupon_code: string };
      const id = stock('MERCHANT_API');
      received(id, b.coupon_code, 'oGuideReturn', GUIDE_APPIDS[0] as string);
      used(id, b.coupon_code, GUIDE_APPIDS[0] as string);
      return { [b.stock_id]: id };
    },
    'coupons.deactivate': (r) => {
      const b = r.body as { stock_id: string; coupon_code: string };
      const id = stock('MERCHANT_API');
      received(id, b.coupon_code, 'oGuideDeactivate', GUIDE_APPIDS[0] as string);
      return { [b.stock_id]: id };
    },
    'subsidy.pay.create': (r) => {
      const b = r.body as { stock_id: string; coupon_code: string; payer_merchant: string };
      const id = stock('MERCHANT_API');
      received(id, b.coupon_code, 'oGuideSubsidy', GUIDE_APPIDS[0] as string);
      used(id, b.coupon_code, GUIDE_APPIDS[0] as string);
      return { [b.stock_id]: id, [b.payer_merchant]: mch };
    },
    'subsidy.pay.get': (r) => ({ [r.path.split('/')[6] as string]: (answers['subsidy.pay.create'] as { subsidy_receipt_id: string }).subsidy_receipt_id }),
    // The guide shows no request for these.
    'coupons.send': () => ({}),
    'couponCodes.list': () => ({}),
    'couponCodes.get': () => ({}),
    'couponCodes.delete': () => ({}),
    'subsidy.pay.list': () => ({}),
    'subsidy.return.create': () => ({}),
    'subsidy.return.get': () => ({}),
    'media.imageUpload': () => ({}),
  };

  it('answers every request with its documented success, in the order the guide shows them', async () => {
    const outcomes: string[] = [];
    for (const r of guide) {
      const { def } = routed(r);
      const ids = scenes[def.id as EndpointId](r);
      const request = mapped(
        {
          ...r,
          path: r.path
            .split('/')
            .map((s) => ids[s] ?? s)
            .join('/'),
        },
        ids,
      );
      const { params } = routed(request);
      const body = datesMovedTo(request.body, t.sim.state.now());
      try {
        const res = await t.client.call(def.id as EndpointId, { path: params as never, query: queryOf(def, request) as never, body: body as never });
        answers[def.id as EndpointId] = res.data;
        outcomes.push(`${def.id} ${res.status}`);
      } catch (err) {
        outcomes.push(`${def.id} ${(err as Error).message}`);
      }
    }
    expect(outcomes).toEqual(guide.map((r) => `${routed(r).def.id} ${routed(r).def.successStatus}`));
  });

  it('created the stock as the guide wrote it: transferable and shareable kept, a window no coupon can use', async () => {
    const created = answers['stocks.create'] as { stock_id: string };
    const got = await t.client.getStock(created.stock_id);
    expect(got.stock_send_rule).toMatchObject({ max_coupons: 100, transferable: false, shareable: false });
    expect(got.coupon_use_rule.coupon_available_time).toMatchObject({ available_day_after_receive: 3, wait_days_after_receive: 7 });
  });

  it('creates the no-threshold stock of the FAQ (transaction_minimum 0)', async () => {
    const body = mapped(datesMovedTo(guide[0]?.body, t.sim.state.now()) as Record<string, unknown>, { '1900008361': mch }) as {
      coupon_use_rule: { fixed_normal_coupon: Record<string, number> };
      out_request_no: string;
    };
    body.coupon_use_rule.fixed_normal_coupon.transaction_minimum = 0;
    body.out_request_no = 'GUIDEFAQNOTHRESHOLD1';
    const res = await t.client.call('stocks.create', { body: body as never });
    const got = await t.client.getStock(res.data.stock_id);
    expect(got.coupon_use_rule.fixed_normal_coupon).toEqual({ discount_amount: 5, transaction_minimum: 0 });
  });

  it('applied what the guide asked for: codes stored, budget raised, callback set, modify kept what cannot change', async () => {
    expect(answers['couponCodes.upload']).toMatchObject({ success_count: 2, success_codes: ['ABC9588200', 'ABC9588201'] });
    expect(answers['stocks.budget']).toMatchObject({ max_coupons: 3000 });
    expect(answers['callbacks.get']).toEqual({ mchid: mch, notify_url: 'https://pay.weixin.qq.com' });
    const modified = t.sim.state.toJSON().stocks.find((s) => s.definition.goods_name === 'xxx商品使用');
    expect(modified?.definition).toMatchObject({ comment: '活动使用', display_pattern_info: { description: 'xxx门店可用', background_color: 'Color020' } });
    expect(modified?.definition.stock_name).toMatch(/^场景券/);
    expect(answers['subsidy.pay.get']).toMatchObject({ amount: 100, status: 'SUCCESS', payee_merchant: PAYEE });
  });
});
