// The order in which the pipeline looks at a frame, cheapest and likeliest first. Each pass
// yields attempts (an image made on demand and the reader options for it); the pipeline stops
// at the first accepted read or when the frame's time budget is spent.
import type { ReaderOptions } from 'zxing-wasm/reader';
import { flattenLight, halfLumaOf, lumaOf, rgbaOf, smoothColumns, stretchContrast, unsharpRows, warp, type Luma, type Rgba, type Window } from './image-ops';
import { READER_OPTIONS } from './reader-options';
import { findBars, findBlobs, orientationField, type BarsRegion, type BlobRegion } from './regions';
import type { Region } from './roi';

export interface FrameContext {
  frame: Rgba;
  roi: Region;
  /** Computes `make` once per frame. */
  memo<T>(key: string, make: () => T): T;
}

export interface Attempt {
  pass: string;
  image: () => Rgba;
  options: ReaderOptions;
}

export type Pass = (ctx: FrameContext) => Iterable<Attempt>;

/** A deskewed 1-D code: bars upright, nothing else to look for, no rotations to try. */
const BARS_OPTIONS: Readonly<ReaderOptions> = Object.freeze<ReaderOptions>({
  formats: ['Code128'],
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: false,
  maxNumberOfSymbols: 1,
});

const QR_OPTIONS: Readonly<ReaderOptions> = Object.freeze<ReaderOptions>({
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: false,
  maxNumberOfSymbols: 1,
});

/** A 1-D code is read best at 2–4 px a module; a window shorter than this is enlarged. */
const BARS_TARGET_LENGTH = 900;
/** A QR window smaller than this is enlarged (a small code's modules to ≥ 3 px). */
const BLOB_TARGET_SIZE = 360;
const MAX_UPSCALE = 3;
/** Frames at least this wide are analysed at half size: enough for a small code's bars, a quarter of the work. */
const HALF_SIZE_FROM = 960;
const CELL = 8;
const MAX_BARS = 2;
/** Unsharp radius (px of the frame) and amount for a blurred barcode. */
const SHARPENINGS: readonly [number, number][] = [
  [2, 3],
  [3.5, 3],
  [1.5, 5],
];
const MAX_BLOBS = 2;

interface Analysis {
  /** Frame pixels per analysis pixel. */
  factor: number;
  bars: BarsRegion[];
  blobs: BlobRegion[];
}

function analysis(ctx: FrameContext): Analysis {
  return ctx.memo('analysis', () => {
    const half = ctx.frame.width >= HALF_SIZE_FROM;
    const luma = half ? halfLumaOf(ctx.frame) : lumaOf(ctx.frame);
    const field = orientationField(luma, CELL);
    return { factor: half ? 2 : 1, bars: findBars(field), blobs: findBlobs(field) };
  });
}

/** The window's pixels, converting to luma only the part of the frame the window covers. */
function windowLuma(ctx: FrameContext, win: Window): Luma {
  const halfW = win.width / win.scale / 2;
  const halfH = win.height / win.scale / 2;
  const cos = Math.abs(Math.cos(win.angle));
  const sin = Math.abs(Math.sin(win.angle));
  const rx = halfW * cos + halfH * sin + 2;
  const ry = halfW * sin + halfH * cos + 2;
  const x = Math.max(0, Math.floor(win.cx - rx));
  const y = Math.max(0, Math.floor(win.cy - ry));
  const part = lumaOf(ctx.frame, { x, y, width: Math.ceil(win.cx + rx) - x, height: Math.ceil(win.cy + ry) - y });
  return warp(part, { ...win, cx: win.cx - x, cy: win.cy - y });
}

function roiWindow(ctx: FrameContext, angle = 0): Window {
  const { width, height } = ctx.frame;
  const r = ctx.roi;
  return { cx: (r.x + r.width / 2) * width, cy: (r.y + r.height / 2) * height, width: r.width * width, height: r.height * height, angle, scale: 1 };
}

/** A bars region as a window in the full frame: along the bars' reading direction, with quiet zones. */
function barsWindow(region: BarsRegion, factor: number): Window {
  const length = region.length * factor;
  // The region is where the edges are; the code's quiet zones and the cells' rounding lie outside it.
  const along = length * 1.15 + 24 * factor;
  const across = Math.max(region.thickness * factor * 0.9, 24);
  const scale = Math.min(MAX_UPSCALE, Math.max(1, BARS_TARGET_LENGTH / along));
  return { cx: region.cx * factor, cy: region.cy * factor, width: along * scale, height: across * scale, angle: region.angle, scale };
}

