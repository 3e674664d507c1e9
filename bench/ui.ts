// `npm run bench:ui -- [--scans 50] [--warmup 5]`: the cashier's wait at the till. The web
// host runs in its own process in training mode (embedded simulator, fresh data dir); real
// Chromium opens the real till page, a shift is opened, and a keyboard-wedge "scanner" types
// seeded coupon codes. A sample runs from the scanner's Enter to the frame that shows the
// coupon card with that code, read from the page's own clock. When the till cannot tell a
// code's stock it lists the stocks first: the sample is then the wait for that list plus the
// wait from the cashier's pick to the card, never the pick itself. Nothing is redeemed.
// Last line: {"scans":N,"p50_ms":X,"p95_ms":Y}.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser';
import { argValue, percentile, round } from './support';

const SCANS = Number(argValue('scans') ?? 50);
const WARMUP = Number(argValue('warmup') ?? 5);
// A scan that has not settled by then is broken, not slow: the till's own timeout is shorter.
const SCAN_LIMIT_MS = 30_000;
// The pause a cashier leaves between customers; also well past the wedge's burst window, so
// two scans are never read as one.
const BETWEEN_SCANS_MS = 250;

if (!Number.isInteger(SCANS) || SCANS < 1) throw new Error('--scans must be a positive integer');
if (!Number.isInteger(WARMUP) || WARMUP < 0) throw new Error('--warmup must be a non-negative integer');

const log = (line: string) => process.stderr.write(`bench:ui ${line}\n`);

/** What the page reports for one armed Enter (times from the page's performance.now()). */
interface Sample {
  /** The Enter key event's own timestamp: when the key was sent, before any queueing in the page. */
  enterAt: number;
  /** A new outcome was committed to the DOM. */
  domAt: number;
  /** The frame carrying that DOM has been produced (the outcome is on screen from here). */
  frameAt: number;
  /** scan-outcome's data-kind then. */
  kind: string;
  /** The code on the coupon card, when a card is shown. */
  codeShown: string | null;
}

interface Probe {
  /** Times the next Enter up to the first outcome other than `leaving` (and idle or busy). */
  arm(leaving: string): void;
  result: Promise<Sample> | null;
}

type ProbeWindow = Window & { __benchUi?: Probe };

/**
 * Installed before the app's scripts, so its capture-phase keydown listener runs ahead of the
 * till's scanner wedge (listeners on one target fire in registration order). Serialised into
 * the page: it may use nothing from this module's scope.
 */
function installProbe(): void {
  let armed: { leaving: string; enterAt: number | null; domAt: number | null } | null = null;
  let finish: (s: Sample) => void = () => {};
  const probe: Probe = {
    arm(leaving) {
      armed = { leaving, enterAt: null, domAt: null };
      probe.result = new Promise<Sample>((res) => (finish = res));
    },
    result: null,
  };
  (window as ProbeWindow).__benchUi = probe;

  window.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'Enter' || !armed || armed.enterAt !== null) return;
      const now = performance.now();
      // timeStamp is when the browser made the event; fall back if it is not on this clock.
      armed.enterAt = e.timeStamp > 0 && e.timeStamp <= now ? e.timeStamp : now;
    },
    { capture: true },
  );

  const check = () => {
    const a = armed;
    if (!a || a.enterAt === null || a.domAt !== null) return;
    const outcome = document.querySelector('[data-testid="scan-outcome"]');
    const kind = outcome?.getAttribute('data-kind') ?? '';
    if (kind === '' || kind === 'idle' || kind === 'busy' || kind === a.leaving) return;
    const codeShown = outcome?.querySelector('[data-testid="coupon-card"] [data-testid="coupon-code"]')?.textContent ?? null;
    a.domAt = performance.now();
    const enterAt = a.enterAt;
    const domAt = a.domAt;
    // rAF runs just before the frame is produced; a task queued from it runs once that frame
    // (with the new outcome in it) has been handed on for display.
    requestAnimationFrame(() =>
      setTimeout(() => {
        armed = null;
        finish({ enterAt, domAt, frameAt: performance.now(), kind, codeShown });
      }, 0),
    );
  };
  // Started once the document exists: an init script runs before <html> is parsed.
  const observe = () =>
    new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-kind'] });
  if (document.documentElement) observe();
  else document.addEventListener('readystatechange', observe, { once: true });
}

