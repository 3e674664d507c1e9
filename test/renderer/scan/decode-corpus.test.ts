// The camera's decoding pipeline against the corpora in test/fixtures (real photos, generated
// webcam-like frames), and the corpus loader `bench:decode` uses. Correctness only: speed is the
// bench's job, never a test's, so the pipeline runs every pass a frame needs (no time budget)
// and what it reads does not depend on how loaded the machine is.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CorpusError, decodeCorpus, framesOf, loadCorpus, summarizeOutcomes, type DecodeOutcome } from '../../../bench/corpus';
import { fileURLToPath } from 'node:url';

const CORPUS_DIR = fileURLToPath(new URL('../../fixtures/barcodes/real-photos', import.meta.url));
const WEBCAM_DIR = fileURLToPath(new URL('../../fixtures/barcodes/webcam-like', import.meta.url));

// Floors a few points under what the full schedule reads, so a zxing-wasm update that shifts one
// borderline frame is not a failure, but a real regression is. Measured: real photos 119/125
// (95.2%: the 6 misses are qrcode-4's codes on creased, curved fabric); webcam-like 135/140
// (96.4%; the misses are Code 128 under strong motion blur and QR codes under blur or small and
// moving). Corpora of other seeds (`npm run corpus:webcam -- --seed 31`, `--seed 47`) read
// 135/140 and 131/140.
const SUCCESS_FLOOR_PCT = 90;
const WEBCAM_FLOOR_PCT = 90;

const readAll = (dir: string) => {
  const corpus = loadCorpus(dir);
  return decodeCorpus(corpus, framesOf(corpus), Infinity);
};

describe('the webcam pipeline on the generated webcam-like corpus', () => {
  let outcomes: DecodeOutcome[];
  beforeAll(async () => {
    outcomes = await readAll(WEBCAM_DIR);
  }, 300_000);

  it('never reads a wrong text', () => {
    expect(outcomes.filter((o) => o.verdict === 'misread').map((o) => ({ image: o.image.image, read: o.text, pass: o.pass }))).toEqual([]);
  });

  it(`reads at least ${WEBCAM_FLOOR_PCT}% of the frames, tilted Code 128 included`, () => {
    expect(summarizeOutcomes(outcomes).success_pct).toBeGreaterThanOrEqual(WEBCAM_FLOOR_PCT);
    // The library alone reads a Code 128 only up to a small tilt; the deskewing passes read the rest.
    const tilted = outcomes.filter((o) => o.image.kind === 'tilt' && o.image.format === 'CODE_128');
    expect(tilted.length).toBeGreaterThan(3);
    expect(tilted.filter((o) => o.verdict === 'ok').length).toBeGreaterThanOrEqual(tilted.length - 1);
  });

  it('names every frame’s distortion kind and split, from the manifest', () => {
    expect(new Set(outcomes.map((o) => o.image.kind))).toEqual(new Set(['tilt', 'perspective', 'blur', 'motion', 'low_light', 'glare', 'small', 'noise', 'jpeg', 'combo']));
    expect(new Set(outcomes.map((o) => o.image.split))).toEqual(new Set(['tune', 'holdout']));
  });
});

