// UI test of the cashier's screen in real Chromium on the real loopback web host and router.
// The handlers below are this test's own: they answer fixed scan results so every state of
// the screen can be shown. They are not the till's services and prove nothing about them.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  PosError,
  type CouponView,
  type OrderCoupon,
  type OrderView,
  type QueueItem,
  type QueueSnapshot,
  type Quote,
  type RedeemResult,
  type ScanResult,
  type ShiftView,
  type StockView,
} from '../../shared/contract';
import { EventBus } from '../../electron/host/event-bus';
import { createRouter, type Handlers } from '../../electron/host/router';
import { handlersWith } from '../helpers/handlers';
import { startWebHost, type WebHost } from '../../electron/host/web';
import { silentLogger } from '../../electron/log/logger';
import { launchChromium, reportPath, scannerBurst } from '../helpers/browser';

const stock = (s: Partial<StockView> & Pick<StockView, 'stockId' | 'stockName' | 'stockType'>): StockView => ({
  goodsName: '全场通用',
  transactionMinimumFen: 0,
  stockState: 'RUNNING',
  couponCodeMode: 'MERCHANT_API',
  availableBegin: '2026-01-01T00:00:00+08:00',
  availableEnd: '2026-12-31T23:59:59+08:00',
  ...s,
});
const STOCKS = {
  fullOff: stock({ stockId: '1212000000000001', stockName: '周末满减券', stockType: 'NORMAL', discountAmountFen: 2000, transactionMinimumFen: 10000 }),
  zhe: stock({ stockId: '1212000000000002', stockName: '会员折扣券', stockType: 'DISCOUNT', discountPercent: 88 }),
  swap: stock({ stockId: '1212000000000003', stockName: '咖啡换购券', stockType: 'EXCHANGE', exchangePriceFen: 990, transactionMinimumFen: 3000 }),
};

/** Scanned text → which fixed answer the test handler gives. */
const CODES = {
  fullOff: 'CPN100OFF20',
  numeric: '8800123456',
  zhe: 'ZHE88CODE',
  used: 'USEDCODE01',
  twoStocks: 'TWOSTOCK77',
  offline: 'OFFLINE001',
  slow: 'SLOWCODE99',
  missing: 'NOSUCH0001',
  payment: '134567890123456789',
  guess: 'GUESS00001',
};

const scans: { raw: string; orderAmountFen?: number; orderId?: string; stockId?: string }[] = [];
const redeems: { orderId: string; code: string; stockId: string }[] = [];
let queue: QueueSnapshot;
let shift: ShiftView | null;
let order: OrderView | null;
let releaseSlow: () => void = () => {};

const offFor = (s: StockView, payable: number) =>
  s.stockType === 'NORMAL' ? Math.min(payable, s.discountAmountFen ?? 0) : s.stockType === 'DISCOUNT' ? Math.round((payable * (100 - (s.discountPercent ?? 100))) / 100) : 0;

function couponFor(code: string, s: StockView, payableBefore: number | undefined, state: 'SENDED' | 'USED' = 'SENDED', source: CouponView['source'] = 'wechat'): ScanResult {
  const min = s.transactionMinimumFen;
  const quote: Quote | undefined =
    payableBefore === undefined
      ? undefined
      : payableBefore >= min
        ? {
            qualifies: true,
            discountFen: offFor(s, payableBefore),
            payableBeforeFen: payableBefore,
            payableFen: payableBefore - offFor(s, payableBefore),
            basisFen: payableBefore,
            shortfallFen: 0,
          }
        : { qualifies: false, discountFen: 0, payableBeforeFen: payableBefore, payableFen: payableBefore, basisFen: payableBefore, shortfallFen: min - payableBefore };
  const usable: CouponView['usable'] =
    state !== 'SENDED'
      ? { ok: false, reason: { code: 'COUPON_NOT_USABLE', params: { couponState: state } } }
      : quote && !quote.qualifies
        ? { ok: false, reason: { code: 'BELOW_MINIMUM', params: { minimumFen: min, orderFen: payableBefore ?? 0, shortfallFen: quote.shortfallFen, basis: 'remaining' } } }
        : { ok: true };
  return { kind: 'coupon', coupon: { code, stock: s, state: source === 'none' ? 'UNKNOWN' : state, source, availableStart: null, expire: null, usable, ...(quote && { quote }) } };
}

