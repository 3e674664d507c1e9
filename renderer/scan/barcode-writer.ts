// Barcodes the till draws itself (the practice sheet, the scanner test code), with zxing-wasm's
// writer. Like the reader, its .wasm comes from the app's own bundle, never a CDN, and is only
// loaded when a sheet with codes is opened.
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import wasmUrl from 'zxing-wasm/writer/zxing_writer.wasm?url';

export type DrawnFormat = 'QRCode' | 'Code128';

let ready: Promise<unknown> | null = null;

/** The code as an SVG image URL (the page's CSP allows data: images, not inline markup). */
export async function barcodeImage(text: string, format: DrawnFormat): Promise<string> {
  ready ??= prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
    fireImmediately: true,
  }).catch((err: unknown) => {
    ready = null;
    throw err;
  });
  await ready;
  // With its quiet zones, so a code at the sheet's edge still reads; whole pixels per module, never blurred by scaling.
  const out = await writeBarcode(text, { format, scale: format === 'QRCode' ? 3 : 2, addQuietZones: true });
  if (out.error) throw new Error(out.error);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(format === 'Code128' ? lowered(out.svg, BAR_HEIGHT_PX) : out.svg)}`;
}

/** A barcode's bars as tall as a QR code beside it: squeezed vertically only, so no bar changes width. */
const BAR_HEIGHT_PX = 72;

function lowered(svg: string, height: number): string {
  return svg.replace(/<svg width="(\d+)" height="(\d+)"/, (_m, w: string, h: string) => `<svg width="${w}" height="${height}" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none"`);
}
