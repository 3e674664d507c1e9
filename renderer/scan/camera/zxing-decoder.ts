// zxing-wasm behind the BarcodeDecoder interface. Its .wasm is emitted into the app's own
// bundle and loaded from there: the library's default is a CDN, which a till offline (and
// the page's CSP, which allows no remote origin) would refuse.
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { BarcodeDecoder } from './decoder';

// Coupons are shown as QR codes (WECHATPAY_MODE) or Code 128 barcodes; reading only those
// two formats is faster and never mistakes a product's EAN for a coupon.
const OPTIONS: ReaderOptions = { formats: ['QRCode', 'Code128'], tryHarder: true, maxNumberOfSymbols: 1 };

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
      const results = await readBarcodes(frame, OPTIONS);
      return results.filter((r) => r.isValid && r.text !== '').map((r) => r.text);
    },
  };
}
