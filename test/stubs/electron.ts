// Stand-in for the Electron module (its binary cannot be installed here). It records what
// the shell asks of Electron so tests can check the security wiring; it implements nothing
// beyond that.
import { EventEmitter } from 'node:events';

type Handler = (...args: unknown[]) => unknown;

export const calls = {
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, Handler>(),
  windows: [] as BrowserWindow[],
  opened: [] as string[],
  exposed: new Map<string, unknown>(),
  invoked: [] as { channel: string; payload: unknown }[],
  /** Every Menu.setApplicationMenu call, in order. */
  menus: [] as unknown[],
  devToolsClosed: 0,
  quit: 0,
};

class StubApp extends EventEmitter {
  lock = true;
  isPackaged = false;
  requestSingleInstanceLock() {
    return this.lock;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPath(_name: string) {
    return process.env.STUB_USER_DATA ?? '/nonexistent';
  }
  getVersion() {
    return '9.9.9-test';
  }
  quit() {
    calls.quit++;
  }
}
export const app = new StubApp();

export class WebContents extends EventEmitter {
  sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  url = '';
  destroyed = false;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.url;
  }
  closeDevTools() {
    calls.devToolsClosed++;
  }
  printed: { options: Record<string, unknown> }[] = [];
  async getPrintersAsync() {
    return [
      { name: 'RECEIPT-58', displayName: 'Receipt 58' },
      { name: 'Office A4', displayName: 'Office A4' },
    ];
  }
  print(options: Record<string, unknown>, callback: (ok: boolean, reason: string) => void) {
    this.printed.push({ options });
    const known = ['RECEIPT-58', 'Office A4'].includes(String(options.deviceName));
    callback(known, known ? '' : 'Invalid deviceName provided');
  }
}

export class BrowserWindow extends EventEmitter {
  webContents = new WebContents();
  loaded: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    calls.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.loaded = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
}

class StubIpcMain {
  handlers = new Map<string, Handler>();
  handle(channel: string, fn: Handler) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}
export const ipcMain = new StubIpcMain();

export const Menu = {
  setApplicationMenu: (menu: unknown) => void calls.menus.push(menu),
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => calls.schemes.push(...schemes),
  handle: (scheme: string, fn: Handler) => calls.protocolHandlers.set(scheme, fn),
};

class StubSession {
  permissionRequest: Handler | null = null;
  permissionCheck: Handler | null = null;
  devicePermission: Handler | null = null;
  setPermissionRequestHandler(h: Handler) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: Handler) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: Handler) {
    this.devicePermission = h;
  }
}
export const session = { defaultSession: new StubSession() };

export const shell = {
  openExternal: async (url: string) => {
    calls.opened.push(url);
  },
};

export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => calls.exposed.set(key, api),
};

class StubIpcRenderer extends EventEmitter {
  invoke(channel: string, payload: unknown) {
    calls.invoked.push({ channel, payload });
    return Promise.resolve({ channel });
  }
}
export const ipcRenderer = new StubIpcRenderer();

export default { app, BrowserWindow, ipcMain, Menu, protocol, session, shell, contextBridge, ipcRenderer };
