// A new cashier's training day on the web host, bullet by bullet from what went wrong (issue
// 12): a mistyped code, a card that contradicted itself, keys and focus, sounds, wording, what
// to charge, and a 待确认 banner that outlived its operation. Real web host process, embedded
// simulator, real Chromium at 1024×768; every scan is a scanner burst.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scannerBurst } from '../helpers/browser';
import { focusedTestId, freshCoupons, openShift, openTillPage, outcomeKind, scan, startOrder, startTrainingTill, tonesPlayed, type TrainingTill } from '../helpers/training-till';

let till: TrainingTill;
let page: Page;
const text = async (id: string) => (await page.getByTestId(id).textContent({ timeout: 5_000 })) ?? '';
const SHOWN = 1040;
const REDEEMED = [880, 1320];
const REFUSED = 196;
const ATTENTION = 660;

beforeAll(async () => {
  till = await startTrainingTill();
  page = await openTillPage(till, { width: 1024, height: 768 });
  await openShift(page);
}, 90_000);
afterAll(async () => {
  await till?.close();
});
beforeEach(async () => {
  // Each case starts as the next customer would: Esc, nothing on screen.
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('amount-input').inputValue()).toBe('');
  await expect.poll(() => outcomeKind(page)).toBe('idle');
  await tonesPlayed(page);
});

