// posctl's back-office commands against the simulator over real signed HTTP and the real
// keychain: a stock from a JSON file (the guide's no-threshold coupon), its budget and text, a
// code file with bad and repeated lines, an image, the notify URL, a subsidy and the sending
// parameters — each checked against what the simulator holds, with the exit codes scripts use.
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPosctl } from '../../../electron/cli/posctl';
import { startSimulator, type RunningSimulator } from '../../../electron/simulator';
import { addDays, formatChinaRfc3339, startOfChinaDay } from '../../../shared/time';
import { tempDir } from '../../helpers/context';

let sim: RunningSimulator;
let data: string;
let pinFile: string;
const files = tempDir();

async function posctl(...argv: string[]) {
  const lines: string[] = [];
  const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: data, POS_TILL_ID: 'T09' });
  return { code, out: JSON.parse(lines.at(-1)!) };
}
const file = (name: string, content: string | Buffer) => {
  const p = join(files, name);
  writeFileSync(p, content);
  return p;
};
const mchid = () => sim.credentials.mchid;
const held = (id: string) => sim.state.toJSON().stocks.find((s) => s.stock_id === id)?.definition;
const heldCodes = (id: string) =>
  sim.state
    .toJSON()
    .codes.filter((c) => c.stock_id === id)
    .map((c) => c.code)
    .sort();

function stockFile(name: string, codeMode = 'WECHATPAY_MODE', maxCoupons = 100) {
  const today = startOfChinaDay(sim.state.now());
  return file(
    `${name}.json`,
    JSON.stringify({
      stock_name: name,
      belong_merchant: mchid(),
      goods_name: '全场通用',
      stock_type: 'NORMAL',
      coupon_use_rule: {
        coupon_available_time: { available_begin_time: formatChinaRfc3339(today), available_end_time: formatChinaRfc3339(addDays(today, 30)) },
        fixed_normal_coupon: { discount_amount: 500, transaction_minimum: 0 },
        use_method: 'OFF_LINE',
      },
      stock_send_rule: { max_coupons: maxCoupons, max_coupons_per_user: 1, transferable: false, shareable: false },
      coupon_code_mode: codeMode,
    }),
  );
}

beforeAll(async () => {
  sim = await startSimulator({ host: '127.0.0.1', port: 0, mode: 'pubkey' });
  data = tempDir();
  expect((await posctl('provision', '--creds', file('creds.json', JSON.stringify(sim.credentials)), '--training')).code).toBe(0);
  pinFile = file('pin.txt', '470312\n');
  expect((await posctl('manager', 'set-pin', '--manager', 'M01', '--pin-file', pinFile)).code).toBe(0);
}, 60_000);
afterAll(async () => sim.close());

