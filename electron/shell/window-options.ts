import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The renderer gets no Node, an isolated preload world and Chromium's sandbox. Tests pin
 * every one of these values; weakening one fails the suite. DevTools exist only in a
 * development build: in the store's installer a console would let anyone at the counter
 * call the main process's methods by hand.
 */
export function mainWindowOptions(preloadPath: string, build: { packaged: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#f5f5f5',
    title: '商家券收银台',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !build.packaged,
    },
  };
}
