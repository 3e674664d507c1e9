import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPosctl } from '../../electron/cli/posctl';
import { launchChromium, reportPath } from '../helpers/browser';
import { tempDir } from '../helpers/context';
import { freePort, startEventsServerProcess, stopProcess, type EventsServerProcess } from '../helpers/events-server-process';
import { startWebHostProcess } from '../helpers/web-host-process';

// The whole path in real processes: a till (the web host, training mode on its embedded
// simulator) configured with an events server; the server provisioned with the same merchant
// keys; a customer receives a coupon through the simulator's admin API; the simulator delivers
// COUPON.SEND to the server; the cashier scans the code and the card shows the right stock and
// WeChat's state at once, no stock chooser. Then the server goes away: a new code falls back to
// what the till knows (the chooser), the card says 未核实, and health says the server is unreachable.
const tillDir = tempDir('pos-events-till-');
const serverDir = tempDir('pos-events-server-');
let host: ChildProcess;
let open: string;
let server: EventsServerProcess | undefined;
let browser: Browser;
let page: Page;
let simUrl: string;
let adminToken: string;

async function posctl(dataDir: string, ...argv: string[]) {
  const lines: string[] = [];
  const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: dataDir });
  return { code, out: JSON.parse(lines.at(-1)!) };
}

async function sim(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const auth = { authorization: `Bearer ${adminToken}` };
  const res = await fetch(
    `${simUrl}${path}`,
    body === undefined ? { headers: auth } : { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  return (await res.json()) as Record<string, unknown>;
}

const seed = () => JSON.parse(readFileSync(join(tillDir, 'training-simulator', 'seed.json'), 'utf8'));

async function receive(stockId: string, userId: string): Promise<string> {
  const answer = (await sim('/_sim/receive', { stock_id: stockId, user_id: userId })) as { send_coupon_result?: { coupon_code: string } };
  if (!answer.send_coupon_result) throw new Error(`receive refused: ${JSON.stringify(answer)}`);
  return answer.send_coupon_result.coupon_code;
}

/** Typed into the code field (F1) rather than as a scanner burst: a loaded machine must not split the code. */
async function scan(code: string) {
  await page.getByTestId('scan-input').fill(code);
  await page.getByTestId('scan-input').press('Enter');
  await expect.poll(() => page.getByTestId('scan-outcome').getAttribute('data-kind'), { timeout: 20_000 }).toMatch(/coupon|choose_stock|not_found/);
}

beforeAll(async () => {
  const port = await freePort();
  // IT's steps, in order: a credential for the till on the server side, then the till pointed at the server.
  const cred = join(tempDir('pos-events-cred-'), 'T01.credential');
  expect((await posctl(serverDir, 'events', 'till', 'add', '--till', 'T01', '--store', 'S001', '--out', cred)).code).toBe(0);
  // The server is not up yet: the till is configured anyway and says it could not reach it. A generous budget: a loaded CI machine must not turn a lookup into 未核实.
  const configured = await posctl(tillDir, 'till', 'events', '--url', `http://127.0.0.1:${port}`, '--credential-file', cred, '--budget-ms', '5000');
  expect(configured).toMatchObject({ code: 0, out: { events: { server: 'unreachable' } } });

  ({ process: host, open } = await startWebHostProcess(tillDir));
  // Training provisions the till against its embedded simulator; the server gets the same merchant's keys.
  // Its admin address and this start's admin token are in training-simulator/admin.json.
  const adminFile = join(tillDir, 'training-simulator', 'admin.json');
  for (let i = 0; !(existsSync(join(tillDir, 'training-simulator', 'seed.json')) && existsSync(adminFile)); i++) {
    if (i > 300) throw new Error('the till did not start its training simulator');
    await new Promise((r) => setTimeout(r, 100));
  }
  ({ base_url: simUrl, admin_token: adminToken } = JSON.parse(readFileSync(adminFile, 'utf8')) as { base_url: string; admin_token: string });
  const creds = join(tempDir('pos-events-creds-'), 'creds.json');
  writeFileSync(creds, JSON.stringify(await sim('/_sim/credentials')));
  expect((await posctl(serverDir, 'provision', '--creds', creds, '--training')).code).toBe(0);
  server = await startEventsServerProcess(serverDir, ['--port', String(port)]);
  await sim('/_sim/settings', { allow_http_callbacks: true });
  // WeChat takes https only: refused here as bad usage, before anything is sent.
  expect((await posctl(serverDir, 'events', 'callback', 'set', '--url', server.notifyUrl)).code).toBe(2);
  const callback = await posctl(serverDir, 'events', 'callback', 'set', '--url', server.notifyUrl.replace('http:', 'https:'));
  expect(callback).toMatchObject({ code: 0, out: { callback: { notify_url: server.notifyUrl.replace('http:', 'https:') } } });
  expect((await posctl(serverDir, 'events', 'callback', 'get')).out.callback.notify_url).toBe(server.notifyUrl.replace('http:', 'https:'));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stopProcess(server?.process);
  await stopProcess(host);
});

describe('coupon events end to end (web host, simulator, events server)', () => {
  it('a coupon the customer just received is recognised at once: right stock, WeChat state, no chooser; without the server the card says 未核实', async () => {
    const s = seed();
    const stock = s.stocks.find((x: { stock_type: string; coupon_code_mode: string }) => x.stock_type === 'NORMAL' && x.coupon_code_mode === 'WECHATPAY_MODE');
    const code = await receive(stock.stock_id, s.users[0].user_id);
    await expect
      .poll(async () => ((await sim('/_sim/notifications')).data as { coupon_code: string; state: string }[]).find((r) => r.coupon_code === code)?.state, { timeout: 20_000 })
      .toBe('delivered');

    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(open);
    await page.getByTestId('cashier-input').waitFor({ timeout: 30_000 });
    await page.getByTestId('cashier-input').fill('C001');
    await page.keyboard.press('Enter');
    await page.getByTestId('shift-line').waitFor();
    await page.getByTestId('amount-input').focus();
    await page.keyboard.type('88', { delay: 120 });

    await scan(code);
    expect(await page.getByTestId('scan-outcome').getAttribute('data-kind')).toBe('coupon');
    expect(await page.getByTestId('coupon-stock-name').textContent()).toBe(stock.stock_name);
    expect(await page.getByTestId('coupon-state').textContent()).toContain('已发放，未使用');
    // The directory told the stock and owner, so WeChat Pay was asked: the card is verified.
    expect(await page.getByTestId('coupon-state').getAttribute('data-verified')).toBe('true');
    expect(await page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('verified');
    await page.screenshot({ path: reportPath('e2e-events-scan.png') });

    // The server goes away; a coupon received meanwhile is new to the till and cannot be verified.
    await stopProcess(server?.process, 'SIGKILL');
    const offline = await receive(stock.stock_id, s.users[1].user_id);
    await scan(offline);
    expect(await page.getByTestId('scan-outcome').getAttribute('data-kind')).toBe('choose_stock');
    await page.getByRole('option').filter({ hasText: stock.stock_name }).first().click();
    await expect.poll(() => page.getByTestId('scan-outcome').getAttribute('data-kind'), { timeout: 20_000 }).toBe('coupon');
    await expect.poll(() => page.getByTestId('coupon-usable').getAttribute('data-verdict')).toBe('unverified');
    expect(await page.getByTestId('coupon-usable').textContent()).toContain('未核实');
    await page.screenshot({ path: reportPath('e2e-events-unverified.png') });

    await page.reload();
    await expect.poll(() => page.locator('[data-check="events"]').getAttribute('class'), { timeout: 20_000 }).toBe('status-warn');
    expect(await page.locator('[data-check="events"] .check-reason').textContent()).toContain('连不上券目录服务器');
  }, 120_000);
});
