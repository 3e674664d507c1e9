import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, reportPath, scannerBurst } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { startWebHostProcess } from '../helpers/web-host-process';

// The shift manager at a training till (web host in its own process, embedded simulator):
// F8, the practice PIN, a return and a deactivation by scanning the customer's coupon, then
// closing the shift with its report. The simulator's admin API is the witness.
let host: ChildProcess;
let open: string;
let browser: Browser;
let page: Page;
const dataDir = tempDir('pos-manager-');

type SeedCoupon = { coupon_code: string; stock_id: string; stock_type: string; coupon_code_mode: string };
const seed = () =>
  JSON.parse(readFileSync(`${dataDir}/training-simulator/seed.json`, 'utf8')) as { coupons: { SENDED: SeedCoupon[] }; stocks: { stock_id: string; stock_name: string }[] };
const stockName = (c: SeedCoupon) => seed().stocks.find((s) => s.stock_id === c.stock_id)!.stock_name;

async function simCoupon(c: SeedCoupon): Promise<{ coupon_state: string; deactivate_reason?: string; history: { to: string }[] }> {
  // The practice simulator's admin API, reached the way store IT would: its address and token in the data dir.
  const sim = JSON.parse(readFileSync(`${dataDir}/training-simulator/admin.json`, 'utf8')) as { base_url: string; admin_token: string };
  const res = await fetch(`${sim.base_url}/_sim/coupons?stock_id=${c.stock_id}`, { headers: { authorization: `Bearer ${sim.admin_token}` } });
  const body = (await res.json()) as { data: { coupon_code: string; coupon_state: string; deactivate_reason?: string; history: { to: string }[] }[] };
  return body.data.find((x) => x.coupon_code === c.coupon_code)!;
}

/** After a desk action the focus is back on the desk, never dropped on the page's body. */
const focusInDesk = () =>
  page.evaluate(() => document.activeElement !== document.body && document.querySelector('[data-testid="manager-panel"]')?.contains(document.activeElement) === true);

/** A USB scanner: the code typed fast wherever the focus is, then Enter (key times fixed, so load cannot slow it). */
const scan = (code: string) => scannerBurst(page, code);

beforeAll(async () => {
  ({ process: host, open } = await startWebHostProcess(dataDir));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  host?.kill('SIGTERM');
});

