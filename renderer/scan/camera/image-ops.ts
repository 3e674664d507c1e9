// Pure image operations on 8-bit luma buffers for the webcam decoding pipeline: no DOM, no
// allocation beyond the output, so they run the same in the decode worker, in Node (bench and
// tests) and on any frame size.

/** One 8-bit grey channel, row-major. */
export interface Luma {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Pixels as the camera hands them over (ImageData's shape), 4 bytes a pixel. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export const newLuma = (width: number, height: number): Luma => ({ width, height, data: new Uint8Array(width * height) });

/** An axis-aligned rectangle of a frame, px. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Luma with zxing's own weights (so a grey pass sees what the reader's conversion would), of
 * the whole frame or only of `rect` (clamped to the frame): a pass that looks at a small window
 * pays for the window, not for the frame.
 */
export function lumaOf(rgba: Rgba, rect?: Rect): Luma {
  const x0 = Math.max(0, Math.floor(rect?.x ?? 0));
  const y0 = Math.max(0, Math.floor(rect?.y ?? 0));
  const x1 = Math.min(rgba.width, Math.ceil(rect ? rect.x + rect.width : rgba.width));
  const y1 = Math.min(rgba.height, Math.ceil(rect ? rect.y + rect.height : rgba.height));
  const out = newLuma(Math.max(1, x1 - x0), Math.max(1, y1 - y0));
  const { data } = rgba;
  const o = out.data;
  let p = 0;
  for (let y = y0; y < y1; y++) {
    for (let i = (y * rgba.width + x0) * 4, end = (y * rgba.width + x1) * 4; i < end; i += 4) o[p++] = (306 * data[i]! + 601 * data[i + 1]! + 117 * data[i + 2]! + 512) >> 10;
  }
  return out;
}

/** The pixels as 32-bit words (copied only if the bytes do not start on a word boundary). */
function wordsOf(rgba: Rgba): Uint32Array {
  const { data } = rgba;
  const n = rgba.width * rgba.height;
  return data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, n) : new Uint32Array(data.slice(0, n * 4).buffer);
}

/** Luma at half size (each pixel the mean of a 2×2 block) in one pass over the camera's pixels. */
export function halfLumaOf(rgba: Rgba): Luma {
  const w = rgba.width >> 1;
  const h = rgba.height >> 1;
  const out = newLuma(w, h);
  const o = out.data;
  // Whole pixels as little-endian words: red and blue summed side by side in one add (each sum
  // of four bytes fits its 16 bits), green apart.
  const words = wordsOf(rgba);
  const stride = rgba.width;
  let p = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * 2 * stride; x < w; x++, i += 2) {
      const a = words[i]!;
      const b = words[i + 1]!;
      const c = words[i + stride]!;
      const d = words[i + stride + 1]!;
      const rb = (a & 0xff00ff) + (b & 0xff00ff) + (c & 0xff00ff) + (d & 0xff00ff);
      const g = ((a >>> 8) & 0xff) + ((b >>> 8) & 0xff) + ((c >>> 8) & 0xff) + ((d >>> 8) & 0xff);
      o[p++] = (306 * (rb & 0xffff) + 601 * g + 117 * (rb >>> 16) + 2048) >> 12;
    }
  }
  return out;
}

/** A rectangle of the frame's own pixels (clamped to the frame): a crop costs a row copy each. */
export function cropRgba(rgba: Rgba, rect: Rect): Rgba {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const width = Math.max(1, Math.min(rgba.width, Math.ceil(rect.x + rect.width)) - x0);
  const height = Math.max(1, Math.min(rgba.height, Math.ceil(rect.y + rect.height)) - y0);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * rgba.width + x0) * 4;
    out.set(rgba.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { width, height, data: out };
}

/** Luma as grey RGBA: zxing-wasm reads ImageData, and its weights sum to 1024, so grey survives exactly. */
export function rgbaOf(luma: Luma): Rgba {
  const { width, height, data } = luma;
  const out = new Uint8ClampedArray(width * height * 4);
  const words = new Uint32Array(out.buffer);
  // Little-endian ABGR words; every browser and Node on x86/ARM is little-endian.
  for (let p = 0; p < data.length; p++) words[p] = 0xff000000 | (data[p]! * 0x010101);
  return { width, height, data: out };
}

