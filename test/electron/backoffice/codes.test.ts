// A store's own codes for a MERCHANT_UPLOAD stock: a 2,500-line file with bad and repeated codes,
// uploaded 200 at a time; each code's result; exactly the valid new codes at WeChat; and the
// till placing a code of the file in its stock with no chooser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBatchResults, codeResultsCsv, countResults, planCodeUpload, readCodeFile } from '../../../shared/backoffice/code-file';
import { httpCalls } from '../queue/support/sim';
import { changesOf, draft, openOffice, type Office } from './support';

let o: Office;
let stockId: string;

beforeAll(async () => {
  o = await openOffice({ timeoutMs: 1_500 });
  const out = await o.office.createStock(draft(o.t, 'NORMAL', { coupon_code_mode: 'MERCHANT_UPLOAD', stock_send_rule: { max_coupons: 10_000, max_coupons_per_user: 1 } }), {
    managerId: 'M01',
  });
  stockId = out.operation.stockId as string;
});
afterAll(async () => o.close());

/** 2,500 lines: 2,400 new codes, 10 uploaded before, 60 repeats and 30 codes WeChat would refuse. */
function storeFile(): { text: string; fresh: string[]; before: string[] } {
  const fresh = Array.from({ length: 2_400 }, (_, i) => `SHOP-${String(i).padStart(5, '0')}`);
  const before = Array.from({ length: 10 }, (_, i) => `OLD-${i}`);
  const bad = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `BAD#${i}` : i % 3 === 1 ? `TOOLONG${'X'.repeat(30)}${i}` : `券${i}`));
  const repeats = Array.from({ length: 60 }, (_, i) => fresh[i * 7] as string);
  const lines = [...fresh, ...before, ...bad, ...repeats];
  // Spread the repeats and the bad ones through the file (deterministically).
  const shuffled = lines
    .map((code, i) => ({ code, key: (i * 7919) % lines.length }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.code);
  return { text: `\uFEFFcoupon_code\r\n${shuffled.map((c) => `"${c}",extra`).join('\r\n')}\r\n`, fresh, before };
}

describe('uploading a file of codes', () => {
  it('sends the valid new codes in calls of 200, and says what became of each line', async () => {
    const { text, fresh, before } = storeFile();
    expect((await o.office.uploadCodes(stockId, before, { managerId: 'M01' })).status).toBe('succeeded');

    const plan = planCodeUpload(readCodeFile(text, { csv: true }));
    expect(plan.lines).toHaveLength(2_500);
    expect(plan.batches.map((b) => b.length)).toEqual([...Array(12).fill(200), 10]);
    const calls = httpCalls(o.t.sim, 'couponCodes.upload');
    // One batch's answer is lost after WeChat stored it: pending, then resent with its number.
    o.t.sim.admin.setFaults('couponCodes.upload:after:script=ok/ok/ok/timeout');
    let progress = 0;
    for (const batch of plan.batches) {
      let out = await o.office.uploadCodes(stockId, batch, { managerId: 'M01' });
      if (out.status === 'pending') {
        const again = await o.office.retry(out.operation.opId, 'M01');
        expect(changesOf(o.t, out.operation.requestNo)).toEqual({ changes: 1, replays: 1 });
        out = { ...again, codes: again.codes ?? [] };
      }
      expect(out.status).toBe('succeeded');
      applyBatchResults(plan, out.codes);
      progress += batch.length;
    }
    expect(progress).toBe(2_410);
    expect(httpCalls(o.t.sim, 'couponCodes.upload') - calls).toBe(14);

    expect(countResults(plan.lines)).toEqual({ ok: 2_400, duplicate: 70, invalid: 30, pending: 0 });
    const byCode = (code: string) => plan.lines.filter((l) => l.code === code);
    expect(byCode('OLD-3')[0]).toMatchObject({ result: 'duplicate', reason: 'already_uploaded' });
    expect(byCode('BAD#0')[0]).toMatchObject({ result: 'invalid', reason: 'bad_character', params: { char: '#', position: 4 } });
    expect(byCode('券2')[0]).toMatchObject({ result: 'invalid', reason: 'bad_character', params: { char: '券', position: 1 } });
    expect(plan.lines.find((l) => l.code.startsWith('TOOLONG'))).toMatchObject({ result: 'invalid', reason: 'too_long' });
    const repeated = byCode(fresh[7] as string);
    expect(repeated.map((l) => l.result).sort()).toEqual(['duplicate', 'ok']);

    // WeChat holds exactly the codes uploaded before and the valid new ones.
    const held = o.t.sim.state
      .toJSON()
      .codes.filter((c) => c.stock_id === stockId)
      .map((c) => c.code)
      .sort();
    expect(held).toEqual([...before, ...fresh].sort());

    const csv = codeResultsCsv(plan.lines);
    expect(csv.startsWith('\uFEFFline,code,result,detail\r\n')).toBe(true);
    expect(csv.split('\r\n').filter((l) => l.includes(',invalid,'))).toHaveLength(30);
  }, 120_000);

  it("records the codes in the till's directory: a scanned code of the file is placed in its stock, no chooser", async () => {
    const scan = await o.till.lookup.lookup('SHOP-01234');
    expect(scan).toMatchObject({ kind: 'coupon', stockId });
    expect(o.till.directory.find('OLD-5').map((e) => [e.stockId, e.source])).toEqual([[stockId, 'upload']]);
    // A code never uploaded still asks which stock.
    expect((await o.till.lookup.lookup('NEVER-UPLOADED-1')).kind).toBe('choose_stock');
  });

  it('lists and deletes uploaded codes; a deletion is journaled with its number in the query', async () => {
    const page = await o.office.listCodes(stockId, { offset: 0, limit: 5 });
    expect(page).toMatchObject({ stockId, total: 2_410, offset: 0 });
    expect(page.codes).toHaveLength(5);
    const out = await o.office.deleteCode(stockId, 'OLD-9', { managerId: 'M02' });
    expect(out.status).toBe('succeeded');
    expect(out.operation.request.query).toEqual({ delete_request_no: out.operation.requestNo });
    expect(o.t.sim.state.toJSON().codes.some((c) => c.stock_id === stockId && c.code === 'OLD-9')).toBe(false);
    expect((await o.office.listCodes(stockId, { offset: 0, limit: 1 })).total).toBe(2_409);
    const again = await o.office.deleteCode(stockId, 'OLD-9', { managerId: 'M02' });
    expect(again).toMatchObject({ status: 'refused', reason: { params: { wechatCode: 'RESOURCE_NOT_EXISTS' } } });
  });

  it('refuses codes WeChat would refuse before writing anything', async () => {
    const before = o.office.journal.list().length;
    await expect(o.office.uploadCodes(stockId, ['GOOD-1', 'BAD CODE!'], { managerId: 'M01' })).rejects.toThrow(/不允许/);
    expect(o.office.journal.list()).toHaveLength(before);
  });
});
