import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { channelFor, eventChannel, methodNames } from '../../shared/contract';
import type { Logger } from '../log/logger';
import type { EventBus } from './event-bus';
import type { Router } from './router';
import { isAppUrl } from '../shell/app-origin';

/** Only the app's own top-level page may call the main process. */
export function isTrustedSender(frame: WebFrameMain | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  return isAppUrl(frame.url);
}

/**
 * Electron transport: one handler per contract method (never a generic channel). Each
 * checks the sender frame, then hands the payload to the router, which validates it.
 */
export function registerIpc(ipcMain: IpcMain, router: Router, log: Logger): () => void {
  for (const method of methodNames) {
    ipcMain.handle(channelFor(method), async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        log.warn('ipc.untrusted_sender', { method, url: event.senderFrame?.url?.slice(0, 200) });
        return { ok: false, error: { code: 'FORBIDDEN', message: 'caller is not the app page' } };
      }
      return router.call(method, payload, { transport: 'ipc' });
    });
  }
  return () => methodNames.forEach((m) => ipcMain.removeHandler(channelFor(m)));
}

/** Pushes bus events to one window's page for as long as it lives. */
export function forwardEvents(bus: EventBus, contents: WebContents): void {
  const unsubscribe = bus.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(eventChannel, { event, payload });
  });
  contents.once('destroyed', unsubscribe);
}