/** Where in the source an output image is taken from: a rotated, scaled rectangle. */
export interface Window {
  /** The window's centre in the source, px. */
  cx: number;
  cy: number;
  /** Output size, px. */
  width: number;
  height: number;
  /** Rotation in radians: the output's x axis runs along this direction in the source. */
  angle: number;
  /** Output pixels per source pixel (> 1 enlarges). */
  scale: number;
  /**
   * Output rows per source pixel across the window, when not `scale`: an upright barcode's rows
   * all say the same, so a tall one is sampled with fewer of them.
   */
  scaleAcross?: number;
}

/**
 * Resamples a rotated, scaled window of `src` (bilinear): one pass serves crop, upscale and
 * deskew together. Outside the source reads as the nearest edge pixel, which for a code near
 * the frame's border is a better quiet zone than black.
 */
export function warp(src: Luma, win: Window): Luma {
  const out = newLuma(Math.max(1, Math.round(win.width)), Math.max(1, Math.round(win.height)));
  const { width: sw, height: sh, data: s } = src;
  const cos = Math.cos(win.angle) / win.scale;
  const sin = Math.sin(win.angle) / win.scale;
  const across = win.scaleAcross ?? win.scale;
  const cosY = Math.cos(win.angle) / across;
  const sinY = Math.sin(win.angle) / across;
  const hw = out.width / 2;
  const hh = out.height / 2;
  const maxX = sw - 1;
  const maxY = sh - 1;
  let o = 0;
  for (let y = 0; y < out.height; y++) {
    const dy = y + 0.5 - hh;
    // Source position of this row's first pixel, then a constant step along the row.
    let fx = win.cx + (0.5 - hw) * cos - dy * sinY - 0.5;
    let fy = win.cy + (0.5 - hw) * sin + dy * cosY - 0.5;
    for (let x = 0; x < out.width; x++, fx += cos, fy += sin) {
      const cx = fx < 0 ? 0 : fx > maxX ? maxX : fx;
      const cy = fy < 0 ? 0 : fy > maxY ? maxY : fy;
      const x0 = cx | 0;
      const y0 = cy | 0;
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const ax = cx - x0;
      const ay = cy - y0;
      const top = s[y0 * sw + x0]! + (s[y0 * sw + x1]! - s[y0 * sw + x0]!) * ax;
      const bottom = s[y1 * sw + x0]! + (s[y1 * sw + x1]! - s[y1 * sw + x0]!) * ax;
      out.data[o++] = (top + (bottom - top) * ay + 0.5) | 0;
    }
  }
  return out;
}

/**
 * Stretches the grey levels between the `lowPct` and `highPct` percentiles to 0..255: a dim
 * frame (low light) or a washed-out one (glare, a phone screen on low brightness) gets its
 * full range back before thresholding.
 */
export function stretchContrast(src: Luma, lowPct = 1, highPct = 99): Luma {
  const hist = new Uint32Array(256);
  for (let i = 0; i < src.data.length; i++) hist[src.data[i]!]!++;
  const n = src.data.length;
  let lo = 0;
  let hi = 255;
  for (let acc = 0, v = 0; v < 256; v++)
    if ((acc += hist[v]!) >= (n * lowPct) / 100) {
      lo = v;
      break;
    }
  for (let acc = 0, v = 255; v >= 0; v--)
    if ((acc += hist[v]!) >= (n * (100 - highPct)) / 100) {
      hi = v;
      break;
    }
  const out = newLuma(src.width, src.height);
  if (hi <= lo) {
    out.data.set(src.data);
    return out;
  }
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.min(255, Math.max(0, Math.round(((v - lo) * 255) / (hi - lo))));
  for (let i = 0; i < src.data.length; i++) out.data[i] = lut[src.data[i]!]!;
  return out;
}

/**
 * The mean of the box of `radius` around each pixel, clipped to the image: rows, then columns,
 * each with a running sum (a clipped box's sum and area both factor by axis, so this is the 2-D
 * box's mean exactly).
 */
