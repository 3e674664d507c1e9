// zxing-wasm behind the BarcodeDecoder interface. Its .wasm is emitted into the app's own
// bundle and loaded from there: the library's default is a CDN, which a till offline (and
// the page's CSP, which allows no remote origin) would refuse.
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { BarcodeDecoder } from './decoder';
import { acceptedTexts, READER_OPTIONS } from './reader-options';

let ready: Promise<unknown> | null = null;

export async function loadZxingDecoder(): Promise<BarcodeDecoder> {
  ready ??= prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
    fireImmediately: true,
  }).catch((err: unknown) => {
    ready = null; // let a later attempt try again
    throw err;
  });
  await ready;
  return {
    async decode(frame) {
      return acceptedTexts(await readBarcodes(frame, READER_OPTIONS));
    },
  };
}