describe('a new cashier on the training till', () => {
  it('a code one digit off a real one is never shown as usable and never chimes; the chooser says it may be mistyped', async () => {
    const real = freshCoupons(till.seed(), 'NORMAL', 'MERCHANT_API')[0]!.coupon_code;
    const typo = real.slice(0, -1) + String((Number(real.at(-1)) + 1) % 10);
    await startOrder(page, '88');
    await tonesPlayed(page);
    await scan(page, typo, /choose_stock/);
    expect(await text('chooser-unknown')).toContain('可能输错');
    // Stocks are told apart by name and value, not by 16-digit ids.
    expect(await text('scan-outcome')).not.toMatch(/\d{16}/);
    expect(await tonesPlayed(page)).toEqual([ATTENTION, ATTENTION]);
    await page.keyboard.press('Enter');
    await expect.poll(() => outcomeKind(page)).toBe('coupon');
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('unverified');
    expect(`${await text('scan-outcome')} ${await text('redeem-button')}`).not.toContain('可以使用');
    // The button says what will happen: WeChat Pay decides.
    expect(await text('redeem-button')).toContain('提交核销');
    const played = await tonesPlayed(page);
    expect(played).not.toContain(SHOWN);
    expect(played).not.toContain(REDEEMED[1]);
    // Sent anyway, WeChat Pay refuses it: the card says so, with the refusal sound.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('refused');
    expect(await tonesPlayed(page)).toEqual([REFUSED]);
    // The same code in lower case is just as unknown, and said so.
    await scan(page, real.toLowerCase(), /choose_stock/);
    expect(await page.getByTestId('chooser-unknown').isVisible()).toBe(true);
  }, 90_000);

  it('the card never contradicts itself: below the threshold, after redeeming, used, expired, exchange', async () => {
    const seed = till.seed();
    const [normal] = freshCoupons(seed, 'NORMAL', 'WECHATPAY_MODE');
    await startOrder(page, '30');
    await scan(page, normal!.coupon_code, /coupon/);
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('blocked');
    expect(await text('scan-outcome')).not.toContain('可以使用');
    expect(await page.getByTestId('quote').getAttribute('class')).toContain('short');
    expect(await text('redeem-block')).toBe('订单未达到使用门槛');

    await page.keyboard.press('Escape');
    await startOrder(page, '88');
    await scan(page, normal!.coupon_code, /coupon/);
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('verified');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    // After 核销成功 the card shows the outcome, not the state it had.
    expect(await text('coupon-state')).toBe('本次已核销');
    expect(await text('scan-outcome')).not.toMatch(/已发放，未使用|可以使用/);
    expect(await page.getByTestId('coupon-stamp').getAttribute('data-outcome')).toBe('redeemed');

    // Used and expired coupons: no green box, no discount, WeChat's state in plain words.
    for (const c of [seed.coupons.USED[0]!, seed.coupons.EXPIRED[0]!]) {
      await scan(page, c.coupon_code, /coupon/);
      expect(await page.getByTestId('quote').getAttribute('class')).toContain('short');
      expect(await page.getByTestId('quote').textContent()).not.toMatch(/-¥/);
      expect(await text('coupon-usable')).toMatch(/已核销|已过期/);
      expect(await text('scan-outcome')).not.toMatch(/USED|EXPIRED/);
    }

    // An exchange coupon takes nothing off: the price to charge for the item is what is shown.
    await page.keyboard.press('Escape');
    await startOrder(page, '50');
    await scan(page, freshCoupons(seed, 'EXCHANGE', 'MERCHANT_API')[0]!.coupon_code, /coupon/);
    expect(await text('quote-exchange-price')).toBe('¥1.00');
    expect(await text('quote')).not.toContain('-¥0.00');
  }, 90_000);

  it('keys: Enter after the amount opens the order, Esc clears it for the next customer, F1 gives the focus back to the amount, a large amount is asked once', async () => {
    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('88', { delay: 60 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('order-panel').getAttribute('data-status')).toBe('open');
    expect(await text('order-payable')).toBe('¥88.00');
    // Esc: a new customer; the next digits start a new amount (never ¥88 → ¥6088).
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('amount-input').inputValue()).toBe('');
    expect(await focusedTestId(page)).toBe('amount-input');
    await page.keyboard.type('60', { delay: 60 });
    expect(await page.getByTestId('amount-input').inputValue()).toBe('60');

    // F1, a code typed by hand, Enter: the focus is back in the amount.
    await page.keyboard.press('F1');
    expect(await focusedTestId(page)).toBe('scan-input');
    await page.keyboard.type(freshCoupons(till.seed(), 'DISCOUNT', 'MERCHANT_API')[0]!.coupon_code, { delay: 70 });
    await page.keyboard.press('Enter');
    await expect.poll(() => outcomeKind(page), { timeout: 20_000 }).toBe('coupon');
    expect(await focusedTestId(page)).toBe('amount-input');

    // ¥6088: asked once, in words; Enter confirms it, the next Enter goes on.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('amount-input').inputValue()).toBe('');
    await page.keyboard.type('6088', { delay: 60 });
    await expect.poll(() => text('amount-note')).toContain('比本店平常的单子大很多');
    await page.keyboard.press('Enter');
    await expect.poll(() => text('amount-note')).toBe('订单金额 ¥6088.00');
    expect(await page.getByTestId('order-panel').getAttribute('data-status')).toBe('none');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('order-panel').getAttribute('data-status')).toBe('open');
  }, 90_000);

  it('sounds: coupon shown, redeemed, refused and needs attention are four different tones; the till can be muted', async () => {
    await startOrder(page, '88');
    await scan(page, freshCoupons(till.seed(), 'NORMAL', 'MERCHANT_UPLOAD')[0]!.coupon_code, /coupon/);
    expect(await tonesPlayed(page)).toEqual([SHOWN]);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    expect(await tonesPlayed(page)).toEqual(REDEEMED);
    await scan(page, till.seed().coupons.USED[1]!.coupon_code, /coupon/);
    expect(await tonesPlayed(page)).toEqual([REFUSED]);
    await scan(page, '134567890123456789', /payment_code/);
    expect(await tonesPlayed(page)).toEqual([ATTENTION, ATTENTION]);

    await page.getByTestId('sound-toggle').click();
    expect(await page.getByTestId('sound-toggle').getAttribute('aria-pressed')).toBe('false');
    await scan(page, till.seed().coupons.USED[2]!.coupon_code, /coupon/);
    await scannerBurst(page, '134567890123456789');
    await expect.poll(() => outcomeKind(page)).toBe('payment_code');
    expect(await tonesPlayed(page)).toEqual([]);
    await page.getByTestId('sound-toggle').click();
  }, 90_000);

  it('what to charge is the biggest number on screen; our request number is not mistaken for the order number; English reads English', async () => {
    await startOrder(page, '88');
    await scan(page, freshCoupons(till.seed(), 'DISCOUNT', 'WECHATPAY_MODE')[0]!.coupon_code, /coupon/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    const sizes = await page.evaluate(() => {
      const size = (el: Element | null) => (el ? parseFloat(getComputedStyle(el).fontSize) : 0);
      let largestElsewhere = 0;
      const payable = document.querySelector('[data-testid="order-payable"]');
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
        if (el === payable || !ownText) continue;
        largestElsewhere = Math.max(largestElsewhere, size(el));
      }
      return { payable: size(payable), largestElsewhere };
    });
    expect(sizes.payable).toBeGreaterThan(sizes.largestElsewhere);
    const requestNo = await page.locator('.request-no').textContent();
    expect(requestNo).toContain('本机请求号');
    expect(requestNo).toContain('不是订单号');
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('Merchant Coupon Till');
    expect(await text('scan-outcome')).toContain('All items');
    expect(await text('scan-outcome')).not.toContain('全场通用');
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('商家券收银台');
  }, 90_000);

  it('a 待确认 answer clears once WeChat Pay confirms it; the first screen shows no unexplained warning', async () => {
    expect(await text('health-status')).toBe('正常');
    // WeChat Pay answers the next redemption only after 9 s: the cashier waits a few seconds, no more.
    await till.simFaults('coupons.use:before:latency=9000x1');
    await startOrder(page, '88');
    await scan(page, freshCoupons(till.seed(), 'NORMAL', 'MERCHANT_API')[1]!.coupon_code, /coupon/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('pending');
    expect(await text('redeem-feedback')).toContain('待确认');
    // The answer arrives: the banner follows the operation, as the queue does.
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await text('redeem-feedback')).not.toContain('待确认');
    await expect.poll(() => text('queue-pending')).toBe('0');
  }, 90_000);
});
