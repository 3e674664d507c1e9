// The store's stacking rules in Chromium on the training web host: a manager allows one
// coupon per order on the desk; the cashier redeems one, and the second coupon scanned on the
// same order says in a sentence why it does not stack — before anything is sent.
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, reportPath, scannerBurst } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { startWebHostProcess } from '../helpers/web-host-process';

const dataDir = tempDir('pos-stacking-');
let host: ChildProcess;
let open: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ process: host, open } = await startWebHostProcess(dataDir));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  host?.kill('SIGTERM');
});

function twoCoupons() {
  const seed = JSON.parse(readFileSync(`${dataDir}/training-simulator/seed.json`, 'utf8')) as {
    coupons: { SENDED: { coupon_code: string; stock_type: string; coupon_code_mode: string }[] };
    associated: { coupon_code: string }[];
  };
  const taken = new Set(seed.associated.map((c) => c.coupon_code));
  return seed.coupons.SENDED.filter((c) => c.stock_type === 'NORMAL' && c.coupon_code_mode === 'WECHATPAY_MODE' && !taken.has(c.coupon_code));
}

describe('stacking rules', () => {
  it('one coupon per order: the second one scanned on the order is refused with the rule in a sentence', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(open);
    await page.getByTestId('cashier-input').waitFor({ timeout: 30_000 });
    await page.getByTestId('cashier-input').fill('C001');
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-line').waitFor();

    // The manager sets the rule on the desk: who and when are shown back.
    await page.keyboard.press('F8');
    await page.getByTestId('manager-id').fill('TRAIN');
    await page.getByTestId('manager-pin').fill('0000');
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-tab-stacking').click();
    expect(await page.getByTestId('stacking-source').textContent()).toBe('当前为系统默认规则。');
    await page.getByTestId('stacking-max').fill('1');
    await page.getByTestId('stacking-save').click();
    await expect.poll(() => page.getByTestId('stacking-source').textContent()).toContain('TRAIN');
    await page.screenshot({ path: reportPath('e2e-stacking-desk-zh.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('manager-panel').count()).toBe(0);

    const [a, b] = twoCoupons();
    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('250', { delay: 120 });
    await scannerBurst(page, a!.coupon_code);
    await expect.poll(() => page.getByTestId('redeem-button').isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');

    await scannerBurst(page, b!.coupon_code);
    await expect.poll(() => page.getByTestId('coupon-usable').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('blocked');
    expect(await page.getByTestId('coupon-usable').textContent()).toBe('✘ 不能使用：本店每笔订单最多使用 1 张券');
    expect(await page.getByTestId('redeem-button').isDisabled()).toBe(true);
    await page.screenshot({ path: reportPath('e2e-stacking-refused-zh.png') });
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('coupon-usable').textContent()).toBe('✘ Not usable：This store allows at most 1 coupon(s) per order');
  }, 120_000);
});
