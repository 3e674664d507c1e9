import type { ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, reportPath, scannerBurst } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { startWebHostProcess } from '../helpers/web-host-process';

// The manager's back office in real Chromium on a training till (web host in its own process,
// embedded simulator, real signed HTTP): an image whose URL the create form uses, one stock of
// each type through the form, a field over its limit flagged before sending, budget and modify
// retried after an injected timeout, a 2,500-code file, the notify URL and the sending
// parameters. The simulator's admin API is the witness.
let host: ChildProcess;
let open: string;
let browser: Browser;
let page: Page;
const dataDir = tempDir('pos-backoffice-');

/** The training simulator's admin API: its address and token, written beside its state. */
const simAdmin = () => JSON.parse(readFileSync(`${dataDir}/training-simulator/admin.json`, 'utf8')) as { base_url: string; admin_token: string };
async function sim<T>(path: string, body?: unknown): Promise<T> {
  const { base_url, admin_token } = simAdmin();
  const authorization = `Bearer ${admin_token}`;
  const res = await fetch(
    `${base_url}${path}`,
    body === undefined ? { headers: { authorization } } : { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) },
  );
  return (await res.json()) as T;
}
type HeldStock = {
  stock: {
    definition: { stock_name: string; stock_type: string; comment?: string; stock_send_rule: { max_coupons: number }; display_pattern_info?: { merchant_logo_url?: string } };
  };
  codes: { code: string }[];
};
const held = (id: string) => sim<HeldStock>(`/_sim/stocks/${id}`);
const httpCalls = async (endpoint: string) => (await sim<{ http: Record<string, { requests?: number }> }>('/_sim/operations')).http[endpoint]?.requests ?? 0;
const requestNumbers = async () => (await sim<{ request_numbers: { op: string; target?: string; changes: number; replays: number }[] }>('/_sim/operations')).request_numbers;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('store logo for the back office test')]);
const testId = (id: string) => page.getByTestId(id);

async function field(key: string, value: string) {
  const el = testId(`bo-field-${key}`);
  if ((await el.evaluate((n) => n.tagName)) === 'SELECT') await el.selectOption(value);
  else await el.fill(value);
}

/** Submits the create form and returns the new stock's id. */
async function create(values: Record<string, string>): Promise<string> {
  for (const [k, v] of Object.entries(values)) await field(k, v);
  await testId('bo-create-submit').click();
  const said = () =>
    page.evaluate(() => {
      const m = document.querySelector('[data-testid="bo-create-message"]');
      const problems = [...document.querySelectorAll('.bo-problem')].map((p) => `${p.getAttribute('data-testid')}: ${p.textContent}`).join(' | ');
      return `${m?.getAttribute('data-stock-id') ?? ''} ${m?.textContent ?? ''} ${problems}`;
    });
  await expect.poll(said, { timeout: 20_000 }).toMatch(/^\d+ /);
  const id = (await testId('bo-create-message').getAttribute('data-stock-id')) as string;
  // The next create waits for a new message, not this one.
  await page.evaluate(() => document.querySelector('[data-testid="bo-create-message"]')?.setAttribute('data-stock-id', 'seen'));
  return id;
}

/** Clicks a change's button until the desk says it succeeded; each click after the first is a retry with the same number. */
async function untilSucceeded(button: string, message: string): Promise<number> {
  for (let clicks = 1; clicks <= 4; clicks++) {
    await testId(button).click();
    await expect.poll(() => testId(button).isEnabled(), { timeout: 30_000 }).toBe(true);
    const status = await testId(message).getAttribute('data-status');
    if (status === 'succeeded') return clicks;
    expect(status).toBe('pending');
  }
  throw new Error(`${button} never succeeded`);
}

beforeAll(async () => {
  ({ process: host, open } = await startWebHostProcess(dataDir));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(open);
  await testId('cashier-input').waitFor({ timeout: 20_000 });
  await testId('cashier-input').fill('C001');
  await page.keyboard.press('Enter');
  await testId('shift-line').waitFor();
  await page.keyboard.press('F8');
  await testId('manager-id').fill('TRAIN');
  await testId('manager-pin').fill('0000');
  await page.keyboard.press('Enter');
  await testId('manager-tab-backoffice').click();
  await testId('backoffice').waitFor();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  host?.kill('SIGTERM');
});

