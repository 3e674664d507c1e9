import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BurstDetector, cleanScan, type KeyDecision } from '../../renderer/scan/burst-detector';

/** Feeds keys `gap` ms apart from `start`; returns every decision. */
function feed(d: BurstDetector, keys: string[], gap: number, start = 1000): KeyDecision[] {
  return keys.map((key, i) => d.key({ key, at: start + i * gap }));
}
const chars = (s: string) => Array.from(s);
const scans = (ds: KeyDecision[]) => ds.filter((x) => x.action === 'scan');

describe('keyboard-wedge burst detector', () => {
  it('a scanner burst ending in Enter becomes one scan; the first keys leak, the rest are swallowed', () => {
    const d = new BurstDetector();
    const ds = feed(d, [...chars('CPN100OFF20'), 'Enter'], 8);
    expect(ds.slice(0, 3).map((x) => x.action)).toEqual(['pass', 'pass', 'pass']);
    expect(ds[0]).toEqual({ action: 'pass', startsBurst: true });
    expect(ds.slice(3, 11).every((x) => x.action === 'swallow')).toBe(true);
    expect(ds[11]).toEqual({ action: 'scan', code: 'CPN100OFF20', leaked: 3 });
  });

  it('Tab ends a burst too (scanners configured with a Tab suffix)', () => {
    const d = new BurstDetector();
    expect(feed(d, [...chars('12345678'), 'Tab'], 5).at(-1)).toEqual({ action: 'scan', code: '12345678', leaked: 3 });
  });

  it('a person typing an amount at 120 ms a key is never a scan, and Enter stays theirs', () => {
    const d = new BurstDetector();
    const ds = feed(d, [...chars('128.50'), 'Enter'], 120);
    expect(ds.every((x) => x.action === 'pass')).toBe(true);
  });

  it('three quick keys of a person (rollover) followed by Enter do not make a scan', () => {
    const d = new BurstDetector();
    const ds = feed(d, [...chars('123'), 'Enter'], 20);
    expect(ds.every((x) => x.action === 'pass')).toBe(true);
  });

  it('Enter long after a confirmed burst is a person pressing Enter, not the end of the scan', () => {
    const d = new BurstDetector();
    feed(d, chars('ABCDEFGH'), 5, 0);
    expect(d.key({ key: 'Enter', at: 35 + 2000 })).toEqual({ action: 'pass', startsBurst: false });
  });

  it('a hiccup inside a confirmed burst is tolerated; one before confirmation restarts the burst', () => {
    const d = new BurstDetector({ maxGapMs: 50, holdGapMs: 150, minLength: 4 });
    const ds = feed(d, chars('ABCDE'), 5, 0);
    expect(ds.at(-1)?.action).toBe('swallow');
    expect(d.key({ key: 'F', at: 20 + 120 })).toEqual({ action: 'swallow' });
    expect(d.key({ key: 'Enter', at: 145 })).toEqual({ action: 'scan', code: 'ABCDEF', leaked: 3 });

    const e = new BurstDetector({ maxGapMs: 50, holdGapMs: 150, minLength: 4 });
    feed(e, chars('AB'), 5, 0);
    expect(e.key({ key: 'C', at: 5 + 120 })).toEqual({ action: 'pass', startsBurst: true });
  });

  it('Shift between keys (capitals) neither counts nor breaks the timing', () => {
    const d = new BurstDetector();
    const keys = ['Shift', 'A', 'Shift', 'B', 'c', 'Shift', 'D', 'e', 'Enter'];
    expect(scans(feed(d, keys, 4))).toEqual([{ action: 'scan', code: 'ABcDe', leaked: 3 }]);
  });

  it('held keys, shortcuts, IME composition and editing keys reset the burst', () => {
    for (const breaker of [{ repeat: true }, { modified: true }, { composing: true }]) {
      const d = new BurstDetector();
      feed(d, chars('ABCDEF'), 5, 0);
      expect(d.key({ key: 'G', at: 30, ...breaker })).toEqual({ action: 'pass', startsBurst: false });
      expect(d.key({ key: 'Enter', at: 35 })).toEqual({ action: 'pass', startsBurst: false });
    }
    const d = new BurstDetector();
    feed(d, chars('ABCDEF'), 5, 0);
    expect(d.key({ key: 'Backspace', at: 30 })).toEqual({ action: 'pass', startsBurst: false });
    expect(d.confirmed).toBe(false);
  });

  it('two scans back to back are two codes', () => {
    const d = new BurstDetector();
    const first = feed(d, [...chars('AAAA1111'), 'Enter'], 6, 0);
    const second = feed(d, [...chars('BBBB2222'), 'Enter'], 6, 500);
    expect([...scans(first), ...scans(second)].map((x) => x.action === 'scan' && x.code)).toEqual(['AAAA1111', 'BBBB2222']);
  });

  it('property: any code of at least minLength characters typed at ≤ maxGap ms per key is read back exactly', () => {
    const codeChar = fc.constantFrom(...chars('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -_\\/=|'));
    fc.assert(
      fc.property(fc.array(codeChar, { minLength: 4, maxLength: 32 }), fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 33, maxLength: 33 }), (code, gaps) => {
        const d = new BurstDetector();
        let at = 10_000;
        const ds = [...code, 'Enter'].map((key, i) => d.key({ key, at: (at += gaps[i] ?? 0) }));
        const got = scans(ds);
        return got.length === 1 && got[0]?.action === 'scan' && got[0].code === code.join('') && got[0].leaked === 3;
      }),
    );
  });

  it('property: keys always ≥ maxGap + 1 ms apart (a person) are all passed through', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('1', '2', '.', '0', 'Enter', 'Backspace', 'a'), { maxLength: 40 }), fc.array(fc.integer({ min: 51, max: 900 }), { minLength: 40, maxLength: 40 }), (keys, gaps) => {
        const d = new BurstDetector();
        let at = 0;
        return keys.every((key, i) => d.key({ key, at: (at += gaps[i] ?? 51) }).action === 'pass');
      }),
    );
  });

  it('cleanScan strips CR, LF and TAB wherever they are', () => {
    expect(cleanScan('\tABC\r\n123\n')).toBe('ABC123');
    expect(cleanScan('A B-C')).toBe('A B-C');
  });
});
