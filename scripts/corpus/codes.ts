// The codes a customer shows at the till: WeChat-assigned coupon codes (22 digits) and
// merchant codes (letters, digits and `-_/=`, up to 32), drawn as QR or Code 128 modules by
// zxing-wasm's own writer so the symbols are exactly what a phone would display.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import type { CorpusRandom } from './random';

export type CodeFormat = 'QR_CODE' | 'CODE_128';

/** A symbol's modules: `dark[y * width + x]`; a Code 128 symbol is one row. */
export interface Modules {
  width: number;
  height: number;
  dark: Uint8Array;
}

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PUNCT = '-_/=';

function draw(rng: CorpusRandom, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/** A coupon code text in one of the shapes WeChat coupons carry. */
export function couponText(rng: CorpusRandom): string {
  const shape = rng.int(0, 5);
  switch (shape) {
    case 0:
    case 1:
      // WECHATPAY_MODE: 22 digits.
      return draw(rng, DIGITS, 22);
    case 2:
      // A merchant's numbered code, e.g. "SHOP2025-00012345".
      return `${draw(rng, LETTERS.slice(0, 26), rng.int(2, 5))}${draw(rng, DIGITS, 4)}-${draw(rng, DIGITS, rng.int(6, 10))}`;
    case 3:
      // A base64-like token, as merchants generating codes from random bytes send them.
      return `${draw(rng, LETTERS + DIGITS + '_-', rng.int(10, 18))}${rng.chance(0.5) ? '==' : '='}`;
    case 4:
      // Paths and separators: "VIP/2025/a8_K3-x".
      return `${draw(rng, LETTERS, 3)}/${draw(rng, DIGITS, 4)}/${draw(rng, LETTERS + DIGITS, rng.int(3, 8))}_${draw(rng, LETTERS + DIGITS + PUNCT, rng.int(2, 6))}`;
    default:
      // Anything from the merchant set, up to the 32-character limit.
      return draw(rng, LETTERS + DIGITS + PUNCT, rng.int(8, 32));
  }
}

let ready: Promise<unknown> | null = null;

export async function symbolOf(text: string, format: CodeFormat, qrLevel: 'L' | 'M' | 'Q' = 'M'): Promise<Modules> {
  ready ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
    return prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
  })();
  await ready;
  const out = await writeBarcode(text, { format: format === 'QR_CODE' ? 'QRCode' : 'Code128', withQuietZones: false, options: format === 'QR_CODE' ? `ecLevel=${qrLevel}` : '' });
  if (out.error) throw new Error(`writer refused ${JSON.stringify(text)}: ${out.error}`);
  const { width, data } = out.symbol;
  // The writer gives 1-D symbols a height; one row of modules is all a barcode is.
  const height = format === 'CODE_128' ? 1 : out.symbol.height;
  const dark = new Uint8Array(width * height);
  for (let i = 0; i < dark.length; i++) dark[i] = data[i] === 0 ? 1 : 0;
  return { width, height, dark };
}
