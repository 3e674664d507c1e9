// Scan classification: what a keyboard-wedge scanner or camera decoder might hand the till.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyScan, foldFullWidth, normalizeScan } from '../../../shared/scan';
import { endpoints, validateRequest } from '../../../shared/busifavor';
import { describeRefusal } from '../../../shared/refusals';

type Row = [string, string, string];

// input, expected kind, expected code (coupon) or reason code
const table: Row[] = [
  ['1227944959000000911017', 'coupon_code', '1227944959000000911017'],
  ['1227944959000000911017\r\n', 'coupon_code', '1227944959000000911017'],
  ['\t ABC-123 \t', 'coupon_code', 'ABC-123'],
  [']C1ABC-123\r', 'coupon_code', 'ABC-123'],
  [']Q1 sxxe34343434\n', 'coupon_code', 'sxxe34343434'],
  [']E0' + '6901234567892', 'coupon_code', '6901234567892'],
  ['\u0002ABC\u0003', 'coupon_code', 'ABC'],
  ['\uFEFFABC', 'coupon_code', 'ABC'],
  ['ＡＢＣ－１２３', 'coupon_code', 'ABC-123'],
  ['\u3000１２３４\u3000', 'coupon_code', '1234'],
  ['a b/c\\d=e|f_g', 'coupon_code', 'a b/c\\d=e|f_g'],
  ['X'.repeat(32), 'coupon_code', 'X'.repeat(32)],
  ['134567890123456789', 'payment_code', 'PAYMENT_CODE'],
  ['104567890123456789', 'payment_code', 'PAYMENT_CODE'],
  ['154567890123456789\r\n', 'payment_code', 'PAYMENT_CODE'],
  [']C0134567890123456789', 'payment_code', 'PAYMENT_CODE'],
  ['１３４５６７８９０１２３４５６７８９', 'payment_code', 'PAYMENT_CODE'],
  ['164567890123456789', 'coupon_code', '164567890123456789'], // 16… is not a WeChat payment code
  ['094567890123456789', 'coupon_code', '094567890123456789'],
  ['13456789012345678', 'coupon_code', '13456789012345678'], // 17 digits
  ['1345678901234567890', 'coupon_code', '1345678901234567890'], // 19 digits
  ['', 'invalid', 'EMPTY_SCAN'],
  ['\r\n', 'invalid', 'EMPTY_SCAN'],
  [']C1', 'invalid', 'EMPTY_SCAN'],
  ['\u3000 \t', 'invalid', 'EMPTY_SCAN'],
  ['12345\r\n67890', 'invalid', 'MULTIPLE_LINES'],
  ['ABC\nABC', 'invalid', 'MULTIPLE_LINES'],
  ['https://example.com/coupon?id=1', 'invalid', 'LOOKS_LIKE_URL'],
  ['HTTP://EXAMPLE.COM', 'invalid', 'LOOKS_LIKE_URL'],
  ['weixin://wxpay/bizpayurl?pr=abc', 'invalid', 'LOOKS_LIKE_URL'],
  ['wxp://f2f0abc', 'invalid', 'LOOKS_LIKE_URL'],
  ['www.example.com', 'invalid', 'LOOKS_LIKE_URL'],
  ['ABC.123', 'invalid', 'ILLEGAL_CHARACTER'],
  ['优惠券123', 'invalid', 'ILLEGAL_CHARACTER'],
  ['AB\tC', 'invalid', 'ILLEGAL_CHARACTER'],
  ['ABC😀', 'invalid', 'ILLEGAL_CHARACTER'],
  ['X'.repeat(33), 'invalid', 'TOO_LONG'],
  ['1227944959000000911017' + '1227944959000000911017', 'invalid', 'TOO_LONG'],
];

describe('classifyScan table', () => {
  for (const [input, kind, expected] of table) {
    it(`${JSON.stringify(input)} → ${kind} ${expected}`, () => {
      const r = classifyScan(input);
      expect(r.kind).toBe(kind);
      if (r.kind === 'coupon_code') expect(r.code).toBe(expected);
      else expect(r.reason.code).toBe(expected);
    });
  }
});

