import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthCheckId } from '../../shared/contract';
import { startWebHost, type WebHost } from '../../electron/host/web';
import { launchChromium, reportPath } from '../helpers/browser';
import { testContext } from '../helpers/context';

let browser: Browser;
let host: WebHost;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  ctx = testContext('web');
  host = await startWebHost({ router: ctx.router, bus: ctx.bus, log: ctx.log, staticDir: resolve('dist/renderer') });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  ctx?.close();
});

describe('end to end on the web host (real Chromium)', () => {
  it('loads, shows its name and training mode, and health arrives through the router', async () => {
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && cspErrors.push(m.text()));
    await page.goto(host.launchUrl);
    await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('商家券收银台');
    await expect.poll(() => page.getByTestId('app-mode').textContent()).toBe('培训模式');
    await expect.poll(() => page.getByTestId('training-banner').isVisible()).toBe(true);
    // Every check the main process knows, including WeChat Pay (the till is not started here: "starting").
    await expect.poll(() => page.locator('[data-check]').count()).toBe(HealthCheckId.options.length);
    expect(await page.locator('[data-check="wechatpay"] .check-reason').textContent()).toContain('正在启动');
    expect(await page.locator('[data-check="keychain"] .check-reason').textContent()).toBe('可用');
    expect(await page.locator('[data-check="data_dir"] .check-reason').textContent()).toBe('可写入');
    // The launch token is taken out of the address bar once read.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: reportPath('e2e-smoke.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('app-name').textContent()).toBe('Merchant Coupon Till');
    expect(cspErrors.filter((e) => /Content Security Policy/.test(e))).toEqual([]);
    await page.close();
  });

  it('a page opened without the token cannot reach the router and says so', async () => {
    const page = await browser.newPage();
    await page.goto(host.url + '/');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('无法连接到收银服务');
    const status = await page.evaluate(async () => (await fetch('/api/call/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    expect(status).toBe(401);
    await page.close();
  });

  it('the CSP blocks inline script injected into the page', async () => {
    const page = await browser.newPage();
    await page.goto(host.launchUrl);
    await page.getByTestId('app-name').waitFor();
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.appendChild(s);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await page.close();
  });
});
