import type { Session, WebContents } from 'electron';
import type { Logger } from '../log/logger';
import { isAppUrl } from './app-origin';

/** External pages the app may hand to the OS browser; everything else is refused. */
export const EXTERNAL_ALLOW_LIST = ['https://pay.weixin.qq.com/'];

export function isAllowedExternal(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && EXTERNAL_ALLOW_LIST.some((p) => u.href.startsWith(p));
  } catch {
    return false;
  }
}

type MediaDetails = { mediaTypes?: string[]; mediaType?: string; securityOrigin?: string; requestingUrl?: string };

/** Camera only (for the webcam scanner), only for the app's own page; every other permission is denied. */
export function isPermissionAllowed(permission: string, requestingUrl: string, details: MediaDetails): boolean {
  if (permission !== 'media' || !isAppUrl(requestingUrl)) return false;
  const types = details.mediaTypes ?? (details.mediaType ? [details.mediaType] : []);
  return types.length > 0 && types.every((t) => t === 'video');
}

export function installPermissionHandlers(session: Session, log: Logger): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), details as MediaDetails);
    if (!allowed) log.warn('permission.denied', { permission });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, (details as MediaDetails).requestingUrl ?? requestingOrigin, details as MediaDetails),
  );
  session.setDevicePermissionHandler(() => false);
}

/**
 * No navigation away from the app, no new windows, no webviews. External links that are
 * on the allow-list open in the OS browser; anything else is dropped and logged.
 */
export function guardWebContents(contents: WebContents, openExternal: (url: string) => Promise<void>, log: Logger): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log.warn('navigation.blocked', { url: url.slice(0, 200) });
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void openExternal(url);
    else log.warn('window_open.blocked', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
}

type KeyInput = { type: string; key: string; control: boolean; meta: boolean; shift: boolean; alt: boolean };

/**
 * Chromium's reload and DevTools shortcuts. The cashier's own keys (F1–F4, F8, F9, Enter, Esc)
 * are not among them. Matched on `key`, so Ctrl+Shift+I is `I` with shift held.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.length === 1 ? input.key.toUpperCase() : input.key;
  if (key === 'F5' || key === 'F12' || key === 'BrowserRefresh') return true;
  const mod = input.control || input.meta;
  if (mod && key === 'R') return true;
  // Ctrl+Shift+I/J/C (Windows, Linux) and Cmd+Alt+I/J/C (macOS) open DevTools panes.
  return mod && (input.shift || input.alt) && (key === 'I' || key === 'J' || key === 'C');
}

/** Packaged builds: no application menu (it carries Reload and Toggle Developer Tools) and no such shortcuts. */
export function lockDownPackaged(setApplicationMenu: (menu: null) => void, contents: WebContents): void {
  setApplicationMenu(null);
  contents.on('before-input-event', (event, input) => {
    if (isBlockedShortcut(input)) event.preventDefault();
  });
  // Belt and braces: devTools is off in the window options, so this should never fire.
  contents.on('devtools-opened', () => contents.closeDevTools());
}
