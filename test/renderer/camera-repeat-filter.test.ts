import { describe, expect, it } from 'vitest';
import { RepeatFilter } from '../../renderer/scan/camera/repeat-filter';

describe('camera repeat filter', () => {
  it('hands a code on once while it stays in view, and again after it was away', () => {
    const f = new RepeatFilter(1500);
    expect(f.accept(['A'], 0)).toEqual(['A']);
    // Held still: read on every frame for several seconds, never repeated.
    for (let at = 120; at <= 5000; at += 120) expect(f.accept(['A'], at)).toEqual([]);
    // Out of view for longer than the quiet time, then shown again: a new scan.
    expect(f.accept([], 5100)).toEqual([]);
    expect(f.accept(['A'], 6600)).toEqual(['A']);
  });

  it('a short gap (a hand passing in front) is not a second scan', () => {
    const f = new RepeatFilter(1500);
    f.accept(['A'], 0);
    expect(f.accept([], 400)).toEqual([]);
    expect(f.accept(['A'], 1400)).toEqual([]);
  });

  it('a different code is new at once, and duplicates within one frame count once', () => {
    const f = new RepeatFilter(1500);
    expect(f.accept(['A', 'A'], 0)).toEqual(['A']);
    expect(f.accept(['B', 'A'], 100)).toEqual(['B']);
  });
});