describe('the back office (training, web host, Chromium)', () => {
  it('refuses a non-image and an oversized image before any request; an uploaded logo goes into the create form', async () => {
    await testId('bo-page-image').click();
    const before = await httpCalls('media.imageUpload');
    await testId('bo-image-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('plain text, not a picture') });
    await expect.poll(() => testId('bo-image-problem').textContent()).toContain('不是');
    await testId('bo-image-file').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]) });
    await expect.poll(() => testId('bo-image-problem').textContent()).toContain('2 MB');
    expect(await testId('bo-image-upload').count()).toBe(0);
    expect(await httpCalls('media.imageUpload')).toBe(before);

    await testId('bo-image-file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
    await testId('bo-image-preview').waitFor();
    await testId('bo-image-upload').click();
    await expect.poll(() => testId('bo-image-message').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    const url = (await testId('bo-image-url').textContent()) as string;
    expect(url).toMatch(/^https:\/\//);
    await testId('bo-image-use-merchant_logo_url').click();
    expect(await testId('bo-field-merchant_logo_url').inputValue()).toBe(url);
  }, 60_000);

  let normal = '';
  it('creates one stock of each type through the form; a name over its limit is flagged before anything is sent', async () => {
    await testId('bo-page-create').click();
    const creates = await httpCalls('stocks.create');
    await field('stock_name', '二十二个字的批次名称二十二个字的批次名称啊啊');
    expect(await testId('bo-field-stock_name-count').textContent()).toBe('22/21');
    await expect.poll(() => testId('bo-field-stock_name-problem').textContent()).toContain('21');
    await testId('bo-create-submit').click();
    await testId('bo-form-problems').waitFor();
    expect(await httpCalls('stocks.create')).toBe(creates);
    await page.screenshot({ path: reportPath('backoffice-create-flagged.png'), fullPage: true });

    normal = await create({ stock_type: 'NORMAL', stock_name: '后台满减券', goods_name: '全场通用', value: '5', transaction_minimum: '0', max_coupons: '100' });
    const discount = await create({ stock_type: 'DISCOUNT', stock_name: '后台折扣券', value: '88', transaction_minimum: '20', max_coupons: '200' });
    const exchange = await create({ stock_type: 'EXCHANGE', stock_name: '后台换购券', value: '9.90', transaction_minimum: '30', max_coupons: '300' });
    const [a, b, c] = await Promise.all([held(normal), held(discount), held(exchange)]);
    expect(a.stock.definition).toMatchObject({
      stock_type: 'NORMAL',
      stock_name: '后台满减券',
      coupon_use_rule: { fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 0 } },
    });
    expect(a.stock.definition.display_pattern_info?.merchant_logo_url).toMatch(/^https:\/\//);
    expect(b.stock.definition).toMatchObject({ stock_type: 'DISCOUNT', coupon_use_rule: { discount_coupon: { discount_percent: 88, transaction_minimum: 2000 } } });
    expect(c.stock.definition).toMatchObject({ stock_type: 'EXCHANGE', coupon_use_rule: { exchange_coupon: { exchange_price: 990, transaction_minimum: 3000 } } });

    await testId('bo-page-stocks').click();
    for (const [id, h] of [
      [normal, a],
      [discount, b],
      [exchange, c],
    ] as const) {
      const row = testId(`bo-stock-${id}`);
      await row.waitFor({ timeout: 20_000 });
      expect(await row.textContent()).toContain(h.stock.definition.stock_name);
      expect(await row.getByTestId('bo-stock-budget').textContent()).toContain(String(h.stock.definition.stock_send_rule.max_coupons));
    }
  }, 90_000);

  it('budget and modify, each answered too late once (injected timeout), change the stock exactly once when retried', async () => {
    await testId(`bo-stock-${normal}`).click();
    await sim('/_sim/faults', { spec: 'stocks.budget:after:script=timeout' });
    await testId('bo-budget-value').fill('150');
    expect(await testId('bo-budget-line').textContent()).toContain('100 → 目标 150');
    expect(await untilSucceeded('bo-budget-submit', 'bo-budget-message')).toBeGreaterThan(1);
    expect((await held(normal)).stock.definition.stock_send_rule.max_coupons).toBe(150);
    expect((await requestNumbers()).filter((r) => r.op.includes('budget') && r.target === normal).map((r) => r.changes)).toEqual([1]);

    await testId(`bo-stock-${normal}`).click();
    await testId(`bo-stock-${normal}`).click();
    await sim('/_sim/faults', { spec: 'stocks.modify:after:script=timeout' });
    await testId('bo-modify-comment').fill('店长修改');
    expect(await untilSucceeded('bo-modify-submit', 'bo-modify-message')).toBeGreaterThan(1);
    expect((await held(normal)).stock.definition.comment).toBe('店长修改');
    expect((await requestNumbers()).filter((r) => r.op.includes('modify') && r.target === normal).map((r) => r.changes)).toEqual([1]);

    await testId('bo-page-audit').click();
    const rows = testId('bo-audit-row');
    await rows.first().waitFor();
    expect(await rows.first().getAttribute('data-kind')).toBe('stock_modify');
    expect(await rows.first().textContent()).toContain('TRAIN');
  }, 120_000);

  it('uploads a 2,500-code file in batches with progress and per-code results; a code from it scanned at the till needs no chooser', async () => {
    await testId('bo-page-create').click();
    const stockId = await create({
      stock_type: 'NORMAL',
      stock_name: '后台上传码券',
      goods_name: '全场通用',
      coupon_code_mode: 'MERCHANT_UPLOAD',
      value: '3',
      transaction_minimum: '0',
      max_coupons: '5000',
      merchant_logo_url: '',
    });
    const valid = Array.from({ length: 2_480 }, (_, i) => `BO${String(i).padStart(6, '0')}`);
    const lines = [...valid.slice(0, 1_000), ...valid.slice(0, 10), ...Array.from({ length: 10 }, (_, i) => `BAD*${i}`), ...valid.slice(1_000)];
    expect(lines).toHaveLength(2_500);
    await testId('bo-page-codes').click();
    await testId('bo-codes-stock').selectOption(stockId);
    await testId('bo-codes-file').setInputFiles({ name: 'store-codes.txt', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\n')) });
    expect(await testId('bo-codes-plan').textContent()).toContain('13');
    await testId('bo-codes-upload').click();
    await expect.poll(() => testId('bo-codes-progress').getAttribute('value'), { timeout: 120_000 }).toBe('13');
    await expect.poll(() => testId('bo-codes-message').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    const counts = testId('bo-codes-counts');
    expect([
      await counts.getAttribute('data-ok'),
      await counts.getAttribute('data-duplicate'),
      await counts.getAttribute('data-invalid'),
      await counts.getAttribute('data-pending'),
    ]).toEqual(['2480', '10', '10', '0']);
    expect((await held(stockId)).codes.map((c) => c.code).sort()).toEqual(valid);
    expect((await requestNumbers()).filter((r) => r.op.includes('upload') && r.target === stockId)).toHaveLength(13);

    const [download] = await Promise.all([page.waitForEvent('download'), testId('bo-codes-download').click()]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\r\n').filter((l) => l.includes(',ok,'))).toHaveLength(2_480);
    expect(csv).toContain('1002,BO000001,duplicate,与第 2 行重复');
    expect(csv).toContain('1011,BAD*0,invalid');
    await page.screenshot({ path: reportPath('backoffice-codes.png'), fullPage: true });

    await page.keyboard.press('Escape');
    await testId('manager-panel').waitFor({ state: 'detached' });
    await scannerBurst(page, valid[1_234] as string);
    await expect.poll(() => testId('scan-outcome').getAttribute('data-kind'), { timeout: 15_000 }).toBe('coupon');
  }, 240_000);

  it('sets and reads the notify URL (https only) and makes sending parameters the simulated plugin accepts', async () => {
    await page.keyboard.press('F8');
    await testId('manager-id').fill('TRAIN');
    await testId('manager-pin').fill('0000');
    await page.keyboard.press('Enter');
    await testId('manager-tab-backoffice').click();
    await testId('bo-page-callbacks').click();
    await expect.poll(() => testId('bo-callbacks-current').textContent()).toContain('还没有设置');
    await testId('bo-callbacks-url').fill('http://shop.example.com/wechat');
    await testId('bo-callbacks-problem').waitFor();
    expect(await testId('bo-callbacks-save').isDisabled()).toBe(true);
    await testId('bo-callbacks-url').fill('https://shop.example.com/wechat');
    await testId('bo-callbacks-save').click();
    await expect.poll(() => testId('bo-callbacks-current').textContent(), { timeout: 20_000 }).toContain('https://shop.example.com/wechat');

    await testId('bo-page-send').click();
    await testId(`bo-send-${normal}`).check();
    await testId('bo-send-make').click();
    await testId('bo-send-params').waitFor({ timeout: 20_000 });
    const params = JSON.parse((await testId('bo-send-params').textContent()) as string) as {
      send_coupon_params: { stock_id: string; out_request_no: string }[];
      send_coupon_merchant: string;
      sign: string;
    };
    const creds = await sim<{ files: { apiv2_key: string } }>('/_sim/credentials');
    const key = readFileSync(creds.files.apiv2_key, 'utf8').trim();
    const p0 = params.send_coupon_params[0]!;
    const text = `out_request_no0=${p0.out_request_no}&send_coupon_merchant=${params.send_coupon_merchant}&stock_id0=${normal}&key=${key}`;
    expect(params.sign).toBe(createHmac('sha256', key).update(text).digest('hex').toUpperCase());
    expect(await page.content()).not.toContain(key);
    const sent = await sim<{ send_coupon_result: { code: string }[] }>('/_sim/plugin-send', {
      ...params,
      appid: (await sim<{ appid: string }>('/_sim/credentials')).appid,
      openid: 'oBackofficePlugin',
    });
    expect(sent.send_coupon_result.map((r) => r.code)).toEqual(['SUCCESS']);
  }, 60_000);
});
