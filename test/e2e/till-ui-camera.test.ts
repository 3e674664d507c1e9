// UI test of webcam scanning in real Chromium: a fake camera plays a Y4M clip of a QR code
// that zxing-wasm (served from the app itself) reads, and the code reaches till.scan like a
// scanner's. The handlers below are this test's own fixed answers, not the till's services.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { PosError, type ScanResult } from '../../shared/contract';
import { EventBus } from '../../electron/host/event-bus';
import { createRouter, type Handlers } from '../../electron/host/router';
import { handlersWith } from '../helpers/handlers';
import { startWebHost, type WebHost } from '../../electron/host/web';
import { silentLogger } from '../../electron/log/logger';
import { launchChromium, reportPath, scannerBurst } from '../helpers/browser';

const CODE = 'CAMQR12345';
const W = 640;
const H = 480;

/** QR modules of `text` as rows of booleans (true = dark), from the writer's text rendering. */
async function qrModules(text: string): Promise<boolean[][]> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
  const out = await writeBarcode(text, { format: 'QRCode' });
  if (out.error) throw new Error(out.error);
  // Each character is one module wide and two tall: ' ' none, '▀' top, '▄' bottom, '█' both.
  const rows: boolean[][] = [];
  for (const line of out.utf8.split('\n').filter((l) => l.length > 0)) {
    const chars = Array.from(line);
    rows.push(chars.map((c) => c === '▀' || c === '█'));
    rows.push(chars.map((c) => c === '▄' || c === '█'));
  }
  return rows;
}

/** A Y4M clip (I420) of the QR code centred on a light background, as a phone screen held up to the camera. */
function y4mClip(modules: boolean[][], frames = 10): Buffer {
  const scale = 10;
  const size = (modules[0]?.length ?? 0) * scale;
  const x0 = Math.floor((W - size) / 2);
  const y0 = Math.floor((H - modules.length * scale) / 2);
  const y = Buffer.alloc(W * H, 220);
  modules.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) y.fill(24, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
    }),
  );
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]);
}

const scans: string[] = [];
const unused = async (): Promise<never> => {
  throw new PosError('NOT_PROVISIONED', 'not in this test');
};
const handlers: Handlers = handlersWith({
  'app.info': async () => ({
    name: '商家券收银台',
    version: '9.9.9',
    mode: 'training',
    host: 'web',
    dataDir: { kind: 'env', path: '/tmp/ui-test' },
    store: null,
    tillId: 'T01',
    largeAmountFen: 200_000,
  }),
  'app.health': async () => ({ status: 'ok', checkedAt: '2026-06-01T10:00:00+08:00', checks: [] }),
  'till.scan': async ({ raw }): Promise<ScanResult> => {
    scans.push(raw);
    if (raw !== CODE) return { kind: 'invalid', reason: { code: 'EMPTY_SCAN', params: {} } };
    const stock = {
      stockId: '1212000000000009',
      stockName: '摄像头测试券',
      stockType: 'NORMAL' as const,
      stockState: 'RUNNING',
      couponCodeMode: 'WECHATPAY_MODE',
      goodsName: '全场通用',
      discountAmountFen: 500,
      transactionMinimumFen: 0,
      availableBegin: '2026-01-01T00:00:00+08:00',
      availableEnd: '2026-12-31T23:59:59+08:00',
    };
    return { kind: 'coupon', coupon: { code: raw, stock, state: 'SENDED', usable: { ok: true }, source: 'wechat', availableStart: null, expire: null } };
  },
  'till.redeem': unused,
  'queue.list': async () => ({ online: true, pending: 0, parked: 0, items: [] }),
  'shift.current': async () => ({ shiftId: 'SH-1', tillId: 'T01', cashierIds: ['C001'], training: true, openedAt: '2026-06-01T09:00:00+08:00' }),
  'shift.open': unused,
});

let host: WebHost;
let camera: Browser;
let noCamera: Browser;

beforeAll(async () => {
  const clip = join(mkdtempSync(join(tmpdir(), 'till-camera-')), 'qr.y4m');
  writeFileSync(clip, y4mClip(await qrModules(CODE)));
  host = await startWebHost({ router: createRouter(handlers, silentLogger), bus: new EventBus(), log: silentLogger, staticDir: resolve('dist/renderer') });
  camera = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
  noCamera = await launchChromium();
});
afterAll(async () => {
  await camera?.close();
  await noCamera?.close();
  await host?.close();
});

describe('webcam scanning (UI test with a fake camera)', () => {
  it('F4 opens the camera, the QR code is read by the bundled zxing-wasm and looked up once; F4 closes it', async () => {
    const page = await camera.newPage({ viewport: { width: 1280, height: 800 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(host.launchUrl);
    await page.getByTestId('shift-line').waitFor();

    await page.keyboard.press('F4');
    await expect.poll(() => page.getByTestId('camera-panel').getAttribute('data-state')).toBe('on');
    await expect.poll(() => page.getByTestId('scan-outcome').getAttribute('data-kind'), { timeout: 15_000 }).toBe('coupon');
    expect(await page.getByTestId('coupon-value').textContent()).toBe('立减5');
    expect(scans).toEqual([CODE]);
    await page.screenshot({ path: reportPath('till-ui-camera-zh.png') });

    // The decoder came from the app itself, and nothing else was asked of any other origin.
    expect(requests.some((u) => u.startsWith(host.url) && u.endsWith('.wasm'))).toBe(true);
    expect(requests.filter((u) => !u.startsWith(host.url))).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy|wasm/i.test(e))).toEqual([]);

    await page.keyboard.press('F4');
    await expect.poll(() => page.getByTestId('camera-panel').getAttribute('data-state')).toBe('off');
    expect(await page.evaluate(() => document.querySelector('video')?.srcObject ?? null)).toBeNull();
    await page.close();
  });

  it('without a camera it says so in a sentence, and the rest of the till still works', async () => {
    const page = await noCamera.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.launchUrl);
    await page.getByTestId('shift-line').waitFor();
    await page.keyboard.press('F4');
    await expect.poll(() => page.getByTestId('camera-panel').getAttribute('data-state')).toBe('failed');
    expect(await page.getByTestId('camera-problem').textContent()).toMatch(/摄像头/);
    // The USB scanner still works (its key times fixed, so a loaded machine cannot make it typing).
    await scannerBurst(page, CODE);
    await expect.poll(() => page.getByTestId('scan-outcome').getAttribute('data-kind')).toBe('coupon');
    await page.close();
  });
});
