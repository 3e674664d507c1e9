// `npm run bench:decode -- [DIR…]`: how well, and how fast, the till's zxing-wasm reader (its
// own options, from renderer/scan/camera/reader-options) reads barcode corpora — folders with
// a manifest.json (test/fixtures/barcodes/README.md). Without DIR it reads the real-photo
// corpus kept in test/fixtures. Every corpus is checked before anything is timed.
// Prints one readable line per corpus (misreads are listed on stderr), then one JSON line last:
// {"n","ok","misread","success_pct","median_ms","p95_ms"} over all images of all corpora.
// Times are per readBarcodes call on the encoded file, so they include zxing's own PNG/JPEG
// decode, which the app (handed camera pixels) does not pay.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_FORMATS, CorpusError, decodeCorpus, loadCorpus, summarizeOutcomes, warmUp, type Corpus, type DecodeOutcome } from './corpus';

const WARMUP_READS = 10;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CORPUS = path.resolve(REPO_ROOT, 'test/fixtures/barcodes/real-photos');

const args = process.argv.slice(2).filter((a) => a !== '--');
const flag = args.find((a) => a.startsWith('-'));
if (flag) {
  console.error(`bench:decode: unknown option ${flag}\nusage: npm run bench:decode -- [DIR…]   (default ${DEFAULT_CORPUS})`);
  process.exit(2);
}
// npm runs scripts from the repo root; INIT_CWD is where the user typed the command, which is
// what a relative DIR means to them.
const base = process.env.INIT_CWD ?? process.cwd();
const dirs = args.length > 0 ? args.map((a) => path.resolve(base, a)) : [DEFAULT_CORPUS];

let corpora: Corpus[];
try {
  corpora = dirs.map(loadCorpus);
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

await warmUp(corpora[0]!, WARMUP_READS);

const all: DecodeOutcome[] = [];
for (const corpus of corpora) {
  const outcomes = await decodeCorpus(corpus);
  all.push(...outcomes);
  const s = summarizeOutcomes(outcomes);
  const label = path.relative(process.cwd(), corpus.dir) || '.';
  console.log(
    `${label}: ${s.ok}/${s.n} read (${s.success_pct}%; ${perFormat(outcomes)}), ${s.misread} misread, ` +
      `median ${s.median_ms} ms, p95 ${s.p95_ms} ms`,
  );
  // A misread is worse than a miss at a till (a wrong coupon is looked up), so name each one.
  for (const o of outcomes.filter((x) => x.verdict === 'misread')) {
    console.error(`  misread ${o.image.image}: read ${JSON.stringify(o.text)}, expected ${JSON.stringify(o.image.expected)}`);
  }
}

console.log(JSON.stringify(summarizeOutcomes(all)));
