// One webcam-like frame from a plan: which code, on what, how it is held, what the camera does
// to it. Planning draws every parameter from the seeded CorpusRandom; rendering is deterministic.
import { symbolOf, type CodeFormat, type Modules } from './codes';
import { defocus, expose, glare, motionBlur, sensorNoise, toRgba, vignette } from './distort';
import type { CorpusRandom } from './random';
import { codeCorners, homography, newFrame, paperCarrier, phoneCarrier, renderBackground, renderCarrier, type Pose } from './scene';

export const DISTORTIONS = ['tilt', 'perspective', 'blur', 'motion', 'low_light', 'glare', 'small', 'noise', 'jpeg', 'combo'] as const;
export type Distortion = (typeof DISTORTIONS)[number];
type Single = Exclude<Distortion, 'combo'>;

export interface FramePlan {
  text: string;
  format: CodeFormat;
  kind: Distortion;
  /** The distortions actually applied beyond the mild baseline (two for `combo`). */
  applied: Single[];
  carrier: 'phone' | 'paper';
  qrLevel: 'L' | 'M' | 'Q';
  carrierSeed: number;
  backgroundSeed: number;
  noiseSeed: number;
  /** Pixels per module at the code's centre, before the pose's tilt. */
  modulePx: number;
  pose: Omit<Pose, 'distanceMm'>;
  blurSigma: number;
  motion: { length: number; angle: number } | null;
  /** Glare centre as fractions of the code box (0..1 across, 0..1 down), size as fractions of the code's size in px. */
  glare: { fx: number; fy: number; rx: number; ry: number; angle: number; strength: number } | null;
  ambient: number;
  screen: number;
  gain: number;
  gamma: number;
  vignette: number;
  noise: { sigma: number; shot: number };
  jpegQuality: number;
}

export const WIDTH = 1280;
export const HEIGHT = 720;
const DEG = Math.PI / 180;

/** Draws a frame's parameters: a mild webcam baseline, then the named distortions on top. */
export function planFrame(rng: CorpusRandom, kind: Distortion, format: CodeFormat, text: string): FramePlan {
  const qr = format === 'QR_CODE';
  const applied: Single[] =
    kind === 'combo'
      ? (() => {
          const pool: Single[] = ['tilt', 'perspective', 'blur', 'motion', 'low_light', 'glare', 'small', 'noise'];
          const a = rng.pick(pool);
          const b = rng.pick(pool.filter((k) => k !== a && !(a === 'blur' && k === 'motion') && !(a === 'motion' && k === 'blur')));
          return [a, b];
        })()
      : [kind];
  const has = (k: Single) => applied.includes(k);
  const mild = kind === 'combo' ? 0.7 : 1;

  const small = has('small');
  const modulePx = qr ? (small ? rng.between(2.0, 3.0) : rng.between(3.5, 8)) : small ? rng.between(1.3, 1.75) : rng.between(1.9, 3.4);
  let roll = rng.between(-6, 6) * DEG;
  if (has('tilt')) {
    if (qr) roll = rng.between(-180, 180) * DEG;
    else if (rng.chance(0.25)) roll = rng.sign() * rng.between(75, 105) * DEG;
    else roll = rng.sign() * rng.between(12, 50 * mild) * DEG;
  }
  let yaw = rng.between(-10, 10) * DEG;
  let pitch = rng.between(-10, 10) * DEG;
  if (has('perspective')) {
    yaw = rng.sign() * rng.between(15, 40 * mild) * DEG;
    pitch = rng.sign() * rng.between(5, 35 * mild) * DEG;
    if (rng.chance(0.5)) [yaw, pitch] = [pitch, yaw];
  }
  const maxBlur = (qr ? 0.55 : 0.75) * modulePx;
  const blurSigma = has('blur') ? Math.min(maxBlur, rng.between(1.2, 2.6) * mild) : rng.between(0.5, Math.min(1.0, maxBlur));
  const motion = has('motion') ? { length: Math.min(3 * modulePx, rng.between(3, 10) * mild), angle: rng.between(0, Math.PI) } : null;
  const glareSpot = has('glare')
    ? qr
      ? {
          fx: rng.between(0.15, 0.85),
          fy: rng.between(0.15, 0.85),
          rx: rng.between(0.08, 0.2),
          ry: rng.between(0.06, 0.16),
          angle: rng.between(0, Math.PI),
          strength: rng.between(150, 400) * mild,
        }
      : // A barcode survives a reflection only while some rows stay clear: the spot stays off one edge.
        {
          fx: rng.between(0.1, 0.9),
          fy: rng.pick([rng.between(0.0, 0.25), rng.between(0.75, 1.0)]),
          rx: rng.between(0.08, 0.3),
          ry: rng.between(0.15, 0.3),
          angle: rng.between(-0.3, 0.3),
          strength: rng.between(150, 400) * mild,
        }
    : null;
  const dark = has('low_light');
  const ambient = dark ? rng.between(0.12, 0.3) : rng.between(0.75, 1.05);
  const screen = dark ? rng.between(0.25, 0.6) : rng.between(0.85, 1.0);
  // In the dark the webcam turns its gain up, and the noise with it.
  const gain = dark ? rng.between(1.0, 3.0) : 1;
  const noise = has('noise')
    ? { sigma: rng.between(9, 20) * mild, shot: rng.between(0.2, 0.6) }
    : dark
      ? { sigma: rng.between(2, 5), shot: rng.between(0.1, 0.3) }
      : { sigma: rng.between(1.5, 4), shot: rng.between(0.02, 0.08) };
  return {
    text,
    format,
    kind,
    applied,
    carrier: rng.chance(0.65) ? 'phone' : 'paper',
    qrLevel: rng.pick(['L', 'M', 'M', 'Q'] as const),
    carrierSeed: rng.int(1, 2 ** 31),
    backgroundSeed: rng.int(1, 2 ** 31),
    noiseSeed: rng.int(1, 2 ** 31),
    modulePx,
    pose: { focalPx: rng.between(850, 1100), roll, yaw, pitch, centreX: WIDTH / 2 + rng.between(-0.3, 0.3) * WIDTH, centreY: HEIGHT / 2 + rng.between(-0.25, 0.25) * HEIGHT },
    blurSigma,
    motion,
    glare: glareSpot,
    ambient,
    screen,
    gain,
    gamma: rng.between(0.85, 1.15),
    vignette: rng.between(0.05, 0.35),
    noise,
    // Webcams stream MJPEG at middling quality; the `jpeg` kind is a starved USB link or a bad driver.
    jpegQuality: has('jpeg') ? rng.int(12, 30) : rng.int(60, 85),
  };
}

