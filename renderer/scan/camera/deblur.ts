// Restoring the bars of a blurred 1-D code. Motion along the reading direction blurs the
// profile across the bars with a box as long as the movement; once the box is longer than two
// modules the narrow bars come out phase-inverted (a thin space reads as a bar), which no
// sharpening repairs. Defocus blurs with a Gaussian. Both are undone on the profile — the bars
// window averaged along the bars, so the noise falls too — by Wiener deconvolution with a few
// candidate kernels: the one near the true blur restores the bars.
import { newLuma, type Luma } from './image-ops';

/** A blur to undo, px of the window: a box (motion) of `box` px and a Gaussian (defocus) of `sigma` px. */
export interface Blur {
  box: number;
  sigma: number;
}

/** Bit-reversal permutation and twiddles of one transform size, made once: every frame's windows share a few sizes. */
interface FftPlan {
  reversed: Uint32Array;
  /** cos and sin of 2πk/n for k < n/2. */
  cos: Float64Array;
  sin: Float64Array;
}

const plans = new Map<number, FftPlan>();

function planOf(n: number): FftPlan {
  let plan = plans.get(n);
  if (!plan) {
    const reversed = new Uint32Array(n);
    for (let i = 1, j = 0; i < n; i++) {
      let bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      reversed[i] = j;
    }
    const cos = new Float64Array(n >> 1);
    const sin = new Float64Array(n >> 1);
    for (let k = 0; k < n >> 1; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    plan = { reversed, cos, sin };
    plans.set(n, plan);
  }
  return plan;
}

/** In-place radix-2 FFT of (re, im); `inverse` scales by 1/n. n must be a power of two. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  const { reversed, cos, sin } = planOf(n);
  for (let i = 1; i < n; i++) {
    const j = reversed[i]!;
    if (i < j) {
      const r = re[i]!;
      re[i] = re[j]!;
      re[j] = r;
      const m = im[i]!;
      im[i] = im[j]!;
      im[j] = m;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = i + k;
        const b = a + half;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a]! += tr;
        im[a]! += ti;
      }
    }
  }
  if (inverse)
    for (let i = 0; i < n; i++) {
      re[i]! /= n;
      im[i]! /= n;
    }
}

/** Mean of each column over rows [y0, y1): the profile across a window whose bars are upright. */
export function profileOf(src: Luma, y0: number, y1: number): Float64Array {
  const out = new Float64Array(src.width);
  const a = Math.max(0, Math.floor(y0));
  const b = Math.min(src.height, Math.max(a + 1, Math.floor(y1)));
  for (let y = a; y < b; y++) {
    const row = y * src.width;
    for (let x = 0; x < src.width; x++) out[x]! += src.data[row + x]!;
  }
  for (let x = 0; x < src.width; x++) out[x]! /= b - a;
  return out;
}

/** A profile's spectrum, padded with its end values so the circular transform adds no edge. */
export interface Spectrum {
  re: Float64Array;
  im: Float64Array;
  length: number;
}

export function spectrumOf(profile: Float64Array): Spectrum {
  let n = 1;
  // A little padding either side: the code's quiet zones already separate its ends.
  while (n < profile.length + 64) n <<= 1;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const pad = (n - profile.length) >> 1;
  const first = profile[0]!;
  const last = profile[profile.length - 1]!;
  for (let i = 0; i < n; i++) re[i] = i < pad ? first : i - pad < profile.length ? profile[i - pad]! : last;
  fft(re, im, false);
  return { re, im, length: profile.length };
}

/** The Wiener gain of `blur` at each bin 0..n/2 (the kernel is symmetric: bin n − k has bin k's). */
function wienerGains(n: number, blur: Blur, noise: number): Float64Array {
  const g = new Float64Array((n >> 1) + 1);
  // sin(kθ) and exp(−c·k²) by recurrences over k: a few multiplications a bin instead of two
  // transcendental calls, for the sixty-odd kernels a window is restored with.
  const theta = (Math.PI * blur.box) / n;
  const twoCos = 2 * Math.cos(theta);
  const c = (2 * Math.PI * Math.PI * blur.sigma * blur.sigma) / (n * n);
  const step = Math.exp(-2 * c);
  let sinPrev = -Math.sin(theta);
  let sinK = 0;
  let gauss = 1;
  let ratio = Math.exp(-c);
  for (let k = 0; k <= n >> 1; k++) {
    const sinc = k === 0 || theta === 0 ? 1 : sinK / (k * theta);
    const h = sinc * gauss;
    g[k] = h / (h * h + noise);
    const sinNext = twoCos * sinK - sinPrev;
    sinPrev = sinK;
    sinK = sinNext;
    gauss *= ratio;
    ratio *= step;
  }
  return g;
}

/**
 * The profile with `blur` undone, and with `other` undone too when given (Wiener: the inverse
 * filter, damped where the blur left less signal than `noise`). The kernel is real and
 * symmetric, so its sign carries the phase a long box inverted, and each restored profile is
 * real: two of them come out of one inverse transform, as its real and imaginary parts.
 */
export function deconvolve(s: Spectrum, blur: Blur, noise = 0.02, other?: Blur): [Float64Array, Float64Array | null] {
  const n = s.re.length;
  const ga = wienerGains(n, blur, noise);
  const gb = other ? wienerGains(n, other, noise) : new Float64Array(ga.length);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const j = k <= n >> 1 ? k : n - k;
    const a = ga[j]!;
    const b = gb[j]!;
    // (S·a) + i·(S·b), whose inverse is the two restored profiles side by side.
    re[k] = s.re[k]! * a - s.im[k]! * b;
    im[k] = s.im[k]! * a + s.re[k]! * b;
  }
  fft(re, im, true);
  const pad = (n - s.length) >> 1;
  return [re.subarray(pad, pad + s.length), other ? im.subarray(pad, pad + s.length) : null];
}