function boxMeans(src: Luma, radius: number): Float32Array {
  const { width, height, data } = src;
  const rows = new Float32Array(width * height);
  for (let y = 0; y < height; y++) boxLine(data, rows, y * width, 1, width, radius);
  const out = new Float32Array(width * height);
  for (let x = 0; x < width; x++) boxLine(rows, out, x, width, height, radius);
  return out;
}

/** One line of `n` samples, `step` apart from `start`: each becomes the mean of its clipped box, kept by a running sum. */
function boxLine(src: ArrayLike<number>, dst: Float32Array, start: number, step: number, n: number, radius: number): void {
  let sum = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const a = i - radius > 0 ? i - radius : 0;
    const b = i + radius + 1 < n ? i + radius + 1 : n;
    for (; hi < b; hi++) sum += src[start + hi * step]!;
    for (; lo < a; lo++) sum -= src[start + lo * step]!;
    dst[start + i * step] = sum / (b - a);
  }
}

/**
 * Flattens uneven light: each pixel is compared with the mean of the box of `radius` around
 * it and the difference amplified. A glare spot or a shadow across the code becomes the same
 * mid grey as the rest, and the bars inside it keep their edges.
 */
export function flattenLight(src: Luma, radius: number, gain = 2): Luma {
  const mean = boxMeans(src, radius);
  const out = newLuma(src.width, src.height);
  for (let i = 0; i < out.data.length; i++) {
    const v = 128 + (src.data[i]! - mean[i]!) * gain;
    out.data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/**
 * Unsharp mask in both directions against a box of `radius` px: a defocused 2-D code gets back
 * the module edges the blur spread into their neighbours.
 */
export function unsharp(src: Luma, radius: number, amount: number): Luma {
  const mean = boxMeans(src, radius);
  const out = newLuma(src.width, src.height);
  for (let i = 0; i < out.data.length; i++) {
    const c = src.data[i]!;
    const v = c + (c - mean[i]!) * amount;
    out.data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/**
 * Unsharp mask along rows only, against a box of `radius` px: restores the bar edges a
 * defocused or shaken 1-D code lost (a radius near the blur's), without amplifying noise along
 * the bars (run on a window already deskewed so the bars are vertical).
 */
export function unsharpRows(src: Luma, radius: number, amount: number): Luma {
  const { width, height, data } = src;
  const out = newLuma(width, height);
  const r = Math.max(1, Math.round(radius));
  const acc = new Uint32Array(width + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) acc[x + 1] = acc[x]! + data[row + x]!;
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width, x + r + 1);
      const c = data[row + x]!;
      const v = c + (c - (acc[hi]! - acc[lo]!) / (hi - lo)) * amount;
      out.data[row + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

/** Averages each column over `rows` rows: noise across a 1-D code's bars falls by √rows, its bars stay. */
export function smoothColumns(src: Luma, rows: number): Luma {
  const { width, height, data } = src;
  const out = newLuma(width, height);
  const half = rows >> 1;
  const acc = new Uint32Array(height + 1);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) acc[y + 1] = acc[y]! + data[y * width + x]!;
    for (let y = 0; y < height; y++) {
      const lo = Math.max(0, y - half);
      const hi = Math.min(height, y - half + rows);
      out.data[y * width + x] = ((acc[hi]! - acc[lo]!) / (hi - lo) + 0.5) | 0;
    }
  }
  return out;
}

/**
 * The image with its rows bowed back straight: a code on a surface bent about a horizontal
 * line (curled paper, a sleeve) shows its rows as arcs, which no perspective fits. Each output
 * pixel is read `bow` × half the height above or below it, by a parabola across the width
 * (zero mean, so the middle row stays put on average).
 */
export function unbend(src: Luma, bow: number): Luma {
  const { width, height, data } = src;
  const out = newLuma(width, height);
  const hw = width / 2;
  const maxY = height - 1;
  for (let x = 0; x < width; x++) {
    const u = (x + 0.5 - hw) / hw;
    const dy = bow * (height / 2) * (u * u - 1 / 3);
    for (let y = 0; y < height; y++) {
      const fy = y + dy;
      const cy = fy < 0 ? 0 : fy > maxY ? maxY : fy;
      const y0 = cy | 0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const a = data[y0 * width + x]!;
      out.data[y * width + x] = (a + (data[y1 * width + x]! - a) * (cy - y0) + 0.5) | 0;
    }
  }
  return out;
}
