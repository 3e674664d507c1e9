// Demo data for a fresh simulator: one stock for every type × code mode and, spread over a
// few customers, coupons in every state (plus one returned and one linked to an order). It
// goes through the same operations a merchant would call, so histories, counters, ledgers
// and events are what real traffic would leave. The summary is printed as the "seed" JSON.
import { createHash } from 'node:crypto';
import { COUPON_CODE_MODES, type CouponCodeMode, type CouponState, STOCK_TYPES, type StockType } from '../../../shared/busifavor/enums';
import { addDays, formatChinaRfc3339, startOfChinaDay } from '../../../shared/time';
import type { CouponUseRule, CreateStockInput } from './model';
import type { SimResult } from './result';
import type { SimState } from './state';

export interface SeedOptions {
  mchid: string;
  appid: string;
  /** Number of customers (default 3). */
  users?: number;
  /** Prefix of the seed's request numbers, so seeding a state twice never reuses one. */
  tag?: string;
}

export interface SeedCoupon {
  stock_id: string;
  coupon_code: string;
  openid: string;
  stock_type: StockType;
  coupon_code_mode: CouponCodeMode;
}

export interface SeedSummary {
  mchid: string;
  appid: string;
  users: { user_id: string; openid: string }[];
  stocks: { stock_id: string; stock_name: string; stock_type: StockType; coupon_code_mode: CouponCodeMode }[];
  coupons: Record<CouponState, SeedCoupon[]>;
  /** Coupons that were used and then returned (SENDED again). */
  returned: SeedCoupon[];
  /** SENDED coupons linked to an order. */
  associated: (SeedCoupon & { out_trade_no: string })[];
  media_url: string;
}

const TYPE_NAMES: Record<StockType, string> = { NORMAL: '满减券', DISCOUNT: '折扣券', EXCHANGE: '换购券' };
const MODE_NAMES: Record<CouponCodeMode, string> = { WECHATPAY_MODE: '微信支付码', MERCHANT_API: '商户指定码', MERCHANT_UPLOAD: '预上传码' };
const RULES: Record<StockType, Partial<CouponUseRule>> = {
  NORMAL: { fixed_normal_coupon: { discount_amount: 1000, transaction_minimum: 5000 } },
  DISCOUNT: { discount_coupon: { discount_percent: 88, transaction_minimum: 2000 } },
  EXCHANGE: { exchange_coupon: { exchange_price: 100, transaction_minimum: 3000 } },
};
/** Valid for 20 days after receipt; an "expired" seed coupon is received 25 days back. */
const VALID_DAYS = 20;
const EXPIRED_RECEIVED_DAYS_AGO = 25;
const PLAN = ['SENDED', 'SENDED', 'USED', 'EXPIRED', 'DELETED', 'DEACTIVATED', 'RETURNED'] as const;

function must<T>(r: SimResult<T>, what: string): T {
  if (!r.ok) throw new Error(`seed: ${what} failed: ${r.code} ${r.message}`);
  return r.body;
}

