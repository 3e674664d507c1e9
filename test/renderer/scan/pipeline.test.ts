// The decoding pipeline on single frames: which pass reads a tilted barcode, that nothing is
// invented from an empty frame, and how a frame whose budget ran out hands over to the next.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, prepareNodeReader } from '../../../bench/corpus';
import { pixelsOf } from '../../../bench/pixels';
import type { Rgba } from '../../../renderer/scan/camera/image-ops';
import { decodeFrame } from '../../../renderer/scan/camera/pipeline';
import { PASSES } from '../../../renderer/scan/camera/pass-schedule';
import { fileURLToPath } from 'node:url';

const WEBCAM_DIR = fileURLToPath(new URL('../../fixtures/barcodes/webcam-like', import.meta.url));

// A 720p camera frame: a smaller one is read whole early (pass-schedule.ts: smallFrame).
const blank: Rgba = { width: 1280, height: 720, data: new Uint8ClampedArray(1280 * 720 * 4).fill(180) };
const passNames = () => PASSES.map((p) => p.name);

describe('decodeFrame', () => {
  beforeAll(() => prepareNodeReader());

  it('reads a Code 128 tilted far beyond what the library reads alone, from the deskewed bars', async () => {
    const tilted = loadCorpus(WEBCAM_DIR)
      .images.map((image) => ({ image }))
      .filter(({ image }) => image.kind === 'tilt' && image.format === 'CODE_128' && image.split === 'tune');
    expect(tilted.length).toBeGreaterThan(2);
    const reads = [];
    for (const { image } of tilted) reads.push(await decodeFrame({ frame: pixelsOf(image.file), budgetMs: Infinity }));
    const read = reads.filter((r, k) => r.text === tilted[k]!.image.expected);
    expect(read.length).toBeGreaterThanOrEqual(tilted.length - 1);
    // Most of them by the first pass: the patch of bars found, turned upright.
    expect(read.filter((r) => r.pass === 'bars').length).toBeGreaterThanOrEqual(tilted.length / 2);
  });

  it('reads nothing from an empty frame, after trying every pass that applies', async () => {
    const read = await decodeFrame({ frame: blank, budgetMs: Infinity });
    expect(read).toMatchObject({ text: null, format: null, resumeAt: 0 });
    // Nothing to deskew or crop: the box, the whole frame, the seven rotations, the stretched frame.
    expect(read.passesTried).toBe(10);
  });

  it('stops when the budget is spent and says where the next frame resumes', async () => {
    // The first pass with an attempt on a blank frame is the box; a zero budget allows that one only.
    const first = await decodeFrame({ frame: blank, budgetMs: 0 });
    expect(first).toMatchObject({ text: null, pass: 'roi', passesTried: 1, resumeAt: passNames().indexOf('frame') });
    const next = await decodeFrame({ frame: blank, budgetMs: 0, firstPass: first.resumeAt });
    expect(next).toMatchObject({ pass: 'frame', passesTried: 1, resumeAt: passNames().indexOf('rotations'), resumeAttempt: 0 });
  });

  it('resumes inside a pass longer than one budget at its next attempt, so every attempt gets its turn', async () => {
    const rotations = passNames().indexOf('rotations');
    const first = await decodeFrame({ frame: blank, budgetMs: 0, firstPass: rotations });
    expect(first).toMatchObject({ pass: 'rotate15', passesTried: 1, resumeAt: rotations, resumeAttempt: 1 });
    const next = await decodeFrame({ frame: blank, budgetMs: 0, firstPass: first.resumeAt, firstAttempt: first.resumeAttempt });
    expect(next).toMatchObject({ pass: 'rotate-15', passesTried: 1, resumeAt: rotations, resumeAttempt: 2 });
  });
});
