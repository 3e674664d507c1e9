// The printed slips, as Chromium prints them: a redemption slip for an order with two coupons
// linked to a WeChat Pay order, rendered to PDF at 58 mm and 80 mm with the page's own print
// styles; pdftotext reads back every field a slip must carry. Screenshots under reports/.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportPath } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { freshCoupons, openShift, openTillPage, outcomeKind, scan, startTrainingTill, type TrainingTill } from '../helpers/training-till';

let till: TrainingTill;
let page: Page;
const STORE = '杭州西湖二店';
const ORDER_NO = 'T20261129SLIP01';

beforeAll(async () => {
  const dir = tempDir('pos-slip-preset-');
  const preset = join(dir, 'store.json');
  writeFileSync(
    preset,
    JSON.stringify({
      storeId: 'hangzhou-xihu-02',
      storeName: STORE,
      mchid: '1900007291',
      appid: 'wx8888888888888888',
      acceptedStockIds: [],
      updateChannel: 'beta',
      tillIds: ['T07'],
    }),
  );
  till = await startTrainingTill({ POS_STORE_PRESET: preset });
  page = await openTillPage(till, { width: 1024, height: 768 });
  await openShift(page, 'C042');
}, 90_000);
afterAll(async () => {
  await till?.close();
});

/** The slip on the page printed to PDF at its paper width, and the PDF's text. */
async function printed(width: 58 | 80, kind = 'redemption'): Promise<string> {
  await page.getByTestId(`slip-width-${width}`).click();
  await expect.poll(() => page.getByTestId('slip').getAttribute('data-width')).toBe(String(width));
  await page.getByTestId('slip-preview').screenshot({ path: reportPath(`slip-${kind}-${width}mm.png`) });
  const heightMm = await page.getByTestId('slip').evaluate((el) => Math.ceil(el.getBoundingClientRect().height / (96 / 25.4)) + 6);
  const pdf = await page.pdf({ width: `${width}mm`, height: `${heightMm}mm`, margin: { top: '0', bottom: '0', left: '0', right: '0' } });
  const file = reportPath(`slip-${kind}-${width}mm.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('the redemption slip', () => {
  it('printed at 58 mm and 80 mm holds store, till, cashier, time, coupons, discounts, payable, our request numbers and the WeChat Pay order number', async () => {
    await page.getByTestId('order-no-input').focus();
    await page.keyboard.type(ORDER_NO, { delay: 80 });
    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('188', { delay: 60 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('order-panel').getAttribute('data-status'), { timeout: 15_000 }).toBe('open');
    const seed = till.seed();
    for (const c of [freshCoupons(seed, 'NORMAL', 'MERCHANT_API')[0]!, freshCoupons(seed, 'DISCOUNT', 'MERCHANT_API')[0]!]) {
      await scan(page, c.coupon_code, /coupon/);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    }
    const payable = (await page.getByTestId('order-payable').textContent())!;
    await page.keyboard.press('Escape');
    await expect.poll(() => outcomeKind(page)).toBe('idle');
    await page.keyboard.press('F10');
    await page.getByTestId('slip-preview').waitFor();
    // What the slip shows on screen, to find again in the PDF.
    const requestNos = await page.locator('[data-testid="slip"] .slip-coupon .slip-row:last-child span:last-child').allTextContents();
    const codes = await page.locator('[data-testid="slip"] .slip-coupon .slip-row:first-of-type span:last-child').allTextContents();
    expect(requestNos).toHaveLength(2);

    for (const width of [58, 80] as const) {
      const text = await printed(width);
      const flat = text.replace(/\s+/g, ' ');
      expect(flat).toContain(STORE);
      expect(flat).toContain('商家券核销小票');
      expect(flat).toMatch(/收银台 T07/);
      expect(flat).toMatch(/收银员 C042/);
      expect(flat).toMatch(/时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(flat).toContain('订单金额 ¥188.00');
      expect(flat).toContain(`微信支付订单号 ${ORDER_NO}`);
      expect(flat).not.toContain('未关联');
      for (const no of requestNos) expect(text.replace(/\s+/g, '')).toContain(no);
      for (const code of codes) expect(text.replace(/\s+/g, '')).toContain(code);
      expect(flat).toMatch(/优惠 -¥10\.00/);
      expect(flat).toMatch(/优惠合计 -¥\d+\.\d{2}/);
      expect(flat).toContain(`应付 ${payable}`);
      expect(flat).toContain('培训练习');
      // Only the slip is printed: nothing of the till behind it.
      expect(flat).not.toContain('请扫描顾客的商家券');
    }
    await page.keyboard.press('Escape');
  }, 120_000);

  it('the shift slip, after 交班, holds till, cashier, times, the manager and the shift’s figures; the desk reprints the last slip', async () => {
    await page.keyboard.press('F8');
    await page.getByTestId('manager-id').fill('TRAIN');
    await page.getByTestId('manager-pin').fill('0000');
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-tab-shift').click();
    await page.getByTestId('shift-close').click();
    await page.getByTestId('shift-close-confirm').click();
    await page.getByTestId('shift-slip').click();
    await page.getByTestId('slip-preview').waitFor();
    expect(await page.getByTestId('slip').getAttribute('data-kind')).toBe('shift');
    for (const width of [58, 80] as const) {
      const flat = (await printed(width, 'shift')).replace(/\s+/g, ' ');
      expect(flat).toContain(STORE);
      expect(flat).toContain('交班小票');
      expect(flat).toMatch(/收银台 T07/);
      expect(flat).toMatch(/收银员 C042/);
      expect(flat).toMatch(/开班 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(flat).toMatch(/交班 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(flat).toMatch(/交班店长 TRAIN/);
      expect(flat).toMatch(/2 张/);
      expect(flat).toContain('¥31.36');
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('slip-preview').count()).toBe(0);
    // The desk's 小票 tab prints the last slip again.
    await page.getByTestId('manager-tab-print').click();
    await page.getByTestId('print-reprint').click();
    await page.getByTestId('slip-preview').waitFor();
    expect(await page.getByTestId('slip').getAttribute('data-kind')).toBe('shift');
    await page.keyboard.press('Escape');
  }, 120_000);
});
