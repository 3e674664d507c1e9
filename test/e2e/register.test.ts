// The store's register connected: the web host in its own process (training, embedded
// simulator) with a register credential issued by posctl. The register opens an order over
// its API, the cashier's screen in Chromium shows it at once, the cashier scans two coupons,
// and the register's event stream and its read of the order report both.
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPosctl } from '../../electron/cli/posctl';
import type { OrderView } from '../../shared/contract';
import { launchChromium, reportPath, scannerBurst } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { startWebHostProcess } from '../helpers/web-host-process';

const dataDir = tempDir('pos-register-');
let host: ChildProcess;
let open: string;
let api: string;
let credential: string;
let browser: Browser;
let page: Page;
const events: OrderView[] = [];
const stopEvents = new AbortController();

async function call(method: string, input: unknown, token: string | null = credential) {
  const res = await fetch(`${api}/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: OrderView; error?: { code: string; message: string; refusal?: { code: string } } } };
}

/** The register following the till: every order.status event, read off the SSE stream. */
async function follow() {
  const res = await fetch(`${api}/events`, { headers: { Authorization: `Bearer ${credential}` }, signal: stopEvents.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const data = buf
            .slice(0, i)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as OrderView);
          buf = buf.slice(i + 2);
        }
      }
    } catch {
      // Aborted at the end of the test.
    }
  })();
}

beforeAll(async () => {
  const lines: string[] = [];
  expect(await runPosctl(['register', 'issue'], (l) => lines.push(l), { ...process.env, POS_DATA_DIR: dataDir })).toBe(0);
  credential = (JSON.parse(lines[0]!) as { credential: string }).credential;
  const started = await startWebHostProcess(dataDir, { POS_REGISTER_PORT: '0' });
  host = started.process;
  open = started.open;
  api = `${started.register}/register/v1`;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  stopEvents.abort();
  await browser?.close();
  host?.kill('SIGTERM');
});

describe('the register API', () => {
  it('needs its own credential, opens only the register methods, and refuses malformed orders with typed errors', async () => {
    expect((await call('order.current', {}, null)).status).toBe(401);
    expect((await call('order.current', {}, 'reg_wrong')).status).toBe(401);
    // The page's launch token is not a register credential either.
    expect((await call('order.current', {}, new URL(open).hash.slice('#token='.length))).status).toBe(401);
    for (const method of ['till.redeem', 'manager.status', 'queue.list', 'app.info', 'order.finish']) {
      expect(await call(method, {})).toMatchObject({ status: 403, body: { ok: false, error: { code: 'FORBIDDEN' } } });
    }
    for (const bad of [
      { amountFen: -100 },
      { amountFen: 12.5 },
      { amountFen: 0 },
      { amountFen: 100, outTradeNo: 'X'.repeat(33) },
      { amountFen: 100, coupons: [] },
      { amountFen: '100' },
    ]) {
      expect(await call('order.open', bad)).toMatchObject({ status: 400, body: { ok: false, error: { code: 'VALIDATION' } } });
    }
    const schema = await fetch(`${api}/schema`, { headers: { Authorization: `Bearer ${credential}` } });
    const body = (await schema.json()) as { methods: Record<string, { input: { properties: Record<string, unknown> } }> };
    expect(Object.keys(body.methods).sort()).toEqual(['order.cancel', 'order.current', 'order.get', 'order.open']);
    expect(Object.keys(body.methods['order.open']!.input.properties).sort()).toEqual(['amountFen', 'outTradeNo', 'tillId']);
    // A browser page on another site cannot drive it.
    const fromPage = await fetch(`${api}/call/order.current`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${credential}`, Origin: 'http://evil.example' },
      body: '{}',
    });
    expect(fromPage.status).toBe(403);
  });

  it('an order the register opens shows on the cashier screen at once; two coupons scanned; events and outcome report both', async () => {
    await follow();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(open);
    await page.getByTestId('cashier-input').waitFor({ timeout: 30_000 });
    await page.getByTestId('cashier-input').fill('C001');
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-line').waitFor();

    // An order for another till is refused by name.
    expect(await call('order.open', { amountFen: 100, tillId: 'T99' })).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    const opened = await call('order.open', { amountFen: 25_000, outTradeNo: 'REG20261129001', tillId: 'T01' });
    expect(opened).toMatchObject({ status: 200, body: { ok: true, value: { amountFen: 25_000, outTradeNo: 'REG20261129001', source: 'register', status: 'open' } } });
    const orderId = opened.body.value!.orderId;
    await expect.poll(() => page.getByTestId('order-payable').textContent(), { timeout: 10_000 }).toBe('¥250.00');
    expect(await page.getByTestId('amount-input').inputValue()).toBe('250.00');
    expect(await page.getByTestId('order-no-input').inputValue()).toBe('REG20261129001');
    await page.screenshot({ path: reportPath('e2e-register-order-zh.png') });

    const seed = JSON.parse(readFileSync(`${dataDir}/training-simulator/seed.json`, 'utf8')) as {
      coupons: { SENDED: { coupon_code: string; stock_id: string; stock_type: string; coupon_code_mode: string }[] };
      associated: { coupon_code: string }[];
    };
    const taken = new Set(seed.associated.map((c) => c.coupon_code));
    const [a, b] = seed.coupons.SENDED.filter((c) => c.stock_type === 'NORMAL' && c.coupon_code_mode === 'WECHATPAY_MODE' && !taken.has(c.coupon_code));
    for (const coupon of [a!, b!]) {
      await scannerBurst(page, coupon.coupon_code);
      await expect.poll(() => page.getByTestId('redeem-button').isEnabled(), { timeout: 15_000 }).toBe(true);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('redeem-feedback').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    }
    await expect.poll(() => page.getByTestId('order-coupon').count()).toBe(2);
    await page.screenshot({ path: reportPath('e2e-register-two-coupons-zh.png') });

    const outcome = await call('order.get', { orderId });
    expect(outcome.body.value).toMatchObject({ orderId, status: 'open', discountFen: 2000, payableFen: 23_000 });
    expect(outcome.body.value!.coupons.map((c) => [c.code, c.status, c.link?.status, c.discountFen])).toEqual([
      [a!.coupon_code, 'succeeded', 'succeeded', 1000],
      [b!.coupon_code, 'succeeded', 'succeeded', 1000],
    ]);
    for (const c of outcome.body.value!.coupons) expect(c.requestNo).toMatch(/^U/);
    await expect.poll(() => events.filter((e) => e.orderId === orderId).at(-1)?.coupons.length ?? 0, { timeout: 10_000 }).toBe(2);
    expect(events.some((e) => e.orderId === orderId && e.coupons.length === 0)).toBe(true);

    // Coupons were redeemed on it: the register cannot cancel it; the cashier finishes it.
    expect(await call('order.cancel', { orderId })).toMatchObject({ status: 409, body: { error: { code: 'STATE_CONFLICT', refusal: { code: 'ORDER_HAS_COUPONS' } } } });
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await call('order.get', { orderId })).body.value?.status).toBe('finished');
    // An order nothing was redeemed on can be cancelled by the register, and the screen lets it go.
    const spare = await call('order.open', { amountFen: 1_000 });
    await expect.poll(() => page.getByTestId('order-payable').textContent()).toBe('¥10.00');
    expect(await call('order.cancel', { orderId: spare.body.value!.orderId })).toMatchObject({ status: 200, body: { value: { status: 'cancelled' } } });
    await expect.poll(() => page.getByTestId('order-panel').getAttribute('data-status')).toBe('cancelled');
  }, 120_000);
});
