// The scanner check: the cashier scans a printed test code and the till says whether the
// scanner's keyboard layout and suffix survive the trip. A keyboard-wedge scanner types what
// its own layout setting says; on a computer with another layout the punctuation changes
// (a German layout turns - into ß, / into -), Caps Lock swaps case, an input method
// swallows keys, and a scanner set up without a suffix never ends its code with Enter.

/** Every character a coupon code may hold that layouts tend to move, with both cases around them. */
export const SCANNER_TEST_CODE = 'Ab-_\\/=|9z';

export type ScannerVerdict =
  | { kind: 'ok'; suffix: 'Enter' | 'Tab' }
  | { kind: 'no_suffix' }
  | { kind: 'layout'; changed: string[] }
  | { kind: 'case' }
  | { kind: 'ime' }
  | { kind: 'lost'; got: number; want: number };

export interface ScannerKeys {
  /** The characters that arrived, in order. */
  text: string;
  /** How the burst ended: Enter, Tab, or nothing (it just stopped). */
  suffix: 'Enter' | 'Tab' | null;
  /** An input method took keys (KeyboardEvent.key "Process"). */
  composed: boolean;
}

const swapCase = (s: string) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');

export function judgeScan(keys: ScannerKeys, expected = SCANNER_TEST_CODE): ScannerVerdict {
  if (keys.composed) return { kind: 'ime' };
  if (keys.text === expected) return keys.suffix ? { kind: 'ok', suffix: keys.suffix } : { kind: 'no_suffix' };
  if (keys.text === swapCase(expected)) return { kind: 'case' };
  const got = Array.from(keys.text);
  const want = Array.from(expected);
  if (got.length !== want.length) return { kind: 'lost', got: got.length, want: want.length };
  // Same length, some characters different: each pair says what the layout made of what.
  const changed = want.flatMap((c, i) => (got[i] === c ? [] : [`${c}→${got[i]}`]));
  return { kind: 'layout', changed };
}