describe('the webcam pipeline on the real-photo corpus', () => {
  let outcomes: DecodeOutcome[];
  beforeAll(async () => {
    outcomes = await readAll(CORPUS_DIR);
  }, 300_000);

  it('never reads a wrong text: a photo is either read exactly or not at all', () => {
    const misreads = outcomes.filter((o) => o.text !== null && o.text !== '' && o.text !== o.image.expected);
    expect(misreads.map((o) => ({ image: o.image.image, read: o.text, expected: o.image.expected }))).toEqual([]);
    expect(summarizeOutcomes(outcomes).misread).toBe(0);
  });

  it(`reads at least ${SUCCESS_FLOOR_PCT}% of the photos`, () => {
    const s = summarizeOutcomes(outcomes);
    expect(s.n).toBe(outcomes.length);
    expect(s.ok).toBe(outcomes.filter((o) => o.text === o.image.expected).length);
    expect(s.success_pct).toBeGreaterThanOrEqual(SUCCESS_FLOOR_PCT);
  });

  it('reads every Code 128 label photo', () => {
    const code128 = outcomes.filter((o) => o.image.format === 'CODE_128');
    expect(code128.length).toBeGreaterThan(0);
    expect(code128.filter((o) => o.verdict !== 'ok').map((o) => o.image.image)).toEqual([]);
  });

  it('counts a read that differs from the expected text as a misread, not as a success or a miss', async () => {
    const read = outcomes.find((o) => o.verdict === 'ok')!;
    const dir = mkdtempSync(path.join(tmpdir(), 'decode-corpus-'));
    try {
      const image = path.relative(dir, read.image.file);
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ images: [{ image, format: read.image.format, expected: `${read.image.expected}X` }] }));
      const [wrong] = await decodeCorpus(loadCorpus(dir), undefined, Infinity);
      expect(wrong).toMatchObject({ text: read.image.expected, verdict: 'misread' });
      expect(summarizeOutcomes([wrong!])).toMatchObject({ n: 1, ok: 0, misread: 1, success_pct: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('corpus loader', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A corpus folder with `manifest` as its manifest.json text and the named (empty) files. */
  function corpusDir(manifest: string, files: string[] = []): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'decode-corpus-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'manifest.json'), manifest);
    for (const f of files) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), '');
    }
    return dir;
  }
  const manifestOf = (images: unknown[]) => JSON.stringify({ images });
  const loadError = (dir: string): CorpusError => {
    try {
      loadCorpus(dir);
    } catch (err) {
      if (err instanceof CorpusError) return err;
      throw err;
    }
    throw new Error(`loadCorpus(${dir}) did not fail`);
  };

  it('reads the corpus as the format describes it: image paths resolved against the manifest', () => {
    const corpus = loadCorpus(CORPUS_DIR);
    expect(corpus.images.length).toBeGreaterThan(0);
    for (const img of corpus.images) {
      expect(img.file).toBe(path.join(CORPUS_DIR, img.image));
      expect(['QR_CODE', 'CODE_128']).toContain(img.format);
    }
  });

  it('keeps expected text exactly, newlines and trailing spaces included', () => {
    const dir = corpusDir(manifestOf([{ image: 'a/1.png', format: 'QR_CODE', expected: 'line one\r\nline two ' }]), ['a/1.png']);
    expect(loadCorpus(dir).images[0]).toEqual({
      image: 'a/1.png',
      file: path.join(dir, 'a/1.png'),
      format: 'QR_CODE',
      expected: 'line one\r\nline two ',
    });
  });

  it('keeps a generated corpus’s distortion kind and split when the manifest names them', () => {
    const dir = corpusDir(
      manifestOf([
        { image: 'a.jpg', format: 'CODE_128', expected: 'A', kind: 'glare', split: 'holdout' },
        { image: 'b.jpg', format: 'QR_CODE', expected: 'B' },
      ]),
      ['a.jpg', 'b.jpg'],
    );
    const [a, b] = loadCorpus(dir).images;
    expect(a).toMatchObject({ kind: 'glare', split: 'holdout' });
    expect(b).not.toHaveProperty('kind');
  });

  it('says which image cannot be decoded, before anything is timed', () => {
    const dir = corpusDir(manifestOf([{ image: 'empty.png', format: 'QR_CODE', expected: 'A' }]), ['empty.png']);
    expect(() => framesOf(loadCorpus(dir))).toThrow(/empty\.png: cannot be decoded as PNG or JPEG/);
  });

  it('names a missing image file, with the entry and the path it looked at', () => {
    const dir = corpusDir(
      manifestOf([
        { image: 'here.png', format: 'QR_CODE', expected: 'A' },
        { image: 'gone.png', format: 'CODE_128', expected: 'B' },
      ]),
      ['here.png'],
    );
    const err = loadError(dir);
    expect(err.message).toContain(path.join(dir, 'manifest.json'));
    expect(err.message).toContain(`images[1] (gone.png): image file not found at ${path.join(dir, 'gone.png')}`);
    expect(err.message).not.toContain('here.png');
  });

  it('says a manifest that is not JSON is not valid JSON', () => {
    expect(loadError(corpusDir('{"images": [')).message).toMatch(/manifest\.json: not valid JSON \(/);
  });

  it('refuses a manifest without an images list, or with an empty one', () => {
    expect(loadError(corpusDir(JSON.stringify({ files: [] }))).message).toContain('expected an object with an "images" array');
    expect(loadError(corpusDir(JSON.stringify([]))).message).toContain('expected an object with an "images" array');
    expect(loadError(corpusDir(manifestOf([]))).message).toContain('"images" is empty');
  });

  it('lists every malformed entry at once: missing fields, unknown format, absolute path', () => {
    const err = loadError(
      corpusDir(
        manifestOf([
          { format: 'QR_CODE', expected: 'A' },
          { image: 'x.png', format: 'EAN_13', expected: 'B' },
          { image: 'y.png', format: 'QR_CODE' },
          { image: '/abs/z.png', format: 'QR_CODE', expected: 'C' },
          'not an entry',
        ]),
        ['x.png', 'y.png'],
      ),
    );
    expect(err.message).toContain('5 bad image entries');
    expect(err.message).toContain('images[0]: "image" must be a non-empty path relative to the manifest');
    expect(err.message).toContain('images[1] (x.png): "format" must be one of QR_CODE, CODE_128 (got "EAN_13")');
    expect(err.message).toContain('images[2] (y.png): "expected" must be the exact, non-empty text');
    expect(err.message).toContain('images[3] (/abs/z.png): "image" must be relative to the manifest, not absolute');
    expect(err.message).toContain('images[4]: not an object');
  });

  it('explains a folder without manifest.json and a path that is not a folder', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'decode-corpus-'));
    dirs.push(empty);
    expect(loadError(empty).message).toContain('needs a manifest.json');
    expect(loadError(path.join(empty, 'nope')).message).toContain('no such corpus folder');
    const dir = corpusDir(manifestOf([{ image: 'a.png', format: 'QR_CODE', expected: 'A' }]), ['a.png']);
    expect(loadError(path.join(dir, 'manifest.json')).message).toContain('a corpus is a folder holding manifest.json');
  });
});