function ensureRenderer(): void {
  if (existsSync(resolve('dist/renderer/index.html'))) {
    log('using the existing dist/renderer (rebuild with `npm run build:renderer` after renderer changes)');
    return;
  }
  log('dist/renderer is missing: building it');
  // Build output goes to stderr: stdout carries only the result line.
  const built = spawnSync('npm', ['run', '-s', 'build:renderer'], { stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error('npm run build:renderer failed');
}

const hasCommand = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/**
 * The host keeps the training merchant's keys in the system keychain. Like `npm test`, it gets
 * a private D-Bus session with a throwaway unlocked gnome-keyring, so the bench runs on a
 * headless machine and never writes into a desktop's real keychain.
 */
async function startHost(dataDir: string): Promise<{ child: ChildProcess; open: string }> {
  const serve = [process.execPath, '--import', 'tsx', 'electron/host/serve.ts'];
  const privateKeyring = hasCommand('dbus-run-session') && hasCommand('gnome-keyring-daemon');
  if (!privateKeyring) log('dbus-run-session or gnome-keyring-daemon missing: the host uses whatever keychain this session has');
  const [command, ...args] = privateKeyring
    ? ['dbus-run-session', '--', 'sh', '-c', 'printf %s bench-keyring-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"', ...serve]
    : serve;
  const xdg = { XDG_DATA_HOME: join(dataDir, 'xdg-data'), XDG_RUNTIME_DIR: join(dataDir, 'xdg-runtime') };
  for (const dir of Object.values(xdg)) mkdirSync(dir, { mode: 0o700 });
  const child = spawn(command!, args, {
    env: { ...process.env, POS_DATA_DIR: dataDir, ...(privateKeyring ? xdg : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
    // Its own process group: stopping it stops the host, the bus and the keyring together.
    detached: true,
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((res, rej) => {
    lines.once('line', res);
    child.once('exit', (code) => rej(new Error(`web host exited with ${code}`)));
  });
  // Anything else the host prints must not land between us and the result line.
  lines.on('line', (l) => process.stderr.write(`${l}\n`));
  const open = (JSON.parse(first) as { open?: unknown }).open;
  if (typeof open !== 'string') throw new Error(`web host printed no URL to open: ${first}`);
  return { child, open };
}

async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((res) => child.once('exit', res));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  await Promise.race([exited, new Promise((res) => setTimeout(res, 5_000))]);
}

interface Seeded {
  code: string;
  stockId: string;
}

/** SENDED coupons the simulator was seeded with, each in a stock the seed has. */
function seededCoupons(dataDir: string): Seeded[] {
  const seed = JSON.parse(readFileSync(join(dataDir, 'training-simulator', 'seed.json'), 'utf8')) as {
    stocks?: { stock_id?: unknown }[];
    coupons?: { SENDED?: { coupon_code?: unknown; stock_id?: unknown }[] };
  };
  const stocks = new Set((seed.stocks ?? []).map((s) => s.stock_id));
  const out: Seeded[] = [];
  for (const c of seed.coupons?.SENDED ?? []) {
    if (typeof c.coupon_code === 'string' && c.coupon_code !== '' && typeof c.stock_id === 'string' && stocks.has(c.stock_id))
      out.push({ code: c.coupon_code, stockId: c.stock_id });
  }
  if (out.length === 0) throw new Error('the training seed has no SENDED coupons');
  return out;
}

async function openShift(page: Page, open: string): Promise<void> {
  await page.goto(open);
  // The till services start after the page can load; the shift bar waits for them.
  await page.getByTestId('cashier-input').waitFor({ timeout: 30_000 });
  await page.getByTestId('cashier-input').fill('C001');
  await page.keyboard.press('Enter');
  await page.getByTestId('shift-line').waitFor({ timeout: 15_000 });
  await page.getByTestId('queue-panel').waitFor();
}

const outcomeKind = (page: Page) => page.getByTestId('scan-outcome').getAttribute('data-kind');

/** Arms the probe, lets `press` send the Enter, and returns what the page measured. */
async function timedEnter(page: Page, leaving: string, press: () => Promise<void>, what: string): Promise<Sample> {
  await page.evaluate((l) => (window as ProbeWindow).__benchUi?.arm(l), leaving);
  await press();
  let timer: NodeJS.Timeout | undefined;
  const sample = await Promise.race([
    page.evaluate(() => (window as ProbeWindow).__benchUi?.result ?? null),
    new Promise<null>((res) => (timer = setTimeout(() => res(null), SCAN_LIMIT_MS))),
  ]);
  clearTimeout(timer);
  if (!sample) throw new Error(`${what}: no new outcome within ${SCAN_LIMIT_MS} ms (screen shows ${await outcomeKind(page)})`);
  return sample;
}

interface ScanTiming {
  /** What the cashier waits for the till: Enter → card, not counting their own pick of a stock. */
  waitMs: number;
  /** The same, up to the DOM commit rather than the frame. */
  commitMs: number;
  /** Only when the till asked which stock: Enter → chooser on screen, and the pick's Enter → card. */
  chooser?: { toChooserMs: number; pickToCardMs: number };
}

const waited = (s: Sample) => s.frameAt - s.enterAt;
const committed = (s: Sample) => s.domAt - s.enterAt;

/**
 * One scan as a cashier makes it: the scanner's burst on a clear screen; if the till cannot
 * tell the coupon's stock it lists them and the cashier picks the right one with ↓ and Enter;
 * then the card; then Esc for the next customer.
 */
async function scanOnce(page: Page, { code, stockId }: Seeded): Promise<ScanTiming> {
  const scanned = await timedEnter(
    page,
    'idle',
    async () => {
      // Playwright sends each key as soon as the last one was delivered: a few ms apart, as a wedge types.
      await page.keyboard.type(code);
      await page.keyboard.press('Enter');
    },
    `scan of ${code}`,
  );
  let timing: ScanTiming;
  if (scanned.kind === 'choose_stock') {
    const ids = await page.locator('[data-testid="scan-outcome"] [role="option"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-stock-id')));
    const index = ids.indexOf(stockId);
    if (index < 0) throw new Error(`the stock list for ${code} does not offer its stock ${stockId}`);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    // The till reads the highlighted row when Enter comes: wait until the screen shows it.
    await page.locator(`[role="option"][aria-selected="true"][data-stock-id="${stockId}"]`).waitFor();
    const picked = await timedEnter(page, 'choose_stock', () => page.keyboard.press('Enter'), `stock pick for ${code}`);
    if (picked.kind !== 'coupon' || picked.codeShown !== code)
      throw new Error(`picking ${stockId} for ${code} showed ${picked.kind} (${picked.codeShown ?? 'no card'}), not its coupon card`);
    timing = {
      waitMs: waited(scanned) + waited(picked),
      commitMs: committed(scanned) + committed(picked),
      chooser: { toChooserMs: waited(scanned), pickToCardMs: waited(picked) },
    };
  } else if (scanned.kind === 'coupon' && scanned.codeShown === code) {
    timing = { waitMs: waited(scanned), commitMs: committed(scanned) };
  } else {
    // Anything but the coupon's card is not a wait for the card: the bench fails rather than time it.
    throw new Error(`scan of ${code} showed ${scanned.kind} (${scanned.codeShown ?? 'no card'}), not its coupon card`);
  }
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('[data-testid="scan-outcome"]')?.getAttribute('data-kind') === 'idle');
  await page.waitForTimeout(BETWEEN_SCANS_MS);
  return timing;
}

function spread(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label}: min ${round(sorted[0]!, 1)} p50 ${round(percentile(sorted, 50), 1)} p95 ${round(percentile(sorted, 95), 1)} max ${round(sorted.at(-1)!, 1)} ms`;
}

ensureRenderer();
const dataDir = mkdtempSync(join(tmpdir(), 'pos-bench-ui-'));
let host: ChildProcess | undefined;
let browser: Browser | undefined;
try {
  const started = await startHost(dataDir);
  host = started.child;
  // The host is in its own process group, so Ctrl-C on the bench would not reach it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (started.child.pid !== undefined) process.kill(-started.child.pid, 'SIGTERM');
      process.exit(130);
    });
  }
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // tsx (esbuild keepNames) wraps named functions in __name(…) calls; the serialised probe
  // carries them into the page, which has no such helper.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(installProbe);
  await openShift(page, started.open);
  const coupons = seededCoupons(dataDir);
  log(`web host ${started.open.replace(/#.*/, '')}, ${coupons.length} seeded SENDED coupons, ${WARMUP} warm-up + ${SCANS} timed scans`);

  for (let i = 0; i < WARMUP; i++) await scanOnce(page, coupons[i % coupons.length]!);

  const timings: ScanTiming[] = [];
  for (let i = 0; i < SCANS; i++) {
    timings.push(await scanOnce(page, coupons[(WARMUP + i) % coupons.length]!));
    if ((i + 1) % 10 === 0 || i + 1 === SCANS) log(`${i + 1}/${SCANS} scans, last ${round(timings.at(-1)!.waitMs, 1)} ms`);
  }

  const waits = timings.map((t) => t.waitMs);
  log(spread('Enter → card on screen', waits));
  log(
    spread(
      'Enter → card in the DOM',
      timings.map((t) => t.commitMs),
    ),
  );
  const chose = timings.flatMap((t) => (t.chooser ? [t.chooser] : []));
  if (chose.length > 0) {
    // The till could not tell these codes' stock and listed every stock: the figure above
    // is the two waits around the cashier's pick, without the pick itself.
    log(`${chose.length}/${timings.length} scans asked which stock (the cashier's own pick is not counted)`);
    log(
      spread(
        '  scan Enter → stock list on screen',
        chose.map((c) => c.toChooserMs),
      ),
    );
    log(
      spread(
        '  pick Enter → card on screen',
        chose.map((c) => c.pickToCardMs),
      ),
    );
  }
  const sorted = [...waits].sort((a, b) => a - b);
  process.stdout.write(`${JSON.stringify({ scans: waits.length, p50_ms: round(percentile(sorted, 50), 2), p95_ms: round(percentile(sorted, 95), 2) })}\n`);
} finally {
  await browser?.close();
  if (host) await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
}
