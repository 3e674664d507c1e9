// Tells a keyboard-wedge scanner from a person at the keyboard by timing alone. A scanner
// types a whole code a few milliseconds per key and ends it with Enter (or Tab); a person
// leaves tens to hundreds of milliseconds between keys. The first keys of a burst cannot be
// told apart from typing, so they pass through to whatever has focus; once minLength fast
// keys in a row have arrived the burst is confirmed and later keys are swallowed. At the
// terminator the decision says where the code began, so the caller can put the focused
// field back as it was just before that key.
//
// A busy page or USB hub can stall a scanner's stream for a moment (up to holdGapMs). A
// code must not lose its first characters to such a stall, nor take in the last digit a
// person typed just before scanning: so the code reaches back over stalls only through
// fragments of two or more fast keys — a scanner's — never through a lone key, a person's.

export interface WedgeTiming {
  /** Longest pause between two keys that counts as scanner-fast. */
  maxGapMs: number;
  /** A pause longer than this ends whatever was being typed: the next key starts afresh. */
  holdGapMs: number;
  /** Scanner-fast characters in a row that confirm a burst (and so the shortest code accepted). */
  minLength: number;
}

export const DEFAULT_WEDGE_TIMING: WedgeTiming = { maxGapMs: 50, holdGapMs: 150, minLength: 4 };

export interface KeyInput {
  /** KeyboardEvent.key */
  key: string;
  /** KeyboardEvent.timeStamp (ms, monotonic) */
  at: number;
  /** Auto-repeat of a held key: a person leaning on a key is not a scanner. */
  repeat?: boolean;
  /** Ctrl, Alt or Meta held: a shortcut, never part of a scanned code. */
  modified?: boolean;
  /** An IME composition is under way. */
  composing?: boolean;
}

export type KeyDecision =
  /**
   * Let the page have the key. `mark`: this key's position in the burst when a code could
   * start here; the caller notes what the focused field held before it.
   */
  | { action: 'pass'; mark: number | null }
  /** Part of a confirmed burst: keep it from the page. */
  | { action: 'swallow' }
  /** A terminator closed a burst: keep it from the page, hand `code` over, and undo the `leaked` characters that went in from `mark` on. */
  | { action: 'scan'; code: string; mark: number; leaked: number };

const TERMINATORS = new Set(['Enter', 'Tab']);
// Keys a scanner's virtual keyboard sends around characters (Shift for capitals) and that
// must neither count nor break the timing.
const NEUTRAL = new Set(['Shift', 'CapsLock', 'NumLock', 'Unidentified']);

const isCharacter = (key: string) => Array.from(key).length === 1;

const PASS: KeyDecision = { action: 'pass', mark: null };

export class BurstDetector {
  private readonly timing: WedgeTiming;
  private chars: string[] = [];
  /** The pause before each character of the burst (Infinity before the first). */
  private gaps: number[] = [];
  private lastAt = -Infinity;
  /** Characters in a row so far, each within maxGapMs of the one before. */
  private run = 0;
  /** Index of the first swallowed character once the burst is confirmed, else -1. */
  private firstSwallowed = -1;

  constructor(timing: Partial<WedgeTiming> = {}) {
    this.timing = { ...DEFAULT_WEDGE_TIMING, ...timing };
  }

  get confirmed(): boolean {
    return this.firstSwallowed >= 0;
  }

  key(input: KeyInput): KeyDecision {
    const { key, at } = input;
    if (NEUTRAL.has(key)) return PASS;
    if (input.repeat || input.modified || input.composing || key === 'Process' || key === 'Dead') {
      this.reset();
      return PASS;
    }
    const gap = at - this.lastAt;
    const continues = this.chars.length > 0 && gap <= this.timing.holdGapMs;

    if (TERMINATORS.has(key)) {
      const decision = continues && this.confirmed ? this.emit() : PASS;
      this.reset();
      return decision;
    }
    if (!isCharacter(key)) {
      // Backspace, arrows, F-keys: a person editing. Whatever was building up was not a scan.
      this.reset();
      return PASS;
    }

    this.lastAt = at;
    if (!continues) {
      this.reset();
      this.lastAt = at;
      this.chars = [key];
      this.gaps = [Infinity];
      this.run = 1;
      return { action: 'pass', mark: 0 };
    }
    const index = this.chars.length;
    this.chars.push(key);
    this.gaps.push(gap);
    if (this.confirmed) return { action: 'swallow' };
    const fast = gap <= this.timing.maxGapMs;
    this.run = fast ? this.run + 1 : 1;
    if (this.run >= this.timing.minLength) {
      this.firstSwallowed = index;
      return { action: 'swallow' };
    }
    return { action: 'pass', mark: fast ? null : index };
  }

  private emit(): KeyDecision {
    const { maxGapMs, minLength } = this.timing;
    let from = this.firstSwallowed - (minLength - 1);
    // Reach back over earlier scanner fragments (two or more fast keys) cut off by a stall.
    while (from > 0) {
      let j = from - 1;
      while (j > 0 && (this.gaps[j] ?? Infinity) <= maxGapMs) j--;
      if (from - j < 2) break;
      from = j;
    }
    return { action: 'scan', code: this.chars.slice(from).join(''), mark: from, leaked: this.firstSwallowed - from };
  }

  reset(): void {
    this.chars = [];
    this.gaps = [];
    this.lastAt = -Infinity;
    this.run = 0;
    this.firstSwallowed = -1;
  }
}

/** What a scan hands to the till: framing CR, LF and TAB removed wherever they are. */
export function cleanScan(raw: string): string {
  return raw.replace(/[\r\n\t]/g, '');
}
