// Corpus images decoded to RGBA pixels once, before anything is timed: the camera hands the
// app pixels, so the bench times the decoding pipeline on pixels, never a file decoder.
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Rgba } from '../renderer/scan/camera/image-ops';

/** Largest frame a corpus image may be: a 4K camera frame, so a bad file cannot exhaust memory. */
const MAX_MEGAPIXELS = 8.3;

export function pixelsOf(file: string): Rgba {
  const bytes = readFileSync(file);
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS });
    return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
  }
  throw new Error(`${file}: neither PNG nor JPEG`);
}