describe('details', () => {
  it('flags the 22-digit WECHATPAY_MODE shape and records the clean-up done', () => {
    const fullWidth = Array.from('1227944959000000911017', (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    const r = classifyScan(`]C1${fullWidth}\r\n`);
    expect(r).toEqual({
      kind: 'coupon_code',
      code: '1227944959000000911017',
      wechatpayModeShape: true,
      normalized: { aim: ']C1', fullWidth: true, trimmed: true },
    });
    const merchant = classifyScan('ABC-123');
    expect(merchant.kind === 'coupon_code' && merchant.wechatpayModeShape).toBe(false);
    expect(merchant.kind === 'coupon_code' && merchant.normalized).toEqual({ fullWidth: false, trimmed: false });
  });
  it('payment code: a refusal code, and the code itself is only kept masked', () => {
    const r = classifyScan('134567890123456789');
    expect(r.kind).toBe('payment_code');
    if (r.kind !== 'payment_code') return;
    expect(r.reason).toEqual({ code: 'PAYMENT_CODE', params: {} });
    expect(describeRefusal(r.reason)).toContain('payment code, not a coupon');
    expect(r.masked).toBe('1345**********6789');
    expect(JSON.stringify(r)).not.toContain('134567890123456789');
  });
  it('names the illegal character, its position and code point', () => {
    const r = classifyScan('  AB.C');
    expect(r.kind === 'invalid' && r.illegal).toEqual({ position: 3, char: '.', codePoint: 'U+002E' });
    expect(r.kind === 'invalid' && r.reason).toEqual({ code: 'ILLEGAL_CHARACTER', params: { position: 3, char: '.', codePoint: 'U+002E' } });
    expect(r.kind === 'invalid' && describeRefusal(r.reason)).toContain('Character "." (U+002E) at position 3');
    // An invisible character is passed by its code point only, so no sentence shows empty quotes.
    const tab = classifyScan('AB\tC');
    expect(tab.kind === 'invalid' && tab.reason.params).toEqual({ position: 3, char: '', codePoint: 'U+0009' });
    expect(tab.kind === 'invalid' && describeRefusal(tab.reason)).toContain('Character (U+0009) at position 3');
    // A non-BMP character counts as one character.
    const emoji = classifyScan('A😀B.');
    expect(emoji.kind === 'invalid' && emoji.illegal).toEqual({ position: 2, char: '😀', codePoint: 'U+1F600' });
  });
  it('too long reports the length in characters', () => {
    const r = classifyScan('Y'.repeat(40));
    expect(r.kind === 'invalid' && r.length).toBe(40);
    expect(r.kind === 'invalid' && r.reason).toEqual({ code: 'TOO_LONG', params: { length: 40, max: 32 } });
  });
  it('folds full-width ASCII and the ideographic space only', () => {
    expect(foldFullWidth('ＡＺａｚ０９！～\u3000优')).toBe('AZaz09!~ 优');
    expect(normalizeScan('\u3000]Q1ＡＢ\r\n')).toEqual({ text: 'AB', aim: ']Q1', fullWidth: true, trimmed: true });
  });
});

describe('properties', () => {
  it('never throws on arbitrary input and always gives a reason or a code', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const r = classifyScan(s);
        if (r.kind === 'coupon_code') expect(r.code.length).toBeGreaterThan(0);
        else expect(describeRefusal(r.reason).length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
  it('every coupon_code result is accepted by the redeem endpoint as coupon_code', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789aZ -_\\/=|.\t\r\nＡ０\u3000]C1'.split('')), maxLength: 40 }), (s) => {
        const r = classifyScan(s);
        if (r.kind !== 'coupon_code') return;
        const v = validateRequest(endpoints['coupons.use'], {
          body: { coupon_code: r.code, appid: 'wx1', use_time: '2026-11-28T10:00:00+08:00', use_request_no: 'u1' },
        });
        expect(v.ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
  it('surrounding framing never changes the result', () => {
    const codeArb = fc.string({ unit: fc.constantFrom(...'0123456789abcXYZ-_/=|'.split('')), minLength: 1, maxLength: 32 });
    const frame = fc.constantFrom('', '\r', '\n', '\r\n', '\t', ' ', '\u3000');
    fc.assert(
      fc.property(codeArb, frame, frame, fc.constantFrom('', ']C1', ']Q1', ']e0'), (code, pre, post, aim) => {
        expect(classifyScan(`${pre}${aim}${code}${post}`).kind).toBe(classifyScan(code).kind);
      }),
    );
  });
});
