import { describe, expect, it } from 'vitest';
import { judgeScan, SCANNER_TEST_CODE } from '../../renderer/scan/scanner-check';

describe('the scanner check', () => {
  it('holds every character layouts move, and both cases', () => {
    for (const c of ['-', '_', '\\', '/', '=', '|']) expect(SCANNER_TEST_CODE).toContain(c);
    expect(SCANNER_TEST_CODE).toMatch(/[a-z]/);
    expect(SCANNER_TEST_CODE).toMatch(/[A-Z]/);
  });

  it('passes a code that arrived intact with Enter or Tab', () => {
    expect(judgeScan({ text: SCANNER_TEST_CODE, suffix: 'Enter', composed: false })).toEqual({ kind: 'ok', suffix: 'Enter' });
    expect(judgeScan({ text: SCANNER_TEST_CODE, suffix: 'Tab', composed: false })).toEqual({ kind: 'ok', suffix: 'Tab' });
  });

  it('names a missing suffix, a layout that moved characters, swapped case, an input method and lost keys', () => {
    expect(judgeScan({ text: SCANNER_TEST_CODE, suffix: null, composed: false })).toEqual({ kind: 'no_suffix' });
    // A German layout: - arrives as ß, / as -, = as ), | nothing like it.
    const german = SCANNER_TEST_CODE.replace('-', 'ß').replace('/', '-').replace('=', ')');
    expect(judgeScan({ text: german, suffix: 'Enter', composed: false })).toEqual({ kind: 'layout', changed: ['-→ß', '/→-', '=→)'] });
    expect(judgeScan({ text: 'aB-_\\/=|9Z', suffix: 'Enter', composed: false })).toEqual({ kind: 'case' });
    expect(judgeScan({ text: '', suffix: 'Enter', composed: true })).toEqual({ kind: 'ime' });
    expect(judgeScan({ text: 'Ab-_', suffix: 'Enter', composed: false })).toEqual({ kind: 'lost', got: 4, want: SCANNER_TEST_CODE.length });
  });
});
