// A cheap "can we reach WeChat Pay?" check for the drainer's offline mode: opening a TCP
// connection to the API host says whether requests can leave the till, without signing
// anything or spending an API call.
import { connect } from 'node:net';

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