function publishOrder(o: OrderView): OrderView {
  order = o;
  bus.publish('order.status', o);
  return o;
}

const handlers: Handlers = handlersWith({
  'app.info': async () => ({
    name: '商家券收银台',
    version: '9.9.9',
    mode: 'training',
    host: 'web',
    dataDir: { kind: 'env', path: '/tmp/ui-test' },
    store: { id: 'S001', name: '测试门店' },
    tillId: 'T01',
    largeAmountFen: 200_000,
  }),
  'app.health': async () => ({
    status: 'ok',
    checkedAt: '2026-06-01T10:00:00+08:00',
    checks: [
      { id: 'data_dir', status: 'ok', reason: 'data_dir.writable', detail: '' },
      { id: 'keychain', status: 'ok', reason: 'keychain.reachable', detail: '' },
      { id: 'merchant', status: 'warn', reason: 'merchant.training', detail: '' },
      { id: 'store_preset', status: 'ok', reason: 'store_preset.loaded', detail: '' },
    ],
  }),
  'till.scan': async (input) => {
    scans.push(input);
    const payable = input.orderId && order?.orderId === input.orderId ? order.payableFen : input.orderAmountFen;
    switch (input.raw) {
      case CODES.fullOff:
      case CODES.numeric:
      case CODES.offline:
        return couponFor(input.raw, STOCKS.fullOff, payable);
      case CODES.zhe:
        return couponFor(input.raw, STOCKS.zhe, payable);
      case CODES.used:
        return couponFor(input.raw, STOCKS.fullOff, payable, 'USED');
      case CODES.guess:
        return couponFor(input.raw, STOCKS.fullOff, payable, 'SENDED', 'none');
      case CODES.twoStocks:
        if (input.stockId === STOCKS.swap.stockId) return couponFor(input.raw, STOCKS.swap, payable);
        return { kind: 'choose_stock', code: input.raw, stocks: [STOCKS.fullOff, STOCKS.swap], known: false };
      case CODES.payment:
        return { kind: 'payment_code', reason: { code: 'PAYMENT_CODE', params: {} } };
      case CODES.missing:
        return { kind: 'not_found', code: input.raw, reason: { code: 'STOCK_UNKNOWN', params: {} } };
      case CODES.slow:
        return new Promise<ScanResult>((res) => (releaseSlow = () => res(couponFor(input.raw, STOCKS.zhe, payable))));
      default:
        return { kind: 'invalid', reason: { code: 'ILLEGAL_CHARACTER', params: { position: 4, char: '/', codePoint: 'U+002F' } } };
    }
  },
  'order.current': async () => (order?.status === 'open' ? order : null),
  'order.open': async (input) => {
    if (order?.status === 'open' && order.coupons.length > 0) throw new PosError('STATE_CONFLICT', 'open', { refusal: { code: 'ORDER_OPEN_ELSEWHERE', params: {} } });
    const base = order?.status === 'open' ? order : null;
    return publishOrder({
      orderId: base?.orderId ?? `O-${Date.now()}`,
      tillId: 'T01',
      amountFen: input.amountFen,
      outTradeNo: input.outTradeNo ?? null,
      source: 'till',
      status: 'open',
      coupons: [],
      discountFen: 0,
      payableFen: input.amountFen,
      createdAt: '2026-06-01T10:10:00+08:00',
      closedAt: null,
    });
  },
  'order.finish': async ({ orderId }) => publishOrder({ ...(order as OrderView), orderId, status: 'finished', closedAt: '2026-06-01T10:20:00+08:00' }),
  'order.cancel': async ({ orderId }) => publishOrder({ ...(order as OrderView), orderId, status: 'cancelled', closedAt: '2026-06-01T10:20:00+08:00' }),
  'till.redeem': async (input) => {
    redeems.push(input);
    const current = order as OrderView;
    if (!shift) return { status: 'declined', order: current, reason: { code: 'NO_OPEN_SHIFT', params: { tillId: 'T01' } } };
    const s = input.stockId === STOCKS.zhe.stockId ? STOCKS.zhe : STOCKS.fullOff;
    const offline = input.code === CODES.offline;
    const discount = offFor(s, current.payableFen);
    const n = redeems.length;
    const coupon: OrderCoupon = {
      code: input.code,
      stockId: input.stockId,
      stockName: s.stockName,
      discountFen: discount,
      status: offline ? 'pending' : 'succeeded',
      granted: true,
      offline,
      operationId: `op-${n}`,
      requestNo: `U2026060110150000000${n}`,
      link: current.outTradeNo ? { operationId: `op-link-${n}`, requestNo: `A2026060110150000000${n}`, status: 'succeeded' } : null,
    };
    const updated = publishOrder({ ...current, coupons: [...current.coupons, coupon], discountFen: current.discountFen + discount, payableFen: current.payableFen - discount });
    const item: QueueItem = {
      operationId: `op-${n}`,
      kind: 'use',
      code: input.code,
      stockId: input.stockId,
      requestNo: coupon.requestNo,
      status: coupon.status,
      attempts: 1,
      createdAt: '2026-06-01T10:15:00+08:00',
      orderId: current.orderId,
      outTradeNo: null,
      discountFen: discount,
      training: true,
    };
    queue = { ...queue, pending: queue.pending + (offline ? 1 : 0), items: [item, ...queue.items] };
    bus.publish('queue.status', queue);
    return { status: offline ? 'pending' : 'succeeded', coupon, order: updated } satisfies RedeemResult;
  },
  'queue.list': async () => queue,
  'shift.current': async () => shift,
  'shift.open': async ({ cashierId }) => (shift = { shiftId: 'SH-1', tillId: 'T01', cashierIds: [cashierId], training: true, openedAt: '2026-06-01T09:00:00+08:00' }),
});

