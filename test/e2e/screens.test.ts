// Every state of the till a cashier or a manager meets, at 1024×768 and 1366×768, in Chinese
// and English, on the training web host: a screenshot of each under reports/, and for each the
// page must not scroll, nothing may spill or overlap, what the cashier needs must be on screen,
// names must not be cut, and every text must meet WCAG AA contrast (axe-core).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCANNER_TEST_CODE } from '../../renderer/scan/scanner-check';
import { reportPath, scannerBurst } from '../helpers/browser';
import { contrastFailures, layoutReport } from '../helpers/screen-checks';
import { freshCoupons, openShift, openTillPage, outcomeKind, scan, startOrder, startTrainingTill, type TrainingTill } from '../helpers/training-till';

let till: TrainingTill;
beforeAll(async () => {
  till = await startTrainingTill();
}, 90_000);
afterAll(async () => {
  await till?.close();
});

type Lang = 'zh-CN' | 'en';
const COMBOS: [number, number, Lang][] = [
  [1024, 768, 'zh-CN'],
  [1024, 768, 'en'],
  [1366, 768, 'zh-CN'],
  [1366, 768, 'en'],
];

/** Screenshots a state and notes whatever is wrong with it. */
async function check(page: Page, state: string, tag: string, problems: string[]): Promise<void> {
  // Let the last frame settle (fonts, the queue's and health's updates).
  await page.waitForTimeout(250);
  await page.screenshot({ path: reportPath(`screens-${tag}-${state}.png`) });
  const r = await layoutReport(page);
  if (r.scrolls) problems.push(`${state}: the page scrolls`);
  for (const s of r.spills) problems.push(`${state}: spills ${s}`);
  for (const o of r.overlaps) problems.push(`${state}: overlap ${o}`);
  for (const o of r.offScreen) problems.push(`${state}: off screen ${o}`);
  for (const c of r.cut) problems.push(`${state}: cut ${c}`);
  for (const c of await contrastFailures(page)) problems.push(`${state}: contrast ${c}`);
}

const feedbackStatus = (page: Page) => page.getByTestId('redeem-feedback').getAttribute('data-status');