const LEVEL_BINS = 512;

/**
 * The values below which `lowFrac` and above which `1 − highFrac` of the profile lie, from a
 * histogram (a sort per candidate kernel would cost more than its deconvolution).
 */
function levels(p: Float64Array, lowFrac: number, highFrac: number): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let x = 0; x < p.length; x++) {
    if (p[x]! < min) min = p[x]!;
    if (p[x]! > max) max = p[x]!;
  }
  if (!(max > min)) return [min, max];
  const hist = new Uint32Array(LEVEL_BINS);
  const k = (LEVEL_BINS - 1) / (max - min);
  for (let x = 0; x < p.length; x++) hist[((p[x]! - min) * k) | 0]!++;
  const value = (frac: number) => {
    const target = frac * p.length;
    let acc = 0;
    for (let b = 0; b < LEVEL_BINS; b++) if ((acc += hist[b]!) >= target) return min + (b + 0.5) / k;
    return max;
  };
  return [value(lowFrac), value(highFrac)];
}

/** Profiles drawn as stacked stripes of `rows` rows each, their levels stretched to 0..255. */
export function stripesOf(profiles: readonly Float64Array[], rows: number): Luma {
  const width = profiles[0]?.length ?? 1;
  const out = newLuma(width, Math.max(1, profiles.length * rows));
  profiles.forEach((p, i) => {
    const [lo, hi] = levels(p, 0.02, 0.98);
    const k = hi > lo ? 255 / (hi - lo) : 0;
    for (let x = 0; x < width; x++) {
      const v = (p[x]! - lo) * k;
      out.data[i * rows * width + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    for (let r = 1; r < rows; r++) out.data.copyWithin((i * rows + r) * width, i * rows * width, (i * rows + 1) * width);
  });
  return out;
}

/**
 * How far a restored profile is from two levels (bars and spaces): the mean distance of each
 * value, scaled between the profile's 10th and 90th percentiles, from the nearer of 0 and 1.
 * Too little deconvolution leaves greys, too much rings past both levels; the right kernel scores least.
 */
export function twoLevelDistance(p: Float64Array): number {
  const [lo, hi] = levels(p, 0.1, 0.9);
  if (!(hi > lo)) return Infinity;
  let sum = 0;
  for (let x = 0; x < p.length; x++) {
    const v = (p[x]! - lo) / (hi - lo);
    sum += Math.min(Math.abs(v), Math.abs(1 - v));
  }
  return sum / p.length;
}

/** Rows each restored profile is drawn with: the reader must see a text on more rows than one stripe has. */
export const STRIPE_ROWS = 4;
/** Motion up to this long (px of the window) is searched, in whole px, with a narrow and a wide defocus. */
const MAX_BOX = 16;
const SEARCH_SIGMAS = [0.8, 2] as const;
const NOISE = 0.002;
/**
 * Bands of the window's height (fractions) restored apart: a narrow band keeps a slight skew or
 * a perspective's converging bars from blurring the average, and a glare spot spoils one band only.
 */
const BANDS: readonly (readonly [number, number])[] = [
  [0.35, 0.65],
  [0.1, 0.4],
  [0.6, 0.9],
];

/**
 * The bars of an upright 1-D code window with its blur undone: the blur that best restores two
 * levels in the middle band is found on a coarse grid, then each band is restored with the
 * kernels around it, drawn as stripes, one per band and kernel. Neighbouring kernels restore the
 * same bars, so reading the image with a line count above `STRIPE_ROWS` accepts only a text that
 * two stripes agree on: a deconvolution's artefact that happens to pass the checksum does not repeat.
 */
export function restoredBars(win: Luma): Luma {
  const spectra = BANDS.map(([a, b]) => spectrumOf(profileOf(win, a * win.height, b * win.height)));
  const candidates: Blur[] = [];
  for (let box = 0; box <= MAX_BOX; box++) for (const sigma of SEARCH_SIGMAS) candidates.push({ box, sigma });
  let best = candidates[0]!;
  let bestScore = Infinity;
  for (let i = 0; i < candidates.length; i += 2) {
    const pair = deconvolve(spectra[0]!, candidates[i]!, NOISE, candidates[i + 1]);
    pair.forEach((p, k) => {
      const score = p ? twoLevelDistance(p) : Infinity;
      if (score < bestScore) [best, bestScore] = [candidates[i + k]!, score];
    });
  }
  const kernels: Blur[] = [];
  for (let db = -0.5; db <= 0.5; db += 0.5) {
    for (const ds of [-0.6, 0, 0.6]) {
      const blur = { box: best.box + db, sigma: best.sigma + ds };
      if (blur.box >= 0 && blur.sigma >= 0.3) kernels.push(blur);
    }
  }
  const profiles: Float64Array[] = [];
  for (const s of spectra) {
    for (let i = 0; i < kernels.length; i += 2) {
      const [p, q] = deconvolve(s, kernels[i]!, NOISE, kernels[i + 1]);
      profiles.push(p);
      if (q) profiles.push(q);
    }
  }
  return stripesOf(profiles, STRIPE_ROWS);
}
