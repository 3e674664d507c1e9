// Why a scan is not a coupon code, as a refusal (code and parameters); the catalogues write
// the sentences. The offending character is passed only when it is visible: a control or a
// space would be an empty pair of quotes on screen, so for those only the code point is shown.
import { refusal, type Refusal } from '../refusals/refusal';

export interface IllegalCharacter {
  /** 1-based position in the cleaned text, counted in characters. */
  position: number;
  char: string;
  /** `U+002E` */
  codePoint: string;
}

export function codePointLabel(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function isVisible(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  const invisible =
    cp <= 0x20 ||
    (cp >= 0x7f && cp <= 0xa0) ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202f) ||
    cp === 0x205f ||
    cp === 0x3000 ||
    cp === 0xfeff;
  return !invisible;
}

export const reasons = {
  paymentCode: (): Refusal => refusal('PAYMENT_CODE'),
  empty: (): Refusal => refusal('EMPTY_SCAN'),
  multipleLines: (): Refusal => refusal('MULTIPLE_LINES'),
  url: (): Refusal => refusal('LOOKS_LIKE_URL'),
  illegalCharacter: (c: IllegalCharacter): Refusal => refusal('ILLEGAL_CHARACTER', { position: c.position, char: isVisible(c.char) ? c.char : '', codePoint: c.codePoint }),
  tooLong: (length: number, max: number): Refusal => refusal('TOO_LONG', { length, max }),
};
