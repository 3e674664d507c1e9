// The desk's tools on the training web host, in real Chromium: the practice sheet (its codes
// read back from the screenshot by the till's own zxing reader, each one a coupon the training
// simulator knows), the scanner check, and going live with a simulator's credentials files as
// if they were a real merchant's — leaving no secret on the page.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { readBarcodes } from 'zxing-wasm/reader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareNodeReader } from '../../bench/corpus';
import { startSimulator, type RunningSimulator } from '../../electron/simulator';
import { acceptedTexts, READER_OPTIONS } from '../../renderer/scan/camera/reader-options';
import { SCANNER_TEST_CODE } from '../../renderer/scan/scanner-check';
import { reportPath, scannerBurst } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { openShift, openTillPage, outcomeKind, scan, startOrder, startTrainingTill, type TrainingTill } from '../helpers/training-till';

let till: TrainingTill;
let page: Page;

beforeAll(async () => {
  till = await startTrainingTill();
  page = await openTillPage(till, { width: 1024, height: 768 });
  await prepareNodeReader();
}, 90_000);
afterAll(async () => {
  await till?.close();
});

async function openDesk(tab: string): Promise<void> {
  if ((await page.getByTestId('manager-panel').count()) === 0) {
    await page.keyboard.press('F8');
    await page.getByTestId('manager-id').fill('TRAIN');
    await page.getByTestId('manager-pin').fill('0000');
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-who').waitFor();
  }
  await page.getByTestId(`manager-tab-${tab}`).click();
}

/** What the till's reader makes of an element as it is drawn on screen. */
async function readBack(selector: ReturnType<Page['locator']>): Promise<string[]> {
  const png = await selector.screenshot();
  return acceptedTexts(await readBarcodes(new Uint8Array(png), READER_OPTIONS));
}

describe('the practice sheet', () => {
  it('shows one coupon per lesson as QR code and barcode; each reads back to its code and scans as a coupon of the training simulator', async () => {
    await openDesk('tools');
    await page.getByTestId('tools-practice').click();
    await expect.poll(() => page.getByTestId('practice-coupon').count(), { timeout: 20_000 }).toBe(6);
    await page.screenshot({ path: reportPath('desk-tools-practice-sheet.png') });
    const cards = page.getByTestId('practice-coupon');
    const lessons: Record<string, string> = {};
    for (let i = 0; i < 6; i++) {
      const card = cards.nth(i);
      const code = (await card.getAttribute('data-code'))!;
      lessons[(await card.getAttribute('data-lesson'))!] = code;
      expect(await readBack(card.getByTestId('practice-qr'))).toEqual([code]);
      expect(await readBack(card.getByTestId('practice-bar'))).toEqual([code]);
    }
    expect(Object.keys(lessons).sort()).toEqual(['below_threshold', 'discount', 'exchange', 'expired', 'full_off', 'used']);
    // Every code is one of the simulator's practice customers' coupons, in the state its lesson needs.
    const seed = JSON.parse(readFileSync(`${till.dataDir}/training-simulator/seed.json`, 'utf8')) as { coupons: Record<string, { coupon_code: string }[]> };
    const stateOf = (code: string) => Object.entries(seed.coupons).find(([, list]) => list.some((c) => c.coupon_code === code))?.[0];
    expect(stateOf(lessons.used!)).toBe('USED');
    expect(stateOf(lessons.expired!)).toBe('EXPIRED');
    for (const l of ['full_off', 'discount', 'exchange', 'below_threshold']) expect(stateOf(lessons[l]!)).toBe('SENDED');

    // Scanned at the till, each resolves to a coupon; the lesson's point shows.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('manager-panel').count()).toBe(0);
    await openShift(page);
    await startOrder(page, '88');
    await scan(page, lessons.full_off!, /coupon/);
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('verified');
    await scan(page, lessons.used!, /coupon/);
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('blocked');
    await page.keyboard.press('Escape');
    await startOrder(page, '10');
    await scan(page, lessons.below_threshold!, /coupon/);
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('blocked');
    expect(await page.getByTestId('quote-shortfall').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => outcomeKind(page)).toBe('idle');
  }, 120_000);
});

