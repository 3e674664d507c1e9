// The simulator's own controls: state introspection, faults, the business clock, "a customer
// receives a coupon", certificate rotation, reset and the notification log. The same object
// serves in-process callers (tests, training mode) and the /_sim/ HTTP API (admin-http.ts).
import { pluginSendParams, pluginSignFields, type CouponState } from '../../shared/busifavor/index';
import { apiV2SignMatches } from '../wechatpay/index';
import type { CredentialsLine } from './credentials';
import type { FaultRule } from './faults';
import { parseFaultSpec } from './faults';
import type { DeliveryRecord } from './notify';
import type { SimContext } from './context';
import type { ConsoleStockState, CouponRecord, PluginSendResult, ReceiveInput, RequestNumberReport, SimResult, StockRecord, UploadedCodeRecord } from './state/index';

export interface SimSummary {
  now: string;
  mode: string;
  mchid: string;
  appid: string;
  seed: number;
  stocks: number;
  coupons: Record<CouponState, number> & { total: number };
  faults: number;
  notifications: Record<DeliveryRecord['state'], number>;
  platform_serials: string[];
  state_writes: number;
}

export interface SimSettings {
  allow_http_callbacks?: boolean;
  notify_time_scale?: number;
  rate_limits?: boolean;
}

export class SimAdmin {
  readonly #ctx: SimContext;
  readonly #seed: number;

  constructor(ctx: SimContext, seed: number) {
    this.#ctx = ctx;
    this.#seed = seed;
  }

