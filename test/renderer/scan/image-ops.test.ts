// The pipeline's image operations and region finder on small synthetic luma buffers: each
// assertion is about what a decoder needs from the operation (geometry, range, edges).
import { describe, expect, it } from 'vitest';
import {
  halfLumaOf,
  flattenLight,
  lumaOf,
  newLuma,
  rgbaOf,
  unbend,
  unsharp,
  unsharpRows,
  smoothColumns,
  stretchContrast,
  warp,
  type Luma,
  type Window,
} from '../../../renderer/scan/camera/image-ops';
import { boxOfBars, clusterOfPieces, findBars, findBlobs, orientationField, type BlobRegion } from '../../../renderer/scan/camera/regions';

const at = (l: Luma, x: number, y: number) => l.data[y * l.width + x]!;

function fill(width: number, height: number, f: (x: number, y: number) => number): Luma {
  const l = newLuma(width, height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) l.data[y * width + x] = f(x, y);
  return l;
}

/**
 * Bars of `period` px (half dark) across a light page, turned by `deg` about the image's
 * centre; 4×4 samples a pixel, as a lens blends an edge into the pixels it crosses.
 */
function stripes(width: number, height: number, period: number, deg: number, box: { x0: number; y0: number; x1: number; y1: number }): Luma {
  const a = (deg * Math.PI) / 180;
  const ink = (x: number, y: number) => {
    const u = (x - width / 2) * Math.cos(a) + (y - height / 2) * Math.sin(a);
    const v = -(x - width / 2) * Math.sin(a) + (y - height / 2) * Math.cos(a);
    if (u < box.x0 || u > box.x1 || v < box.y0 || v > box.y1) return 230;
    return Math.floor((u - box.x0) / (period / 2)) % 2 === 0 ? 20 : 230;
  };
  return fill(width, height, (x, y) => {
    let sum = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) sum += ink(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
    return Math.round(sum / 16);
  });
}

describe('luma and RGBA', () => {
  it('converts RGBA to luma with the reader’s weights, and grey luma back to RGBA exactly', () => {
    const rgba = { width: 2, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255, 10, 200, 30, 255]) };
    const l = lumaOf(rgba);
    expect(Array.from(l.data)).toEqual([(306 * 255 + 512) >> 10, (306 * 10 + 601 * 200 + 117 * 30 + 512) >> 10]);
    const grey = fill(3, 2, (x, y) => x * 100 + y * 7);
    expect(Array.from(lumaOf(rgbaOf(grey)).data)).toEqual(Array.from(grey.data));
    expect(Array.from(rgbaOf(grey).data.slice(0, 8))).toEqual([0, 0, 0, 255, 100, 100, 100, 255]);
  });

  it('takes the luma of a rectangle only, and of the whole frame at half size', () => {
    const grey = fill(6, 4, (x, y) => x * 10 + y * 50);
    const rgba = rgbaOf(grey);
    const part = lumaOf(rgba, { x: 2, y: 1, width: 3, height: 2 });
    expect(part).toMatchObject({ width: 3, height: 2 });
    expect(Array.from(part.data)).toEqual([70, 80, 90, 120, 130, 140]);
    // Clamped to the frame.
    expect(lumaOf(rgba, { x: 4, y: -2, width: 10, height: 3 })).toMatchObject({ width: 2, height: 1 });
    const half = halfLumaOf(rgba);
    expect(half).toMatchObject({ width: 3, height: 2 });
    expect(Array.from(half.data)).toEqual([30, 50, 70, 130, 150, 170]);
  });
});

/** A window that copies an axis-aligned rectangle, enlarged by `scale`. */
const cropWindow = (x: number, y: number, width: number, height: number, scale = 1): Window => ({
  cx: x + width / 2,
  cy: y + height / 2,
  width: width * scale,
  height: height * scale,
  angle: 0,
  scale,
});

