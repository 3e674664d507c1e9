// The real parts for queue and POS tests: the simulator on a loopback port, a signed
// WechatPayClient made from its credentials line exactly as a till would, the typed
// busifavor client over it, a fresh data directory, and helpers that put stocks and
// customers' coupons into the simulator.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusifavorClient, type WechatPayTransport } from '../../../../electron/busifavor';
import { generateKeys, startSimulator, type CredentialsLine, type RunningSimulator, type SimKeys, type SimulatorOptions } from '../../../../electron/simulator';
import { loadPrivateKey, loadPublicKey, PublicKeyResolver, WechatPayClient } from '../../../../electron/wechatpay';
import { addDays, formatChinaRfc3339, startOfChinaDay } from '../../../../shared/time';

let keys: Promise<SimKeys> | undefined;

export function simKeys(): Promise<SimKeys> {
  keys ??= generateKeys({ mchid: '1900000109', appid: 'wxd678efh567hg6787' });
  return keys;
}

export const APPID = 'wxd678efh567hg6787';

export function tempDir(prefix = 'pos-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A till's client for the simulator: public-key mode, keys read from the credential files. */
export function wechatpayClientFor(credentials: CredentialsLine, options: { timeoutMs?: number; baseUrl?: string; connections?: number } = {}): WechatPayClient {
  return new WechatPayClient({
    mchid: credentials.mchid,
    serialNo: credentials.merchant_serial,
    privateKey: loadPrivateKey(readFileSync(credentials.files.merchant_private_key, 'utf8')),
    resolver: new PublicKeyResolver(credentials.wechatpay_public_key_id, loadPublicKey(readFileSync(credentials.files.wechatpay_public_key, 'utf8'))),
    environment: 'simulator',
    baseUrl: options.baseUrl ?? credentials.base_url,
    timeoutMs: options.timeoutMs ?? 5_000,
    connectTimeoutMs: 1_000,
    ...(options.connections ? { connections: options.connections } : {}),
  });
}

export interface TestSim {
  sim: RunningSimulator;
  http: WechatPayClient;
  client: BusifavorClient;
  close(): Promise<void>;
}

export async function startTestSim(options: SimulatorOptions & { timeoutMs?: number; wrap?: (t: WechatPayTransport) => WechatPayTransport } = {}): Promise<TestSim> {
  const sim = await startSimulator({ keys: await simKeys(), seedData: false, ...options });
  const http = wechatpayClientFor(sim.credentials, { ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  const client = new BusifavorClient(options.wrap ? options.wrap(http) : http);
  return {
    sim,
    http,
    client,
    close: async () => {
      await http.close();
      await sim.close();
    },
  };
}

export interface StockSpec {
  type?: 'NORMAL' | 'DISCOUNT' | 'EXCHANGE';
  discountFen?: number;
  minimumFen?: number;
  /** Validity relative to the simulator's now, in days. */
  beginDays?: number;
  endDays?: number;
  availableWeek?: { week_day: number[]; available_day_time?: { begin_time: number; end_time: number }[] };
  name?: string;
}

let stockCounter = 0;

export function createStock(sim: RunningSimulator, spec: StockSpec = {}): string {
  stockCounter += 1;
  const now = sim.state.now();
  const begin = addDays(startOfChinaDay(now), spec.beginDays ?? -1);
  const end = addDays(startOfChinaDay(now), spec.endDays ?? 300);
  const type = spec.type ?? 'NORMAL';
  const minimum = spec.minimumFen ?? 5000;
  const rule =
    type === 'NORMAL'
      ? { fixed_normal_coupon: { discount_amount: spec.discountFen ?? 1000, transaction_minimum: minimum } }
      : type === 'DISCOUNT'
        ? { discount_coupon: { discount_percent: 88, transaction_minimum: minimum } }
        : { exchange_coupon: { exchange_price: 100, transaction_minimum: minimum } };
  const r = sim.state.createStock(sim.credentials.mchid, {
    stock_name: spec.name ?? `测试满减券${stockCounter}`,
    belong_merchant: sim.credentials.mchid,
    goods_name: '全场通用',
    stock_type: type,
    coupon_use_rule: {
      coupon_available_time: {
        available_begin_time: formatChinaRfc3339(begin),
        available_end_time: formatChinaRfc3339(end),
        ...(spec.availableWeek ? { available_week: spec.availableWeek } : {}),
      },
      use_method: 'OFF_LINE',
      ...rule,
    },
    stock_send_rule: { max_coupons: 1_000_000, max_coupons_per_user: 100 },
    coupon_code_mode: 'MERCHANT_API',
    out_request_no: `TESTSTOCK${process.pid}X${stockCounter}X${Date.now()}`,
  });
  if (!r.ok) throw new Error(`createStock: ${r.code} ${r.message}`);
  return (r.body as { stock_id: string }).stock_id;
}

export interface IssuedCoupon {
  code: string;
  stockId: string;
  openid: string;
  userId: string;
}

/** Customers receive coupons with the given codes (one customer per coupon). */
export function issueCoupons(sim: RunningSimulator, stockId: string, codes: readonly string[]): IssuedCoupon[] {
  return codes.map((code) => {
    const user = sim.state.addUser(APPID);
    const r = sim.admin.receiveCoupon({ stock_id: stockId, user_id: user.user_id, coupon_code: code, out_request_no: `RECV${code.replace(/[^A-Za-z0-9]/g, '')}${stockId}` });
    if (!r.ok) throw new Error(`receiveCoupon ${code}: ${r.code} ${r.message}`);
    return { code, stockId, openid: user.openid ?? '', userId: user.user_id };
  });
}

/** The coupon's state changes in the simulator (history minus the send), as `op` names. */
export function historyOps(sim: RunningSimulator, stockId: string, code: string): string[] {
  const c = sim.state.coupon(stockId, code);
  if (!c) throw new Error(`no coupon ${code}`);
  return c.history.filter((h) => h.op !== 'send').map((h) => h.op);
}

/** HTTP requests the simulator answered (or dropped) for an endpoint, faults included. */
export function httpCalls(sim: RunningSimulator, endpoint: string): number {
  const stats = sim.admin.operations().http[endpoint] as { requests: number } | undefined;
  return stats?.requests ?? 0;
}

/** Requests for an endpoint that reached the business state (not stopped by a "before" fault). */
export function stateCalls(sim: RunningSimulator, endpoint: string): number {
  return sim.state.operationCounts()[endpoint]?.calls ?? 0;
}
