// Barcode corpora (the format in test/fixtures/barcodes/README.md): loading and checking a
// manifest, and reading every image with the till's own decoding pipeline (the one the camera's
// worker runs, renderer/scan/camera/pipeline.ts). Shared by `bench:decode` and the corpus test,
// so the figure the bench prints and the floor the test holds are counted the same way.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { Rgba } from '../renderer/scan/camera/image-ops';
import { PASSES } from '../renderer/scan/camera/pass-schedule';
import { contextOf, decodeFrame, FRAME_BUDGET_MS } from '../renderer/scan/camera/pipeline';
import { pixelsOf } from './pixels';
import { percentile, round } from './support';

export const CORPUS_FORMATS = ['QR_CODE', 'CODE_128'] as const;
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

export interface CorpusImage {
  /** As written in the manifest (relative to it): what reports name. */
  image: string;
  /** Absolute path of the photo. */
  file: string;
  format: CorpusFormat;
  expected: string;
  /** Optional: what was done to the image (a generated corpus's distortion), for per-kind reports. */
  kind?: string;
  /** Optional: `holdout` marks images the pipeline was never tuned on. */
  split?: string;
}

export interface Corpus {
  dir: string;
  manifest: string;
  name: string | null;
  images: CorpusImage[];
}

export class CorpusError extends Error {
  override name = 'CorpusError';
}

// A corpus with many broken entries should still produce a readable error, not a wall.
const MAX_LISTED_PROBLEMS = 10;

const isCorpusFormat = (v: unknown): v is CorpusFormat => (CORPUS_FORMATS as readonly unknown[]).includes(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads `<dir>/manifest.json` and checks every entry before anything is decoded, so a typo in
 * entry 90 fails in milliseconds with its name rather than as a silent "not read".
 */
export function loadCorpus(dir: string): Corpus {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new CorpusError(`${root}: no such corpus folder`);
  if (!statSync(root).isDirectory()) throw new CorpusError(`${root}: a corpus is a folder holding manifest.json, not a file`);
  const manifest = path.join(root, 'manifest.json');
  if (!existsSync(manifest)) throw new CorpusError(`${manifest}: missing (a corpus folder needs a manifest.json)`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (err) {
    throw new CorpusError(`${manifest}: not valid JSON (${(err as Error).message})`);
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.images)) throw new CorpusError(`${manifest}: expected an object with an "images" array`);
  if (parsed.images.length === 0) throw new CorpusError(`${manifest}: "images" is empty`);

  const problems: string[] = [];
  const images: CorpusImage[] = [];
  for (const [i, entry] of (parsed.images as unknown[]).entries()) {
    const at = `images[${i}]`;
    if (!isRecord(entry)) {
      problems.push(`${at}: not an object`);
      continue;
    }
    const { image, format, expected, kind, split } = entry;
    if (typeof image !== 'string' || image === '') {
      problems.push(`${at}: "image" must be a non-empty path relative to the manifest`);
      continue;
    }
    const where = `${at} (${image})`;
    const relative = !path.isAbsolute(image);
    // A barcode always carries some text, so an empty expectation can only be a manifest mistake.
    const hasExpected = typeof expected === 'string' && expected !== '';
    if (!relative) problems.push(`${where}: "image" must be relative to the manifest, not absolute`);
    if (!isCorpusFormat(format)) problems.push(`${where}: "format" must be one of ${CORPUS_FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
    if (!hasExpected) problems.push(`${where}: "expected" must be the exact, non-empty text`);
    if (!relative || !isCorpusFormat(format) || typeof expected !== 'string' || !hasExpected) continue;

    const file = path.resolve(root, image);
    if (!existsSync(file)) problems.push(`${where}: image file not found at ${file}`);
    else if (!statSync(file).isFile()) problems.push(`${where}: ${file} is not a file`);
    else images.push({ image, file, format, expected, ...(typeof kind === 'string' ? { kind } : {}), ...(typeof split === 'string' ? { split } : {}) });
  }

  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${p}`);
    if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`  … and ${problems.length - MAX_LISTED_PROBLEMS} more`);
    throw new CorpusError(`${manifest}: ${problems.length} bad image entr${problems.length === 1 ? 'y' : 'ies'}:\n${listed.join('\n')}`);
  }
  return { dir: root, manifest, name: typeof parsed.name === 'string' ? parsed.name : null, images };
}

let ready: Promise<unknown> | null = null;

/**
 * Loads the reader's .wasm from node_modules: the library's default is a CDN, which would
 * make the bench depend on the network and measure a download on the first read.
 */
