import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionStatus, CouponStateView, ErrorCode, OperationStatus, QueueItem, RedeemResult, REFUSAL_CODES, StockView } from '../../shared/contract';
import { refusalEnglish } from '../../shared/refusals';
import { refusalChinese } from '../../renderer/i18n/refusals';
import { en, zhCN } from '../../renderer/i18n/messages';

const has = (key: string) => expect(Object.keys(zhCN)).toContain(key);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('till messages', () => {
  it('every error code, coupon state, stock type, queue kind and status the contract allows has a sentence', () => {
    for (const code of ErrorCode.options) has(`error.code.${code}`);
    for (const s of CouponStateView.options) has(`coupon.state.${s}`);
    for (const t of StockView.shape.stockType.options) has(`coupon.type.${t}`);
    for (const k of QueueItem.shape.kind.options) has(`queue.kind.${k}`);
    for (const s of OperationStatus.options) has(`queue.status.${s}`);
    for (const s of RedeemResult.shape.status.options.filter((s) => s !== 'succeeded' && s !== 'pending')) has(`redeem.${s}`);
    for (const s of ActionStatus.options.filter((s) => s === 'refused' || s === 'declined')) has(`action.status.${s}`);
    for (const p of ['empty', 'not_a_number', 'too_many_decimals', 'zero', 'too_large']) has(`amount.problem.${p}`);
    for (const b of ['no_coupon', 'not_usable', 'no_amount', 'large_amount', 'bad_order_no', 'below_threshold', 'no_shift', 'busy', 'settled']) has(`redeem.block.${b}`);
  });

  it('every refusal reads as a sentence in both languages, with its numbers in it', () => {
    const params = {
      max: 3,
      minimumFen: 10000,
      orderFen: 8000,
      shortfallFen: 2000,
      basis: 'remaining',
      couponState: 'USED',
      position: 2,
      char: '😀',
      codePoint: 'U+1F600',
      length: 40,
      wechatMessage: '券已被使用',
      discountFen: 500,
      maxFen: 300,
      usedFen: 100,
    };
    for (const code of REFUSAL_CODES) {
      const zhText = refusalChinese[code](params);
      const enText = refusalEnglish[code](params);
      expect(zhText.length, code).toBeGreaterThan(4);
      expect(enText.length, code).toBeGreaterThan(4);
      // No placeholder or raw value leaks into the sentence.
      expect(zhText + enText, code).not.toMatch(/undefined|NaN|\{|\}|USED/);
    }
    expect(refusalChinese.BELOW_MINIMUM(params)).toBe('剩余应付 ¥80.00 未达到使用门槛 ¥100.00，还差 ¥20.00');
    expect(refusalEnglish.STACK_LIMIT(params)).toBe('This store allows at most 3 coupon(s) per order');
  });

  it('every literal key the renderer passes to t() exists', () => {
    const keys = sources('renderer').flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\('([a-z_.A-Z]+)'/g)].map((m) => m[1] as string));
    expect(keys.length).toBeGreaterThan(50);
    for (const k of new Set(keys)) has(k);
  });

  it('placeholders match between the two languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    // 8.8折 and "12% off" state the same discount with different numbers, both passed in.
    const differ = new Set(['coupon.value.discount']);
    for (const [key, text] of Object.entries(zhCN)) if (!differ.has(key)) expect(names(en[key as keyof typeof en]), key).toEqual(names(text));
  });
});
