// How the till asks zxing-wasm to read, kept free of DOM and Vite imports so that
// `npm run bench:decode` and the corpus test measure exactly what the camera runs.
import type { ReaderOptions, ReadResult } from 'zxing-wasm/reader';

// Coupons are shown as QR codes (WECHATPAY_MODE) or Code 128 barcodes; reading only those
// two formats is faster and never mistakes a product's EAN for a coupon.
export const READER_OPTIONS: Readonly<ReaderOptions> = Object.freeze<ReaderOptions>({
  formats: ['QRCode', 'Code128'],
  tryHarder: true,
  maxNumberOfSymbols: 1,
});

/** The texts the till accepts from one read: an invalid or empty symbol is no scan at all. */
export function acceptedTexts(results: readonly ReadResult[]): string[] {
  return results.filter((r) => r.isValid && r.text !== '').map((r) => r.text);
}
