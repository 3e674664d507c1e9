// UI test of the cashier's screen in real Chromium on the real loopback web host and router.
// The handlers below are this test's own: they answer fixed scan results so every state of
// the screen can be shown. They are not the till's services and prove nothing about them.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PosError, type QueueItem, type QueueSnapshot, type RedeemResult, type ScanResult, type ShiftView, type StockView } from '../../shared/contract';
import { EventBus } from '../../electron/host/event-bus';
import { createRouter, type Handlers } from '../../electron/host/router';
import { handlersWith } from '../helpers/handlers';
import { startWebHost, type WebHost } from '../../electron/host/web';
import { silentLogger } from '../../electron/log/logger';
import { launchChromium, reportPath } from '../helpers/browser';

const stock = (s: Partial<StockView> & Pick<StockView, 'stockId' | 'stockName' | 'stockType'>): StockView => ({
  goodsName: '全场通用',
  transactionMinimumFen: 0,
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
const CODES = { fullOff: 'CPN100OFF20', numeric: '8800123456', zhe: 'ZHE88CODE', used: 'USEDCODE01', twoStocks: 'TWOSTOCK77', offline: 'OFFLINE001', slow: 'SLOWCODE99', missing: 'NOSUCH0001', payment: '134567890123456789' };

const scans: { raw: string; orderAmountFen?: number; stockId?: string }[] = [];
const redeems: { code: string; stockId: string; orderAmountFen: number }[] = [];
let queue: QueueSnapshot;
let shift: ShiftView | null;
let releaseSlow: () => void = () => {};

function couponFor(code: string, s: StockView, orderAmountFen: number | undefined, state: 'SENDED' | 'USED' = 'SENDED'): ScanResult {
  const usable = state === 'SENDED' ? { ok: true } : { ok: false, reason: { code: 'COUPON_NOT_USABLE', zh: '这张券已经核销过了', en: 'This coupon was already redeemed' } };
  const min = s.transactionMinimumFen;
  const offFor = (order: number) => (s.stockType === 'NORMAL' ? (s.discountAmountFen ?? 0) : s.stockType === 'DISCOUNT' ? Math.round((order * (100 - (s.discountPercent ?? 100))) / 100) : 0);
  const quote =
    orderAmountFen === undefined
      ? undefined
      : orderAmountFen >= min
        ? { qualifies: true, discountFen: offFor(orderAmountFen), payableFen: orderAmountFen - offFor(orderAmountFen), shortfallFen: 0 }
        : { qualifies: false, discountFen: 0, payableFen: orderAmountFen, shortfallFen: min - orderAmountFen };
  return { kind: 'coupon', coupon: { code, stock: s, state, usable, source: 'wechat', ...(quote && { quote }) } };
}

const handlers: Handlers = handlersWith({
  'app.info': async () => ({ name: '商家券收银台', version: '9.9.9', mode: 'training', host: 'web', dataDir: { kind: 'env', path: '/tmp/ui-test' }, store: { id: 'S001', name: '测试门店' } }),
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
    const amount = input.orderAmountFen;
    switch (input.raw) {
      case CODES.fullOff:
      case CODES.numeric:
      case CODES.offline:
        return couponFor(input.raw, STOCKS.fullOff, amount);
      case CODES.zhe:
        return couponFor(input.raw, STOCKS.zhe, amount);
      case CODES.used:
        return couponFor(input.raw, STOCKS.fullOff, amount, 'USED');
      case CODES.twoStocks:
        if (input.stockId === STOCKS.swap.stockId) return couponFor(input.raw, STOCKS.swap, amount);
        return { kind: 'choose_stock', code: input.raw, stocks: [STOCKS.fullOff, STOCKS.swap] };
      case CODES.payment:
        return { kind: 'payment_code', reason: { code: 'PAYMENT_CODE', zh: '这是付款码，不是优惠券。', en: 'This is a payment code, not a coupon.' } };
      case CODES.missing:
        return { kind: 'not_found', code: input.raw, reason: { code: 'NOT_FOUND', zh: '本店的批次里没有这张券。', en: 'No stock of this store has this coupon.' } };
      case CODES.slow:
        return new Promise<ScanResult>((res) => (releaseSlow = () => res(couponFor(input.raw, STOCKS.zhe, amount))));
      default:
        return { kind: 'invalid', reason: { code: 'ILLEGAL_CHARACTER', zh: '券码中有不能出现的字符。', en: 'The code has a character a coupon code cannot have.' } };
    }
  },
  'till.redeem': async (input) => {
    redeems.push(input);
    if (!shift) return { status: 'refused', discountFen: 0, payableFen: input.orderAmountFen, offline: false, reason: { code: 'NO_OPEN_SHIFT', zh: '本收银台没有进行中的班次，请先开班', en: 'This till has no open shift; open a shift first' } };
    const offline = input.code === CODES.offline;
    const result: RedeemResult = {
      operationId: `op-${redeems.length}`,
      requestNo: `REQ${String(redeems.length).padStart(6, '0')}`,
      status: offline ? 'pending' : 'done',
      discountFen: 2000,
      payableFen: input.orderAmountFen - 2000,
      offline,
    };
    const item: QueueItem = { operationId: `op-${redeems.length}`, kind: 'use', code: input.code, stockId: input.stockId, requestNo: `REQ${redeems.length}`, status: offline ? 'pending' : 'done', attempts: 1, createdAt: '2026-06-01T10:15:00+08:00', amountFen: 2000, training: true };
    queue = { ...queue, pending: queue.pending + (offline ? 1 : 0), items: [item, ...queue.items] };
    bus.publish('queue.status', queue);
    return result;
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
  queue = {
    online: true,
    pending: 1,
    needsAttention: 1,
    items: [
      { operationId: 'old-1', kind: 'use', code: 'OLDPENDING1', stockId: STOCKS.fullOff.stockId, requestNo: 'R1', status: 'pending', attempts: 3, createdAt: '2026-06-01T09:00:00+08:00', amountFen: 5000, training: true },
      { operationId: 'old-2', kind: 'return', code: 'OLDFAILED02', stockId: STOCKS.fullOff.stockId, requestNo: 'R2', status: 'needs_attention', attempts: 5, createdAt: '2026-06-01T08:00:00+08:00', training: true },
    ],
  };
  await openTill(host.launchUrl);
});

/** A USB scanner: the whole code a few ms per key, then Enter. */
async function scannerTypes(code: string) {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}
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
    expect(await text('coupon-usable')).toContain('可以使用');
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    expect(await text('redeem-block')).toBe('请先输入订单金额');

    // The coupon moved the focus to the amount; a person types slowly and keeps every key.
    await page.keyboard.type('80', { delay: 120 });
    expect(await page.getByTestId('amount-input').inputValue()).toBe('80');
    await expect.poll(() => text('quote-shortfall')).toBe('还差 ¥20.00 才能使用');
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
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status')).toBe('done');
    expect(redeems).toEqual([{ code: CODES.fullOff, stockId: STOCKS.fullOff.stockId, orderAmountFen: 12850 }]);
    expect(await text('redeem-detail')).toBe('优惠 ¥20.00，顾客应付 ¥108.50');
    expect(await text('coupon-stamp')).toBe('核销成功');
    // The amount stays as the record of this order; what is typed next replaces it.
    expect(await page.getByTestId('amount-input').inputValue()).toBe('128.5');
    expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('success');
    // Pressing Enter again cannot redeem the same coupon twice.
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    await page.keyboard.press('Enter');
    expect(redeems).toHaveLength(1);
    // The queue.status event reached the panel.
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(3);
    expect(await page.getByTestId('queue-item').first().textContent()).toContain(CODES.fullOff);
    await page.screenshot({ path: reportPath('till-ui-redeemed-zh.png') });
  });

  it('takes a burst back out of the amount field it landed in', async () => {
    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('128', { delay: 120 });
    await scannerTypes(CODES.numeric);
    await expect.poll(outcomeKind).toBe('coupon');
    expect(await page.getByTestId('amount-input').inputValue()).toBe('128');
    expect(scans[0]).toEqual({ raw: CODES.numeric, orderAmountFen: 12800 });
    // The service's quote for that amount is what the card shows.
    expect(await text('quote-payable')).toBe('¥108.00');
  });

  it('warns that a payment code is not a coupon, and says why other scans fail', async () => {
    await scannerTypes(CODES.payment);
    await expect.poll(outcomeKind).toBe('payment_code');
    expect(await text('payment-code-warning')).toContain('这是付款码，不是优惠券');
    expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('warn');
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    await page.screenshot({ path: reportPath('till-ui-payment-code-zh.png') });

    await scannerTypes(CODES.missing);
    await expect.poll(outcomeKind).toBe('not_found');
    expect(await text('scan-reason')).toBe('本店的批次里没有这张券。');

    await scannerTypes('BAD/CODE#1');
    await expect.poll(outcomeKind).toBe('invalid');
    expect(await text('scan-reason')).toBe('券码中有不能出现的字符。');
    expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('fail');

    await scannerTypes(CODES.used);
    await expect.poll(outcomeKind).toBe('coupon');
    expect(await text('coupon-usable')).toBe('✘ 不能使用：这张券已经核销过了');
    expect(await text('coupon-state')).toBe('已核销');
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
    expect(await text('redeem-feedback')).toContain('待确认');
    await expect.poll(() => text('queue-pending')).toBe('2');

    await page.keyboard.press('F9');
    await expect.poll(() => text('app-name')).toBe('Merchant Coupon Till');
    expect(await text('redeem-feedback')).toContain('Pending');
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
      expect(await page.getByTestId('till').getAttribute('data-tone')).toBe('fail');
    } finally {
      await page.close();
      await bare.close();
    }
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