export interface RenderedFrame {
  width: number;
  height: number;
  rgba: Uint8Array;
  /** The code's corners in the frame, px (clockwise from its top-left). */
  corners: [number, number][];
}

const MARGIN = 12;

/** Renders a plan into pixels; `CorpusRandom` is the generator's class, passed in so this file stays seed-agnostic. */
export async function renderFrame(plan: FramePlan, RngOf: (seed: number) => CorpusRandom): Promise<RenderedFrame> {
  const modules: Modules = await symbolOf(plan.text, plan.format, plan.qrLevel);
  const carrierRng = RngOf(plan.carrierSeed);
  const carrier = plan.carrier === 'phone' ? phoneCarrier(carrierRng, modules) : paperCarrier(carrierRng, modules);
  const moduleMm = carrier.code.w / modules.width;
  // Keep the whole code in the frame: move it towards the centre, then shrink it, until it fits.
  let pose: Pose = { ...plan.pose, distanceMm: (plan.pose.focalPx * moduleMm) / plan.modulePx };
  let h = homography(carrier, pose, WIDTH, HEIGHT);
  const fits = () => codeCorners(carrier, h).every(([x, y]) => x >= MARGIN && y >= MARGIN && x <= WIDTH - MARGIN && y <= HEIGHT - MARGIN);
  for (let i = 0; i < 40 && !fits(); i++) {
    pose = i < 20 ? { ...pose, centreX: (pose.centreX + WIDTH / 2) / 2, centreY: (pose.centreY + HEIGHT / 2) / 2 } : { ...pose, distanceMm: pose.distanceMm * 1.06 };
    h = homography(carrier, pose, WIDTH, HEIGHT);
  }
  if (!fits()) throw new Error(`code ${JSON.stringify(plan.text)} does not fit the frame`);

  const frame = newFrame(WIDTH, HEIGHT);
  const lightAngle = (plan.backgroundSeed % 360) * DEG;
  const light = (x: number, y: number) => plan.ambient * (0.85 + 0.15 * Math.cos(lightAngle + (x / WIDTH) * 2 + y / HEIGHT));
  renderBackground(frame, RngOf(plan.backgroundSeed), light);
  renderCarrier(frame, carrier, h, light, plan.screen);
  const corners = codeCorners(carrier, h);
  if (plan.glare) {
    const [tl, tr, , bl] = corners as [[number, number], [number, number], [number, number], [number, number]];
    const gx = tl[0] + (tr[0] - tl[0]) * plan.glare.fx + (bl[0] - tl[0]) * plan.glare.fy;
    const gy = tl[1] + (tr[1] - tl[1]) * plan.glare.fx + (bl[1] - tl[1]) * plan.glare.fy;
    const codeW = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]);
    const codeH = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
    const along = Math.atan2(tr[1] - tl[1], tr[0] - tl[0]);
    glare(frame, gx, gy, Math.max(6, plan.glare.rx * codeW), Math.max(6, plan.glare.ry * codeH), along + plan.glare.angle, plan.glare.strength);
  }
  defocus(frame, plan.blurSigma);
  if (plan.motion) motionBlur(frame, plan.motion.length, plan.motion.angle);
  vignette(frame, plan.vignette);
  sensorNoise(frame, RngOf(plan.noiseSeed), plan.noise.sigma, plan.noise.shot);
  expose(frame, plan.gain, plan.gamma);
  return { width: WIDTH, height: HEIGHT, rgba: toRgba(frame), corners };
}