describe('the scanner check', () => {
  it('reads its own printed test code, and tells intact, missing suffix and a wrong layout apart in a sentence', async () => {
    await openDesk('tools');
    await page.getByTestId('tools-scanner').click();
    await page.getByTestId('scanner-code').waitFor();
    expect(await readBack(page.getByTestId('scanner-code'))).toEqual([SCANNER_TEST_CODE]);
    const verdict = () => page.getByTestId('scanner-verdict').getAttribute('data-kind');
    const line = async () => (await page.getByTestId('scanner-verdict').textContent()) ?? '';

    await scannerBurst(page, SCANNER_TEST_CODE);
    await expect.poll(verdict).toBe('ok');
    expect(await line()).toContain('扫码枪正常');

    await scannerBurst(page, SCANNER_TEST_CODE, { terminator: 'none' });
    await expect.poll(verdict).toBe('no_suffix');
    expect(await line()).toContain('回车后缀');

    // What a German-layout scanner types for the same code.
    await scannerBurst(page, SCANNER_TEST_CODE.replace('-', 'ß').replace('/', '-'));
    await expect.poll(verdict).toBe('layout');
    expect(await line()).toContain('美式键盘');
    expect(await page.getByTestId('scanner-received').textContent()).toContain('ß');
    await page.screenshot({ path: reportPath('desk-tools-scanner-check.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('scanner-check').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('manager-panel').count()).toBe(0);
  }, 60_000);
});

describe('going live on the desk', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey', stateDir: tempDir('pos-live-sim-') });
  }, 60_000);
  afterAll(async () => {
    await sim?.close();
  });

  const fill = async (keyFile: string) => {
    const c = sim.credentials;
    await page.getByTestId('go-live-mchid').fill(c.mchid);
    await page.getByTestId('go-live-appid').fill(c.appid);
    await page.getByTestId('go-live-file-key').setInputFiles(keyFile);
    await page.getByTestId('go-live-file-cert').setInputFiles(c.files.merchant_certificate);
    await page.getByTestId('go-live-file-apiv3').setInputFiles(c.files.apiv3_key);
    await page.getByTestId('go-live-file-publicKey').setInputFiles(c.files.wechatpay_public_key!);
    await page.getByTestId('go-live-public-key-id').fill(c.wechatpay_public_key_id);
    await page.getByTestId('go-live-base-url').fill(c.base_url);
    await page.getByTestId('go-live-submit').click();
  };

  it('a wrong key file gets a sentence; the simulator’s files pass the connection test, are not kept as a live merchant, and leave no secret on the page', async () => {
    // Going live is refused while a shift is open: the practice shift is closed first.
    await openDesk('shift');
    const shiftTab = async () =>
      (await page.getByTestId('shift-close').count()) > 0 ? 'open' : ((await page.locator('.manager-body').textContent()) ?? '').includes('当前没有开班') ? 'none' : 'loading';
    await expect.poll(shiftTab).not.toBe('loading');
    if ((await shiftTab()) === 'open') {
      await page.getByTestId('shift-close').click();
      await page.getByTestId('shift-close-confirm').click();
      await page.getByTestId('shift-closed').waitFor({ timeout: 15_000 });
    }
    await openDesk('golive');
    expect(await page.getByTestId('go-live-current').textContent()).toContain('还没有正式商户');

    // The certificate chosen where the private key belongs: refused in words, nothing kept.
    await fill(sim.credentials.files.merchant_certificate);
    await page.getByTestId('go-live-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('go-live-result').getAttribute('data-ok')).toBe('false');
    expect(await page.getByTestId('go-live-failure').first().getAttribute('data-failure')).toBe('files_invalid');
    const refused = (await page.getByTestId('go-live-result').textContent()) ?? '';
    expect(refused).toContain('文件不对');
    expect(refused).not.toMatch(/Error|\bat \w+ \(|\.ts:\d+/);
    expect(await page.getByTestId('go-live-current').textContent()).toContain('还没有正式商户');

    await fill(sim.credentials.files.merchant_private_key);
    // The checks as the screen lists them (a failure names its cause here, so a red run explains itself).
    const checks = () =>
      page
        .getByTestId('go-live-check')
        .evaluateAll((els) =>
          els.map((e) => `${e.getAttribute('data-check')}:${e.getAttribute('data-status')}${e.querySelector('[data-failure]')?.getAttribute('data-failure') ?? ''}`),
        );
    await expect.poll(checks, { timeout: 30_000 }).toEqual(['files:ok', 'keychain:ok', 'reachable:ok', 'signature:ok', 'verification:ok', 'clock:ok']);
    expect(await page.getByTestId('go-live-result').getAttribute('data-ok')).toBe('true');
    // Only tested: a simulator is a test host, and a live merchant may talk to WeChat Pay's hosts only.
    expect(await page.getByTestId('go-live-result').textContent()).toContain('只做测试，不会保存');
    expect(await page.getByTestId('go-live-current').textContent()).toContain('还没有正式商户');
    await page.screenshot({ path: reportPath('desk-go-live-passed.png') });

    // Nothing secret on the page: not in the DOM, not in any field, not in storage.
    const privateKeyBody = readFileSync(sim.credentials.files.merchant_private_key, 'utf8')
      .split('\n')
      .filter((l) => l.length > 40);
    const apiv3 = readFileSync(sim.credentials.files.apiv3_key, 'utf8').trim();
    const onPage = await page.evaluate(() => ({
      html: document.documentElement.outerHTML,
      values: Array.from(document.querySelectorAll('input'))
        .map((i) => `${i.value}|${i.files?.length ?? 0}`)
        .join('\n'),
      storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    }));
    for (const secret of [apiv3, ...privateKeyBody]) {
      expect(onPage.html).not.toContain(secret);
      expect(onPage.values).not.toContain(secret);
      expect(onPage.storage).not.toContain(secret);
    }
    expect(onPage.values).not.toMatch(/\|1$/m);
  }, 120_000);
});