const bus = new EventBus();
let browser: Browser;
let host: WebHost;
let page: Page;

const startHost = (h: Handlers, b: EventBus) => startWebHost({ router: createRouter(h, silentLogger), bus: b, log: silentLogger, staticDir: resolve('dist/renderer') });

beforeAll(async () => {
  host = await startHost(handlers, bus);
  browser = await launchChromium();
});
afterAll(async () => {
  releaseSlow();
  await browser?.close();
  await host?.close();
});

/** Opens the till and waits until its first calls have answered, so typing meets a settled page. */
async function openTill(url: string) {
  await page?.close();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.getByTestId('till').waitFor();
  await expect.poll(() => page.getByTestId('queue-panel').getAttribute('data-state')).not.toBe('loading');
  await page.getByTestId('health-status').waitFor();
}
beforeEach(async () => {
  shift = { shiftId: 'SH-0', tillId: 'T01', cashierIds: ['C007'], training: true, openedAt: '2026-06-01T08:30:00+08:00' };
  scans.length = 0;
  redeems.length = 0;
  // The bus replays its latest order.status to a new page: the last test's order is closed first.
  if (order?.status === 'open') publishOrder({ ...order, status: 'finished', closedAt: '2026-06-01T10:30:00+08:00' });
  order = null;
  queue = {
    online: true,
    pending: 1,
    parked: 1,
    items: [
      {
        operationId: 'old-1',
        kind: 'use',
        code: 'OLDPENDING1',
        stockId: STOCKS.fullOff.stockId,
        requestNo: 'R1',
        status: 'pending',
        attempts: 3,
        createdAt: '2026-06-01T09:00:00+08:00',
        orderId: null,
        outTradeNo: null,
        discountFen: 5000,
        training: true,
      },
      {
        operationId: 'old-2',
        kind: 'return',
        code: 'OLDFAILED02',
        stockId: STOCKS.fullOff.stockId,
        requestNo: 'R2',
        status: 'parked',
        attempts: 5,
        createdAt: '2026-06-01T08:00:00+08:00',
        orderId: null,
        outTradeNo: null,
        training: true,
      },
    ],
  };
  await openTill(host.launchUrl);
});

/** A USB scanner: the whole code a few ms per key, then Enter (event times fixed, so load cannot slow it). */
const scannerTypes = (code: string) => scannerBurst(page, code);
const text = (id: string) => page.getByTestId(id).textContent({ timeout: 2_000 });
const outcomeKind = () => page.getByTestId('scan-outcome').getAttribute('data-kind');

