// The training till as a new cashier meets it: the web host in its own process on a fresh data
// dir (embedded simulator, nothing provisioned), real Chromium, and the simulator's seed (the
// practice customers' coupons) to pick codes from.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, scannerBurst } from './browser';
import { tempDir } from './context';
import { startWebHostProcess } from './web-host-process';

export interface SeedCoupon {
  coupon_code: string;
  stock_id: string;
  stock_type: 'NORMAL' | 'DISCOUNT' | 'EXCHANGE';
  coupon_code_mode: 'WECHATPAY_MODE' | 'MERCHANT_API' | 'MERCHANT_UPLOAD';
}
export interface Seed {
  stocks: { stock_id: string; stock_name: string; stock_type: string; coupon_code_mode: string }[];
  coupons: Record<'SENDED' | 'USED' | 'EXPIRED' | 'DELETED' | 'DEACTIVATED', SeedCoupon[]>;
  associated: SeedCoupon[];
}

export interface TrainingTill {
  dataDir: string;
  open: string;
  browser: Browser;
  seed(): Seed;
  /** Sets the training simulator's faults through its admin API (loopback, this start's admin token). */
  simFaults(spec: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTrainingTill(env: NodeJS.ProcessEnv = {}): Promise<TrainingTill> {
  const dataDir = tempDir('pos-screens-');
  const { process: host, open } = await startWebHostProcess(dataDir, env);
  const browser = await launchChromium();
  return {
    dataDir,
    open,
    browser,
    seed: () => JSON.parse(readFileSync(`${dataDir}/training-simulator/seed.json`, 'utf8')) as Seed,
    simFaults: async (spec) => {
      const admin = JSON.parse(readFileSync(`${dataDir}/training-simulator/admin.json`, 'utf8')) as { base_url: string; admin_token: string };
      const res = await fetch(`${admin.base_url}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.admin_token}` },
        body: JSON.stringify({ spec }),
      });
      if (!res.ok) throw new Error(`the simulator refused the faults ${spec}: ${res.status} ${await res.text()}`);
    },
    close: async () => {
      await browser.close();
      await stop(host);
    },
  };
}

async function stop(host: ChildProcess): Promise<void> {
  if (host.exitCode !== null) return;
  const exited = new Promise((resolve) => host.once('exit', resolve));
  host.kill('SIGTERM');
  await exited;
}

/** Coupons the seed left unused and linked to no order, fresh for practice: `n`-th of a type and code mode. */
export function freshCoupons(seed: Seed, type: SeedCoupon['stock_type'], mode?: SeedCoupon['coupon_code_mode']): SeedCoupon[] {
  const linked = new Set(seed.associated.map((c) => c.coupon_code));
  return seed.coupons.SENDED.filter((c) => c.stock_type === type && (!mode || c.coupon_code_mode === mode) && !linked.has(c.coupon_code));
}

// Plain JavaScript (an init script runs before the app): every oscillator the page starts is
// noted with its pitch, so a test can hear which tone played.
const TONE_PROBE = `
  window.__tones = [];
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) { window.__tones.push(this.frequency.value); return start.apply(this, args); };
`;

/** A page on the till at this size and language, with the tone probe installed. */
export async function openTillPage(till: TrainingTill, viewport: { width: number; height: number }, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const page = await till.browser.newPage({ viewport });
  await page.addInitScript(TONE_PROBE);
  await page.addInitScript(`localStorage.setItem('pos.lang', ${JSON.stringify(lang)})`);
  await page.goto(till.open);
  await page.getByTestId('till').waitFor({ timeout: 30_000 });
  return page;
}

/** Pitches played since the last call. */
export async function tonesPlayed(page: Page): Promise<number[]> {
  return page.evaluate('window.__tones.splice(0)') as Promise<number[]>;
}

export async function openShift(page: Page, cashier = 'C001'): Promise<void> {
  await page.getByTestId('cashier-input').waitFor({ timeout: 30_000 });
  await page.getByTestId('cashier-input').fill(cashier);
  await page.keyboard.press('Enter');
  await page.getByTestId('shift-line').waitFor({ timeout: 15_000 });
}

export const outcomeKind = (page: Page) => page.getByTestId('scan-outcome').getAttribute('data-kind');
export const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** Scans a code (a real scanner's burst) and waits until the till shows what it is. */
export async function scan(page: Page, code: string, expected: RegExp = /coupon|choose_stock|not_found|invalid|payment_code/): Promise<void> {
  await scannerBurst(page, code);
  await expect.poll(() => outcomeKind(page), { timeout: 20_000 }).toMatch(expected);
}

/** Types an amount and presses Enter: the order opens with it. */
export async function startOrder(page: Page, yuan: string): Promise<void> {
  await page.getByTestId('amount-input').focus();
  await page.keyboard.type(yuan, { delay: 60 });
  expect(await page.getByTestId('amount-input').inputValue()).toBe(yuan);
  await page.keyboard.press('Enter');
  // What the screen says if the order did not open, so a failure explains itself.
  const state = async () => {
    const status = await page.getByTestId('order-panel').getAttribute('data-status');
    if (status === 'open') return 'open';
    const error = await page
      .getByTestId('order-error')
      .textContent({ timeout: 100 })
      .catch(() => null);
    return `${status} (outcome ${await outcomeKind(page)}, focus ${await focusedTestId(page)}${error ? `, error ${error}` : ''})`;
  };
  await expect.poll(state, { timeout: 15_000 }).toBe('open');
}
