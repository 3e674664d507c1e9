// The order in which the pipeline looks at a frame, cheapest and likeliest first. Each pass
// yields attempts (an image made on demand and the reader options for it); the pipeline stops
// at the first accepted read or when the frame's time budget is spent.
import type { ReaderOptions } from 'zxing-wasm/reader';
import {
  cropRgba,
  flattenLight,
  halfLumaOf,
  lumaOf,
  rgbaOf,
  smoothColumns,
  stretchContrast,
  unbend,
  unsharp,
  unsharpRows,
  warp,
  type Luma,
  type Rgba,
  type Window,
} from './image-ops';
import { restoredBars, STRIPE_ROWS } from './deblur';
import { READER_OPTIONS } from './reader-options';
import { boxOfBars, clusterOfPieces, findBars, findBlobs, orientationField, type BarsRegion, type BlobRegion } from './regions';
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
  /**
   * The image was altered in a way that can move a bar's edge (sharpening): a checksum-valid
   * text from it counts only once another attempt on the same frame read the same text.
   */
  unconfirmed?: true;
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

/** Restored bars (deblur.ts): a text counts only when two kernels' stripes read it. */
const DEBLURRED_OPTIONS: Readonly<ReaderOptions> = Object.freeze<ReaderOptions>({ ...BARS_OPTIONS, minLineCount: STRIPE_ROWS + 1 });

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
/**
 * Rows a bars window keeps at most, spread over the code's whole height (some rows stay clear
 * of a glare spot): the reader reads every row, and more of the same bars only cost time.
 */
const BARS_MAX_ROWS = 64;
/**
 * A QR window smaller than this is enlarged first (a small code's modules to ≥ 3 px); the
 * enhanced pass enlarges to the larger size, where the reader's local threshold spans fewer
 * modules (a glare spot's edge, a smeared module).
 */
const BLOB_TARGET_SIZE = 180;
const BLOB_ENLARGED_SIZE = 360;
const MAX_UPSCALE = 3;
/** Frames at least this wide are analysed at half size: enough for a small code's bars, a quarter of the work. */
const HALF_SIZE_FROM = 960;
/** Frames up to this many pixels (640×480) are read whole early (smallFrame). */
const SMALL_FRAME_PX = 640 * 480;
const CELL = 8;
const MAX_BARS = 2;
/** Unsharp radius (px of the frame) and amount for a blurred barcode. */
const SHARPENINGS: readonly [number, number][] = [
  [2, 3],
  [3.5, 3],
  [1.5, 5],
];
const MAX_BLOBS = 2;
/**
 * Box radius for flattening a 2-D patch's light, as a fraction of the window's side: a window
 * holds 21–45 modules, so this spans two to four of them, enough for a module's level to be
 * judged against its neighbours rather than against a glare spot's whole slope.
 */
const BLOB_FLAT_RADIUS = 1 / 22;
/** A defocused QR code's blur (px of the frame) and how strongly the 2-D patch is sharpened against it. */
const BLOB_BLUR_PX = 3;
const BLOB_SHARPEN = 2;
/** How far a bent code's middle rows are bowed back, as a fraction of half the window's height. */
const BLOB_BOW = 0.06;
/** 2-D patches this many cells apart or nearer may be pieces of one code with large modules. */
const PIECE_GAP_CELLS = 2;
/** How much of the strongest 2-D patch's weight the strongest bars patch needs for its frame to be read as a barcode first. */
const BARS_FIRST_RATIO = 0.5;

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

/**
 * Bars inside the 2-D patches, looked for at the frame's full resolution: a fine barcode
 * (modules under 2 px) tilted against the pixel grid aliases at half size into edges pointing
 * every way, so the analysis takes it for a 2-D patch.
 */
function fineBarsRegions(ctx: FrameContext): BarsRegion[] {
  return ctx.memo('fineBars', () => {
    const { factor, blobs } = analysis(ctx);
    if (factor === 1) return [];
    return blobs.slice(0, MAX_BLOBS).flatMap((b) => {
      const x = b.x * factor;
      const y = b.y * factor;
      const found = findBars(orientationField(lumaOf(ctx.frame, { x, y, width: b.width * factor, height: b.height * factor }), CELL));
      return found.slice(0, 1).map((r) => ({ ...r, cx: r.cx + x, cy: r.cy + y }));
    });
  });
}

/** The window's pixels, converting to luma only the part of the frame the window covers. */
function windowLuma(ctx: FrameContext, win: Window): Luma {
  const halfW = win.width / win.scale / 2;
  const halfH = win.height / (win.scaleAcross ?? win.scale) / 2;
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
  const height = Math.min(across * scale, BARS_MAX_ROWS);
  return { cx: region.cx * factor, cy: region.cy * factor, width: along * scale, height, angle: region.angle, scale, scaleAcross: height / across };
}

