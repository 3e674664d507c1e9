// The decode worker: a camera frame arrives as a VideoFrame or ImageBitmap (transferred), is drawn once into
// an OffscreenCanvas for its pixels and decoded by the pipeline within the frame budget. The
// page's thread only grabs frames and draws; all the pixel work and zxing-wasm live here.
// zxing-wasm's .wasm is emitted into the app's own bundle and loaded from there: the library's
// default is a CDN, which a till offline (and the CSP, which allows no remote origin) refuses.
import { prepareZXingModule } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { decodeFrame, FRAME_BUDGET_MS } from './pipeline';
import type { CameraFrame } from './decoder';
import type { FromWorker, ToWorker } from './worker-protocol';

// The renderer is typed against the DOM library; a worker's global needs only these two.
const scope = self as unknown as { postMessage(message: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };

let canvas: OffscreenCanvas | null = null;
let g: OffscreenCanvasRenderingContext2D | null = null;

/** The frame's RGBA pixels: the colour conversion happens here, not on the page's thread. */
function pixelsOf(frame: CameraFrame): ImageData {
  const width = 'displayWidth' in frame ? frame.displayWidth : frame.width;
  const height = 'displayHeight' in frame ? frame.displayHeight : frame.height;
  if (!canvas || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    g = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!g) throw new Error('no 2D context in the worker');
  g.drawImage(frame, 0, 0, width, height);
  return g.getImageData(0, 0, width, height);
}

const ready = prepareZXingModule({
  overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  fireImmediately: true,
});
ready.then(
  () => scope.postMessage({ type: 'ready' }),
  (err: unknown) => scope.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
);

// Where the schedule stopped on the last frame: the next one starts there.
let resumeAt = 0;

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type !== 'frame') return;
  void (async () => {
    let reply: FromWorker;
    try {
      await ready;
      const frame = pixelsOf(msg.frame);
      const read = await decodeFrame({ frame, roi: msg.roi, budgetMs: FRAME_BUDGET_MS, firstPass: resumeAt });
      resumeAt = read.resumeAt;
      reply = { type: 'result', id: msg.id, text: read.text, format: read.format, pass: read.pass, ms: read.ms };
    } catch {
      reply = { type: 'result', id: msg.id, text: null, format: null, pass: null, ms: 0 };
    } finally {
      msg.frame.close();
    }
    scope.postMessage(reply);
  })();
};