export function seedWorld(state: SimState, options: SeedOptions): SeedSummary {
  const { mchid, appid } = options;
  const tag = options.tag ?? 'SEED';
  state.addMerchant({ mchid, appids: [appid] });
  const now = state.now();
  const nowText = formatChinaRfc3339(now);
  const begin = addDays(startOfChinaDay(now), -30);
  const sha256 = createHash('sha256').update('busifavor simulator seed logo').digest('hex');
  const { media_url } = must(state.uploadImage(mchid, { filename: 'seed-logo.png', sha256 }), 'image upload') as { media_url: string };

  const users = Array.from({ length: options.users ?? 3 }, () => {
    const u = state.addUser(appid);
    return { user_id: u.user_id, openid: u.openid ?? '' };
  });
  const summary: SeedSummary = {
    mchid,
    appid,
    users,
    stocks: [],
    coupons: { SENDED: [], USED: [], EXPIRED: [], DELETED: [], DEACTIVATED: [] },
    returned: [],
    associated: [],
    media_url,
  };

  let i = 0;
  for (const stock_type of STOCK_TYPES) {
    for (const coupon_code_mode of COUPON_CODE_MODES) {
      i += 1;
      const stock_name = `模拟${TYPE_NAMES[stock_type]}（${MODE_NAMES[coupon_code_mode]}）`;
      const body: CreateStockInput = {
        stock_name,
        belong_merchant: mchid,
        comment: '模拟器种子数据',
        goods_name: '全场通用',
        stock_type,
        coupon_use_rule: {
          coupon_available_time: {
            available_begin_time: formatChinaRfc3339(begin),
            available_end_time: formatChinaRfc3339(addDays(begin, 300)),
            available_day_after_receive: VALID_DAYS,
          },
          use_method: 'OFF_LINE',
          ...RULES[stock_type],
        },
        stock_send_rule: { max_coupons: 1000, max_coupons_per_user: 50, ...(stock_type === 'NORMAL' ? { max_coupons_by_day: 500 } : {}) },
        custom_entrance: { code_display_mode: coupon_code_mode === 'WECHATPAY_MODE' ? 'QRCODE' : 'BARCODE' },
        display_pattern_info: { description: '到店出示券码，由收银员核销。', merchant_logo_url: media_url, background_color: 'Color020' },
        coupon_code_mode,
        notify_config: { notify_appid: appid },
        out_request_no: `${tag}STOCK${i}`,
      };
      const { stock_id } = must(state.createStock(mchid, body), `stock ${stock_name}`) as { stock_id: string };
      summary.stocks.push({ stock_id, stock_name, stock_type, coupon_code_mode });
      if (coupon_code_mode === 'MERCHANT_UPLOAD') {
        const coupon_code_list = Array.from({ length: 20 }, (_, n) => `SEEDUP${i}-${String(n + 1).padStart(3, '0')}`);
        must(state.uploadCodes(mchid, stock_id, { coupon_code_list, upload_request_no: `${tag}UPLOAD${i}` }), 'code upload');
      }

      PLAN.forEach((plan, k) => {
        const user = users[(i + k) % users.length];
        if (!user) throw new Error('seed needs at least one user');
        const received = must(
          state.receiveCoupon({
            stock_id,
            user_id: user.user_id,
            out_request_no: `${tag}SEND${i}X${k}`,
            ...(coupon_code_mode === 'MERCHANT_API' ? { coupon_code: `SEEDAPI${i}${k}${String(k * 7919 + i).padStart(6, '0')}` } : {}),
            ...(plan === 'EXPIRED' ? { received_at: formatChinaRfc3339(addDays(now, -EXPIRED_RECEIVED_DAYS_AGO)) } : {}),
          }),
          'receive',
        ) as { send_coupon_result: { coupon_code: string } };
        const coupon_code = received.send_coupon_result.coupon_code;
        const ref = { stock_id, coupon_code };
        const use = () => must(state.useCoupon(mchid, { ...ref, appid, use_time: nowText, use_request_no: `${tag}USE${i}X${k}` }), 'use');
        if (plan === 'USED' || plan === 'RETURNED') use();
        if (plan === 'RETURNED') must(state.returnCoupon(mchid, { ...ref, return_request_no: `${tag}RETURN${i}X${k}` }), 'return');
        if (plan === 'DELETED') must(state.userDeletesCoupon(stock_id, coupon_code), 'delete');
        if (plan === 'DEACTIVATED')
          must(state.deactivateCoupon(mchid, { ...ref, deactivate_request_no: `${tag}DEACT${i}X${k}`, deactivate_reason: '模拟：商户使券失效' }), 'deactivate');
        const entry: SeedCoupon = { ...ref, openid: user.openid, stock_type, coupon_code_mode };
        if (k === 0) {
          const out_trade_no = `${tag}ORDER${i}`;
          must(state.associateOrder(mchid, { ...ref, out_trade_no, out_request_no: `${tag}ASSOC${i}` }), 'associate');
          summary.associated.push({ ...entry, out_trade_no });
        }
        const actual = state.coupon(stock_id, coupon_code)?.coupon_state;
        if (!actual) throw new Error(`seed: coupon ${coupon_code} vanished`);
        if (plan === 'RETURNED') summary.returned.push(entry);
        summary.coupons[actual].push(entry);
      });
    }
  }
  return summary;
}