describe('posctl back office', () => {
  it('stock create --file (no threshold), budget and modify: the simulator holds the change, the audit trail the number', async () => {
    const created = await posctl('stock', 'create', '--file', stockFile('脚本无门槛券'), '--manager', 'M01', '--pin-file', pinFile);
    expect(created).toMatchObject({ code: 0, out: { status: 'succeeded', operation: { kind: 'stock_create', manager: expect.stringMatching(/^M01 \(posctl: .+\)$/) } } });
    const id = created.out.operation.stock_id as string;
    expect(held(id)?.coupon_use_rule.fixed_normal_coupon).toEqual({ discount_amount: 500, transaction_minimum: 0 });

    expect(await posctl('stock', 'budget', id, '--current', '100', '--value', '250', '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 0,
      out: { result: { max_coupons: 250 } },
    });
    expect(held(id)?.stock_send_rule.max_coupons).toBe(250);
    // WeChat compares the current value: a stale one is its refusal, exit 3.
    expect(await posctl('stock', 'budget', id, '--current', '100', '--value', '300', '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 3,
      out: { status: 'refused', reason: { code: 'WECHAT_REFUSED' } },
    });
    expect(await posctl('stock', 'modify', id, '--file', file('patch.json', JSON.stringify({ comment: '脚本修改' })), '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 0,
    });
    expect(held(id)?.comment).toBe('脚本修改');

    // A wrong PIN is a security refusal (exit 5): nothing is written or sent.
    expect(await posctl('stock', 'budget', id, '--current', '250', '--value', '260', '--manager', 'M01', '--pin-file', file('wrong.txt', '000000\n'))).toMatchObject({ code: 5 });
    expect(held(id)?.stock_send_rule.max_coupons).toBe(250);
    expect(await posctl('stock', 'create', '--file', file('bad.json', '{"stock_name":'), '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({ code: 2 });
    expect(await posctl('stock', 'create', '--file', stockFile('二十二个字的批次名称二十二个字的批次名称啊啊'), '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 2,
      out: { error: { message: expect.stringContaining('stock.stock_name') } },
    });
    const audit = (await posctl('backoffice', 'audit')).out.operations as { kind: string; status: string; requestNo: string }[];
    expect(audit.map((a) => [a.kind, a.status])).toEqual([
      ['stock_modify', 'succeeded'],
      ['stock_budget', 'refused'],
      ['stock_budget', 'succeeded'],
      ['stock_create', 'succeeded'],
    ]);
    expect(audit.at(-1)?.requestNo).toBe(created.out.operation.request_no);
    const listed = (await posctl('stock', 'list')).out.stocks as { stockId: string; sources: string[]; maxCoupons: number }[];
    expect(listed.find((s) => s.stockId === id)).toMatchObject({ sources: ['created'], maxCoupons: 250 });
  });

  it('codes upload --file: bad and repeated lines stay home, the valid ones reach WeChat in batches, results in a CSV; list and delete', async () => {
    const id = (await posctl('stock', 'create', '--file', stockFile('脚本上传券', 'MERCHANT_UPLOAD', 1000), '--manager', 'M01', '--pin-file', pinFile)).out.operation
      .stock_id as string;
    const codes = Array.from({ length: 450 }, (_, i) => `CLI-${String(i).padStart(4, '0')}`);
    const text = ['code', ...codes, 'CLI-0001', 'bad*code', 'X'.repeat(33)].join('\n');
    const out = join(files, 'results.csv');
    const r = await posctl('codes', 'upload', '--stock-id', id, '--file', file('codes.txt', text), '--out', out, '--manager', 'M01', '--pin-file', pinFile);
    expect(r).toMatchObject({ code: 3, out: { batches: 3, counts: { ok: 450, duplicate: 1, invalid: 2, pending: 0 } } });
    expect(heldCodes(id)).toEqual(codes);
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFline,code,result,detail')).toBe(true);
    expect(csv).toContain('452,CLI-0001,duplicate,same code as line 3');
    expect(csv).toContain('453,bad*code,invalid');

    expect(await posctl('codes', 'list', '--stock-id', id, '--limit', '5')).toMatchObject({ code: 0, out: { total: 450, codes: expect.any(Array) } });
    expect(await posctl('codes', 'delete', 'CLI-0000', '--stock-id', id, '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({ code: 0, out: { status: 'succeeded' } });
    expect((await posctl('codes', 'list', '--stock-id', id)).out.total).toBe(449);
  });

  it('image upload refuses a non-image before any request; callbacks set/get (https only)', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('cli logo')]);
    expect(await posctl('image', 'upload', file('logo.png', png), '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 0,
      out: { result: { media_url: expect.stringMatching(/^https:\/\//) } },
    });
    const before = (await posctl('backoffice', 'audit')).out.operations.length;
    expect(await posctl('image', 'upload', file('notes.png', 'plain text'), '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 2,
      out: { error: { code: 'UPLOAD_BAD_CONTENT' } },
    });
    expect((await posctl('backoffice', 'audit')).out.operations).toHaveLength(before);

    expect(await posctl('callbacks', 'set', '--url', 'http://shop.example.com/n', '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({ code: 2 });
    expect(await posctl('callbacks', 'set', '--url', 'https://shop.example.com/wechat', '--manager', 'M01', '--pin-file', pinFile)).toMatchObject({
      code: 0,
      out: { status: 'succeeded' },
    });
    expect(await posctl('callbacks', 'get')).toMatchObject({ code: 0, out: { mchid: mchid(), notifyUrl: 'https://shop.example.com/wechat' } });
  });

  it('subsidy pay and get for a redeemed coupon', async () => {
    const id = (await posctl('stock', 'create', '--file', stockFile('脚本补差券', 'MERCHANT_API'), '--manager', 'M01', '--pin-file', pinFile)).out.operation.stock_id as string;
    const user = sim.state.addUser(sim.credentials.appid);
    expect(sim.admin.receiveCoupon({ stock_id: id, user_id: user.user_id, coupon_code: 'CLI-SUB-1', out_request_no: 'RECVCLISUB1' }).ok).toBe(true);
    sim.state.useCoupon(mchid(), {
      coupon_code: 'CLI-SUB-1',
      stock_id: id,
      appid: sim.credentials.appid,
      use_time: formatChinaRfc3339(new Date()),
      use_request_no: 'CLISUBUSE1',
      openid: user.openid,
    });
    const payee = String(BigInt(mchid()) + 1n);
    const paid = await posctl(
      'subsidy',
      'pay',
      '--stock-id',
      id,
      '--code',
      'CLI-SUB-1',
      '--transaction',
      '4200000913202101152566792388',
      '--payee',
      payee,
      '--amount',
      '2.50',
      '--description',
      '门店补差',
      '--manager',
      'M01',
      '--pin-file',
      pinFile,
    );
    expect(paid).toMatchObject({ code: 0, out: { status: 'succeeded', result: { status: expect.any(String) } } });
    const receiptId = paid.out.result.subsidy_receipt_id as string;
    expect(await posctl('subsidy', 'get', receiptId)).toMatchObject({ code: 0, out: { receipts: [{ receiptId, amountFen: 250, status: 'SUCCESS', payeeMerchant: payee }] } });
    expect((await posctl('subsidy', 'get', '--stock-id', id, '--code', 'CLI-SUB-1')).out.receipts).toHaveLength(1);
  });

  it('apiv2 set, then send params signed with that key (recomputed here) and sent by the simulated plugin', async () => {
    const key = readFileSync(sim.credentials.files.apiv2_key, 'utf8').trim();
    expect(await posctl('apiv2', 'set', '--apiv2-key-file', file('apiv2.txt', `${key}\n`))).toMatchObject({ code: 0, out: { apiv2_key: 'set' } });
    const id = (await posctl('stock', 'create', '--file', stockFile('脚本发券券'), '--manager', 'M01', '--pin-file', pinFile)).out.operation.stock_id as string;
    const r = await posctl('send', 'params', '--stock-id', id);
    expect(r.code).toBe(0);
    const p0 = r.out.send_coupon_params[0];
    const text = `out_request_no0=${p0.out_request_no}&send_coupon_merchant=${mchid()}&stock_id0=${id}&key=${key}`;
    expect(r.out.sign).toBe(createHmac('sha256', key).update(text).digest('hex').toUpperCase());
    expect(JSON.stringify(r.out)).not.toContain(key);
    const { ok: _ok, ...params } = r.out;
    const res = await fetch(`${sim.url}/_sim/plugin-send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.adminToken}` },
      body: JSON.stringify({ ...params, appid: sim.credentials.appid, openid: 'oCliPluginUser' }),
    });
    expect(((await res.json()) as { send_coupon_result: { code: string }[] }).send_coupon_result.map((x) => x.code)).toEqual(['SUCCESS']);
  });
});
