import { connect } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startWebHost, type WebHost } from '../../../electron/host/web';
import { PinBook } from '../../../electron/staff/pin-book';
import { contract } from '../../../shared/contract';
import { managerMethods, managerSamples } from '../../helpers/manager-calls';
import { testContext } from '../../helpers/context';

let host: WebHost;
let ctx: ReturnType<typeof testContext>;

beforeAll(async () => {
  ctx = testContext('web');
  host = await startWebHost({ router: ctx.router, bus: ctx.bus, log: ctx.log, staticDir: resolve('dist/renderer') });
});
afterAll(async () => {
  await host.close();
  ctx.close();
});

const api = (method: string, init: { headers?: Record<string, string>; body?: string; verb?: 'POST' | 'GET' } = {}) =>
  request(`${host.url}/api/call/${method}`, {
    method: init.verb ?? 'POST',
    headers: {
      origin: host.url,
      'content-type': 'application/json',
      authorization: `Bearer ${host.token}`,
      ...init.headers,
    },
    body: init.body ?? '{}',
  });

describe('web host', () => {
  it('binds to 127.0.0.1 only', async () => {
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    // Another loopback address on the same port must not answer: the socket is not 0.0.0.0.
    const refused = await new Promise<boolean>((res) => {
      const s = connect({ host: '127.0.0.2', port: host.port });
      s.once('connect', () => (s.destroy(), res(false)));
      s.once('error', () => res(true));
    });
    expect(refused).toBe(true);
  });

  it('answers app.info and app.health through the router', async () => {
    const info = await (await api('app.info')).body.json();
    expect(info).toMatchObject({ ok: true, value: { mode: 'training', host: 'web', version: '1.2.3', dataDir: { kind: 'env', path: ctx.dir } } });
    const health = (await (await api('app.health')).body.json()) as { ok: boolean; value: { checks: { id: string; status: string }[] } };
    expect(health.ok).toBe(true);
    expect(health.value.checks.find((c) => c.id === 'data_dir')?.status).toBe('ok');
    expect(health.value.checks.find((c) => c.id === 'keychain')?.status).toBe('ok');
  });

  it('401 without the token or with a wrong one', async () => {
    expect((await api('app.info', { headers: { authorization: '' } })).statusCode).toBe(401);
    expect((await api('app.info', { headers: { authorization: `Bearer ${host.token.slice(1)}x` } })).statusCode).toBe(401);
    expect((await api('app.info', { headers: { authorization: host.token } })).statusCode).toBe(401);
    const events = await request(`${host.url}/api/events`);
    expect(events.statusCode).toBe(401);
    await events.body.dump();
  });

  it('403 for a foreign Host (DNS rebinding) or Origin, and for cross-site fetches', async () => {
    expect((await api('app.info', { headers: { host: `evil.example:${host.port}` } })).statusCode).toBe(403);
    expect((await api('app.info', { headers: { host: `127.0.0.1:${host.port + 1}` } })).statusCode).toBe(403);
    expect((await api('app.info', { headers: { origin: 'http://evil.example' } })).statusCode).toBe(403);
    expect((await api('app.info', { headers: { origin: `http://127.0.0.1:${host.port + 1}` } })).statusCode).toBe(403);
    expect((await api('app.info', { headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(403);
    const page = await request(`${host.url}/`, { headers: { host: `attacker.test:${host.port}` } });
    expect(page.statusCode).toBe(403);
    await page.body.dump();
  });

  it('serves the page with a strict CSP and refuses path traversal', async () => {
    const page = await request(`${host.url}/`);
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.body.text()).toContain('<div id="root">');
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json']) {
      const r = await request(`${host.url}${p}`);
      expect([403, 404]).toContain(r.statusCode);
      expect(await r.body.text()).not.toContain('"devDependencies"');
    }
  });

  it('answers malformed bodies with typed validation errors', async () => {
    const bad = await api('app.info', { body: '{"unterminated' });
    expect(bad.statusCode).toBe(400);
    expect(await bad.body.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const huge = await api('app.info', { body: JSON.stringify({ x: 'a'.repeat(300_000) }) });
    expect(huge.statusCode).toBe(413);
    await huge.body.dump();
    // Only a marketing image (2 MB as base64) may be larger; it reaches the router (which wants a manager).
    const image = await api('backoffice.uploadImage', { body: JSON.stringify({ filename: 'logo.png', contentBase64: 'A'.repeat(2_700_000) }) });
    expect(image.statusCode).toBe(200);
    expect(await image.body.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const hugeImage = await api('backoffice.uploadImage', { body: JSON.stringify({ filename: 'logo.png', contentBase64: 'A'.repeat(4_300_000) }) });
    expect(hugeImage.statusCode).toBe(413);
    await hugeImage.body.dump();
    const notJson = await api('app.info', { headers: { 'content-type': 'text/plain' } });
    expect(notJson.statusCode).toBe(415);
    await notJson.body.dump();
    const noOrigin = await request(`${host.url}/api/call/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: '{}',
    });
    expect(noOrigin.statusCode).toBe(403);
    await noOrigin.body.dump();
  });

  it('streams events to the page over SSE', async () => {
    const res = await request(`${host.url}/api/events`, { headers: { authorization: `Bearer ${host.token}` } });
    expect(res.headers['content-type']).toContain('text/event-stream');
    await ctx.refreshHealth();
    let text = '';
    for await (const chunk of res.body) {
      text += chunk.toString();
      if (text.includes('event: app.health')) break;
    }
    expect(text).toMatch(/event: app\.health\ndata: \{"status":"(ok|warn|fail)"/);
    res.body.destroy();
  });

  it('every manager-only method is refused over HTTP without a manager session, whatever the caller claims', async () => {
    expect([...managerMethods].sort()).toEqual(Object.keys(managerSamples).sort());
    for (const method of managerMethods) {
      expect(contract[method].input.safeParse(managerSamples[method]).success, method).toBe(true);
      const body = JSON.stringify(managerSamples[method]);
      const reply = await (await api(method, { body, headers: { 'x-manager-id': 'M01' } })).body.json();
      expect(reply, method).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('200 sign-ins at once (199 wrong PINs, the right one last): nobody signs in, at most five PINs are checked', async () => {
    await new PinBook(ctx.secrets).set('M01', '482913');
    const pins = [...Array.from({ length: 199 }, (_, i) => String(100_000 + i)), '482913'];
    const replies = await Promise.all(
      pins.map(async (pin) => (await (await api('manager.signIn', { body: JSON.stringify({ managerId: 'M01', pin }) })).body.json()) as { ok: boolean; error?: { code: string } }),
    );
    expect(replies.filter((r) => r.ok)).toEqual([]);
    expect(replies.filter((r) => r.error?.code === 'PIN_REJECTED').length).toBeLessThanOrEqual(5);
    expect(replies.at(-1)).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    expect(await (await api('manager.signIn', { body: JSON.stringify({ managerId: 'M01', pin: '482913' }) })).body.json()).toMatchObject({
      ok: false,
      error: { code: 'PIN_LOCKED' },
    });
    // The manager-only methods stay shut.
    expect(await (await api('offline.policy')).body.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await ctx.secrets.delete('manager_pin_hash');
  }, 60_000);
});
