// Restoring a blurred 1-D code (renderer/scan/camera/deblur.ts) on synthetic windows: a Code 128
// drawn from zxing-wasm's writer, blurred the way a moving hand blurs it, then restored and read
// with the options the pipeline uses; and the line-count rule that makes two stripes agree.
import { readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareNodeReader } from '../../../bench/corpus';
import { symbolOf } from '../../../scripts/corpus/codes';
import { deconvolve, profileOf, restoredBars, spectrumOf, STRIPE_ROWS, twoLevelDistance } from '../../../renderer/scan/camera/deblur';
import { newLuma, rgbaOf, type Luma } from '../../../renderer/scan/camera/image-ops';

const TEXT = 'CE8504-711096459';
const MODULE_PX = 3;
const QUIET_PX = 40;
const ROWS = 60;

const options = (minLineCount: number): ReaderOptions => ({
  formats: ['Code128'],
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: false,
  maxNumberOfSymbols: 1,
  minLineCount,
});
const read = async (l: Luma, minLineCount = 2) => (await readBarcodes(rgbaOf(l) as unknown as ImageData, options(minLineCount))).filter((r) => r.isValid).map((r) => r.text);

/** The code's profile across its bars: 30 for a bar, 220 for a space, quiet zones either side. */
async function sharpProfile(): Promise<Float64Array> {
  const symbol = await symbolOf(TEXT, 'CODE_128');
  const p = new Float64Array(symbol.width * MODULE_PX + 2 * QUIET_PX).fill(220);
  for (let x = 0; x < symbol.width * MODULE_PX; x++) p[QUIET_PX + x] = symbol.dark[Math.floor(x / MODULE_PX)] ? 30 : 220;
  return p;
}

/** Each point the mean of `length` samples around it: the box a steady movement along the code draws. */
function boxBlur(p: Float64Array, length: number): Float64Array {
  const out = new Float64Array(p.length);
  const half = (length - 1) / 2;
  for (let x = 0; x < p.length; x++) {
    let sum = 0;
    for (let k = -half; k <= half; k++) sum += p[Math.min(p.length - 1, Math.max(0, Math.round(x + k)))]!;
    out[x] = sum / length;
  }
  return out;
}

/** A Gaussian of `sigma` px: the lens's own blur, which a webcam adds to any movement. */
function lensBlur(p: Float64Array, sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma);
  const w = Array.from({ length: 2 * r + 1 }, (_, k) => Math.exp(-((k - r) ** 2) / (2 * sigma * sigma)));
  const total = w.reduce((a, b) => a + b, 0);
  return p.map((_, x) => w.reduce((sum, wk, k) => sum + wk * p[Math.min(p.length - 1, Math.max(0, x + k - r))]!, 0) / total);
}

/** A window of `ROWS` identical rows of the profile, with a little deterministic noise. */
function windowOf(p: Float64Array): Luma {
  const l = newLuma(p.length, ROWS);
  let seed = 7;
  for (let y = 0; y < ROWS; y++) {
    for (let x = 0; x < p.length; x++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      l.data[y * p.length + x] = Math.max(0, Math.min(255, Math.round(p[x]! + (seed / 2 ** 31 - 0.5) * 6)));
    }
  }
  return l;
}

describe('deblurring a 1-D code', () => {
  let sharp: Float64Array;
  beforeAll(async () => {
    await prepareNodeReader();
    sharp = await sharpProfile();
  });

  it('undoes a box blur on the profile: the deconvolved edges are back where they were', () => {
    const blurred = boxBlur(sharp, 9);
    const [restored] = deconvolve(spectrumOf(blurred), { box: 9, sigma: 0 }, 0.0005);
    const error = (p: ArrayLike<number>) => {
      let wrong = 0;
      for (let x = QUIET_PX; x < sharp.length - QUIET_PX; x++) if (p[x]! < 125 !== sharp[x]! < 125) wrong++;
      return wrong / (sharp.length - 2 * QUIET_PX);
    };
    // Three modules of motion flips a good share of the thin bars; restored, almost none.
    expect(error(blurred)).toBeGreaterThan(0.1);
    expect(error(restored)).toBeLessThan(0.02);
    expect(twoLevelDistance(restored)).toBeLessThan(twoLevelDistance(blurred));
  });

  it('reads a code blurred by three modules of motion, which the reader cannot read as it is', async () => {
    const win = windowOf(lensBlur(boxBlur(sharp, 3 * MODULE_PX), 0.8));
    expect(await read(win)).toEqual([]);
    const restored = restoredBars(win);
    expect(await read(restored, STRIPE_ROWS + 1)).toEqual([TEXT]);
  });

  it('takes a text only when more rows than one stripe read it', async () => {
    // One stripe of the clean code among blank stripes: a single kernel's say-so is not enough.
    const stripe = windowOf(sharp);
    const one = newLuma(stripe.width, STRIPE_ROWS * 5).data.fill(220);
    const image = { width: stripe.width, height: STRIPE_ROWS * 5, data: one };
    image.data.set(stripe.data.subarray(0, STRIPE_ROWS * stripe.width), 2 * STRIPE_ROWS * stripe.width);
    expect(await read(image, STRIPE_ROWS + 1)).toEqual([]);
    image.data.set(stripe.data.subarray(0, STRIPE_ROWS * stripe.width), 3 * STRIPE_ROWS * stripe.width);
    expect(await read(image, STRIPE_ROWS + 1)).toEqual([TEXT]);
  });

  it('averages a window’s rows into its profile', () => {
    const l = newLuma(3, 4);
    l.data.set([0, 10, 20, 10, 20, 30, 20, 30, 40, 90, 90, 90]);
    expect(Array.from(profileOf(l, 0, 3))).toEqual([10, 20, 30]);
  });
});
