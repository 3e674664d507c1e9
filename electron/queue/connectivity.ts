// A cheap "can we reach WeChat Pay?" check for the drainer's offline mode: opening a TCP
// connection to the API host says whether requests can leave the till, without signing
// anything or spending an API call.
import { connect } from 'node:net';
import type { Scheduler } from './pacing';

export function tcpProbe(baseUrl: string, timeoutMs = 3_000): () => Promise<boolean> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return () =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      const done = (ok: boolean) => {
        socket.removeAllListeners();
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
}

/**
 * While the drainer is offline: probe every `intervalMs` until the probe succeeds, then say so
 * once. One loop at a time however often it is started; it stops by itself when `wanted()`
 * turns false (the drainer stopped, or came back online another way).
 */
export class ProbeLoop {
  #running = false;

  constructor(
    private readonly probe: () => Promise<boolean>,
    private readonly options: { scheduler: Scheduler; intervalMs: number; wanted: () => boolean; onReachable: () => void },
  ) {}

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#loop().finally(() => {
      this.#running = false;
    });
  }

  async #loop(): Promise<void> {
    const { scheduler, intervalMs, wanted, onReachable } = this.options;
    while (wanted()) {
      const ok = await this.probe().catch(() => false);
      if (!wanted()) return;
      if (ok) return onReachable();
      await new Promise<void>((resolve) => scheduler.setTimer(resolve, intervalMs));
    }
  }
}
