import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, protocol, session, shell, type WebContents } from 'electron';
import { createAppContext, type AppContext } from '../app/context';
import type { WindowPrinter } from '../app/printing';
import { forwardEvents, registerIpc } from '../host/ipc';
import { startRegisterApi } from '../register/start';
import { APP_ENTRY, APP_SCHEME } from './app-origin';
import { createAppProtocolHandler } from './protocol';
import { guardWebContents, installPermissionHandlers, lockDownPackaged } from './security';
import { mainWindowOptions } from './window-options';

export interface ShellPaths {
  /** Built renderer (index.html and assets). */
  rendererDir: string;
  /** Built CommonJS preload. */
  preloadPath: string;
}

/**
 * The Electron shell, kept thin: everything it does is security wiring around the same
 * AppContext the web host uses. Returns false when another instance already runs.
 */
export function startShell(paths: ShellPaths): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // Must happen before 'ready': app:// behaves like https (secure context, fetch, CSP).
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

  let win: InstanceType<typeof BrowserWindow> | null = null;
  let ctx: AppContext | null = null;

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, (url) => shell.openExternal(url), ctx?.log ?? { info() {}, warn() {}, error() {} });
  });

  void app.whenReady().then(() => {
    ctx = createAppContext({
      host: 'electron',
      electronUserData: app.getPath('userData'),
      resourcesPath: app.isPackaged ? process.resourcesPath : undefined,
      version: app.getVersion(),
    });
    protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.rendererDir));
    installPermissionHandlers(session.defaultSession, ctx.log);
    registerIpc(ipcMain, ctx.router, ctx.log);

    win = new BrowserWindow(mainWindowOptions(paths.preloadPath, { packaged: app.isPackaged }));
    if (app.isPackaged) lockDownPackaged((menu) => Menu.setApplicationMenu(menu), win.webContents);
    forwardEvents(ctx.bus, win.webContents);
    ctx.setPrinter(windowPrinter(win.webContents));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = null));
    void win.loadURL(APP_ENTRY);
    void ctx.startTill();
    void startRegisterApi(ctx);
  });

  app.on('window-all-closed', () => {
    // Lets in-flight WeChat Pay calls finish (or stay safely pending) before quitting.
    void (ctx?.close() ?? Promise.resolve()).finally(() => app.quit());
  });
  return true;
}

/** Electron's printing for the app's window: the slip the page lays out, on the chosen printer, no dialog. */
export function windowPrinter(contents: WebContents): WindowPrinter {
  return {
    printers: async () => (await contents.getPrintersAsync()).map((p) => p.name),
    print: ({ device, widthMm, heightMm }) =>
      new Promise<void>((resolve, reject) => {
        // Electron sizes a custom page in microns.
        const pageSize = { width: Math.round(widthMm * 1000), height: Math.round(heightMm * 1000) };
        contents.print({ silent: true, deviceName: device, pageSize, margins: { marginType: 'none' }, printBackground: false }, (ok, reason) =>
          ok ? resolve() : reject(new Error(reason || 'print failed')),
        );
      }),
  };
}

export const defaultShellPaths = (baseDir: string): ShellPaths => ({
  rendererDir: join(baseDir, '..', 'renderer'),
  preloadPath: join(baseDir, 'preload.cjs'),
});