function blobWindow(region: BlobRegion, factor: number): Window {
  const margin = 0.15 * Math.max(region.width, region.height) + 8;
  const w = (region.width + 2 * margin) * factor;
  const h = (region.height + 2 * margin) * factor;
  const scale = Math.min(MAX_UPSCALE, Math.max(1, BLOB_TARGET_SIZE / Math.min(w, h)));
  return { cx: (region.x + region.width / 2) * factor, cy: (region.y + region.height / 2) * factor, width: w * scale, height: h * scale, angle: 0, scale };
}

function barsWindows(ctx: FrameContext): { key: string; win: Window; pixels: () => Luma }[] {
  const { factor, bars } = analysis(ctx);
  return bars.slice(0, MAX_BARS).map((region, i) => {
    const win = barsWindow(region, factor);
    return { key: `bars${i}`, win, pixels: () => ctx.memo(`bars${i}`, () => windowLuma(ctx, win)) };
  });
}

function blobWindows(ctx: FrameContext): { win: Window; pixels: () => Luma }[] {
  const { factor, blobs } = analysis(ctx);
  return blobs.slice(0, MAX_BLOBS).map((region, i) => {
    const win = blobWindow(region, factor);
    return { win, pixels: () => ctx.memo(`blob${i}`, () => windowLuma(ctx, win)) };
  });
}

export const PASSES: readonly Pass[] = [
  // 1. Each patch of parallel bars, turned upright and enlarged: tilted and small 1-D codes.
  function* bars(ctx) {
    for (const { pixels } of barsWindows(ctx)) yield { pass: 'bars', image: () => rgbaOf(pixels()), options: BARS_OPTIONS };
  },
  // 2. Each patch of 2-D texture, cropped and enlarged: QR codes, small ones too.
  function* blobs(ctx) {
    for (const { pixels } of blobWindows(ctx)) yield { pass: 'blob', image: () => rgbaOf(pixels()), options: QR_OPTIONS };
  },
  // 3. Where the cashier holds the code: the box on the preview, as the library reads it.
  function* roi(ctx) {
    yield { pass: 'roi', image: () => rgbaOf(windowLuma(ctx, roiWindow(ctx))), options: READER_OPTIONS };
  },
  // 4. The bar patches again: light flattened (glare, shadow); then averaged along the bars and
  //    sharpened across them at the blur's scale (defocus, shake, noise).
  function* barsEnhanced(ctx) {
    for (const { key, win, pixels } of barsWindows(ctx)) {
      yield { pass: 'bars-flat', image: () => rgbaOf(flattenLight(pixels(), Math.round(Math.max(8, win.height / 3)))), options: BARS_OPTIONS };
      const smooth = () => ctx.memo(`${key}:smooth`, () => smoothColumns(pixels(), Math.max(3, Math.round(win.height / 4))));
      // The blur's width is unknown: a moderate, a wide and a narrow-but-strong sharpening.
      for (const [radius, amount] of SHARPENINGS) {
        yield { pass: 'bars-sharp', image: () => rgbaOf(unsharpRows(smooth(), radius * win.scale, amount)), options: BARS_OPTIONS };
      }
    }
  },
  // 5. The 2-D patches with their contrast stretched and their light flattened (low light, glare).
  function* blobsEnhanced(ctx) {
    for (const { win, pixels } of blobWindows(ctx)) {
      yield { pass: 'blob-flat', image: () => rgbaOf(flattenLight(stretchContrast(pixels()), Math.round(Math.min(win.width, win.height) / 6))), options: QR_OPTIONS };
    }
  },
  // 6. The whole frame, as the library reads it on its own (a code outside the box, or one the analysis missed).
  function* frame(ctx) {
    yield { pass: 'frame', image: () => ctx.frame, options: READER_OPTIONS };
  },
  // 7. No bar patch found (heavy blur, noise): the box turned through fixed angles for a tilted barcode.
  function* rotations(ctx) {
    for (const deg of [15, -15, 30, -30, 45, -45, 90]) {
      yield { pass: `rotate${deg}`, image: () => rgbaOf(windowLuma(ctx, roiWindow(ctx, (deg * Math.PI) / 180))), options: BARS_OPTIONS };
    }
  },
  // 8. The whole frame with its contrast stretched, read with a global threshold: a dim frame.
  function* frameContrast(ctx) {
    yield { pass: 'frame-contrast', image: () => rgbaOf(stretchContrast(lumaOf(ctx.frame), 0.5, 99.5)), options: { ...READER_OPTIONS, binarizer: 'GlobalHistogram' } };
  },
];