describe('the shift manager (training, web host)', () => {
  it('signs in with the practice PIN, returns and deactivates scanned coupons, and closes the shift', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(open);
    await page.getByTestId('cashier-input').waitFor({ timeout: 20_000 });
    await page.getByTestId('cashier-input').fill('C001');
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-line').waitFor();

    const [a, b] = seed().coupons.SENDED.filter((c) => c.stock_type === 'NORMAL' && c.coupon_code_mode === 'WECHATPAY_MODE');
    // The cashier redeems coupon A on a ¥88 order.
    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('88', { delay: 120 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await scan(a!.coupon_code);
    await expect.poll(() => page.getByTestId('scan-outcome').getAttribute('data-kind'), { timeout: 15_000 }).toMatch(/coupon|choose_stock/);
    if ((await page.getByTestId('scan-outcome').getAttribute('data-kind')) === 'choose_stock') {
      await page
        .getByRole('option')
        .filter({ hasText: stockName(a!) })
        .first()
        .click();
    }
    await expect.poll(() => page.getByTestId('redeem-button').isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('redeem-button').click();
    await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    expect((await simCoupon(a!)).coupon_state).toBe('USED');

    // F8: the PIN first. A wrong one is refused and cleared; the practice one opens the desk.
    await page.keyboard.press('F8');
    await page.getByTestId('manager-signin').waitFor();
    expect(await page.getByTestId('manager-training-hint').textContent()).toContain('TRAIN');
    await page.getByTestId('manager-id').fill('TRAIN');
    await page.getByTestId('manager-pin').fill('1234');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('manager-signin-problem').textContent()).toContain('密码');
    expect(await page.getByTestId('manager-pin').inputValue()).toBe('');
    await page.getByTestId('manager-pin').fill('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('manager-who').textContent()).toContain('TRAIN');
    // The till behind the desk is inert: its fields cannot take the focus.
    await page.evaluate(() => (document.querySelector('[data-testid="amount-input"]') as HTMLElement).focus());
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('amount-input');

    // Return: coupon A, scanned while the desk is open, is the manager's coupon, not a sale.
    await page.getByTestId('manager-tab-coupon').click();
    await page.getByTestId('manager-code').waitFor();
    await scan(a!.coupon_code);
    await page.locator(`[data-testid="manager-coupon"][data-code="${a!.coupon_code}"]`).waitFor();
    const choice = page.locator('.manager-choices button').filter({ hasText: stockName(a!) });
    if (await choice.count()) await choice.first().click();
    await expect.poll(() => page.getByTestId('manager-return').isEnabled()).toBe(true);
    // A used coupon: only 退券 is offered.
    expect(await page.getByTestId('manager-deactivate').count()).toBe(0);
    await page.getByTestId('manager-return').click();
    await expect.poll(() => page.getByTestId('manager-result').getAttribute('data-tone'), { timeout: 20_000 }).toBe('ok');
    expect((await simCoupon(a!)).coupon_state).toBe('SENDED');
    // The line follows: the coupon is unused again, so 退券 is gone and 使券失效 is offered; the focus stayed on the desk.
    await expect.poll(() => page.getByTestId('manager-coupon-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('SENDED');
    expect(await page.getByTestId('manager-return').count()).toBe(0);
    expect(await page.getByTestId('manager-deactivate').count()).toBe(1);
    await expect.poll(() => focusInDesk()).toBe(true);

    // Deactivate coupon B: a reason, then a second, explicit confirmation.
    await page.getByTestId('manager-code').fill(b!.coupon_code);
    await page.getByTestId('manager-code').press('Enter');
    await page.locator(`[data-testid="manager-coupon"][data-code="${b!.coupon_code}"]`).waitFor();
    const choiceB = page.locator('.manager-choices button').filter({ hasText: stockName(b!) });
    if (await choiceB.count()) await choiceB.first().click();
    // An unused coupon: 退券 is not offered.
    await expect.poll(() => page.getByTestId('manager-coupon-state').getAttribute('data-state')).toBe('SENDED');
    expect(await page.getByTestId('manager-return').count()).toBe(0);
    expect(await page.getByTestId('manager-deactivate').isEnabled()).toBe(false);
    await page.getByTestId('manager-reason').fill('券码外泄');
    await page.getByTestId('manager-deactivate').click();
    await page.getByTestId('manager-deactivate-confirm').click();
    await expect.poll(() => page.getByTestId('manager-result').textContent(), { timeout: 20_000 }).toContain('失效');
    expect(await simCoupon(b!)).toMatchObject({ coupon_state: 'DEACTIVATED', deactivate_reason: '券码外泄' });
    // Deactivated: nothing more to offer, and the line says so.
    await expect.poll(() => page.getByTestId('manager-coupon-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('DEACTIVATED');
    expect(await page.getByTestId('manager-nothing').textContent()).toContain('不能退券');
    await expect.poll(() => focusInDesk()).toBe(true);

    // Offline rules: off by default; the manager allows limited offline redemption.
    await page.getByTestId('manager-tab-offline').click();
    await page.getByTestId('offline-policy').waitFor();
    expect(await page.getByTestId('offline-maxDiscount').isDisabled()).toBe(true);
    await page.getByTestId('offline-limited').click();
    await page.getByTestId('offline-maxDiscount').fill('15');
    await page.getByTestId('offline-maxCount').fill('8');
    await page.getByTestId('offline-maxTotal').fill('abc');
    expect(await page.getByTestId('offline-save').isDisabled()).toBe(true);
    await page.getByTestId('offline-maxTotal').fill('60.5');
    await page.getByTestId('offline-save').click();
    await expect.poll(() => page.getByTestId('offline-message').textContent()).toContain('已保存');
    await expect.poll(() => focusInDesk()).toBe(true);
    expect(await page.getByTestId('offline-policy').textContent()).toContain('TRAIN');

    // Close the shift: coupon A was returned, so its discount is not counted as given; the CSV is saved, the till asks for a new shift.
    await page.getByTestId('manager-tab-shift').click();
    await expect.poll(() => page.getByTestId('report-returned').textContent()).toBe('1 张，优惠合计 ¥10.00');
    expect(await page.getByTestId('report-redeemed').textContent()).toBe('0 张，优惠合计 ¥0.00');
    expect(await page.getByTestId('report-orders').textContent()).toBe('1 笔');
    await page.screenshot({ path: reportPath('e2e-manager-report.png') });
    // 交班 asks once more, with the report still on screen; nothing closes on the first click.
    await page.getByTestId('shift-close').click();
    await page.getByTestId('shift-confirm').waitFor();
    expect(await page.getByTestId('report-returned').isVisible()).toBe(true);
    expect(await page.getByTestId('shift-closed').count()).toBe(0);
    await page.screenshot({ path: reportPath('e2e-manager-shift-confirm.png') });
    await page.getByTestId('shift-close-confirm').click();
    await page.getByTestId('shift-closed').waitFor({ timeout: 15_000 });
    // The report is offered as a file to save, not as a path to copy.
    expect(await page.getByTestId('shift-closed').textContent()).not.toMatch(/\/\S+\.csv/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('shift-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^shift-T01-.+\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toMatch(/交班人,TRAIN/);
    // The shift slip: a preview above the desk; Esc closes the preview, not the desk.
    await page.getByTestId('shift-slip').click();
    await page.getByTestId('slip-preview').waitFor();
    expect(await page.getByTestId('slip').getAttribute('data-kind')).toBe('shift');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('slip-preview').count()).toBe(0);
    expect(await page.getByTestId('manager-panel').count()).toBe(1);

    // The manager's scan of A was not a sale: the simulator saw A used once, then returned.
    expect((await simCoupon(a!)).history.map((h) => h.to).slice(-3)).toEqual(['SENDED', 'USED', 'SENDED']);
    expect((await simCoupon(a!)).history.filter((h) => h.to === 'USED')).toHaveLength(1);

    // Esc closes the desk and signs the manager out; the cashier's screen wants a new shift.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('manager-panel').count()).toBe(0);
    await page.getByTestId('cashier-input').waitFor({ timeout: 10_000 });
    // Back at the till, the focus is where the cashier types next: the new shift's cashier id.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('cashier-input');
    // Nothing of the last customer or the last shift is left for the next cashier.
    expect(await page.getByTestId('amount-input').inputValue()).toBe('');
    expect(await page.getByTestId('scan-outcome').getAttribute('data-kind')).toBe('idle');
    expect(await page.getByTestId('order-panel').getAttribute('data-status')).toBe('none');
    expect(await page.getByTestId('redeem-feedback').count()).toBe(0);
    await expect.poll(() => page.getByTestId('queue-item').count()).toBe(0);
    await page.keyboard.press('F8');
    await page.getByTestId('manager-signin').waitFor();
  }, 120_000);
});
