// The BarcodeDecoder the app uses: the decoding pipeline in a module worker (built by Vite and
// served from the app's own origin, so the CSP's `worker-src 'self'` admits it). One frame is
// in flight at a time; the camera loop waits for its answer before grabbing the next.
import type { BarcodeDecoder } from './decoder';
import type { FromWorker, ToWorker } from './worker-protocol';

export async function loadWorkerDecoder(signal?: AbortSignal): Promise<BarcodeDecoder> {
  const worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module', name: 'barcode-decoder' });
  const pending = new Map<number, (texts: string[]) => void>();
  let nextId = 1;
  try {
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) reject(new Error('decoder no longer wanted'));
      signal?.addEventListener('abort', () => reject(new Error('decoder no longer wanted')), { once: true });
      worker.onerror = (e) => reject(new Error(e.message || 'decoder worker failed to start'));
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type === 'ready') resolve();
        else if (e.data.type === 'failed') reject(new Error(e.data.message));
      };
    });
  } catch (err) {
    worker.terminate();
    throw err;
  }
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    if (msg.type !== 'result') return;
    pending.get(msg.id)?.(msg.text === null ? [] : [msg.text]);
    pending.delete(msg.id);
  };
  return {
    decode(frame, roi) {
      const id = nextId++;
      return new Promise<string[]>((resolve) => {
        pending.set(id, resolve);
        const msg: ToWorker = { type: 'frame', id, frame, roi };
        worker.postMessage(msg, [frame]);
      });
    },
    close() {
      worker.terminate();
      for (const resolve of pending.values()) resolve([]);
      pending.clear();
    },
  };
}
