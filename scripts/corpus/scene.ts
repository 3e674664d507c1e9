// One webcam frame's scene: a coupon code on a phone screen or on paper, placed in front of a
// pinhole camera with a pose (distance, tilt, rotation), over a cluttered counter. Colours
// are linear-ish 0..255 floats, RGB interleaved; distort.ts adds what the sensor does.
import type { Modules } from './codes';
import type { CorpusRandom } from './random';

export interface Frame {
  width: number;
  height: number;
  /** RGB, 3 floats a pixel, nominally 0..255. */
  data: Float32Array;
}

export const newFrame = (width: number, height: number): Frame => ({ width, height, data: new Float32Array(width * height * 3) });

type Rgb = readonly [number, number, number];

/** Where a code sits on its carrier, in millimetres from the carrier's top-left corner. */
interface CodeBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A flat thing held up to the camera: what colour it is at (u, v) mm, and whether it glows. */
export interface Carrier {
  kind: 'phone' | 'paper';
  widthMm: number;
  heightMm: number;
  /** A screen lights itself; paper only reflects the room's light. */
  emissive: boolean;
  code: CodeBox;
  /** Writes the colour at (u, v) into `out`; false outside the carrier. */
  sample(u: number, v: number, out: number[]): boolean;
}

const grey = (v: number): Rgb => [v, v, v];

/** Fake lines of text: blocks of glyph-sized dark marks, as around a code on a coupon. */
function textMask(rng: CorpusRandom, lines: CodeBox[], glyphMm: number): (u: number, v: number) => boolean {
  const marks = lines.map((line) => {
    const glyphs: [number, number][] = [];
    for (let x = line.x; x < line.x + line.w; x += glyphMm * rng.between(0.8, 1.3)) if (rng.chance(0.85)) glyphs.push([x, x + glyphMm * 0.7]);
    return { line, glyphs };
  });
  return (u, v) => {
    for (const { line, glyphs } of marks) {
      if (v < line.y || v > line.y + line.h || u < line.x || u > line.x + line.w) continue;
      for (const [a, b] of glyphs) if (u >= a && u < b) return true;
    }
    return false;
  };
}

function codeInk(modules: Modules, box: CodeBox): (u: number, v: number) => boolean {
  return (u, v) => {
    const mx = Math.floor(((u - box.x) / box.w) * modules.width);
    const my = modules.height === 1 ? 0 : Math.floor(((v - box.y) / box.h) * modules.height);
    if (mx < 0 || my < 0 || mx >= modules.width || my >= modules.height || v < box.y || v >= box.y + box.h) return false;
    return modules.dark[my * modules.width + mx] === 1;
  };
}

/**
 * A phone showing the coupon the way WeChat does: a coloured header, a white card, the code
 * large in the middle (a barcode nearly the screen's width, a QR code about 60% of it) and
 * its digits below, inside a dark bezel.
 */
export function phoneCarrier(rng: CorpusRandom, modules: Modules): Carrier {
  const widthMm = rng.between(68, 78);
  const heightMm = widthMm * rng.between(2.0, 2.2);
  const bezel = rng.between(2, 4);
  const screenTop = rng.between(8, 12);
  const body = grey(rng.between(15, 45));
  const header: Rgb = [rng.between(20, 230), rng.between(60, 200), rng.between(40, 200)];
  const page = grey(rng.between(236, 252));
  const ink = grey(rng.between(0, 25));
  const screenW = widthMm - 2 * bezel;
  const codeW = modules.height === 1 ? screenW * rng.between(0.78, 0.9) : screenW * rng.between(0.5, 0.65);
  const codeH = modules.height === 1 ? rng.between(13, 19) : codeW;
  const code: CodeBox = { x: (widthMm - codeW) / 2, y: screenTop + rng.between(45, 60), w: codeW, h: codeH };
  const headerEnd = screenTop + rng.between(22, 38);
  const text = textMask(
    rng,
    [
      { x: bezel + 6, y: screenTop + 6, w: screenW * 0.5, h: 3.5 },
      { x: bezel + 6, y: screenTop + 13, w: screenW * 0.7, h: 2.5 },
      { x: code.x + codeW * 0.15, y: code.y + codeH + 3, w: codeW * 0.7, h: 3 },
      { x: bezel + 8, y: code.y + codeH + 14, w: screenW * 0.6, h: 2.5 },
    ],
    rng.between(2, 3),
  );
  const ink1 = codeInk(modules, code);
  return {
    kind: 'phone',
    widthMm,
    heightMm,
    emissive: true,
    code,
    sample(u, v, out) {
      if (u < 0 || v < 0 || u > widthMm || v > heightMm) return false;
      let c: Rgb;
      if (u < bezel || u > widthMm - bezel || v < screenTop || v > heightMm - screenTop) c = body;
      else if (ink1(u, v)) c = ink;
      else if (v < headerEnd) c = text(u, v) ? page : header;
      else c = text(u, v) ? grey(110) : page;
      out[0] = c[0];
      out[1] = c[1];
      out[2] = c[2];
      return true;
    },
  };
}