function blobWindow(region: BlobRegion, factor: number, target: number): Window {
  const margin = 0.15 * Math.max(region.width, region.height) + 8;
  const w = (region.width + 2 * margin) * factor;
  const h = (region.height + 2 * margin) * factor;
  const scale = Math.min(MAX_UPSCALE, Math.max(1, target / Math.min(w, h)));
  return { cx: (region.x + region.width / 2) * factor, cy: (region.y + region.height / 2) * factor, width: w * scale, height: h * scale, angle: 0, scale };
}

function barsWindows(ctx: FrameContext): { key: string; win: Window; pixels: () => Luma }[] {
  const { factor, bars } = analysis(ctx);
  return bars.slice(0, MAX_BARS).map((region, i) => {
    const win = barsWindow(region, factor);
    return { key: `bars${i}`, win, pixels: () => ctx.memo(`bars${i}`, () => windowLuma(ctx, win)) };
  });
}

/** The strongest 2-D patches, then the strongest one with the pieces around it (regions.ts: clusterOfPieces). */
function blobCandidates(ctx: FrameContext): BlobRegion[] {
  return ctx.memo('blobCandidates', () => {
    const { blobs, bars } = analysis(ctx);
    const cluster = blobs[0] ? clusterOfPieces(blobs[0], [...blobs, ...bars.map(boxOfBars)], PIECE_GAP_CELLS * CELL) : null;
    return cluster ? [...blobs.slice(0, MAX_BLOBS), cluster] : blobs.slice(0, MAX_BLOBS);
  });
}

function blobWindows(ctx: FrameContext, target = BLOB_TARGET_SIZE): { win: Window; pixels: () => Luma; image: () => Rgba }[] {
  const { factor } = analysis(ctx);
  return blobCandidates(ctx).map((region, i) => {
    const win = blobWindow(region, factor, target);
    const pixels = () => ctx.memo(`blob${i}@${target}`, () => windowLuma(ctx, win));
    // A window at the frame's own scale is a plain crop: the reader converts its colour itself.
    const image =
      win.scale === 1 ? () => cropRgba(ctx.frame, { x: win.cx - win.width / 2, y: win.cy - win.height / 2, width: win.width, height: win.height }) : () => rgbaOf(pixels());
    return { win, pixels, image };
  });
}

/**
 * Whether the frame looks like a 1-D code rather than a 2-D one: its strongest patch of bars
 * outweighs half its strongest 2-D patch. A barcode's bars patch outweighs any texture beside it
 * (on the corpora the ratio is above 1 for 95% of barcode frames), while a QR code's only bars are
 * its finder patterns' edges (the ratio stays under 0.1). Only the order depends on it: a frame
 * taken for the wrong kind still gets every pass, later.
 */
function barsFirst(ctx: FrameContext): boolean {
  const { bars, blobs } = analysis(ctx);
  return (bars[0]?.score ?? 0) >= BARS_FIRST_RATIO * (blobs[0]?.score ?? 0) && bars.length > 0;
}

/** Each patch of parallel bars, turned upright and enlarged: tilted and small 1-D codes. */
function* bars(ctx: FrameContext): Iterable<Attempt> {
  for (const { pixels } of barsWindows(ctx)) yield { pass: 'bars', image: () => rgbaOf(pixels()), options: BARS_OPTIONS };
}

/** Each patch of 2-D texture, cropped and enlarged: QR codes, small ones too. */
function* blobs(ctx: FrameContext): Iterable<Attempt> {
  for (const { image } of blobWindows(ctx)) yield { pass: 'blob', image, options: QR_OPTIONS };
}

/**
 * The bar patches again: deconvolved (deblur.ts: motion along the code, which sharpening cannot
 * undo once it inverts the thin bars; defocus); light flattened (glare, shadow); averaged along
 * the bars and sharpened across them at the blur's scale (defocus, noise).
 */
function* barsEnhanced(ctx: FrameContext): Iterable<Attempt> {
  for (const { key, win, pixels } of barsWindows(ctx)) {
    yield { pass: 'bars-deblur', image: () => rgbaOf(restoredBars(pixels())), options: DEBLURRED_OPTIONS };
    yield { pass: 'bars-flat', image: () => rgbaOf(flattenLight(pixels(), Math.round(Math.max(8, win.height / 3)))), options: BARS_OPTIONS };
    const smooth = () => ctx.memo(`${key}:smooth`, () => smoothColumns(pixels(), Math.max(3, Math.round(win.height / 4))));
    // The blur's width is unknown: a moderate, a wide and a narrow-but-strong sharpening.
    for (const [radius, amount] of SHARPENINGS) {
      yield { pass: 'bars-sharp', image: () => rgbaOf(unsharpRows(smooth(), radius * win.scale, amount)), options: BARS_OPTIONS, unconfirmed: true };
    }
  }
}

/** The whole frame, as the library reads it on its own. */
function* wholeFrame(ctx: FrameContext): Iterable<Attempt> {
  yield { pass: 'frame', image: () => ctx.frame, options: READER_OPTIONS };
}

