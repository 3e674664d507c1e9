import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, reportPath, scannerBurst } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { startWebHostProcess } from '../helpers/web-host-process';

// What `npm start` runs on a machine without the Electron runtime, with nothing provisioned:
// the web host in its own process, in training mode against the embedded simulator. A
// cashier opens a shift, scans a seeded coupon with the "scanner", and redeems it.
let host: ChildProcess;
let open: string;
let browser: Browser;
let page: Page;
const dataDir = tempDir('pos-training-');

beforeAll(async () => {
  ({ process: host, open } = await startWebHostProcess(dataDir));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  host?.kill('SIGTERM');
});

async function seededCoupon() {
  // The simulator's seed is kept in the data dir it was given; the cashier would have it on a phone.
  const { readFileSync } = await import('node:fs');
  const seed = JSON.parse(readFileSync(`${dataDir}/training-simulator/seed.json`, 'utf8'));
  const coupon = seed.coupons.SENDED.find((c: { stock_type: string }) => c.stock_type === 'NORMAL');
  const stock = seed.stocks.find((s: { stock_id: string }) => s.stock_id === coupon.stock_id);
  return { code: coupon.coupon_code as string, stockName: stock.stock_name as string };
}

describe('npm start with nothing provisioned (web host)', () => {
  it('opens in training mode; a cashier scans a seeded coupon and redeems it', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(open);
    await expect.poll(() => page.getByTestId('training-banner').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('app-mode').textContent()).toBe('培训模式');

    await page.getByTestId('cashier-input').waitFor({ timeout: 20_000 });
    await page.getByTestId('cashier-input').fill('C001');
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-line').waitFor();

    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('88', { delay: 120 });
    const { code, stockName } = await seededCoupon();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await scannerBurst(page, code);
    await expect.poll(() => page.getByTestId('scan-outcome').getAttribute('data-kind'), { timeout: 15_000 }).toMatch(/coupon|choose_stock/);
    if ((await page.getByTestId('scan-outcome').getAttribute('data-kind')) === 'choose_stock') {
      await page.getByRole('option').filter({ hasText: stockName }).first().click();
      await expect.poll(() => page.getByTestId('scan-outcome').getAttribute('data-kind')).toBe('coupon');
    }
    expect(await page.getByTestId('coupon-stock-name').textContent()).toBe(stockName);
    await expect.poll(() => page.getByTestId('redeem-button').isEnabled()).toBe(true);
    await page.screenshot({ path: reportPath('e2e-training-scan.png') });
    await page.getByTestId('redeem-button').click();
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('queue-item').count()).toBeGreaterThan(0);
    await page.screenshot({ path: reportPath('e2e-training-redeemed.png') });
  }, 90_000);
});