  summary(): SimSummary {
    const { state } = this.#ctx;
    const coupons = { SENDED: 0, USED: 0, EXPIRED: 0, DELETED: 0, DEACTIVATED: 0, total: 0 };
    for (const c of state.coupons()) {
      coupons[c.coupon_state] += 1;
      coupons.total += 1;
    }
    const notifications = { pending: 0, delivered: 0, failed: 0, skipped: 0 };
    for (const r of this.#ctx.notifier.records()) notifications[r.state] += 1;
    return {
      now: state.now().toISOString(),
      mode: this.#ctx.signing.mode,
      mchid: this.#ctx.keys.mchid,
      appid: this.#ctx.keys.appid,
      seed: this.#seed,
      stocks: state.toJSON().stocks.length,
      coupons,
      faults: this.#ctx.faults.list().length,
      notifications,
      platform_serials: this.#ctx.signing.servesCertificates ? this.#ctx.signing.platformSerials() : [],
      state_writes: this.#ctx.stateDir?.writes ?? 0,
    };
  }

  coupon(stockId: string, code: string): CouponRecord | undefined {
    return this.#ctx.state.coupon(stockId, code);
  }

  /** One stock as the simulator holds it (its definition and counters) and the codes uploaded to it. */
  stock(stockId: string): { stock: StockRecord; codes: UploadedCodeRecord[] } | undefined {
    const snapshot = this.#ctx.state.toJSON();
    const stock = snapshot.stocks.find((s) => s.stock_id === stockId);
    return stock && { stock, codes: snapshot.codes.filter((c) => c.stock_id === stockId) };
  }

  coupons(filter: { stock_id?: string; user_id?: string; coupon_state?: string } = {}): CouponRecord[] {
    return this.#ctx.state.coupons(filter);
  }

  /** Per-operation counts (state level and HTTP level) and what each request number changed. */
  operations(): { operations: ReturnType<SimContext['state']['operationCounts']>; request_numbers: RequestNumberReport[]; http: Record<string, unknown> } {
    return {
      operations: this.#ctx.state.operationCounts(),
      request_numbers: this.#ctx.state.requestNumbers(),
      http: Object.fromEntries([...this.#ctx.stats].map(([k, v]) => [k, structuredClone(v)])),
    };
  }

  faults(): ReturnType<SimContext['faults']['list']> {
    return this.#ctx.faults.list();
  }

  /** Replaces (or with `append`, extends) the fault rules; a string is the `--faults` syntax. */
  setFaults(rules: FaultRule[] | string, options: { append?: boolean } = {}): ReturnType<SimContext['faults']['list']> {
    const parsed = typeof rules === 'string' ? parseFaultSpec(rules) : rules;
    if (options.append) this.#ctx.faults.add(parsed);
    else this.#ctx.faults.set(parsed);
    return this.faults();
  }

  clearFaults(): void {
    this.#ctx.faults.clear();
  }

  /** Moves the business clock (not the signature clock) and expires what has run out. */
  advanceClock(ms: number): { now: string; expired: number } {
    return this.#ctx.state.advanceClock(ms);
  }

  /** "A customer receives a coupon" through a WeChat channel; notifies like an API send. */
  receiveCoupon(input: ReceiveInput): SimResult {
    const result = this.#ctx.state.receiveCoupon(input);
    this.#ctx.notifier.poll();
    return result;
  }

  /**
   * What WeChat's sending plugin does with the parameters a mini-program passes it: checks them
   * and their APIv2 sign against the sending merchant's APIv2 key, then sends each coupon to the
   * customer. A bad sign sends nothing (docs/wechatpay/busifavor.md#sending-coupons).
   */
  pluginSend(input: {
    params: unknown;
    sign: unknown;
    user_id?: string;
    appid?: string;
    openid?: string;
  }): { ok: true; send_coupon_result: PluginSendResult[] } | { ok: false; code: string; message: string } {
    const params = pluginSendParams.safeParse(input.params);
    if (!params.success) return { ok: false, code: 'PARAM_ERROR', message: `参数错误：${params.error.issues[0]?.path.join('.') ?? ''} ${params.error.issues[0]?.message ?? ''}` };
    const { keys } = this.#ctx;
    // Only the simulator's own merchant has an APIv2 key here.
    if (params.data.send_coupon_merchant !== keys.mchid || keys.apiv2Key === undefined) return { ok: false, code: 'NO_AUTH', message: '发券商户号无发券权限' };
    if (typeof input.sign !== 'string' || !apiV2SignMatches(pluginSignFields(params.data), keys.apiv2Key, input.sign))
      return { ok: false, code: 'SIGN_ERROR', message: '签名错误' };
    const results = this.#ctx.state.pluginSend({
      ...params.data,
      ...(input.user_id !== undefined ? { user_id: input.user_id } : {}),
      ...(input.appid !== undefined ? { appid: input.appid } : {}),
      ...(input.openid !== undefined ? { openid: input.openid } : {}),
    });
    this.#ctx.notifier.poll();
    return { ok: true, send_coupon_result: results };
  }

  deleteCoupon(stockId: string, code: string): SimResult {
    return this.#ctx.state.userDeletesCoupon(stockId, code);
  }

  setStockState(stockId: string, state: ConsoleStockState | null): SimResult {
    return this.#ctx.state.setStockState(stockId, state);
  }

  async rotateCertificate(options: { retireOld?: boolean } = {}): Promise<{ serial: string; previous: string[] }> {
    if (!this.#ctx.signing.servesCertificates) throw new Error('this simulator runs in public-key mode: it has no platform certificates to rotate');
    const rotated = await this.#ctx.signing.rotate(options);
    this.#ctx.saveKeys();
    return rotated;
  }

  /** Empties the state (merchants stay), faults, rate-limit buckets and the notification queue; reseeds unless told not to. */
  reset(options: { seed?: boolean } = {}): unknown {
    this.#ctx.state.reset();
    this.#ctx.faults.clear();
    this.#ctx.rateLimiter.reset();
    this.#ctx.notifier.resync();
    if (options.seed === false) return undefined;
    const summary = this.#ctx.reseed();
    this.#ctx.notifier.resync();
    return summary;
  }

  notifications(): DeliveryRecord[] {
    return this.#ctx.notifier.records();
  }

  waitForNotification(test: (record: DeliveryRecord) => boolean): Promise<DeliveryRecord> {
    return this.#ctx.notifier.waitFor(test);
  }

  settings(change: SimSettings = {}): Required<SimSettings> {
    const { notifier, rateLimiter } = this.#ctx;
    if (change.allow_http_callbacks !== undefined) notifier.allowHttpCallbacks = change.allow_http_callbacks;
    if (change.notify_time_scale !== undefined) {
      if (!(change.notify_time_scale > 0)) throw new Error('notify_time_scale must be positive');
      notifier.timeScale = change.notify_time_scale;
    }
    if (change.rate_limits !== undefined) rateLimiter.enabled = change.rate_limits;
    return { allow_http_callbacks: notifier.allowHttpCallbacks, notify_time_scale: notifier.timeScale, rate_limits: rateLimiter.enabled };
  }

  credentials(): CredentialsLine {
    return this.#ctx.credentials();
  }
}