/** The whole frame with its contrast stretched, read with a global threshold: a dim frame, a creased one. */
function* wholeFrameContrast(ctx: FrameContext): Iterable<Attempt> {
  yield { pass: 'frame-contrast', image: () => rgbaOf(stretchContrast(lumaOf(ctx.frame), 0.5, 99.5)), options: { ...READER_OPTIONS, binarizer: 'GlobalHistogram' } };
}

/**
 * A frame of VGA size or less, where reading it whole costs about what one window costs: worth
 * trying right after the first look (a label with several codes, a code the analysis splits),
 * rather than after every restoration of a 720p frame's patches.
 */
const smallFrame = (ctx: FrameContext) => ctx.frame.width * ctx.frame.height <= SMALL_FRAME_PX;

/** Fine bars the half-size analysis took for a 2-D patch, turned upright. */
function* fineBars(ctx: FrameContext): Iterable<Attempt> {
  for (const [i, region] of fineBarsRegions(ctx).entries()) {
    const win = barsWindow(region, 1);
    yield { pass: 'fine-bars', image: () => rgbaOf(ctx.memo(`fine${i}`, () => windowLuma(ctx, win))), options: BARS_OPTIONS };
  }
}

/**
 * The 2-D patches with their light flattened over a few modules (glare, shadow, low light) and
 * sharpened at a defocus's scale; then enlarged further (small modules); then unbent.
 */
function* blobsEnhanced(ctx: FrameContext): Iterable<Attempt> {
  const small = blobWindows(ctx);
  for (const { win, pixels } of small) {
    const side = Math.min(win.width, win.height);
    yield { pass: 'blob-flat', image: () => rgbaOf(flattenLight(stretchContrast(pixels()), Math.round(side * BLOB_FLAT_RADIUS))), options: QR_OPTIONS };
    yield { pass: 'blob-sharp', image: () => rgbaOf(unsharp(pixels(), Math.max(2, Math.round(BLOB_BLUR_PX * win.scale)), BLOB_SHARPEN)), options: QR_OPTIONS };
  }
  for (const [i, { win, image }] of blobWindows(ctx, BLOB_ENLARGED_SIZE).entries()) {
    if (win.scale > small[i]!.win.scale) yield { pass: 'blob-large', image, options: QR_OPTIONS };
  }
  // A code on a bent surface: its rows bowed back straight, either way.
  for (const { pixels } of small.slice(0, 1)) {
    for (const bow of [BLOB_BOW, -BLOB_BOW]) yield { pass: 'blob-unbent', image: () => rgbaOf(unbend(pixels(), bow)), options: QR_OPTIONS };
  }
}

/**
 * The passes over the analysis's patches, in the order each kind of frame wants them. A frame
 * that looks like a barcode gets its bars read, then restored, before any 2-D patch; any other
 * frame its 2-D patches first, then the plain bars (a finder pattern's edges, or fine bars) and
 * the 2-D restorations, and the bar restorations last (a QR code's stray bars seldom read).
 */
const BARS_ORDER = [bars, barsEnhanced, blobs, fineBars, blobsEnhanced];
const BLOB_ORDER = [blobs, bars, fineBars, blobsEnhanced, barsEnhanced];

/** The `k`th pass over the patches, in the frame's order. */
const patches =
  (k: number): Pass =>
  (ctx) =>
    (barsFirst(ctx) ? BARS_ORDER : BLOB_ORDER)[k]!(ctx);

export const PASSES: readonly Pass[] = [
  // 1. The likelier kind of patch, read as it is.
  patches(0),
  // 2. A small frame read whole, as the library reads it and contrast-stretched.
  function* wholeEarly(ctx) {
    if (smallFrame(ctx)) {
      yield* wholeFrame(ctx);
      yield* wholeFrameContrast(ctx);
    }
  },
  // 3–6. The rest of the patches' passes.
  patches(1),
  patches(2),
  patches(3),
  patches(4),
  // 7. Where the cashier holds the code: the box on the preview, as the library reads it (a
  //    code the analysis found no patch for).
  function* roi(ctx) {
    yield { pass: 'roi', image: () => rgbaOf(windowLuma(ctx, roiWindow(ctx))), options: READER_OPTIONS };
  },
  // 8. The whole frame, as the library reads it on its own (a code outside the box, or one the
  //    analysis missed), unless it was read whole early (wholeEarly).
  function* frame(ctx) {
    if (!smallFrame(ctx)) yield* wholeFrame(ctx);
  },
  // 9. No bar patch found (heavy blur, noise): the box turned through fixed angles for a tilted barcode.
  function* rotations(ctx) {
    for (const deg of [15, -15, 30, -30, 45, -45, 90]) {
      yield { pass: `rotate${deg}`, image: () => rgbaOf(windowLuma(ctx, roiWindow(ctx, (deg * Math.PI) / 180))), options: BARS_OPTIONS };
    }
  },
  // 10. The whole frame with its contrast stretched, likewise.
  function* frameContrast(ctx) {
    if (!smallFrame(ctx)) yield* wholeFrameContrast(ctx);
  },
];