export function prepareNodeReader(): Promise<unknown> {
  ready ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    return prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
      fireImmediately: true,
    });
  })().catch((err: unknown) => {
    ready = null;
    throw err;
  });
  return ready;
}

export type Verdict = 'ok' | 'misread' | 'missed';

export interface DecodeOutcome {
  image: CorpusImage;
  /** What the till would have taken as the scan, or null when it would have seen nothing. */
  text: string | null;
  verdict: Verdict;
  /** The pipeline pass that read it (or the last one tried). */
  pass: string | null;
  /** On the clock the budget ran on (the wall clock unless the bench was told otherwise). */
  ms: number;
  /** This process's CPU time (user + system, all threads) spent on the frame. */
  cpuMs: number;
}

/** This process's CPU time so far, ms: what the frame cost whatever else the machine was doing. */
export function cpuClock(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Every image of the corpus as pixels, decoded from its file before anything is timed. */
export function framesOf(corpus: Corpus): Rgba[] {
  return corpus.images.map((img) => {
    try {
      return pixelsOf(img.file);
    } catch (err) {
      throw new CorpusError(`${img.file}: cannot be decoded as PNG or JPEG (${(err as Error).message})`);
    }
  });
}

/**
 * Untimed reads so the wasm is compiled and the pipeline's JavaScript optimised before the first
 * measured read: every attempt of every pass on `reads` frames spread over `frames` (the pipeline itself
 * stops at the first read, and a pass first run while measured would count the compiler's
 * threads in its CPU time, and in the cost the pipeline learns for it), then the pipeline on the
 * frame, within the budget on the clock the measured reads will use.
 */
export async function warmUp(frames: readonly Rgba[], reads: number, clock?: () => number): Promise<void> {
  await prepareNodeReader();
  for (let i = 0; i < reads && frames.length > 0; i++) {
    // Spread over all the frames given: every corpus's sizes and kinds get their code paths warm.
    const frame = frames[Math.floor((i * frames.length) / reads) % frames.length]!;
    const ctx = contextOf({ frame });
    for (const pass of PASSES) for (const attempt of pass(ctx)) await readBarcodes(attempt.image() as Parameters<typeof readBarcodes>[0], attempt.options);
    await decodeFrame({ frame, budgetMs: FRAME_BUDGET_MS, ...(clock ? { clock } : {}) });
  }
}

/**
 * Reads every image with the camera's pipeline, by default within the worker's per-frame
 * budget. The time is the pipeline's on pixels, as the worker gets them from the camera: no
 * file I/O or image decoding in it. `budgetMs: Infinity` runs every pass a frame needs, so
 * what is read does not depend on how loaded the machine is (the corpus test's floors).
 */
export async function decodeCorpus(corpus: Corpus, frames: readonly Rgba[] = framesOf(corpus), budgetMs = FRAME_BUDGET_MS, clock?: () => number): Promise<DecodeOutcome[]> {
  await prepareNodeReader();
  const outcomes: DecodeOutcome[] = [];
  for (const [i, image] of corpus.images.entries()) {
    const cpu0 = cpuClock();
    const read = await decodeFrame({ frame: frames[i]!, budgetMs, ...(clock ? { clock } : {}) });
    const cpuMs = cpuClock() - cpu0;
    const verdict: Verdict = read.text === null ? 'missed' : read.text === image.expected ? 'ok' : 'misread';
    outcomes.push({ image, text: read.text, verdict, pass: read.pass, ms: read.ms, cpuMs });
  }
  return outcomes;
}

export interface DecodeSummary {
  n: number;
  ok: number;
  misread: number;
  success_pct: number;
  median_ms: number;
  p95_ms: number;
}

/** Median and 95th percentile of the frames' CPU time, ms. */
export function cpuPercentiles(outcomes: readonly DecodeOutcome[]): { median: number; p95: number } {
  const times = outcomes.map((o) => o.cpuMs).sort((a, b) => a - b);
  return { median: round(percentile(times, 50), 1), p95: round(percentile(times, 95), 1) };
}

export function summarizeOutcomes(outcomes: readonly DecodeOutcome[]): DecodeSummary {
  const n = outcomes.length;
  const ok = outcomes.filter((o) => o.verdict === 'ok').length;
  const misread = outcomes.filter((o) => o.verdict === 'misread').length;
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    n,
    ok,
    misread,
    success_pct: n === 0 ? 0 : round((ok / n) * 100, 2),
    median_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
  };
}
