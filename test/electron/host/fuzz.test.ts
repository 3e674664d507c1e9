import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Agent, request } from 'undici';
import { channelFor, contract, methodNames } from '../../../shared/contract';
import { startWebHost, type WebHost } from '../../../electron/host/web';
import { testContext } from '../../helpers/context';

vi.mock('electron', async () => await import('../../stubs/electron'));

// A guard against hangs, not a speed target: on a loaded 2-core machine the full sweep can take minutes.
// Every method takes all N payloads through the router (the IPC sweep, in process); over HTTP,
// where the per-request work is the host's and the same for every method, each method takes the
// first N_HTTP of them, so the sweep stays within CI's time as the contract grows.
const N = 10_000;
const N_HTTP = 2_000;
const payloads = () =>
  fc.sample(
    fc.oneof(
      fc.anything(),
      fc.object(),
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.string(),
      fc.constantFrom(null, undefined, [], '', 0, -1, NaN, { __proto__: { x: 1 } }, { constructor: 'x' }),
    ),
    { numRuns: N, seed: 20261128 },
  );

/**
 * Input the schema refuses must get a typed VALIDATION error; input it accepts must get a
 * well-formed reply (a value, or one of the method's declared error codes).
 */
function checkReply(method: (typeof methodNames)[number], payload: unknown, reply: unknown) {
  const valid = contract[method].input.safeParse(payload).success;
  if (!valid) return expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  const r = reply as { ok: boolean; error?: { code: string } };
  if (!r.ok) expect([...contract[method].errors, 'INTERNAL']).toContain(r.error?.code);
  else expect(contract[method].output.safeParse((reply as { value: unknown }).value).success).toBe(true);
}

let ctx: ReturnType<typeof testContext>;
let host: WebHost;
beforeAll(async () => {
  ctx = testContext('web');
  host = await startWebHost({ router: ctx.router, bus: ctx.bus, log: ctx.log, staticDir: resolve('dist/renderer') });
});
afterAll(async () => {
  await host.close();
  ctx.close();
});

describe(`fuzz: ${N} random payloads to every method (${N_HTTP} of them over HTTP)`, () => {
  it('over the web host: each answered with a typed reply, host stays up', async () => {
    const dispatcher = new Agent({ connections: 8 });
    const samples = payloads().slice(0, N_HTTP);
    for (const method of methodNames) {
      for (let i = 0; i < samples.length; i += 200) {
        const batch = samples.slice(i, i + 200);
        await Promise.all(
          batch.map(async (p) => {
            // JSON cannot carry undefined/NaN/functions: send what JSON makes of them, as a browser would.
            const body = JSON.stringify(p) ?? '';
            const res = await request(`${host.url}/api/call/${method}`, {
              method: 'POST',
              dispatcher,
              headers: { origin: host.url, 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
              body,
            });
            const reply = await res.body.json();
            checkReply(method, body === '' ? undefined : JSON.parse(body), reply);
          }),
        );
      }
    }
    const after = await request(`${host.url}/api/call/app.info`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: '{}',
    });
    expect(await after.body.json()).toMatchObject({ ok: true });
    await dispatcher.close();
  }, 600_000);

  it('over Electron IPC handlers: each answered with a typed reply', async () => {
    const electron = await import('../../stubs/electron');
    const { registerIpc } = await import('../../../electron/host/ipc');
    const dispose = registerIpc(electron.ipcMain as never, ctx.router, ctx.log);
    const frame = { url: 'app://pos/index.html', parent: null };
    const samples = payloads();
    for (const method of methodNames) {
      const handler = electron.ipcMain.handlers.get(channelFor(method))!;
      for (const p of samples) {
        // IPC uses structured clone: functions and symbols cannot cross it.
        let cloned: unknown;
        try {
          cloned = structuredClone(p);
        } catch {
          continue;
        }
        checkReply(method, cloned, await handler({ senderFrame: frame }, cloned));
      }
    }
    expect(await electron.ipcMain.handlers.get(channelFor('app.info'))!({ senderFrame: frame }, {})).toMatchObject({ ok: true });
    dispose();
  }, 600_000);
});