/** A printed coupon: off-white paper, the code with its quiet zone, a few lines of print. */
export function paperCarrier(rng: CorpusRandom, modules: Modules): Carrier {
  const codeW = modules.height === 1 ? rng.between(38, 60) : rng.between(22, 38);
  const codeH = modules.height === 1 ? rng.between(10, 18) : codeW;
  const margin = rng.between(8, 16);
  const widthMm = codeW + 2 * margin;
  const heightMm = codeH + margin * 2 + rng.between(15, 30);
  const paper: Rgb = [rng.between(215, 250), rng.between(212, 248), rng.between(200, 240)];
  const ink = grey(rng.between(10, 60));
  const code: CodeBox = { x: margin, y: margin + rng.between(10, 20), w: codeW, h: codeH };
  const text = textMask(
    rng,
    [
      { x: margin, y: margin * 0.5, w: widthMm - 2 * margin, h: 3 },
      { x: margin, y: margin * 0.5 + 5, w: (widthMm - 2 * margin) * 0.6, h: 2.5 },
      { x: margin, y: code.y + codeH + 3, w: widthMm - 2 * margin, h: 2.5 },
    ],
    rng.between(1.8, 2.6),
  );
  const ink1 = codeInk(modules, code);
  return {
    kind: 'paper',
    widthMm,
    heightMm,
    emissive: false,
    code,
    sample(u, v, out) {
      if (u < 0 || v < 0 || u > widthMm || v > heightMm) return false;
      const c = ink1(u, v) || text(u, v) ? ink : paper;
      out[0] = c[0];
      out[1] = c[1];
      out[2] = c[2];
      return true;
    },
  };
}

export interface Pose {
  /** Focal length in pixels (a 720p webcam's 60–75° horizontal field of view). */
  focalPx: number;
  /** Rotations in radians: in the image plane, and out of it about the vertical and horizontal axes. */
  roll: number;
  yaw: number;
  pitch: number;
  /** Distance of the code's centre from the camera, mm. */
  distanceMm: number;
  /** Where the code's centre lands in the frame, px. */
  centreX: number;
  centreY: number;
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

function mul3(a: Mat3, b: Mat3): Mat3 {
  const r = new Array<number>(9).fill(0) as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j]! += a[i * 3 + k]! * b[k * 3 + j]!;
  return r;
}

function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * The homography from carrier millimetres to frame pixels for a pose, built so the code's
 * centre lands on (centreX, centreY) at the given distance.
 */
export function homography(carrier: Carrier, pose: Pose, width: number, height: number): Mat3 {
  const { roll, yaw, pitch, focalPx: f } = pose;
  const rz: Mat3 = [Math.cos(roll), -Math.sin(roll), 0, Math.sin(roll), Math.cos(roll), 0, 0, 0, 1];
  const ry: Mat3 = [Math.cos(yaw), 0, Math.sin(yaw), 0, 1, 0, -Math.sin(yaw), 0, Math.cos(yaw)];
  const rx: Mat3 = [1, 0, 0, 0, Math.cos(pitch), -Math.sin(pitch), 0, Math.sin(pitch), Math.cos(pitch)];
  const rot = mul3(mul3(ry, rx), rz);
  const cx = width / 2;
  const cy = height / 2;
  // The code's centre in camera space, on the ray through (centreX, centreY).
  const rayX = (pose.centreX - cx) / f;
  const rayY = (pose.centreY - cy) / f;
  const norm = Math.hypot(rayX, rayY, 1);
  const t = [(rayX / norm) * pose.distanceMm, (rayY / norm) * pose.distanceMm, pose.distanceMm / norm];
  const ox = carrier.code.x + carrier.code.w / 2;
  const oy = carrier.code.y + carrier.code.h / 2;
  // Columns: the carrier's u and v axes and its origin (shifted so the code's centre is at t).
  const r1 = [rot[0], rot[3], rot[6]];
  const r2 = [rot[1], rot[4], rot[7]];
  const o = [0, 1, 2].map((k) => t[k]! - ox * r1[k]! - oy * r2[k]!);
  const k: Mat3 = [f, 0, cx, 0, f, cy, 0, 0, 1];
  const rt: Mat3 = [r1[0]!, r2[0]!, o[0]!, r1[1]!, r2[1]!, o[1]!, r1[2]!, r2[2]!, o[2]!];
  return mul3(k, rt);
}

export function project(h: Mat3, u: number, v: number): [number, number] {
  const w = h[6] * u + h[7] * v + h[8];
  return [(h[0] * u + h[1] * v + h[2]) / w, (h[3] * u + h[4] * v + h[5]) / w];
}

/** The code's four corners in the frame, px. */
export function codeCorners(carrier: Carrier, h: Mat3): [number, number][] {
  const { x, y, w, h: ch } = carrier.code;
  return [project(h, x, y), project(h, x + w, y), project(h, x + w, y + ch), project(h, x, y + ch)];
}