describe('warp', () => {
  const src = fill(40, 20, (x, y) => x * 5 + y);

  it('copies an axis-aligned crop pixel for pixel', () => {
    const out = warp(src, cropWindow(10, 5, 8, 4));
    expect(out).toMatchObject({ width: 8, height: 4 });
    for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) expect(at(out, x, y)).toBe(at(src, 10 + x, 5 + y));
  });

  it('enlarges with interpolation, keeping a gradient monotonic', () => {
    const out = warp(src, cropWindow(10, 5, 8, 4, 2.5));
    expect(out).toMatchObject({ width: 20, height: 10 });
    for (let x = 1; x < 20; x++) expect(at(out, x, 5)).toBeGreaterThanOrEqual(at(out, x - 1, 5));
  });

  it('rotates: a window at 90° reads the source’s columns as rows', () => {
    const out = warp(src, { cx: 20, cy: 10, width: 10, height: 10, angle: Math.PI / 2, scale: 1 });
    // Along the output's x axis the source's y grows (by 1 a pixel), x stays.
    expect(at(out, 9, 5) - at(out, 0, 5)).toBe(9);
    expect(at(out, 5, 0) - at(out, 5, 9)).toBe(45);
  });

  it('turns tilted bars upright', () => {
    const tilted = stripes(200, 200, 8, 30, { x0: -60, y0: -20, x1: 60, y1: 20 });
    const upright = warp(tilted, { cx: 100, cy: 100, width: 100, height: 30, angle: (30 * Math.PI) / 180, scale: 1 });
    // Every row of the upright window shows the same bars; the tilted frame's rows do not.
    const differing = (l: Luma, x0: number, y0: number, y1: number) =>
      Array.from({ length: 100 }, (_, i) => Math.abs(at(l, x0 + i, y0) - at(l, x0 + i, y1)) > 60).filter(Boolean).length;
    expect(differing(upright, 0, 2, 27)).toBeLessThan(5);
    expect(differing(tilted, 50, 88, 112)).toBeGreaterThan(30);
  });
});

describe('contrast and light', () => {
  it('stretches a dim frame to the full range', () => {
    const dim = fill(100, 1, (x) => 20 + Math.floor(x / 2));
    const out = stretchContrast(dim, 1, 99);
    expect(Math.min(...out.data)).toBe(0);
    expect(Math.max(...out.data)).toBe(255);
    expect(
      stretchContrast(
        fill(5, 5, () => 80),
        1,
        99,
      ).data.every((v) => v === 80),
    ).toBe(true);
  });

  it('flattens a glare: the bars under it sit at the same level as the bars beside it', () => {
    // Bars (40 and 120) with a reflection adding up to 120 towards the right.
    const lit = fill(120, 30, (x) => (x % 8 < 4 ? 40 : 120) + x);
    const flat = flattenLight(lit, 8);
    const mean = (l: Luma, x0: number) => Array.from({ length: 8 }, (_, i) => at(l, x0 + i, 15)).reduce((a, b) => a + b, 0) / 8;
    const contrast = (l: Luma, x0: number) =>
      Math.max(...Array.from({ length: 8 }, (_, i) => at(l, x0 + i, 15))) - Math.min(...Array.from({ length: 8 }, (_, i) => at(l, x0 + i, 15)));
    expect(mean(lit, 96) - mean(lit, 16)).toBeGreaterThan(70);
    expect(Math.abs(mean(flat, 96) - mean(flat, 16))).toBeLessThan(12);
    expect(contrast(flat, 16)).toBeGreaterThan(120);
    expect(contrast(flat, 96)).toBeGreaterThan(120);
  });

  it('sharpens edges along rows and smooths noise down columns', () => {
    const soft = fill(8, 1, (x) => (x < 4 ? 100 : 180));
    const sharp = unsharpRows(soft, 1, 1.5);
    expect(at(sharp, 3, 0)).toBeLessThan(100);
    expect(at(sharp, 4, 0)).toBeGreaterThan(180);
    expect(at(sharp, 1, 0)).toBe(100);
    const noisy = fill(3, 9, (x, y) => (y % 2 === 0 ? 100 : 140));
    const smooth = smoothColumns(noisy, 4);
    for (let y = 2; y < 7; y++) expect(Math.abs(at(smooth, 1, y) - 120)).toBeLessThanOrEqual(10);
  });

  it('sharpens a soft edge in both directions', () => {
    const soft = fill(12, 12, (x, y) => (x + y < 12 ? 100 : 180));
    const sharp = unsharp(soft, 2, 1.5);
    expect(at(sharp, 5, 6)).toBeLessThan(100);
    expect(at(sharp, 6, 6)).toBeGreaterThan(180);
    expect(at(sharp, 0, 0)).toBe(100);
  });

  it('bows a bent code’s rows back straight', () => {
    const bow = 0.25;
    // A dark row bent into an arc, as a code on a curled surface shows its rows.
    const arc = (x: number) => Math.round(20 + bow * 20 * (((x + 0.5 - 30) / 30) ** 2 - 1 / 3));
    const bent = fill(60, 40, (x, y) => (y === arc(x) ? 20 : 220));
    const darkestRow = (l: Luma, x: number) => Array.from({ length: l.height }, (_, y) => at(l, x, y)).reduce((best, v, y, all) => (v < all[best]! ? y : best), 0);
    const rows = (l: Luma) => new Set(Array.from({ length: l.width }, (_, x) => darkestRow(l, x)));
    expect(rows(bent).size).toBeGreaterThan(3);
    const straight = unbend(bent, bow);
    for (const y of rows(straight)) expect(Math.abs(y - 20)).toBeLessThanOrEqual(1);
  });
});

