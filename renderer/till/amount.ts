// The order amount as the cashier types it, in yuan, turned into integer fen without ever
// going through a float ("0.29" * 100 is 28.999…). Chinese IMEs may hand over full-width
// digits and the ideographic full stop, so those are folded first.
import { foldFullWidth } from '../../shared/scan/normalize';

/** The contract's ceiling for an amount: ¥1,000,000.00. */
export const MAX_ORDER_FEN = 100_000_000;

export type AmountProblem = 'empty' | 'not_a_number' | 'too_many_decimals' | 'zero' | 'too_large';

export type ParsedAmount = { ok: true; fen: number } | { ok: false; problem: AmountProblem };

const YUAN = /^(\d*)(?:\.(\d*))?$/;

export function parseOrderAmount(text: string): ParsedAmount {
  const s = foldFullWidth(text).replace(/。/g, '.').trim().replace(/^[¥￥]\s*/, '');
  if (s === '') return { ok: false, problem: 'empty' };
  const m = YUAN.exec(s);
  const whole = m?.[1] ?? '';
  const frac = m?.[2] ?? '';
  if (!m || (whole === '' && frac === '')) return { ok: false, problem: 'not_a_number' };
  if (frac.length > 2) return { ok: false, problem: 'too_many_decimals' };
  // Compare lengths before converting so a thousand-digit paste cannot lose precision.
  const digits = whole.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_ORDER_FEN / 100).length) return { ok: false, problem: 'too_large' };
  const fen = Number(digits || '0') * 100 + Number(frac.padEnd(2, '0'));
  if (fen > MAX_ORDER_FEN) return { ok: false, problem: 'too_large' };
  if (fen === 0) return { ok: false, problem: 'zero' };
  return { ok: true, fen };
}

/**
 * Whether a keystroke may go into the amount field at all: digits and one decimal point,
 * so a stray letter is refused on the spot rather than reported later.
 */
export function acceptsAmountText(text: string): boolean {
  return /^[0-9０-９.．。¥￥\s]*$/.test(text) && (foldFullWidth(text).replace(/。/g, '.').match(/\./g)?.length ?? 0) <= 1;
}
