// What a webcam does to a scene: lens blur, hand shake, a reflection on the screen, too little
// light and the gain that follows, sensor noise. Each works in place on a Frame.
import type { Frame } from './scene';
import type { CorpusRandom } from './random';

function blur1d(src: Float32Array, dst: Float32Array, width: number, height: number, kernel: Float32Array, horizontal: boolean): void {
  const r = (kernel.length - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let k = -r; k <= r; k++) {
        const xx = horizontal ? Math.min(width - 1, Math.max(0, x + k)) : x;
        const yy = horizontal ? y : Math.min(height - 1, Math.max(0, y + k));
        const w = kernel[k + r]!;
        const i = (yy * width + xx) * 3;
        a += src[i]! * w;
        b += src[i + 1]! * w;
        c += src[i + 2]! * w;
      }
      const o = (y * width + x) * 3;
      dst[o] = a;
      dst[o + 1] = b;
      dst[o + 2] = c;
    }
  }
}

/** Out of focus: a Gaussian of `sigma` px (a webcam is never quite sharp: ≥ 0.5 always). */
export function defocus(frame: Frame, sigma: number): void {
  const r = Math.max(1, Math.ceil(sigma * 3));
  const kernel = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += kernel[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k]! /= sum;
  const tmp = new Float32Array(frame.data.length);
  blur1d(frame.data, tmp, frame.width, frame.height, kernel, true);
  blur1d(tmp, frame.data, frame.width, frame.height, kernel, false);
}

/** The hand moved `length` px along `angle` while the shutter was open. */
export function motionBlur(frame: Frame, length: number, angle: number): void {
  const { width, height, data } = frame;
  const src = data.slice();
  const steps = Math.max(2, Math.ceil(length));
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let s = 0; s < steps; s++) {
        const t = (s / (steps - 1) - 0.5) * length;
        const xx = Math.min(width - 1, Math.max(0, Math.round(x + dx * t)));
        const yy = Math.min(height - 1, Math.max(0, Math.round(y + dy * t)));
        const i = (yy * width + xx) * 3;
        a += src[i]!;
        b += src[i + 1]!;
        c += src[i + 2]!;
      }
      const o = (y * width + x) * 3;
      data[o] = a / steps;
      data[o + 1] = b / steps;
      data[o + 2] = c / steps;
    }
  }
}

/**
 * A ceiling light reflected in the screen or the paper: a bright elliptical spot that
 * saturates the sensor at its core and washes out the code's contrast around it.
 */
export function glare(frame: Frame, cx: number, cy: number, rx: number, ry: number, angle: number, strength: number): void {
  const { width, height, data } = frame;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const reach = 3 * Math.max(rx, ry);
  for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(height, cy + reach); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(width, cx + reach); x++) {
      const u = ((x - cx) * cos + (y - cy) * sin) / rx;
      const v = (-(x - cx) * sin + (y - cy) * cos) / ry;
      const add = strength * Math.exp(-(u * u + v * v) / 2);
      const i = (y * width + x) * 3;
      // A reflection is the light's colour (near white) added on top of the scene.
      data[i] = data[i]! + add;
      data[i + 1] = data[i + 1]! + add;
      data[i + 2] = data[i + 2]! + add * 0.95;
    }
  }
}

/** Exposure and the camera's tone curve: `gain` scales the light, `gamma` bends the response. */
export function expose(frame: Frame, gain: number, gamma: number): void {
  const d = frame.data;
  for (let i = 0; i < d.length; i++) d[i] = 255 * Math.pow(Math.max(0, (d[i]! * gain) / 255), gamma);
}

/** A gentle fall-off towards the corners, as every cheap lens has. */
export function vignette(frame: Frame, amount: number): void {
  const { width, height, data } = frame;
  const cx = width / 2;
  const cy = height / 2;
  const r2 = cx * cx + cy * cy;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const f = 1 - amount * (((x - cx) ** 2 + (y - cy) ** 2) / r2);
      const i = (y * width + x) * 3;
      data[i] = data[i]! * f;
      data[i + 1] = data[i + 1]! * f;
      data[i + 2] = data[i + 2]! * f;
    }
  }
}

/**
 * Sensor noise: a read-noise floor of `sigma`, plus shot noise that grows with the signal
 * (scaled by `shot`), partly shared across channels as a Bayer sensor's demosaicing makes it.
 */
export function sensorNoise(frame: Frame, rng: CorpusRandom, sigma: number, shot: number): void {
  const d = frame.data;
  for (let i = 0; i < d.length; i += 3) {
    const shared = rng.normal();
    for (let k = 0; k < 3; k++) {
      const v = Math.max(0, d[i + k]!);
      const s = Math.sqrt(sigma * sigma + shot * v);
      d[i + k] = v + s * (0.6 * shared + 0.8 * rng.normal());
    }
  }
}

/** 8-bit RGBA, clipped, as the camera hands it over. */
export function toRgba(frame: Frame): Uint8Array {
  const { width, height, data } = frame;
  const out = new Uint8Array(width * height * 4);
  for (let p = 0, i = 0; p < width * height; p++, i += 3) {
    out[p * 4] = Math.min(255, Math.max(0, Math.round(data[i]!)));
    out[p * 4 + 1] = Math.min(255, Math.max(0, Math.round(data[i + 1]!)));
    out[p * 4 + 2] = Math.min(255, Math.max(0, Math.round(data[i + 2]!)));
    out[p * 4 + 3] = 255;
  }
  return out;
}
