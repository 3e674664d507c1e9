import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acceptsYuanText, MAX_FEN, parseYuan } from '../../shared/money';

describe('amounts in yuan → fen (the one parser of the till, the desk and posctl)', () => {
  it.each([
    ['12.5', 1250],
    ['12.50', 1250],
    ['12', 1200],
    ['12.', 1200],
    ['.5', 50],
    ['0.29', 29],
    ['0.01', 1],
    ['1.1', 110],
    ['128.05', 12805],
    [' 128.50 ', 12850],
    ['¥99.9', 9990],
    ['￥ 3', 300],
    ['００１２．５', 1250],
    ['12。5', 1250],
    ['1000000', MAX_FEN],
    ['0001000000.00', MAX_FEN],
  ])('%j → %i fen', (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, fen });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'not_a_number'],
    ['.', 'not_a_number'],
    ['12.3.4', 'not_a_number'],
    ['-5', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['12,50', 'not_a_number'],
    ['0x10', 'not_a_number'],
    ['Infinity', 'not_a_number'],
    ['12 50', 'not_a_number'],
    ['12.345', 'too_many_decimals'],
    ['0.001', 'too_many_decimals'],
    ['0', 'zero'],
    ['0.00', 'zero'],
    ['1000000.01', 'too_large'],
    ['9'.repeat(400), 'too_large'],
  ])('%j is refused as %s', (text, problem) => {
    expect(parseYuan(text)).toEqual({ ok: false, problem });
  });

  it('property: every whole number of fen round-trips through its yuan text exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_FEN }), (fen) => {
        const text = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
        const r = parseYuan(text);
        return r.ok && r.fen === fen;
      }),
    );
  });

  it('the field takes digits and one decimal point, nothing else', () => {
    for (const ok of ['', '1', '12.5', '.', '１２．５', '¥12']) expect(acceptsYuanText(ok)).toBe(true);
    for (const no of ['a', '12.5.', '1-2', '1e3', '12,5', '12。5.']) expect(acceptsYuanText(no)).toBe(false);
  });
});