describe('the till’s screens at 1024×768 and 1366×768, zh and en', () => {
  it.each(COMBOS)(
    '%i×%i %s: no state scrolls, spills, overlaps, cuts a name or fails AA contrast',
    async (width, height, lang) => {
      const tag = `${width}x${height}-${lang}`;
      const problems: string[] = [];
      const page = await openTillPage(till, { width, height }, lang);
      try {
        // The first size opens the shift; the others find it open.
        await expect.poll(async () => (await page.getByTestId('cashier-input').isVisible()) || (await page.getByTestId('shift-line').isVisible()), { timeout: 30_000 }).toBe(true);
        if (await page.getByTestId('cashier-input').isVisible()) {
          await check(page, 'no-shift', tag, problems);
          await openShift(page);
        }
        await check(page, 'idle', tag, problems);
        const seed = till.seed();

        await startOrder(page, '88');
        await check(page, 'order-open', tag, problems);
        const [first, second, third] = [freshCoupons(seed, 'NORMAL'), freshCoupons(seed, 'DISCOUNT'), freshCoupons(seed, 'EXCHANGE')];
        const used = new Set<string>();
        const pick = (list: typeof first) => {
          const c = list.find((x) => !used.has(x.coupon_code) && !usedElsewhere.has(x.coupon_code))!;
          used.add(c.coupon_code);
          usedElsewhere.add(c.coupon_code);
          return c.coupon_code;
        };
        await scan(page, pick(first), /coupon|choose_stock/);
        if ((await outcomeKind(page)) === 'choose_stock') await page.keyboard.press('Enter');
        await expect.poll(() => outcomeKind(page)).toBe('coupon');
        await check(page, 'card', tag, problems);
        await page.keyboard.press('Enter');
        await expect.poll(() => feedbackStatus(page), { timeout: 20_000 }).toBe('succeeded');
        await check(page, 'success', tag, problems);
        await scan(page, pick(second), /coupon/);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('order-coupon').count(), { timeout: 20_000 }).toBe(2);
        await check(page, 'order-two-coupons', tag, problems);

        // Each kind of refusal.
        await scan(page, seed.coupons.USED[0]!.coupon_code, /coupon/);
        await check(page, 'refusal-used', tag, problems);
        await scan(page, seed.coupons.EXPIRED[1]!.coupon_code, /coupon/);
        await check(page, 'refusal-expired', tag, problems);
        await scan(page, seed.coupons.DEACTIVATED[2]!.coupon_code, /coupon/);
        await check(page, 'refusal-deactivated', tag, problems);
        await scan(page, '134567890123456789', /payment_code/);
        await check(page, 'refusal-payment-code', tag, problems);
        await scan(page, 'AB#12345', /invalid/);
        await check(page, 'refusal-invalid', tag, problems);
        await scan(page, 'NOSUCHCODE99', /choose_stock/);
        await check(page, 'refusal-unknown-code', tag, problems);
        await page.keyboard.press('Enter');
        await expect.poll(() => outcomeKind(page)).toBe('coupon');
        await check(page, 'refusal-unverified', tag, problems);
        await page.keyboard.press('Escape');
        await startOrder(page, '30');
        await scan(page, first.find((c) => !usedElsewhere.has(c.coupon_code))!.coupon_code, /coupon/);
        await check(page, 'refusal-below-threshold', tag, problems);

        // Offline pending: WeChat Pay's answer comes later than the cashier waits.
        await page.keyboard.press('Escape');
        await till.simFaults('coupons.use:before:latency=9000x1');
        await startOrder(page, '88');
        await scan(page, pick(third), /coupon|choose_stock/);
        if ((await outcomeKind(page)) === 'choose_stock') await page.keyboard.press('Enter');
        await expect.poll(() => outcomeKind(page)).toBe('coupon');
        await page.keyboard.press('Enter');
        await expect.poll(() => feedbackStatus(page), { timeout: 20_000 }).toBe('pending');
        await check(page, 'offline-pending', tag, problems);
        await expect.poll(() => feedbackStatus(page), { timeout: 30_000 }).toBe('succeeded');
        await page.keyboard.press('Escape');
        await check(page, 'order-finished', tag, problems);

        // The finished order's slip, as it will print.
        await page.keyboard.press('F10');
        await page.getByTestId('slip-preview').waitFor();
        await check(page, 'slip-preview', tag, problems);
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('slip-preview').count()).toBe(0);

        // The manager's desk, tab by tab, and the 交班 confirmation.
        await page.keyboard.press('F8');
        await page.getByTestId('manager-signin').waitFor();
        await check(page, 'desk-sign-in', tag, problems);
        await page.getByTestId('manager-id').fill('TRAIN');
        await page.getByTestId('manager-pin').fill('0000');
        await page.keyboard.press('Enter');
        await page.getByTestId('manager-who').waitFor();
        for (const tab of ['attention', 'coupon', 'offline', 'stacking', 'backoffice', 'print', 'golive', 'tools']) {
          await page.getByTestId(`manager-tab-${tab}`).click();
          await page.waitForTimeout(300);
          await check(page, `desk-${tab}`, tag, problems);
        }
        // The practice sheet and the scanner check, over the desk.
        await page.getByTestId('tools-practice').click();
        await expect.poll(() => page.getByTestId('practice-coupon').count(), { timeout: 20_000 }).toBe(6);
        await check(page, 'practice-sheet', tag, problems);
        await page.keyboard.press('Escape');
        await page.getByTestId('tools-scanner').click();
        await page.getByTestId('scanner-code').waitFor();
        await scannerBurst(page, SCANNER_TEST_CODE);
        await expect.poll(() => page.getByTestId('scanner-verdict').getAttribute('data-kind')).toBe('ok');
        await check(page, 'scanner-check', tag, problems);
        await page.keyboard.press('Escape');
        await page.getByTestId('manager-tab-shift').click();
        await page.waitForTimeout(300);
        await check(page, 'desk-shift', tag, problems);
        await page.getByTestId('shift-close').click();
        await page.getByTestId('shift-confirm').waitFor();
        await check(page, 'desk-shift-confirm', tag, problems);
        await page.getByTestId('shift-close-cancel').click();
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('manager-panel').count()).toBe(0);
      } finally {
        await page.close();
      }
      expect(problems).toEqual([]);
    },
    240_000,
  );
});

/** Coupons redeemed by an earlier size or language: the simulator remembers them. */
const usedElsewhere = new Set<string>();
