// Cleans what a keyboard-wedge scanner or camera decoder hands us before classification.
// Scanners add framing (CR/LF/TAB suffixes, STX/ETX, an AIM symbology identifier such as
// `]C1` or `]Q1`), and Chinese IMEs turn ASCII into full-width forms (Ａ, ０, the ideographic space U+3000).

export interface Normalized {
  text: string;
  /** AIM symbology identifier that was removed, e.g. `]C1`. */
  aim?: string;
  /** Full-width characters were folded to ASCII. */
  fullWidth: boolean;
  /** Framing characters were removed from the ends (controls, whitespace, BOM). */
  trimmed: boolean;
}

/** U+FF01..U+FF5E are ASCII 0x21..0x7E shifted; U+3000 is the ideographic space. */
export function foldFullWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

// C0 controls, DEL, every Unicode space, BOM and zero-width characters.
const EDGE =
  // eslint-disable-next-line no-control-regex -- stripping scanner control framing is the point
  /^[\u0000-\u0020\u007F\u00A0\u1680\u2000-\u200D\u2028\u2029\u202F\u205F\u3000\uFEFF]+|[\u0000-\u0020\u007F\u00A0\u1680\u2000-\u200D\u2028\u2029\u202F\u205F\u3000\uFEFF]+$/g;

/** `]` + symbology letter + modifier, as prefixed by scanners with AIM identifiers turned on. */
const AIM = /^\][A-Za-z][0-9A-Za-z]/;

export function normalizeScan(raw: string): Normalized {
  const folded = foldFullWidth(raw);
  let text = folded.replace(EDGE, '');
  let trimmed = text.length !== folded.length;
  const aimMatch = AIM.exec(text);
  let aim: string | undefined;
  if (aimMatch) {
    aim = aimMatch[0];
    const rest = text.slice(aim.length);
    text = rest.replace(EDGE, '');
    trimmed = trimmed || text.length !== rest.length;
  }
  const out: Normalized = { text, fullWidth: folded !== raw, trimmed };
  return aim === undefined ? out : { ...out, aim };
}