describe('code regions', () => {
  it('finds a tilted barcode’s centre, angle and extent', () => {
    const img = stripes(320, 240, 6, 25, { x0: -90, y0: -25, x1: 90, y1: 25 });
    const [bars] = findBars(orientationField(img, 8));
    expect(bars).toBeDefined();
    expect(Math.abs(bars!.cx - 160)).toBeLessThan(12);
    expect(Math.abs(bars!.cy - 120)).toBeLessThan(12);
    const deg = (bars!.angle * 180) / Math.PI;
    expect(Math.min(Math.abs(deg - 25), Math.abs(deg - 205))).toBeLessThan(4);
    expect(bars!.length).toBeGreaterThan(150);
    expect(bars!.length).toBeLessThan(230);
    expect(bars!.thickness).toBeLessThan(bars!.length / 2);
  });

  it('sees a checkerboard (a 2-D code’s texture) as a blob, not as bars, and a blank page as nothing', () => {
    const board = fill(240, 240, (x, y) => (x >= 80 && x < 160 && y >= 80 && y < 160 && (Math.floor(x / 6) + Math.floor(y / 6)) % 2 === 0 ? 20 : 230));
    const field = orientationField(board, 8);
    const [blob] = findBlobs(field);
    expect(blob).toBeDefined();
    expect(blob!.x).toBeGreaterThanOrEqual(64);
    expect(blob!.x + blob!.width).toBeLessThanOrEqual(176);
    expect(findBars(field)).toEqual([]);
    const blank = orientationField(
      fill(240, 240, () => 200),
      8,
    );
    expect(findBars(blank)).toEqual([]);
    expect(findBlobs(blank)).toEqual([]);
  });

  it('joins the pieces of a code with large modules around the strongest patch, and only the near ones', () => {
    const piece = (x: number, y: number, score = 1): BlobRegion => ({ kind: 'blob', x, y, width: 24, height: 24, score });
    const seed = piece(100, 100, 10);
    // A finder pattern seen as a short, thick patch of bars just above the seed.
    const finder = boxOfBars({ kind: 'bars', cx: 112, cy: 70, angle: 0, length: 32, thickness: 40, score: 5 });
    expect(finder).toMatchObject({ x: 96, y: 50, width: 32, height: 40 });
    const far = piece(400, 400);
    const cluster = clusterOfPieces(seed, [seed, piece(136, 100), piece(170, 110), finder, far], 16);
    // 136 is 12 px from the seed, 170 is 10 px from that one: a chain joins; 400 stays out.
    expect(cluster).toMatchObject({ x: 96, y: 50, width: 170 + 24 - 96, height: 134 - 50 });
    expect(clusterOfPieces(seed, [seed, far], 16)).toBeNull();
  });
});
