// Tells a keyboard-wedge scanner from a person at the keyboard by timing alone. A scanner
// types a whole code a few milliseconds per key and ends it with Enter (or Tab); a person
// leaves tens to hundreds of milliseconds between keys. The first keys of a burst cannot be
// told apart from typing, so they pass through to whatever has focus; once enough fast keys
// have arrived the burst is confirmed and later keys are swallowed. When the terminator
// arrives, `leaked` says how many characters went through before confirmation, so the
// caller can put the focused field back as it was.

export interface WedgeTiming {
  /** Longest pause between two keys while a burst is still building up. */
  maxGapMs: number;
  /**
   * Longest pause once a burst is confirmed: a scanner's USB stream or a busy page can
   * hiccup mid-code, and a confirmed burst is no longer in doubt.
   */
  holdGapMs: number;
  /** Characters in a row, each within maxGapMs, that make a burst (and the shortest code accepted). */
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
  /** Let the page have the key. `startsBurst`: this may be the first key of a burst. */
  | { action: 'pass'; startsBurst: boolean }
  /** Part of a confirmed burst: keep it from the page. */
  | { action: 'swallow' }
  /** A terminator closed a burst: keep the terminator from the page and hand `code` over. */
  | { action: 'scan'; code: string; leaked: number };

const TERMINATORS = new Set(['Enter', 'Tab']);
// Keys a scanner's virtual keyboard sends around characters (Shift for capitals) and that
// must neither count nor break the timing.
const NEUTRAL = new Set(['Shift', 'CapsLock', 'NumLock', 'Unidentified']);

const isCharacter = (key: string) => Array.from(key).length === 1;

export class BurstDetector {
  private readonly timing: WedgeTiming;
  private chars: string[] = [];
  private lastAt = -Infinity;
  private leaked = 0;

  constructor(timing: Partial<WedgeTiming> = {}) {
    this.timing = { ...DEFAULT_WEDGE_TIMING, ...timing };
  }

  get confirmed(): boolean {
    return this.chars.length >= this.timing.minLength;
  }

  key(input: KeyInput): KeyDecision {
    const { key, at } = input;
    if (NEUTRAL.has(key)) return { action: 'pass', startsBurst: false };
    if (input.repeat || input.modified || input.composing || key === 'Process' || key === 'Dead') {
      this.reset();
      return { action: 'pass', startsBurst: false };
    }
    const gap = this.confirmed ? this.timing.holdGapMs : this.timing.maxGapMs;
    const fast = this.chars.length > 0 && at - this.lastAt <= gap;

    if (TERMINATORS.has(key)) {
      const decision: KeyDecision =
        fast && this.confirmed ? { action: 'scan', code: this.chars.join(''), leaked: this.leaked } : { action: 'pass', startsBurst: false };
      this.reset();
      return decision;
    }
    if (!isCharacter(key)) {
      // Backspace, arrows, F-keys: a person editing. Whatever was building up was not a scan.
      this.reset();
      return { action: 'pass', startsBurst: false };
    }

    this.lastAt = at;
    if (!fast) {
      this.chars = [key];
      this.leaked = 1;
      return { action: 'pass', startsBurst: true };
    }
    this.chars.push(key);
    if (this.confirmed) return { action: 'swallow' };
    this.leaked += 1;
    return { action: 'pass', startsBurst: false };
  }

  reset(): void {
    this.chars = [];
    this.lastAt = -Infinity;
    this.leaked = 0;
  }
}

/** What a scan hands to the till: framing CR, LF and TAB removed wherever they are. */
export function cleanScan(raw: string): string {
  return raw.replace(/[\r\n\t]/g, '');
}
