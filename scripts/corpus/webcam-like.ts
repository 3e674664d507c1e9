// `npm run corpus:webcam -- [--out DIR] [--seed N] [--per-kind N]`: writes the webcam-like
// barcode corpus (test/fixtures/barcodes/webcam-like/README.md says what it is). The same seed
// writes the same frames, so the committed corpus can be regenerated; tests read the
// committed files and never run this.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { couponText } from './codes';
import { DISTORTIONS, planFrame, renderFrame } from './frame';
import { CorpusRandom } from './random';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULTS = { out: path.join(REPO_ROOT, 'test/fixtures/barcodes/webcam-like'), seed: 20260601, perKind: 14 };
/** Every HOLDOUT_EVERY-th frame of a kind is kept aside: the pipeline is never tuned on it. */
const HOLDOUT_EVERY = 4;

function options(argv: string[]) {
  const o = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--') continue;
    if (a === '--out' && v) o.out = path.resolve(process.env.INIT_CWD ?? process.cwd(), v);
    else if (a === '--seed' && v && /^\d+$/.test(v)) o.seed = Number(v);
    else if (a === '--per-kind' && v && /^[1-9]\d*$/.test(v)) o.perKind = Number(v);
    else {
      console.error(`corpus:webcam: bad argument ${a}\nusage: npm run corpus:webcam -- [--out DIR] [--seed N] [--per-kind N]`);
      process.exit(2);
    }
    i++;
  }
  return o;
}

const opts = options(process.argv.slice(2));
const rng = new CorpusRandom(opts.seed);
rmSync(opts.out, { recursive: true, force: true });
const images: unknown[] = [];
let bytes = 0;
for (const kind of DISTORTIONS) {
  mkdirSync(path.join(opts.out, kind), { recursive: true });
  for (let i = 0; i < opts.perKind; i++) {
    const format = rng.chance(0.55) ? 'CODE_128' : 'QR_CODE';
    const plan = planFrame(rng, kind, format, couponText(rng));
    const frame = await renderFrame(plan, (seed) => new CorpusRandom(seed));
    const encoded = jpeg.encode({ data: frame.rgba, width: frame.width, height: frame.height }, plan.jpegQuality).data;
    const image = `${kind}/${String(i + 1).padStart(2, '0')}-${format === 'QR_CODE' ? 'qr' : 'c128'}.jpg`;
    writeFileSync(path.join(opts.out, image), encoded);
    bytes += encoded.length;
    const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
    images.push({
      image,
      format,
      expected: plan.text,
      kind,
      split: (i + 1) % HOLDOUT_EVERY === 0 ? 'holdout' : 'tune',
      applied: plan.applied,
      carrier: plan.carrier,
      module_px: round(plan.modulePx),
      roll_deg: round((plan.pose.roll * 180) / Math.PI, 1),
      yaw_deg: round((plan.pose.yaw * 180) / Math.PI, 1),
      pitch_deg: round((plan.pose.pitch * 180) / Math.PI, 1),
      blur_sigma: round(plan.blurSigma),
      motion_px: plan.motion ? round(plan.motion.length, 1) : 0,
      glare: plan.glare !== null,
      light: round(plan.ambient),
      noise_sigma: round(plan.noise.sigma, 1),
      jpeg_quality: plan.jpegQuality,
      corners: frame.corners.map(([x, y]) => [round(x, 1), round(y, 1)]),
    });
    process.stderr.write(`\r${images.length} frames, ${(bytes / 1e6).toFixed(1)} MB`);
  }
}
process.stderr.write('\n');
writeFileSync(
  path.join(opts.out, 'manifest.json'),
  `${JSON.stringify({ name: 'webcam-like coupon codes (generated)', generator: 'scripts/corpus/webcam-like.ts', seed: opts.seed, per_kind: opts.perKind, width: 1280, height: 720, images }, null, 1)}\n`,
);
console.log(JSON.stringify({ out: path.relative(process.cwd(), opts.out), frames: images.length, mb: Math.round(bytes / 1e5) / 10 }));
