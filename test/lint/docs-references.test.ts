import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { anchorsOf, describeProblem, githubSlug, scanRepository, type Problem } from '../helpers/docs-references';

// The repository stands alone: comments cite docs/ sections that exist, and nothing reads or
// cites the reading material kept beside the checkout. This file itself is not scanned: its
// examples below are deliberately bad.
// The bad examples below are assembled from pieces, so this file never names outside material
// itself (a plain grep of the repository for it finds nothing).
const BESIDE = ['..', 'shared'].join('/');
const DESIGN_DOC = ['DESIGN', 'md'].join('.');
const S = String.fromCharCode(0xa7);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = 'test/lint/docs-references.test.ts';

describe('the repository', () => {
  const problems = scanRepository(ROOT, { exempt: [SELF] });

  it('cites only docs/ files and sections that exist', () => {
    expect(problems.filter((p) => p.kind !== 'outside').map(describeProblem)).toEqual([]);
  });

  it('reads and cites nothing outside itself', () => {
    expect(problems.filter((p) => p.kind === 'outside').map(describeProblem)).toEqual([]);
  });

  // The sections code is told to cite: renaming a heading must not silently break them.
  it.each([
    [
      'docs/wechatpay/busifavor.md',
      'conventions endpoints stocks validity coupon-states request-numbers coupon-operations user-coupon-queries uploaded-codes callbacks coupon-send-notification sending-coupons subsidies image-upload errors rate-limits disagreements',
    ],
    ['docs/wechatpay/apiv3.md', 'request-signing response-verification verification-keys aead oaep notifications multipart-upload error-envelope clock-skew'],
    ['docs/contracts.md', 'simulator-credentials-line posctl-exit-codes data-directory barcode-corpus benchmarks events-server posctl-redeem'],
  ])('%s has the sections code cites', (file, wanted) => {
    const anchors = anchorsOf(readFileSync(path.join(ROOT, file), 'utf8'));
    expect(wanted.split(' ').filter((a) => !anchors.has(a))).toEqual([]);
  });
});

describe('GitHub heading slugs', () => {
  it.each([
    ['Coupon send notification', 'coupon-send-notification'],
    ['Create: POST `/stocks`', 'create-post-stocks'],
    ['Modify: PATCH `/stocks/{stock_id}` → 204', 'modify-patch-stocksstock_id--204'],
    ['**Bold** and [a link](https://example.com)', 'bold-and-a-link'],
    ['商家券 (busifavor)', '商家券-busifavor'],
  ])('%s → %s', (heading, slug) => {
    expect([...anchorsOf(`## ${heading}\n`)]).toEqual([slug]);
  });

  it('numbers repeats, skips fenced code, reads setext headings and explicit anchors', () => {
    const md = ['# Notes', 'text', '## Notes', '```', '## Not a heading', '```', 'Setext title', '---', '<a id="custom-spot"></a>', '| a | b |', '| --- | --- |'].join('\n');
    expect([...anchorsOf(md)].sort()).toEqual(['custom-spot', 'notes', 'notes-1', 'setext-title']);
    expect(githubSlug('Out_request_no: 1..128')).toBe('out_request_no-1128');
  });
});

describe('the checker on a small repository', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'docs-refs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  write('docs/a.md', '# A\n\n## Conventions\n\n## Notes\n\n## Notes\n\nSee [below](#conventions), [gone](#gone), [b](sub/b.md#top) and [c](sub/c.md).\n');
  write('docs/sub/b.md', '# Top\n');
  write('shared/contract/index.ts', 'export const contract = 1;\n');
  write('shared/time.ts', 'export const t = 1;\n');
  write(
    'src/refs.ts',
    [
      "// fine: docs/a.md#conventions, docs/a.md#notes-1, (docs/sub/b.md), 'docs/a.md'.",
      '// no such section: docs/a.md#nope',
      '// no such file: docs/missing.md#conventions',
      '// relative: ../docs/a.md#conventions and ../docs/a.md#nowhere',
      '// not ours: https://example.com/docs/guide.md#x, vendor/docs/readme.md',
    ].join('\n'),
  );
  write(
    'src/outside.ts',
    [
      "import { contract } from '../shared/contract';",
      "import { t } from '../shared/time';",
      `const vectors = '${BESIDE}/spec/test-vectors.json';`,
      `const corpus = '../${BESIDE}/fixtures/barcodes';`,
      `const dir = resolve(root, '${BESIDE}');`,
      `// as ${DESIGN_DOC} says, see spec ${S}1.3 and apiv3-rules ${S}7`,
    ].join('\n'),
  );
  write('README.md', 'Read [the docs](docs/a.md#conventions) and [old](docs/a.md#removed). Also busifavor-guide.txt.\n');
  write('node_modules/pkg/README.md', `${DESIGN_DOC} ${BESIDE}/spec docs/missing.md\n`);
  write('dist/out.js', `// docs/missing.md spec ${S}2\n`);
  write('src/logo.png', '\u0000PNG docs/missing.md');

  const found = scanRepository(root).map((p: Problem) => `${p.file}:${p.line} ${p.kind} ${p.target}`);

  it('reports each broken docs reference and markdown link, and nothing that resolves', () => {
    expect(found.filter((f) => !f.includes(' outside '))).toEqual([
      'README.md:1 missing-anchor docs/a.md#removed',
      'docs/a.md:9 missing-anchor #gone',
      'docs/a.md:9 missing-file sub/c.md',
      'src/refs.ts:2 missing-anchor docs/a.md#nope',
      'src/refs.ts:3 missing-file docs/missing.md#conventions',
      'src/refs.ts:4 missing-anchor ../docs/a.md#nowhere',
    ]);
  });

  it('reports reads and citations of outside material, but not imports of the shared/ zone', () => {
    expect(found.filter((f) => f.includes(' outside '))).toEqual([
      'README.md:1 outside busifavor-guide.txt',
      `src/outside.ts:3 outside ${BESIDE}/spec/test-vectors.json`,
      `src/outside.ts:4 outside ../${BESIDE}/fixtures/barcodes`,
      `src/outside.ts:5 outside ${BESIDE}`,
      `src/outside.ts:6 outside ${DESIGN_DOC}`,
      `src/outside.ts:6 outside spec ${S}1.3`,
      `src/outside.ts:6 outside ${S}1.3`,
      `src/outside.ts:6 outside ${S}7`,
      'src/outside.ts:6 outside apiv3-rules',
    ]);
  });

  it('leaves generated folders and binary files alone, and honours exemptions', () => {
    expect(found.some((f) => /node_modules|dist\/|logo\.png/.test(f))).toBe(false);
    const files = (exempt: string[]) => new Set(scanRepository(root, { exempt }).map((p) => p.file));
    expect([...files([])].sort()).toEqual(['README.md', 'docs/a.md', 'src/outside.ts', 'src/refs.ts']);
    expect([...files(['src/outside.ts', 'README.md'])].sort()).toEqual(['docs/a.md', 'src/refs.ts']);
  });
});
