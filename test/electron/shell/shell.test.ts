import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { channelFor, eventChannel, methodNames } from '../../../shared/contract';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { PinBook } from '../../../electron/staff/pin-book';
import { tempDir } from '../../helpers/context';

vi.mock('electron', async () => await import('../../stubs/electron'));

const electron = await import('../../stubs/electron');
const { startShell } = await import('../../../electron/shell/start');
const { mainWindowOptions } = await import('../../../electron/shell/window-options');
const { isPermissionAllowed } = await import('../../../electron/shell/security');

const rendererDir = tempDir();
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
mkdirSync(join(rendererDir, 'assets'));
writeFileSync(join(rendererDir, 'assets', 'a.js'), 'console.log(1)');
const outside = tempDir();
writeFileSync(join(outside, 'secret.txt'), 'not for the page');

let win: InstanceType<typeof electron.BrowserWindow>;

beforeAll(async () => {
  process.env.STUB_USER_DATA = tempDir();
  process.env.POS_DATA_DIR = process.env.STUB_USER_DATA;
  expect(startShell({ rendererDir, preloadPath: '/app/preload.cjs' })).toBe(true);
  await new Promise((r) => setTimeout(r, 20));
  win = electron.calls.windows[0]!;
});

describe('Electron shell security', () => {
  it('creates the window with isolation, sandbox and no Node — exactly these values', () => {
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(win.options).toEqual(mainWindowOptions('/app/preload.cjs', { packaged: false }));
    expect(win.loaded).toBe('app://pos/index.html');
  });

  it('a development build keeps DevTools and the default menu', () => {
    expect((win.options.webPreferences as Record<string, unknown>).devTools).toBe(true);
    expect(electron.calls.menus).toEqual([]);
    expect(win.webContents.listenerCount('before-input-event')).toBe(0);
  });

  it('registers app:// as a secure standard scheme and serves only the renderer with the CSP', async () => {
    expect(electron.calls.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
    const handle = electron.calls.protocolHandlers.get('app') as (r: Request) => Promise<Response>;
    const page = await handle(new Request('app://pos/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect((await handle(new Request('app://pos/assets/a.js'))).status).toBe(200);
    const rel = `app://pos/${'..%2F'.repeat(8)}${outside.slice(1)}/secret.txt`;
    const escaped = await handle(new Request(rel));
    expect([403, 404]).toContain(escaped.status);
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('grants only the camera, only to the app page', () => {
    const s = electron.session.defaultSession;
    const ask = (permission: string, url: string, details: Record<string, unknown>) =>
      new Promise<boolean>((res) => s.permissionRequest!({ getURL: () => url }, permission, res, { requestingUrl: url, ...details }));
    return Promise.all([
      expect(ask('media', 'app://pos/index.html', { mediaTypes: ['video'] })).resolves.toBe(true),
      expect(ask('media', 'app://pos/index.html', { mediaTypes: ['audio'] })).resolves.toBe(false),
      expect(ask('media', 'app://pos/index.html', { mediaTypes: ['video', 'audio'] })).resolves.toBe(false),
      expect(ask('media', 'https://evil.example/', { mediaTypes: ['video'] })).resolves.toBe(false),
      ...['geolocation', 'notifications', 'clipboard-read', 'midi', 'openExternal', 'hid', 'serial', 'usb'].map((p) =>
        expect(ask(p, 'app://pos/index.html', {})).resolves.toBe(false),
      ),
    ]).then(() => {
      expect(s.permissionCheck!(null, 'media', 'app://pos', { requestingUrl: 'app://pos/', mediaType: 'video' })).toBe(true);
      expect(s.permissionCheck!(null, 'geolocation', 'app://pos', { requestingUrl: 'app://pos/' })).toBe(false);
      expect(s.devicePermission!({ deviceType: 'usb' })).toBe(false);
      expect(isPermissionAllowed('media', 'file:///etc/passwd', { mediaTypes: ['video'] })).toBe(false);
    });
  });

  it('blocks navigation away from the app, new windows and webviews', () => {
    const wc = win.webContents;
    const fire = (name: string, url?: string) => {
      let prevented = false;
      wc.emit(name, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'app://pos/index.html')).toBe(false);
    expect(fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'https://pay.weixin.qq.com/index.php' })).toEqual({ action: 'deny' });
    expect(electron.calls.opened).toEqual(['https://pay.weixin.qq.com/index.php']);
    expect(wc.windowOpenHandler!({ url: 'https://pay.weixin.qq.com.evil.example/' })).toEqual({ action: 'deny' });
    expect(electron.calls.opened).toHaveLength(1);
  });

  it('registers one IPC channel per contract method, and answers only the app page', async () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(methodNames.map(channelFor).sort());
    const handler = electron.ipcMain.handlers.get(channelFor('app.info'))!;
    const ok = await handler({ senderFrame: { url: 'app://pos/index.html', parent: null } }, {});
    expect(ok).toMatchObject({ ok: true, value: { host: 'electron', version: '9.9.9-test', mode: 'training' } });
    for (const frame of [{ url: 'https://evil.example/', parent: null }, { url: 'app://pos/index.html', parent: {} }, { url: 'file:///index.html', parent: null }, null]) {
      expect(await handler({ senderFrame: frame }, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('forwards main-process events to the page', async () => {
    const ctxHealth = await electron.ipcMain.handlers.get(channelFor('app.health'))!({ senderFrame: { url: 'app://pos/index.html', parent: null } }, {});
    expect(ctxHealth).toMatchObject({ ok: true });
    expect(win.webContents.sent.some((m) => m.channel === eventChannel && (m.payload as { event: string }).event === 'app.health')).toBe(true);
  });

  it('keeps a single instance: a second start quits', () => {
    electron.app.lock = false;
    const quits = electron.calls.quit;
    expect(startShell({ rendererDir, preloadPath: '/x' })).toBe(false);
    expect(electron.calls.quit).toBe(quits + 1);
    electron.app.lock = true;
  });

  it('stub sanity: the window is an EventEmitter the shell listens on', () => {
    expect(win.webContents).toBeInstanceOf(EventEmitter);
    expect(win.webContents.listenerCount('will-navigate')).toBeGreaterThan(0);
  });

  it('200 sign-ins at once over IPC (199 wrong PINs, the right one last): nobody signs in, at most five PINs are checked', async () => {
    const { profileId } = JSON.parse(readFileSync(join(process.env.STUB_USER_DATA!, 'settings.json'), 'utf8')) as { profileId: string };
    const secrets = new KeytarSecretStore(profileId);
    await new PinBook(secrets).set('M01', '482913');
    const signIn = electron.ipcMain.handlers.get(channelFor('manager.signIn'))!;
    const page = { senderFrame: { url: 'app://pos/index.html', parent: null } };
    const pins = [...Array.from({ length: 199 }, (_, i) => String(100_000 + i)), '482913'];
    const replies = (await Promise.all(pins.map((pin) => signIn(page, { managerId: 'M01', pin })))) as { ok: boolean; error?: { code: string } }[];
    expect(replies.filter((r) => r.ok)).toEqual([]);
    expect(replies.filter((r) => r.error?.code === 'PIN_REJECTED').length).toBeLessThanOrEqual(5);
    expect(replies.at(-1)).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    expect(await signIn(page, { managerId: 'M01', pin: '482913' })).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    expect(await electron.ipcMain.handlers.get(channelFor('offline.policy'))!(page, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await secrets.delete('manager_pin_hash');
  }, 60_000);
});
