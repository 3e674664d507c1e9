import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppContext } from '../../../electron/app/context';
import type { SeedSummary } from '../../../electron/simulator';
import { KeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { trainingNamespace } from '../../../electron/settings/settings';
import { tempDir } from '../../helpers/context';
import { redeemOnNewOrder } from '../../helpers/orders';

/** Every file under the data dir, as text. */
function everything(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile())
    .map((p) => readFileSync(p).toString('latin1'))
    .join('\n');
}

describe('training across a restart', () => {
  it('keeps what was redeemed, under the same merchant, with no key file in the data dir', async () => {
    const dir = tempDir('pos-training-restart-');
    const open = () => createAppContext({ host: 'web', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
    const call = (ctx: ReturnType<typeof open>, m: string, i: unknown = {}) => ctx.router.call(m, i, { transport: 'web' });

    const first = open();
    const till = (await first.startTill())!;
    const seed = till.simulator!.credentials.seed as SeedSummary;
    const c = seed.coupons.SENDED.find((x) => x.stock_type === 'NORMAL')!;
    expect(await call(first, 'shift.open', { cashierId: 'C001' })).toMatchObject({ ok: true });
    expect(await redeemOnNewOrder((m, i) => call(first, m, i), { code: c.coupon_code, stockId: c.stock_id, amountFen: 9000 })).toMatchObject({
      ok: true,
      value: { status: 'succeeded' },
    });
    const mchid = first.settings.read().training!.mchid;
    const practice = new KeytarSecretStore(trainingNamespace(first.settings.read().profileId));
    const firstKey = (await practice.get('merchant_private_key'))!;
    const firstApiV3 = (await practice.get('apiv3_key'))!;
    await first.close();

    const second = open();
    try {
      await second.startTill();
      expect(second.settings.read().training!.mchid).toBe(mchid);
      // The simulator remembers the use, and the till, provisioned afresh with new keys, still speaks to it.
      expect(second.till!.simulator!.admin.coupon(c.stock_id, c.coupon_code)?.coupon_state).toBe('USED');
      expect(await practice.get('merchant_private_key')).not.toBe(firstKey);
      const d = seed.coupons.SENDED.filter((x) => x.stock_type === 'NORMAL')[1]!;
      expect(await redeemOnNewOrder((m, i) => call(second, m, i), { code: d.coupon_code, stockId: d.stock_id, amountFen: 9000 })).toMatchObject({
        ok: true,
        value: { status: 'succeeded' },
      });
      const text = everything(dir);
      expect(text).not.toContain('PRIVATE KEY');
      for (const secret of [firstKey, firstApiV3, (await practice.get('apiv3_key'))!]) expect(text).not.toContain(secret.trim().split('\n')[1] ?? secret);
    } finally {
      await second.close();
    }
  }, 90_000);
});
