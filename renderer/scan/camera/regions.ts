// Where in a frame a code probably is, and at what angle, from the local gradient structure:
// a 1-D barcode is a patch of strong edges that all point one way (its bars), a QR code a
// patch of strong edges pointing both ways. Cheap (one pass over a half-size frame), so the
// pipeline can look there first — deskewed, enlarged — instead of searching the whole frame.
import type { Luma } from './image-ops';

/** A patch of strong, parallel edges: a 1-D barcode seen at `angle`. */
export interface BarsRegion {
  kind: 'bars';
  /** Centre in the frame, px. */
  cx: number;
  cy: number;
  /** Direction across the bars (the code's reading direction), radians in [0, π). */
  angle: number;
  /** Extent along `angle` and across it, px. */
  length: number;
  thickness: number;
  /** Summed edge energy: larger regions of stronger edges first. */
  score: number;
}

/** A patch of strong edges in every direction: a 2-D code (or print) in its bounding box. */
export interface BlobRegion {
  kind: 'blob';
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface OrientationField {
  cols: number;
  rows: number;
  /** Size of a cell in frame pixels. */
  cell: number;
  /** Mean squared gradient per pixel in each cell. */
  energy: Float32Array;
  /** 0 (edges in all directions) .. 1 (all parallel). */
  coherence: Float32Array;
  /** Dominant gradient direction, radians in [0, π). */
  angle: Float32Array;
}

/**
 * The structure tensor summed over cells of `cell` px (on the frame as given): per cell, how
 * strong its edges are, how parallel, and which way they point.
 */
export function orientationField(src: Luma, cell: number): OrientationField {
  const { width, height, data } = src;
  const cols = Math.floor(width / cell);
  const rows = Math.floor(height / cell);
  const jxx = new Float32Array(cols * rows);
  const jyy = new Float32Array(cols * rows);
  const jxy = new Float32Array(cols * rows);
  // Forward differences: a barcode's narrowest bars are 1–2 px, where a wider stencil (central
  // differences, Sobel) would bend the measured angle towards 45°.
  for (let y = 0; y < rows * cell && y < height - 1; y++) {
    const r = ((y / cell) | 0) * cols;
    const row = y * width;
    for (let x = 0; x < cols * cell && x < width - 1; x++) {
      const gx = data[row + x + 1]! - data[row + x]!;
      const gy = data[row + width + x]! - data[row + x]!;
      const c = r + ((x / cell) | 0);
      jxx[c]! += gx * gx;
      jyy[c]! += gy * gy;
      jxy[c]! += gx * gy;
    }
  }
  const energy = new Float32Array(cols * rows);
  const coherence = new Float32Array(cols * rows);
  const angle = new Float32Array(cols * rows);
  const area = cell * cell;
  for (let c = 0; c < cols * rows; c++) {
    const a = jxx[c]!;
    const b = jyy[c]!;
    const d = jxy[c]!;
    const e = a + b;
    energy[c] = e / area;
    coherence[c] = e > 0 ? Math.sqrt((a - b) * (a - b) + 4 * d * d) / e : 0;
    const t = 0.5 * Math.atan2(2 * d, a - b);
    angle[c] = t < 0 ? t + Math.PI : t;
  }
  return { cols, rows, cell, energy, coherence, angle };
}

export interface RegionOptions {
  /** Mean squared gradient a cell needs to count as part of a code (0..255 grey levels). */
  minEnergy: number;
  /** Coherence above which a cell is bars, below which it may be a 2-D code. */
  barsCoherence: number;
  blobCoherence: number;
  /** Neighbouring bar cells join one region while their angles differ by less than this, radians. */
  maxAngleStep: number;
  /** Regions smaller than this many cells are print or noise. */
  minCells: number;
}

export const DEFAULT_REGION_OPTIONS: Readonly<RegionOptions> = Object.freeze({
  minEnergy: 150,
  barsCoherence: 0.6,
  blobCoherence: 0.55,
  maxAngleStep: (12 * Math.PI) / 180,
  minCells: 4,
});

/** Alike neighbours (of 8) a bar cell needs to be inside a patch rather than on a line. */
const CORE_NEIGHBOURS = 4;

function trimmedRange(values: number[]): [number, number] {
  const sorted = values.sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.05);
  return [sorted[cut]!, sorted[sorted.length - 1 - cut]!];
}

const angleGap = (a: number, b: number) => {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
};

