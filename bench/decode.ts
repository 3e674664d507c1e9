// `npm run bench:decode -- [--cpu-budget] [DIR…]`: how well, and how fast, the camera's decoding
// pipeline (renderer/scan/camera/pipeline.ts, with the worker's per-frame budget) reads barcode
// corpora — folders with a manifest.json (test/fixtures/barcodes/README.md). Without DIR it
// reads the real photos and the webcam-like frames kept in test/fixtures. Every corpus is
// checked and decoded to pixels before anything is timed.
// Prints one readable line per corpus, then one per distortion kind and per split where the
// manifest names them (misreads are listed on stderr), then one JSON line last:
// {"n","ok","misread","success_pct","median_ms","p95_ms"} over all images of all corpora.
// Times are the pipeline's per frame on pixels, as the app gets them from the camera: wall
// clock, with each frame's CPU time (this process's, process.cpuUsage around the frame) beside
// it in the readable lines. With --cpu-budget the budget and the JSON's times run on that CPU
// time instead: what one core of its own would do, on a shared machine where the wall clock
// mostly measures the neighbours.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rgba } from '../renderer/scan/camera/image-ops';
import { FRAME_BUDGET_MS } from '../renderer/scan/camera/pipeline';
import { CORPUS_FORMATS, CorpusError, cpuClock, cpuPercentiles, decodeCorpus, framesOf, loadCorpus, summarizeOutcomes, warmUp, type Corpus, type DecodeOutcome } from './corpus';

const WARMUP_READS = 20;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CORPORA = ['real-photos', 'webcam-like'].map((d) => path.resolve(REPO_ROOT, 'test/fixtures/barcodes', d));

const CPU_BUDGET = '--cpu-budget';
const argv = process.argv.slice(2).filter((a) => a !== '--');
const cpuBudget = argv.includes(CPU_BUDGET);
const args = argv.filter((a) => a !== CPU_BUDGET);
const flag = args.find((a) => a.startsWith('-'));
if (flag) {
  console.error(`bench:decode: unknown option ${flag}\nusage: npm run bench:decode -- [${CPU_BUDGET}] [DIR…]   (default ${DEFAULT_CORPORA.join(' ')})`);
  process.exit(2);
}
// npm runs scripts from the repo root; INIT_CWD is where the user typed the command, which is
// what a relative DIR means to them.
const base = process.env.INIT_CWD ?? process.cwd();
const dirs = args.length > 0 ? args.map((a) => path.resolve(base, a)) : DEFAULT_CORPORA;

let corpora: Corpus[];
let frames: Rgba[][];
try {
  corpora = dirs.map(loadCorpus);
  frames = corpora.map(framesOf);
} catch (err) {
  if (!(err instanceof CorpusError)) throw err;
  console.error(`bench:decode: ${err.message}`);
  process.exit(2);
}

const perFormat = (outcomes: DecodeOutcome[]) =>
  CORPUS_FORMATS.map((format) => {
    const of = outcomes.filter((o) => o.image.format === format);
    return of.length === 0 ? null : `${format} ${of.filter((o) => o.verdict === 'ok').length}/${of.length}`;
  })
    .filter((s) => s !== null)
    .join(', ');

await warmUp(frames.flat(), WARMUP_READS, cpuBudget ? cpuClock : undefined);

const clockName = cpuBudget ? 'CPU' : 'wall';
const cpuLine = (outcomes: DecodeOutcome[]) => {
  const c = cpuPercentiles(outcomes);
  return `CPU median ${c.median} ms, p95 ${c.p95} ms`;
};
/** The times on the budget's clock, and the CPU times beside them unless that clock is the CPU's. */
const times = (s: { median_ms: number; p95_ms: number }, outcomes: DecodeOutcome[]) =>
  `${clockName} median ${s.median_ms} ms, p95 ${s.p95_ms} ms${cpuBudget ? '' : `; ${cpuLine(outcomes)}`}`;
const line = (label: string, outcomes: DecodeOutcome[]) => {
  const s = summarizeOutcomes(outcomes);
  return `${label}: ${s.ok}/${s.n} read (${s.success_pct}%), ${s.misread} misread, ${times(s, outcomes)}`;
};
/** One line per value of `key` (a distortion kind, a split), in the order they first appear. */
const breakdown = (outcomes: DecodeOutcome[], key: 'kind' | 'split', label: string) => {
  const values = [...new Set(outcomes.map((o) => o.image[key]).filter((v) => v !== undefined))];
  for (const v of values)
    console.log(
      line(
        `  ${label} ${v}`,
        outcomes.filter((o) => o.image[key] === v),
      ),
    );
};

const all: DecodeOutcome[] = [];
for (const [i, corpus] of corpora.entries()) {
  const outcomes = await decodeCorpus(corpus, frames[i], undefined, cpuBudget ? cpuClock : undefined);
  all.push(...outcomes);
  const s = summarizeOutcomes(outcomes);
  const label = path.relative(process.cwd(), corpus.dir) || '.';
  console.log(`${label}: ${s.ok}/${s.n} read (${s.success_pct}%; ${perFormat(outcomes)}), ${s.misread} misread, ` + times(s, outcomes));
  // A misread is worse than a miss at a till (a wrong coupon is looked up), so name each one.
  for (const o of outcomes.filter((x) => x.verdict === 'misread')) {
    console.error(`  misread ${o.image.image} (pass ${o.pass}): read ${JSON.stringify(o.text)}, expected ${JSON.stringify(o.image.expected)}`);
  }
  breakdown(outcomes, 'kind', 'kind');
  breakdown(outcomes, 'split', 'split');
}

console.log(`all corpora: ${clockName} budget ${FRAME_BUDGET_MS} ms a frame; ${cpuLine(all)}`);
console.log(JSON.stringify(summarizeOutcomes(all)));
