import type { PosApi } from '../../shared/contract';
import { createIpcTransport, type PreloadBridge } from './ipc-transport';
import { createWebTransport, takeLaunchToken } from './web-transport';

declare global {
  interface Window {
    pos?: PreloadBridge;
  }
}

/** The page does not care which host it runs in: Electron's preload bridge, or the web host. */
export function connectPosApi(): PosApi | null {
  if (window.pos) return createIpcTransport(window.pos);
  const token = takeLaunchToken();
  return token ? createWebTransport(token) : null;
}