/**
 * Draws the carrier over `frame` (which holds the background), 3×3 samples a pixel so module
 * edges are anti-aliased as a lens would. `light` scales reflected colours at each pixel; a
 * screen's own brightness is `screen`.
 */
export function renderCarrier(frame: Frame, carrier: Carrier, h: Mat3, light: (x: number, y: number) => number, screen: number): void {
  const inv = invert3(h);
  const { width, height, data } = frame;
  // Only the carrier's bounding box in the frame needs sampling.
  const corners = [project(h, 0, 0), project(h, carrier.widthMm, 0), project(h, carrier.widthMm, carrier.heightMm), project(h, 0, carrier.heightMm)];
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[0]))));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...corners.map((c) => c[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((c) => c[1]))));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...corners.map((c) => c[1]))));
  const c = [0, 0, 0];
  const S = 3;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let hits = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const px = x + (sx + 0.5) / S;
          const py = y + (sy + 0.5) / S;
          const w = inv[6] * px + inv[7] * py + inv[8];
          if (w <= 0) continue;
          const u = (inv[0] * px + inv[1] * py + inv[2]) / w;
          const v = (inv[3] * px + inv[4] * py + inv[5]) / w;
          if (!carrier.sample(u, v, c)) continue;
          r += c[0]!;
          g += c[1]!;
          b += c[2]!;
          hits++;
        }
      }
      if (hits === 0) continue;
      const gain = carrier.emissive ? screen : light(x, y);
      const i = (y * width + x) * 3;
      const cover = hits / (S * S);
      data[i] = data[i]! * (1 - cover) + (r / (S * S)) * gain;
      data[i + 1] = data[i + 1]! * (1 - cover) + (g / (S * S)) * gain;
      data[i + 2] = data[i + 2]! * (1 - cover) + (b / (S * S)) * gain;
    }
  }
}

/**
 * A shop counter behind the code: a lit gradient, blurred objects, and lines of print (which
 * have edges like a barcode's, so a decoder that reads noise would show it here).
 */
export function renderBackground(frame: Frame, rng: CorpusRandom, light: (x: number, y: number) => number): void {
  const { width, height, data } = frame;
  const a: Rgb = [rng.between(40, 200), rng.between(40, 200), rng.between(40, 200)];
  const b: Rgb = [rng.between(40, 200), rng.between(40, 200), rng.between(40, 200)];
  const angle = rng.between(0, Math.PI);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = Math.min(1, Math.max(0, ((x - width / 2) * dx + (y - height / 2) * dy) / width + 0.5));
      const i = (y * width + x) * 3;
      for (let k = 0; k < 3; k++) data[i + k] = a[k]! * (1 - t) + b[k]! * t;
    }
  }
  const shapes = rng.int(4, 12);
  for (let s = 0; s < shapes; s++) {
    const col: Rgb = [rng.between(0, 255), rng.between(0, 255), rng.between(0, 255)];
    const cx = rng.between(0, width);
    const cy = rng.between(0, height);
    const rx = rng.between(30, 300);
    const ry = rng.between(30, 300);
    const rot = rng.between(0, Math.PI);
    const ellipse = rng.chance(0.5);
    const cos = Math.cos(rot);
    const sin = Math.sin(rot);
    const reach = Math.max(rx, ry) * 1.5;
    for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(height, cy + reach); y++) {
      for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(width, cx + reach); x++) {
        const u = ((x - cx) * cos + (y - cy) * sin) / rx;
        const v = (-(x - cx) * sin + (y - cy) * cos) / ry;
        const inside = ellipse ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1;
        if (!inside) continue;
        const i = (y * width + x) * 3;
        for (let k = 0; k < 3; k++) data[i + k] = col[k]!;
      }
    }
  }
  // Print on a box or a receipt: rows of short dark dashes.
  const blocks = rng.int(0, 3);
  for (let bI = 0; bI < blocks; bI++) {
    const bx = rng.int(0, width - 200);
    const by = rng.int(0, height - 120);
    const glyph = rng.int(4, 9);
    const ink = rng.between(10, 70);
    for (let line = 0; line < rng.int(3, 8); line++) {
      const y0 = by + line * glyph * 2;
      for (let x = bx; x < bx + rng.int(80, 200); x += glyph) {
        if (rng.chance(0.25)) continue;
        for (let y = y0; y < Math.min(height, y0 + glyph); y++)
          for (let xx = x; xx < Math.min(width, x + glyph - 2); xx++) data.fill(ink, (y * width + xx) * 3, (y * width + xx) * 3 + 3);
      }
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const l = light(x, y);
      const i = (y * width + x) * 3;
      data[i] = data[i]! * l;
      data[i + 1] = data[i + 1]! * l;
      data[i + 2] = data[i + 2]! * l;
    }
  }
}
