// Decodes one camera frame by trying the passes of the schedule (pass-schedule.ts) in order
// until one reads, within a time budget. Runs wherever zxing-wasm's reader has been prepared:
// the decode worker in the app, Node in the bench and tests.
import { readBarcodes, type ReadResult } from 'zxing-wasm/reader';
import type { Rgba } from './image-ops';
import { PASSES, type FrameContext } from './pass-schedule';
import { DEFAULT_ROI, type Region } from './roi';
import { acceptedTexts } from './reader-options';

export interface DecodeRequest {
  frame: Rgba;
  /** The box drawn on the preview, as fractions of the frame: looked at first. */
  roi?: Region;
  /** Stop starting new passes after this many ms (a pass already running finishes). */
  budgetMs: number;
  /**
   * The pass to start with (default the first): a camera's next frame resumes the schedule
   * where the previous frame's budget ran out, so the later passes get their turn while the
   * code is still in view. Passes before it are tried after the last one.
   */
  firstPass?: number;
  /** Attempts of the first pass already tried on earlier frames (default 0): skipped. */
  firstAttempt?: number;
  /**
   * The clock the budget and `ms` are counted on, in ms (default the wall clock). The bench can
   * count this process's CPU time instead: on a shared machine the wall clock mostly measures
   * the neighbours.
   */
  clock?: () => number;
}

export interface FrameDecode {
  /** The accepted text, or null when no pass read anything acceptable. */
  text: string | null;
  format: string | null;
  /** Name of the pass that read it, or of the last one tried. */
  pass: string | null;
  passesTried: number;
  ms: number;
  /** Where the next frame should start: the pass the budget ran out in, or 0. */
  resumeAt: number;
  /** And the attempt of that pass, so a pass longer than a budget still gets through. */
  resumeAttempt: number;
}

/**
 * How long the worker may spend on one frame before it starts no further pass: the next frame
 * comes instead (the code is still in front of the camera, perhaps sharper). `bench:decode`
 * times the pipeline with the same budget.
 */
export const FRAME_BUDGET_MS = 35;

const wallClock = () => performance.now();

/**
 * What an attempt of each pass has cost lately (ms). An attempt that would not finish within
 * what is left of the budget is not started: the next frame starts with it instead, so a frame
 * overruns its budget by little and the preview's next frame is not kept waiting.
 */
const typicalCost = new Map<string, number>();
/**
 * Passes that have run once. A pass's first attempt compiles its code (and a restoration's
 * tables): several times its usual cost, which would keep it from starting for many frames. It
 * teaches nothing about the cost.
 */
const compiled = new Set<string>();
/** Weight of the latest attempt in the running mean: a few frames adapt it to the machine's load. */
const COST_WEIGHT = 0.2;
/**
 * What a typical cost keeps of itself each time it holds an attempt back. A held-back attempt is
 * not measured, so a cost learnt in a slow moment (a garbage collection, a busy neighbour) would
 * otherwise keep its pass from starting on every frame that begins at the first pass; fading, it
 * lets the attempt run again after a few frames and be measured anew.
 */
const HELD_BACK_FADE = 0.9;

/** The frame's derived images, each made at most once and only if a pass asks for it. */
export function contextOf(req: Pick<DecodeRequest, 'frame' | 'roi'>): FrameContext {
  const memo = new Map<string, unknown>();
  return {
    frame: req.frame,
    roi: req.roi ?? DEFAULT_ROI,
    memo<T>(key: string, make: () => T): T {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    },
  };
}

/** The first result a misread would fail to produce: a valid symbol with text. */
function accepted(results: readonly ReadResult[]): ReadResult | null {
  const texts = acceptedTexts(results);
  return texts.length === 0 ? null : (results.find((r) => r.isValid && r.text === texts[0]) ?? null);
}

export async function decodeFrame(req: DecodeRequest): Promise<FrameDecode> {
  const now = req.clock ?? wallClock;
  const t0 = now();
  const ctx = contextOf(req);
  const first = Math.min(Math.max(0, req.firstPass ?? 0), PASSES.length - 1);
  let tried = 0;
  let last: string | null = null;
  // Texts read by attempts that need a second opinion (Attempt.unconfirmed) and not yet confirmed.
  const seen = new Set<string>();
  const result = (text: string | null, format: string | null, resumeAt = 0, resumeAttempt = 0): FrameDecode => ({
    text,
    format,
    pass: last,
    passesTried: tried,
    ms: now() - t0,
    resumeAt,
    resumeAttempt,
  });
  for (let k = 0; k < PASSES.length; k++) {
    const p = (first + k) % PASSES.length;
    let index = -1;
    for (const attempt of PASSES[p]!(ctx)) {
      index++;
      if (k === 0 && index < (req.firstAttempt ?? 0)) continue;
      const started = now();
      const typical = typicalCost.get(attempt.pass) ?? 0;
      if (tried > 0 && started - t0 + typical > req.budgetMs) {
        typicalCost.set(attempt.pass, typical * HELD_BACK_FADE);
        return result(null, null, p, index);
      }
      tried++;
      last = attempt.pass;
      // zxing-wasm reads anything shaped like ImageData (width, height, RGBA data); Node has no ImageData class.
      const hit = accepted(await readBarcodes(attempt.image() as Parameters<typeof readBarcodes>[0], attempt.options));
      const cost = now() - started;
      const before = typicalCost.get(attempt.pass);
      if (!compiled.has(attempt.pass)) compiled.add(attempt.pass);
      // One slow attempt (a collection, a busy moment) counts as at most twice the typical cost:
      // a spike of ten times would hold the pass back for many frames.
      else typicalCost.set(attempt.pass, before === undefined ? cost : before + (Math.min(cost, 2 * before) - before) * COST_WEIGHT);
      if (hit && (!attempt.unconfirmed || seen.has(hit.text))) return result(hit.text, hit.format);
      if (hit) seen.add(hit.text);
    }
  }
  return result(null, null);
}
