// Checks that the repository stands alone: every `docs/….md` reference (and every relative
// link in markdown) names a file and a section that exist, with sections named by GitHub's
// heading slugs, and no file reads or cites material kept outside the repository.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Problem {
  /** Repository-relative path, forward slashes. */
  file: string;
  line: number;
  kind: 'missing-file' | 'missing-anchor' | 'outside';
  /** The reference or citation as written. */
  target: string;
}

/** Generated or private folders, as .gitignore lists them; never scanned. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'reports', '.tmp', '.git']);
const SKIPPED_FILES = new Set(['package-lock.json']);
const MAX_BYTES = 5 * 1024 * 1024;

/** GitHub's heading slug: lower case, punctuation and symbols dropped (not `-` or `_`), each space a hyphen. */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The heading's rendered text: code spans, links, images, HTML tags and `*` emphasis reduced to their words. */
function headingText(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`+/g, '')
    .replace(/\*+/g, '')
    .trim();
}

/**
 * Every anchor a markdown file offers: ATX and setext headings outside fenced code, numbered
 * `-1`, `-2`, … when a slug repeats (as GitHub does), and explicit `<a id|name="…">` anchors.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (text: string) => {
    const base = githubSlug(headingText(text));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  };
  let fence: string | null = null;
  let previous: string | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (opening && opening[1]!.startsWith(fence)) fence = null;
      previous = null;
      continue;
    }
    if (opening) {
      fence = opening[1]!;
      previous = null;
      continue;
    }
    for (const m of line.matchAll(/<a\s+[^>]*\b(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) {
      add(atx[1] ?? '');
      previous = null;
      continue;
    }
    if (previous !== null && /^ {0,3}(=+|-+)[ \t]*$/.test(line)) {
      add(previous);
      previous = null;
      continue;
    }
    previous = line.trim() === '' || line.includes('|') ? null : line;
  }
  return anchors;
}

/** Text files of the repository, repository-relative with forward slashes. */
export function repositoryFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      // Another test may remove a file of its own between the listing and the look.
      const stat = lstatSync(full, { throwIfNoEntry: false });
      if (!stat || stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(full);
      } else if (stat.isFile() && !SKIPPED_FILES.has(name) && !name.endsWith('.log') && stat.size <= MAX_BYTES) {
        const head = readFileSync(full).subarray(0, 8000);
        if (!head.includes(0)) out.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  };
  walk(root);
  return out;
}

/** A `docs/….md` path, bare (from the repository root) or behind `./` / `../` (from the file). */
const DOCS_REFERENCE = /(?<![\w\-./:])((?:\.\.?\/)*)(docs\/[\w\-./]*?\.md)(?![\w])(?:#([\p{L}\p{N}_-]+))?/gu;
/** A relative markdown link target: `[text](target)`. */
const MARKDOWN_LINK = /\[[^\]]*\]\(([^)\s]+)\)/g;
/** Relative paths that climb into a folder called shared: the project's zone, or the reading folder beside it. */
const CLIMB_TO_SHARED = /(?:\.\.[\\/])+shared(?![\w-])([\\/][^\s'"`)\]},;]*)?/g;
/** Citations of the reading material beside the checkout: its files, its numbered sections, its absolute path. */
const CITATIONS: readonly RegExp[] = [
  /\bDESIGN\.md\b/g,
  /\bspec\s*§[^\s,;)]*/gi,
  /§\s*\d[\d.–-]*/g,
  /\b(?:apiv3[-]rules|busifavor-api\.md|busifavor-guide\.txt|seed-guide-requests\.json|test-vectors\.md)\b/g,
  /\/work\/shared\b/g,
];

const ZONE_MODULE_SUFFIXES = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** True for an import of the project's own `shared/` zone, e.g. `../../shared/contract`. */
function isZoneImport(root: string, fileDir: string, climb: string, rest: string | undefined): boolean {
  if (!inside(root, path.resolve(fileDir, climb))) return false;
  const module = (rest ?? '').replace(/\\/g, '/').replace(/^\//, '').replace(/\/$/, '');
  if (module === '') return false;
  return ZONE_MODULE_SUFFIXES.some((suffix) => existsSync(path.join(root, 'shared', module + suffix)));
}

/** `%20` and friends in a link; a malformed escape is taken literally (and then reported as missing). */
function decodePath(linkPath: string): string {
  try {
    return decodeURI(linkPath);
  } catch {
    return linkPath;
  }
}

export interface ScanOptions {
  /** Repository-relative files not checked at all: files that hold deliberately bad examples. */
  exempt?: readonly string[];
}

/** Every broken docs reference and every pointer outside the repository, in file and line order. */
export function scanRepository(root: string, options: ScanOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsAt = (file: string) => {
    let set = anchorCache.get(file);
    if (!set) anchorCache.set(file, (set = anchorsOf(readFileSync(file, 'utf8'))));
    return set;
  };
  const exempt = new Set(options.exempt ?? []);

  for (const rel of repositoryFiles(root)) {
    if (exempt.has(rel)) continue;
    const full = path.join(root, rel);
    const dir = path.dirname(full);
    const isMarkdown = rel.endsWith('.md');
    const lines = readFileSync(full, 'utf8').split(/\r?\n/);
    const reported = new Set<string>();
    const report = (line: number, kind: Problem['kind'], target: string) => {
      const key = `${line}\u0000${kind}\u0000${target}`;
      if (!reported.has(key)) problems.push({ file: rel, line, kind, target });
      reported.add(key);
    };
    const check = (line: number, written: string, target: string, anchor: string | undefined) => {
      if (!inside(root, target)) return report(line, 'outside', written);
      if (!existsSync(target)) return report(line, 'missing-file', written);
      if (anchor !== undefined && target.endsWith('.md') && statSync(target).isFile() && !anchorsAt(target).has(anchor)) {
        report(line, 'missing-anchor', written);
      }
    };

    lines.forEach((text, i) => {
      const line = i + 1;
      for (const m of text.matchAll(DOCS_REFERENCE)) {
        const [written, climb = '', docPath = ''] = m;
        check(line, written, climb ? path.resolve(dir, climb, docPath) : path.join(root, docPath), m[3]);
      }
      if (isMarkdown) {
        for (const m of text.matchAll(MARKDOWN_LINK)) {
          const written = m[1]!;
          if (/^[a-z][a-z0-9+.-]*:/i.test(written) || written.startsWith('//')) continue;
          const hash = written.indexOf('#');
          const linkPath = hash < 0 ? written : written.slice(0, hash);
          const anchor = hash < 0 ? undefined : written.slice(hash + 1);
          check(line, written, linkPath === '' ? full : path.resolve(dir, decodePath(linkPath)), anchor);
        }
      }
      for (const m of text.matchAll(CLIMB_TO_SHARED)) {
        const climb = m[0].slice(0, m[0].length - (m[1]?.length ?? 0) - 'shared'.length);
        if (!isZoneImport(root, dir, climb, m[1])) report(line, 'outside', m[0]);
      }
      for (const pattern of CITATIONS) for (const m of text.matchAll(pattern)) report(line, 'outside', m[0]);
    });
  }
  return problems;
}

export const describeProblem = (p: Problem): string =>
  `${p.file}:${p.line}: ${p.kind === 'outside' ? 'points outside the repository' : p.kind === 'missing-file' ? 'no such file' : 'no such section'}: ${p.target}`;