/** Connected groups of cells that `member` admits, `joins` deciding whether neighbours belong together. */
function components(f: OrientationField, member: (c: number) => boolean, joins: (a: number, b: number) => boolean, minCells: number): number[][] {
  const seen = new Uint8Array(f.cols * f.rows);
  const groups: number[][] = [];
  for (let start = 0; start < seen.length; start++) {
    if (seen[start] || !member(start)) continue;
    seen[start] = 1;
    const group = [start];
    for (let i = 0; i < group.length; i++) {
      const c = group[i]!;
      const cx = c % f.cols;
      const cy = (c / f.cols) | 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= f.cols || ny >= f.rows) continue;
          const n = ny * f.cols + nx;
          if (seen[n] || !member(n) || !joins(c, n)) continue;
          seen[n] = 1;
          group.push(n);
        }
      }
    }
    if (group.length >= minCells) groups.push(group);
  }
  return groups;
}

/**
 * Candidate 1-D codes, strongest first. The angle is the energy-weighted mean of the cells'
 * (averaged on the doubled angle, so 1° and 179° agree); the extent is the cells' spread along
 * and across it, plus one cell.
 */
export function findBars(f: OrientationField, opts: RegionOptions = DEFAULT_REGION_OPTIONS): BarsRegion[] {
  const isBars = (c: number) => f.energy[c]! >= opts.minEnergy && f.coherence[c]! >= opts.barsCoherence;
  const alike = (a: number, b: number) => angleGap(f.angle[a]!, f.angle[b]!) < opts.maxAngleStep;
  // Only cells inside a patch of bars count: a straight edge (a phone's side, a box's) is a line
  // of parallel cells too, and touching the code it would stretch the region along itself.
  const core = new Uint8Array(f.cols * f.rows);
  for (let c = 0; c < core.length; c++) {
    if (!isBars(c)) continue;
    const cx = c % f.cols;
    const cy = (c / f.cols) | 0;
    let alikeNeighbours = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = cx + dx;
        const ny = cy + dy;
        if ((dx || dy) && nx >= 0 && ny >= 0 && nx < f.cols && ny < f.rows && isBars(ny * f.cols + nx) && alike(c, ny * f.cols + nx)) alikeNeighbours++;
      }
    }
    core[c] = alikeNeighbours >= CORE_NEIGHBOURS ? 1 : 0;
  }
  const groups = components(f, (c) => core[c] === 1, alike, opts.minCells);
  const regions = groups.map((g): BarsRegion => {
    let sx = 0;
    let sy = 0;
    let w = 0;
    for (const c of g) {
      const e = f.energy[c]! * f.coherence[c]!;
      sx += Math.cos(2 * f.angle[c]!) * e;
      sy += Math.sin(2 * f.angle[c]!) * e;
      w += e;
    }
    let angle = 0.5 * Math.atan2(sy, sx);
    if (angle < 0) angle += Math.PI;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    const along: number[] = [];
    const across: number[] = [];
    for (const c of g) {
      const px = ((c % f.cols) + 0.5) * f.cell;
      const py = (((c / f.cols) | 0) + 0.5) * f.cell;
      along.push(px * ux + py * uy);
      across.push(-px * uy + py * ux);
    }
    // The extent without its outermost 5% of cells either way: a strip of some other edge that
    // still joined the patch does not stretch the window over half the frame.
    const [minA, maxA] = trimmedRange(along);
    const [minB, maxB] = trimmedRange(across);
    const ma = (minA + maxA) / 2;
    const mb = (minB + maxB) / 2;
    return { kind: 'bars', cx: ma * ux - mb * uy, cy: ma * uy + mb * ux, angle, length: maxA - minA + f.cell, thickness: maxB - minB + f.cell, score: w };
  });
  // A barcode runs along its reading direction; a thin line of parallel edges across it is the
  // border of something else (a QR code's side, a phone's edge).
  return regions.filter((r) => r.length >= opts.minCells * f.cell && r.length >= 0.6 * r.thickness).sort((a, b) => b.score - a.score);
}

/** Candidate 2-D codes: bounding boxes of strong, unordered edges, strongest first. */
export function findBlobs(f: OrientationField, opts: RegionOptions = DEFAULT_REGION_OPTIONS): BlobRegion[] {
  const isBlob = (c: number) => f.energy[c]! >= opts.minEnergy && f.coherence[c]! < opts.blobCoherence;
  const groups = components(f, isBlob, () => true, opts.minCells);
  return groups
    .map((g): BlobRegion => {
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      let score = 0;
      for (const c of g) {
        const x = c % f.cols;
        const y = (c / f.cols) | 0;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
        score += f.energy[c]!;
      }
      return { kind: 'blob', x: x0 * f.cell, y: y0 * f.cell, width: (x1 - x0) * f.cell, height: (y1 - y0) * f.cell, score };
    })
    .sort((a, b) => b.score - a.score);
}
