import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PosError } from '../../../shared/contract';
import { createRouter, type Handlers } from '../../../electron/host/router';
import { silentLogger } from '../../../electron/log/logger';
import { handlersWith } from '../../helpers/handlers';

const info = {
  name: 'x',
  version: '1',
  mode: 'training' as const,
  host: 'web' as const,
  dataDir: { kind: 'env' as const, path: '/d' },
  store: null,
  tillId: 'T01',
  largeAmountFen: 200_000,
};
const health = { status: 'ok' as const, checkedAt: '2026-01-01T00:00:00Z', checks: [] };

function router(overrides: Partial<Handlers> = {}) {
  return createRouter(handlersWith({ 'app.info': async () => info, 'app.health': async () => health, ...overrides }), silentLogger);
}
const ctx = { transport: 'web' as const };

describe('router', () => {
  it('answers a valid call with the handler value', async () => {
    expect(await router().call('app.info', {}, ctx)).toEqual({ ok: true, value: info });
  });

  it('rejects unknown methods, including prototype names', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = await router().call(m, {}, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('rejects payloads that do not match the input schema with issues', async () => {
    const r = await router().call('app.info', { extra: 1 }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VALIDATION');
      expect(r.error.issues?.length).toBeGreaterThan(0);
    }
  });

  it('strips fields the contract does not name from replies', async () => {
    const r = await router({ 'app.info': async () => ({ ...info, privateKey: 'secret' }) as typeof info }).call('app.info', {}, ctx);
    expect(r.ok && JSON.stringify(r.value)).not.toContain('secret');
  });

  it('turns a reply that breaks the output schema into INTERNAL', async () => {
    const r = await router({ 'app.info': async () => ({ ...info, mode: 'bogus' }) as unknown as typeof info }).call('app.info', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('passes PosError through as typed errors and hides other errors text', async () => {
    const typed = await router({
      'app.info': async () => {
        throw new PosError('KEYCHAIN', 'keychain locked');
      },
    }).call('app.info', {}, ctx);
    expect(typed).toEqual({ ok: false, error: { code: 'KEYCHAIN', message: 'keychain locked' } });
    const raw = await router({
      'app.info': async () => {
        throw new Error('-----BEGIN PRIVATE KEY----- abc');
      },
    }).call('app.info', {}, ctx);
    expect(raw).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(raw)).not.toContain('PRIVATE KEY');
  });

  it('never throws', async () => {
    const r = router({
      'app.health': async () => {
        throw 'a string';
      },
    });
    await expect(r.call('app.health', {}, ctx)).resolves.toMatchObject({ ok: false });
    expect(z.object({ ok: z.boolean() }).safeParse(await r.call('app.health', undefined, ctx)).success).toBe(true);
  });

  it('runs a manager method only through the gate, handing the handler who signed in; a caller cannot claim to be one', async () => {
    const seen: unknown[] = [];
    const handlers = handlersWith({
      'shift.report': async (_input, c) => {
        seen.push(c.managerId);
        return null;
      },
    });
    let signedIn: string | null = null;
    const gate = {
      require: () =>
        signedIn ??
        (() => {
          throw new PosError('FORBIDDEN', 'no manager');
        })(),
    };
    const r = createRouter(handlers, silentLogger, gate);
    expect(await r.call('shift.report', {}, { transport: 'web', managerId: 'M-FORGED' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    signedIn = 'M01';
    expect(await r.call('shift.report', {}, { transport: 'ipc', managerId: 'M-FORGED' })).toEqual({ ok: true, value: null });
    expect(seen).toEqual(['M01']);
    // A router built without a gate has no manager methods at all.
    expect(await createRouter(handlers, silentLogger).call('shift.report', {}, ctx)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // A cashier method never sees a manager id, even if the caller passes one.
    const plain: unknown[] = [];
    await createRouter(handlersWith({ 'app.info': async (_i, c) => (plain.push(c.managerId), info) }), silentLogger, gate).call(
      'app.info',
      {},
      { transport: 'web', managerId: 'M01' },
    );
    expect(plain).toEqual([undefined]);
  });
});
