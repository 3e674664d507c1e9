// A store's own coupon codes, imported from a CSV or TXT file for a MERCHANT_UPLOAD stock: each
// line checked against WeChat's code rules, repeats found, the rest cut into the batches one
// upload call may carry (docs/wechatpay/busifavor.md#uploaded-codes). The screen and posctl both
// use this, so a file gives the same batches and the same per-code results wherever it is read.
import { CODES_PER_UPLOAD, COUPON_CODE_CHAR, COUPON_CODE_MAX } from '../busifavor/codes';

export type CodeVerdict = 'ok' | 'duplicate' | 'invalid';

/** Why a code came out as it did; the screens and posctl put these into words. */
export const CODE_REASONS = ['uploaded', 'repeated_in_file', 'already_uploaded', 'too_long', 'bad_character', 'refused_by_wechat', 'not_sent'] as const;
export type CodeReason = (typeof CODE_REASONS)[number];

export interface CodeReasonParams {
  /** repeated_in_file: the line it first appeared on. */
  firstLine?: number;
  /** bad_character: the character and its position (from 1). */
  char?: string;
  position?: number;
  /** refused_by_wechat: WeChat's per-code answer. */
  wechatCode?: string;
  wechatMessage?: string;
}

/** One code of the file: where it was, what became of it and why. `pending` until its batch is answered. */
export interface CodeLine {
  line: number;
  code: string;
  result: CodeVerdict | 'pending';
  reason: CodeReason;
  params: CodeReasonParams;
}

export interface CodeFilePlan {
  lines: CodeLine[];
  /** Unique valid codes in file order, cut into upload calls. */
  batches: string[][];
}

/** Header cells a spreadsheet export puts above the codes (not codes themselves). */
const HEADERS = new Set(['code', 'codes', 'coupon_code', 'couponcode', '券码', '券code', '券 code']);

/** The first cell of a CSV row: quoted per RFC 4180 ("" is a quote), else up to the first comma. */
function firstCell(row: string): string {
  if (!row.startsWith('"')) {
    const comma = row.indexOf(',');
    return comma < 0 ? row : row.slice(0, comma);
  }
  let out = '';
  for (let i = 1; i < row.length; i++) {
    const ch = row[i] as string;
    if (ch !== '"') out += ch;
    else if (row[i + 1] === '"') {
      out += '"';
      i++;
    } else return out;
  }
  return out;
}

/**
 * Reads a file's text: one code per line (TXT), or the first column (CSV, chosen by `csv` or by
 * the file name ending in .csv). A byte-order mark and a header row are skipped; blank lines too.
 * A code is taken exactly as written — WeChat allows the space, so nothing is trimmed but line ends.
 */
export function readCodeFile(text: string, options: { csv?: boolean } = {}): { line: number; code: string }[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const out: { line: number; code: string }[] = [];
  body.split(/\r?\n/).forEach((raw, i) => {
    const code = options.csv ? firstCell(raw) : raw;
    if (code.trim() === '') return;
    if (out.length === 0 && HEADERS.has(code.trim().toLowerCase())) return;
    out.push({ line: i + 1, code });
  });
  return out;
}

/** Why WeChat would refuse this code, or null: 1..32 characters of the merchant-code set. */
export function codeProblem(code: string): { reason: 'too_long' | 'bad_character'; params: CodeReasonParams } | null {
  const chars = Array.from(code);
  if (chars.length > COUPON_CODE_MAX) return { reason: 'too_long', params: {} };
  const i = chars.findIndex((c) => !COUPON_CODE_CHAR.test(c));
  return i < 0 ? null : { reason: 'bad_character', params: { char: chars[i] as string, position: i + 1 } };
}

/** Every line judged before anything is sent: invalid ones and repeats stay home with a reason. */
export function planCodeUpload(entries: readonly { line: number; code: string }[], batchSize = CODES_PER_UPLOAD): CodeFilePlan {
  const first = new Map<string, number>();
  const lines: CodeLine[] = [];
  const unique: string[] = [];
  for (const { line, code } of entries) {
    const problem = codeProblem(code);
    if (problem) {
      lines.push({ line, code, result: 'invalid', ...problem });
      continue;
    }
    const seen = first.get(code);
    if (seen !== undefined) {
      lines.push({ line, code, result: 'duplicate', reason: 'repeated_in_file', params: { firstLine: seen } });
      continue;
    }
    first.set(code, line);
    unique.push(code);
    lines.push({ line, code, result: 'pending', reason: 'not_sent', params: {} });
  }
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += batchSize) batches.push(unique.slice(i, i + batchSize));
  return { lines, batches };
}

/** What one upload call's answer says of each code it carried. */
export interface BatchCodeResult {
  code: string;
  result: CodeVerdict;
  reason: CodeReason;
  params: CodeReasonParams;
}

/** Puts one batch's answers onto the file's lines (the first occurrence of each code). */
export function applyBatchResults(plan: CodeFilePlan, results: readonly BatchCodeResult[]): void {
  const byCode = new Map(results.map((r) => [r.code, r]));
  for (const line of plan.lines) {
    if (line.result !== 'pending') continue;
    const r = byCode.get(line.code);
    if (r) Object.assign(line, { result: r.result, reason: r.reason, params: r.params });
  }
}

/** In English, for posctl and logs; the screens have their own catalogues. */
export function describeCodeReason(reason: CodeReason, p: CodeReasonParams): string {
  switch (reason) {
    case 'uploaded':
      return 'uploaded';
    case 'repeated_in_file':
      return `same code as line ${p.firstLine ?? '?'}`;
    case 'already_uploaded':
      return 'already uploaded to this stock';
    case 'too_long':
      return `longer than ${COUPON_CODE_MAX} characters`;
    case 'bad_character':
      return `character ${JSON.stringify(p.char ?? '')} at position ${p.position ?? '?'} is not allowed (digits, letters, space, - _ \\ / = |)`;
    case 'refused_by_wechat':
      return `WeChat Pay refused it: ${p.wechatCode ?? ''} ${p.wechatMessage ?? ''}`.trim();
    case 'not_sent':
      return 'not sent yet';
  }
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The per-code results as CSV (UTF-8 with a BOM, so Excel reads the Chinese); `describe` words the reason. */
export function codeResultsCsv(lines: readonly CodeLine[], describe: (line: CodeLine) => string = (l) => describeCodeReason(l.reason, l.params)): string {
  const rows = [['line', 'code', 'result', 'detail'], ...lines.map((l) => [l.line, l.code, l.result, describe(l)])];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function countResults(lines: readonly CodeLine[]): Record<CodeVerdict | 'pending', number> {
  const out = { ok: 0, duplicate: 0, invalid: 0, pending: 0 };
  for (const l of lines) out[l.result] += 1;
  return out;
}
