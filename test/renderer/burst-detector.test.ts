import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BurstDetector, cleanScan, type KeyDecision } from '../../renderer/scan/burst-detector';

/** Feeds keys `gap` ms apart from `start`; returns every decision. */
function feed(d: BurstDetector, keys: string[], gap: number, start = 1000): KeyDecision[] {
  return keys.map((key, i) => d.key({ key, at: start + i * gap }));
}
const chars = (s: string) => Array.from(s);
const scans = (ds: KeyDecision[]) => ds.filter((x) => x.action === 'scan');
const PASS = { action: 'pass', mark: null };

describe('keyboard-wedge burst detector', () => {
  it('a scanner burst ending in Enter becomes one scan; the first keys leak, the rest are swallowed', () => {
    const d = new BurstDetector();
    const ds = feed(d, [...chars('CPN100OFF20'), 'Enter'], 8);
    expect(ds.slice(0, 3)).toEqual([{ action: 'pass', mark: 0 }, PASS, PASS]);
    expect(ds.slice(3, 11).every((x) => x.action === 'swallow')).toBe(true);
    expect(ds[11]).toEqual({ action: 'scan', code: 'CPN100OFF20', mark: 0, leaked: 3 });
  });

  it('Tab ends a burst too (scanners configured with a Tab suffix)', () => {
    const d = new BurstDetector();
    expect(feed(d, [...chars('12345678'), 'Tab'], 5).at(-1)).toEqual({ action: 'scan', code: '12345678', mark: 0, leaked: 3 });
  });

  it('a person typing an amount is never a scan, and Enter stays theirs', () => {
    for (const gap of [90, 120, 400]) {
      const ds = feed(new BurstDetector(), [...chars('9988.50'), 'Enter'], gap);
      expect(ds.every((x) => x.action === 'pass')).toBe(true);
    }
  });

  it('three quick keys of a person (rollover) followed by Enter do not make a scan', () => {
    const ds = feed(new BurstDetector(), [...chars('123'), 'Enter'], 20);
    expect(ds.every((x) => x.action === 'pass')).toBe(true);
  });

  it('Enter long after a confirmed burst is a person pressing Enter, not the end of the scan', () => {
    const d = new BurstDetector();
    feed(d, chars('ABCDEFGH'), 5, 0);
    expect(d.key({ key: 'Enter', at: 35 + 2000 })).toEqual(PASS);
  });

  it('a person types an amount and scans at once: the code starts at the scanner, the amount keys stay theirs', () => {
    const d = new BurstDetector();
    const typed = feed(d, chars('128'), 120, 0);
    expect(typed.map((x) => x.action === 'pass' && x.mark)).toEqual([0, 1, 2]);
    const scanned = feed(d, [...chars('8800123456'), 'Enter'], 4, 240 + 120);
    expect(scanned[0]).toEqual({ action: 'pass', mark: 3 });
    expect(scanned.at(-1)).toEqual({ action: 'scan', code: '8800123456', mark: 3, leaked: 3 });
  });

  it('a stall mid-burst keeps the whole code, before or after confirmation; a long pause starts over', () => {
    const timing = { maxGapMs: 50, holdGapMs: 150, minLength: 4 };
    const d = new BurstDetector(timing);
    const ds = feed(d, chars('ABCDE'), 5, 0);
    expect(ds.at(-1)?.action).toBe('swallow');
    expect(d.key({ key: 'F', at: 20 + 120 })).toEqual({ action: 'swallow' });
    expect(d.key({ key: 'Enter', at: 145 })).toEqual({ action: 'scan', code: 'ABCDEF', mark: 0, leaked: 3 });

    // Stalled after two characters: the fast run starts again, the code keeps "AB".
    const e = new BurstDetector(timing);
    feed(e, chars('AB'), 5, 0);
    const rest = feed(e, [...chars('CDEFGH'), 'Enter'], 5, 5 + 120);
    expect(rest[0]).toEqual({ action: 'pass', mark: 2 });
    expect(rest.at(-1)).toEqual({ action: 'scan', code: 'ABCDEFGH', mark: 0, leaked: 5 });

    const f = new BurstDetector(timing);
    feed(f, chars('AB'), 5, 0);
    expect(f.key({ key: 'C', at: 5 + 151 })).toEqual({ action: 'pass', mark: 0 });
  });

  it('Shift between keys (capitals) neither counts nor breaks the timing', () => {
    const keys = ['Shift', 'A', 'Shift', 'B', 'c', 'Shift', 'D', 'e', 'Enter'];
    expect(scans(feed(new BurstDetector(), keys, 4))).toEqual([{ action: 'scan', code: 'ABcDe', mark: 0, leaked: 3 }]);
  });

  it('held keys, shortcuts, IME composition and editing keys reset the burst', () => {
    for (const breaker of [{ repeat: true }, { modified: true }, { composing: true }]) {
      const d = new BurstDetector();
      feed(d, chars('ABCDEF'), 5, 0);
      expect(d.key({ key: 'G', at: 30, ...breaker })).toEqual(PASS);
      expect(d.key({ key: 'Enter', at: 35 })).toEqual(PASS);
    }
    const d = new BurstDetector();
    feed(d, chars('ABCDEF'), 5, 0);
    expect(d.key({ key: 'Backspace', at: 30 })).toEqual(PASS);
    expect(d.confirmed).toBe(false);
  });

  it('two scans back to back are two codes', () => {
    const d = new BurstDetector();
    const first = feed(d, [...chars('AAAA1111'), 'Enter'], 6, 0);
    const second = feed(d, [...chars('BBBB2222'), 'Enter'], 6, 500);
    expect([...scans(first), ...scans(second)].map((x) => x.action === 'scan' && x.code)).toEqual(['AAAA1111', 'BBBB2222']);
  });

  it('property: a code sent in fast fragments of two or more keys, with stalls shorter than holdGap between them, is read back exactly', () => {
    const codeChar = fc.constantFrom(...chars('0123456789ABCDEFGHIJabc -_/=|\\'));
    const fragment = fc.array(codeChar, { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fragment, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 64, maxLength: 64 }),
        fc.array(fc.integer({ min: 51, max: 150 }), { minLength: 8, maxLength: 8 }),
        (fragments, longAt, fast, stalls) => {
          // One fragment is at least minLength long, or it would not be a scan.
          const parts = fragments.map((f, i) => (i === longAt % fragments.length && f.length < 4 ? [...f, ...chars('9999')].slice(0, 4) : f));
          const d = new BurstDetector();
          let at = 10_000;
          let k = 0;
          const ds: KeyDecision[] = [];
          parts.forEach((part, p) =>
            part.forEach((key, i) => {
              at += i > 0 ? (fast[k++ % fast.length] ?? 0) : p > 0 ? (stalls[p] ?? 100) : 0;
              ds.push(d.key({ key, at }));
            }),
          );
          const passed = ds.filter((x) => x.action === 'pass').length;
          const end = d.key({ key: 'Enter', at: at + 10 });
          return end.action === 'scan' && end.code === parts.flat().join('') && end.mark === 0 && end.leaked === passed;
        },
      ),
    );
  });

  it('property: keys never four in a row within maxGap (a person) are all passed through', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('1', '2', '.', '0', 'Enter', 'Backspace', 'a'), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 40, maxLength: 40 }),
        (keys, gaps) => {
          // Break any run of three fast gaps: a person's rollover reaches two, not three.
          let fastRun = 0;
          const human = gaps.map((g) => {
            fastRun = g <= 50 ? fastRun + 1 : 0;
            if (fastRun < 3) return g;
            fastRun = 0;
            return 51;
          });
          const d = new BurstDetector();
          let at = 0;
          return keys.every((key, i) => d.key({ key, at: (at += human[i] ?? 51) }).action === 'pass');
        },
      ),
    );
  });

  it('cleanScan strips CR, LF and TAB wherever they are', () => {
    expect(cleanScan('\tABC\r\n123\n')).toBe('ABC123');
    expect(cleanScan('A B-C')).toBe('A B-C');
  });
});
