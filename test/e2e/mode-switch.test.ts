import { spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, reportPath } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { startWebHostProcess } from '../helpers/web-host-process';
import { keyVector } from '../electron/wechatpay/support/vectors';

// A live till (provisioned by IT with posctl; WeChat Pay's real hosts are unreachable here, so
// it runs offline) whose manager switches it to training from the desk, and back.
let host: ChildProcess;
let open: string;
let browser: Browser;
let page: Page;
const dataDir = tempDir('pos-mode-e2e-');

function posctl(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/posctl.ts', ...args], { env: { ...process.env, POS_DATA_DIR: dataDir }, input, encoding: 'utf8' });
  expect(r.status, r.stdout).toBe(0);
}

beforeAll(async () => {
  const file = (name: string, text: string) => (writeFileSync(join(dataDir, name), text), join(dataDir, name));
  const m = keyVector('java_merchant_rsa');
  const p = keyVector('java_wechatpay_rsa');
  posctl([
    'provision',
    '--mchid',
    '1234567891',
    '--appid',
    'wx8888888888888888',
    '--key',
    file('k.pem', m.private_key_pkcs8_pem),
    '--cert',
    file('c.pem', m.certificate_pem!),
    '--apiv3-key-file',
    file('v3.txt', 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb'),
    '--public-key',
    file('pub.pem', p.public_key_spki_pem!),
    '--public-key-id',
    'PUB_KEY_ID_0112345678901234567890123456789012',
  ]);
  posctl(['manager', 'set-pin', '--manager', 'M01', '--pin-file', '-'], '246810\n');
  ({ process: host, open } = await startWebHostProcess(dataDir));
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  host?.kill('SIGTERM');
});

async function signIn() {
  await page.keyboard.press('F8');
  await page.getByTestId('manager-id').fill('M01');
  await page.getByTestId('manager-pin').fill('246810');
  await page.keyboard.press('Enter');
  await page.getByTestId('manager-who').waitFor();
}

describe('training chosen by the manager on a live till (web host)', () => {
  it('switches to training (banner, practice coupons) and back to live from the desk', async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(open);
    await expect.poll(() => page.getByTestId('app-mode').textContent(), { timeout: 20_000 }).toBe('正式模式');
    expect(await page.getByTestId('training-banner').count()).toBe(0);

    await signIn();
    expect(await page.getByTestId('manager-training-hint').count()).toBe(0);
    await page.getByTestId('manager-tab-mode').click();
    await page.getByTestId('mode-switch-button').click();
    await expect.poll(() => page.getByTestId('training-banner').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('app-mode').textContent()).toBe('培训模式');
    // The till started afresh: no shift in the training journal, and the desk is closed.
    await page.getByTestId('cashier-input').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('manager-panel').count()).toBe(0);
    await page.screenshot({ path: reportPath('e2e-mode-training.png') });

    await signIn();
    await page.getByTestId('manager-tab-mode').click();
    await page.getByTestId('mode-switch-button').click();
    await expect.poll(() => page.getByTestId('app-mode').textContent(), { timeout: 30_000 }).toBe('正式模式');
    expect(await page.getByTestId('training-banner').count()).toBe(0);
  }, 120_000);
});