describe('cashier screen (UI test with fixed handler answers)', () => {
  it('scans with focus anywhere, shows the coupon, quotes the order, blocks below the threshold, redeems with Enter, updates the queue', async () => {
    await expect.poll(() => text('queue-pending')).toBe('1');
    expect(await text('queue-attention')).toBe('1');
    // Nothing focused: the burst is still caught.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await scannerTypes(CODES.fullOff);
    await expect.poll(outcomeKind).toBe('coupon');
    expect(scans[0]).toEqual({ raw: CODES.fullOff });
    expect(await text('coupon-value')).toBe('满100减20');
    expect(await text('coupon-stock-name')).toBe('周末满减券');
    expect(await text('coupon-threshold')).toBe('订单满 ¥100.00');
    expect(await text('coupon-validity')).toBe('2026-01-01 00:00 至 2026-12-31 23:59');
    expect(await text('coupon-usable')).toContain('可以使用（已向微信支付核实）');
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    expect(await text('redeem-block')).toBe('请先输入订单金额');

    // The coupon moved the focus to the amount; a person types slowly and keeps every key.
    await page.keyboard.type('80', { delay: 120 });
    expect(await page.getByTestId('amount-input').inputValue()).toBe('80');
    await expect.poll(() => text('quote-shortfall')).toBe('还差 ¥20.00 才能使用');
    // One verdict: below the threshold the card never says usable.
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('blocked');
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    expect(await text('redeem-block')).toBe('订单未达到使用门槛');
    await page.screenshot({ path: reportPath('till-ui-below-threshold-zh.png') });

    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('128.5', { delay: 120 });
    await expect.poll(() => text('quote-payable')).toBe('¥108.50');
    expect(await text('quote-discount')).toBe('-¥20.00');
    expect(await text('quote-order')).toBe('¥128.50');
    expect(await page.getByTestId('redeem-button').isEnabled()).toBe(true);
    await page.screenshot({ path: reportPath('till-ui-zh.png') });

    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status')).toBe('succeeded');
    expect(redeems).toEqual([{ orderId: order?.orderId, code: CODES.fullOff, stockId: STOCKS.fullOff.stockId }]);
    expect(await text('redeem-detail')).toBe('本券优惠 ¥20.00，订单应付 ¥108.50');
    // The card shows the outcome, not the state the coupon had before.
    expect(await page.getByTestId('coupon-stamp').getAttribute('data-outcome')).toBe('redeemed');
    expect(await text('coupon-state')).toBe('本次已核销');
    // What to charge is on the order panel; the amount is locked to the open order.
    expect(await text('order-payable')).toBe('¥108.50');
    expect(await page.getByTestId('amount-input').inputValue()).toBe('128.50');
    expect(await page.getByTestId('amount-input').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('redeemed');
    // Pressing Enter again cannot redeem the same coupon twice.
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    await page.keyboard.press('Enter');
    expect(redeems).toHaveLength(1);
    // The queue.status event reached the panel.
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(3);
    expect(await page.getByTestId('queue-item').first().textContent()).toContain(CODES.fullOff);
    await page.screenshot({ path: reportPath('till-ui-redeemed-zh.png') });

    // A second coupon goes on the same order and is quoted against what is left to pay.
    await scannerTypes(CODES.zhe);
    await expect.poll(() => text('coupon-value')).toBe('8.8折');
    expect(scans.at(-1)).toEqual({ raw: CODES.zhe, orderId: order?.orderId });
    // 12% of ¥108.50 is ¥13.02.
    expect(await text('quote-payable')).toBe('¥95.48');
    await page.keyboard.press('Enter');
    await expect.poll(() => text('order-payable')).toBe('¥95.48');
    expect(await page.getByTestId('order-coupon').count()).toBe(2);
    await page.screenshot({ path: reportPath('till-ui-order-two-coupons-zh.png') });

    // Esc: the order is finished, what to charge stays on screen, and the next customer starts.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('order-panel').getAttribute('data-status')).toBe('finished');
    expect(await text('order-payable')).toBe('¥95.48');
    expect(await page.getByTestId('amount-input').inputValue()).toBe('');
    expect(await outcomeKind()).toBe('idle');
    await page.keyboard.type('20', { delay: 120 });
    await expect.poll(() => page.getByTestId('order-panel').getAttribute('data-status')).toBe('none');
  });

  it('a coupon the till could not check with WeChat Pay is marked unverified, in amber, without the success sound', async () => {
    await page.keyboard.type('150', { delay: 120 });
    await scannerTypes(CODES.guess);
    await expect.poll(outcomeKind).toBe('coupon');
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('unverified');
    expect(await text('coupon-usable')).toContain('未核实');
    expect(await text('coupon-state')).not.toContain('可以使用');
    expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('attention');
    await page.screenshot({ path: reportPath('till-ui-unverified-zh.png') });
  });

  it('links each coupon to the WeChat Pay order number typed from the register receipt', async () => {
    await page.keyboard.type('250', { delay: 60 });
    // F6, then the register receipt's barcode: scanned into that field it is the order number, not a coupon.
    await page.keyboard.press('F6');
    await scannerTypes('T2026060100099');
    await expect.poll(() => page.getByTestId('order-no-input').inputValue()).toBe('T2026060100099');
    expect(scans).toEqual([]);
    await page.keyboard.press('F2');
    await scannerTypes(CODES.fullOff);
    await expect.poll(() => page.getByTestId('redeem-button').isEnabled()).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-link').getAttribute('data-status')).toBe('linked');
    expect(await text('redeem-link')).toBe('已关联微信支付订单 T2026060100099');
    expect(order).toMatchObject({ outTradeNo: 'T2026060100099', amountFen: 25000 });
    expect(await text('order-no')).toBe('微信支付订单号 T2026060100099');
  });

  it('takes a burst back out of the amount field it landed in', async () => {
    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('128', { delay: 120 });
    await scannerTypes(CODES.numeric);
    await expect.poll(outcomeKind).toBe('coupon');
    expect(await page.getByTestId('amount-input').inputValue()).toBe('128');
    expect(scans[0]).toEqual({ raw: CODES.numeric, orderAmountFen: 12800 });
    expect(await page.getByTestId('amount-input').inputValue()).toBe('128');
    // The service's quote for that amount is what the card shows.
    expect(await text('quote-payable')).toBe('¥108.00');
  });

  it('warns that a payment code is not a coupon, and says why other scans fail', async () => {
    await scannerTypes(CODES.payment);
    await expect.poll(outcomeKind).toBe('payment_code');
    expect(await text('payment-code-warning')).toContain('这是付款码，不是优惠券');
    expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('attention');
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    await page.screenshot({ path: reportPath('till-ui-payment-code-zh.png') });

    await scannerTypes(CODES.missing);
    await expect.poll(outcomeKind).toBe('not_found');
    expect(await text('scan-reason')).toBe('无法确定这张券属于哪个批次，请选择批次后再核销');

    await scannerTypes('BAD/CODE#1');
    await expect.poll(outcomeKind).toBe('invalid');
    expect(await text('scan-reason')).toContain('第 4 个字符“/”（U+002F）不能出现在券码中');
    expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('refused');

    await scannerTypes(CODES.used);
    await expect.poll(outcomeKind).toBe('coupon');
    // The state in plain words, never WeChat's raw USED.
    expect(await text('coupon-usable')).toBe('✘ 不能使用：这张券已核销，不能核销');
    expect(await text('coupon-state')).toContain('已核销');
    await page.keyboard.type('200', { delay: 120 });
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
  });

  it('lets the cashier pick the stock with the arrow keys, then quotes a discount coupon typed by hand', async () => {
    await page.keyboard.type('50', { delay: 120 });
    await scannerTypes(CODES.twoStocks);
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    expect(await text('redeem-block')).toBe('请先选择批次');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(outcomeKind).toBe('coupon');
    expect(scans.at(-1)).toEqual({ raw: CODES.twoStocks, stockId: STOCKS.swap.stockId, orderAmountFen: 5000 });
    expect(await text('coupon-value')).toBe('换购价 ¥9.90');

    // F1 goes to the code field; a person types there slowly and submits with Enter.
    await page.keyboard.press('F1');
    await page.keyboard.type(CODES.zhe, { delay: 90 });
    await page.keyboard.press('Enter');
    await expect.poll(() => text('coupon-value')).toBe('8.8折');
    expect(await text('coupon-threshold')).toBe('无门槛');
    // 50.00 × 12% = 6.00 off.
    await expect.poll(() => text('quote-payable')).toBe('¥44.00');
    await page.keyboard.press('Escape');
    await expect.poll(outcomeKind).toBe('idle');
  });

  it('shows an offline redemption as pending (待确认), and the English screen', async () => {
    await page.keyboard.type('150', { delay: 120 });
    await scannerTypes(CODES.offline);
    await expect.poll(() => page.getByTestId('redeem-button').isEnabled()).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status')).toBe('pending');
    expect(await text('redeem-feedback')).toContain('离线受理');
    await expect.poll(() => text('queue-pending')).toBe('2');

    await page.keyboard.press('F9');
    await expect.poll(() => text('app-name')).toBe('Merchant Coupon Till');
    expect(await text('redeem-feedback')).toContain('Accepted offline');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('order-panel').getAttribute('data-status')).toBe('finished');
    await page.keyboard.type('150', { delay: 120 });
    await scannerTypes(CODES.fullOff);
    await expect.poll(() => text('coupon-value')).toBe('¥20 off ¥100+');
    expect(await text('quote-payable')).toBe('¥130.00');
    await page.screenshot({ path: reportPath('till-ui-en.png') });
    await page.keyboard.press('F9');
    await expect.poll(() => text('app-name')).toBe('商家券收银台');
  });

  it('asks for a shift first when none is open, and opens it from the keyboard', async () => {
    shift = null;
    await openTill(host.launchUrl);
    await page.getByTestId('shift-bar').waitFor();
    // The cashier ID field has the focus; an invalid ID is refused with a sentence.
    await page.keyboard.type('C 01', { delay: 90 });
    await page.keyboard.press('Enter');
    await expect.poll(() => text('shift-bar')).toContain('工号只能是');
    await page.getByTestId('cashier-input').fill('');
    await page.keyboard.type('C001', { delay: 90 });
    await page.keyboard.press('F2');
    await page.keyboard.type('150', { delay: 120 });
    await scannerTypes(CODES.fullOff);
    await expect.poll(outcomeKind).toBe('coupon');
    expect(await text('redeem-block')).toBe('请先开班');
    await page.screenshot({ path: reportPath('till-ui-no-shift-zh.png') });
    await page.keyboard.press('F3');
    await page.keyboard.press('Enter');
    await expect.poll(() => text('shift-line')).toBe('班次进行中 · 收银员 C001 · 2026-06-01 09:00 开班');
    expect(await page.getByTestId('redeem-button').isEnabled()).toBe(true);
  });

  it('says in a sentence when the till services are not provisioned', async () => {
    // As the main process answers today: till and queue methods refuse with NOT_PROVISIONED.
    const notProvisioned = async (): Promise<never> => {
      throw new PosError('NOT_PROVISIONED', 'till services are not running');
    };
    const bare = await startHost(
      { ...handlers, 'till.scan': notProvisioned, 'till.redeem': notProvisioned, 'queue.list': notProvisioned, 'shift.current': notProvisioned, 'shift.open': notProvisioned },
      new EventBus(),
    );
    try {
      await openTill(bare.launchUrl);
      expect(await text('queue-error')).toContain('收银服务尚未就绪');
      await scannerTypes(CODES.fullOff);
      await expect.poll(outcomeKind).toBe('error');
      expect(await page.getByTestId('scan-outcome').getAttribute('data-code')).toBe('NOT_PROVISIONED');
      expect(await text('scan-outcome')).toContain('收银服务尚未就绪');
      expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('refused');
    } finally {
      await page.close();
      await bare.close();
    }
  });

  it('a scanner burst that arrives while the page is busy is still one code', async () => {
    // The page's main thread is stalled for half a second while the scanner types: the keys
    // wait in the browser's queue and arrive late, with the times the keyboard made them.
    const stall = page.evaluate(() => {
      const end = performance.now() + 500;
      while (performance.now() < end) {
        // busy: as a slow render or a garbage collection would be
      }
    });
    await scannerBurst(page, CODES.fullOff);
    await stall;
    await expect.poll(outcomeKind).toBe('coupon');
    expect(scans).toEqual([{ raw: CODES.fullOff }]);
  });

  it('never freezes: a slow scan shows busy, then a timeout sentence, then the late answer', async () => {
    await scannerTypes(CODES.slow);
    await expect.poll(outcomeKind).toBe('busy');
    await expect.poll(outcomeKind, { timeout: 20_000 }).toBe('timeout');
    expect(await text('scan-outcome')).toContain('秒内没有回应');
    releaseSlow();
    await expect.poll(outcomeKind).toBe('coupon');
    expect(await text('coupon-value')).toBe('8.8折');
  });
});
