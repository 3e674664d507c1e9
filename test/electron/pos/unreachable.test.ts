// Offline as soon as WeChat Pay cannot be reached: a coupon lookup whose call cannot even
// connect takes the queue offline at once (so the screen and health say 离线 and a redemption
// does not wait for an answer that cannot come), instead of after the queue's own next attempt.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../queue/support/drain';
import { createStock, startTestSim } from '../queue/support/sim';
import { openTill } from './support/pos';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

describe('a call that cannot connect', () => {
  it('takes the till offline at once', async () => {
    const t = await startTestSim();
    cleanup.push(() => t.http.close());
    const stock = createStock(t.sim, { discountFen: 1000, minimumFen: 5000 });
    const pos = openTill(t);
    cleanup.push(() => pos.close());
    await until(() => pos.drainer.online);

    await t.sim.close();
    // No operation is queued, so only this lookup's failed connection can tell the queue.
    const found = await pos.lookup.lookup('NEVERSEEN123', { stockId: stock });
    expect(found.kind).toBe('coupon');
    expect(pos.drainer.online).toBe(false);
  });
});
