import { describe, expect, it, vi } from 'vitest';
import { channelFor, eventChannel, methodNames } from '../../../shared/contract';

vi.mock('electron', async () => await import('../../stubs/electron'));

describe('preload bridge', () => {
  it('exposes exactly the contract methods, each on its own channel, and no generic invoke', async () => {
    const electron = await import('../../stubs/electron');
    await import('../../../electron/preload');
    const bridge = electron.calls.exposed.get('pos') as {
      methods: Record<string, (i: unknown) => Promise<unknown>>;
      on: (e: string, l: (p: unknown) => void) => () => void;
    };
    expect([...electron.calls.exposed.keys()]).toEqual(['pos']);
    expect(Object.keys(bridge).sort()).toEqual(['methods', 'on']);
    expect(Object.keys(bridge.methods).sort()).toEqual([...methodNames].sort());
    expect(Object.isFrozen(bridge.methods)).toBe(true);
    await bridge.methods['app.info']!({});
    expect(electron.calls.invoked.at(-1)).toEqual({ channel: channelFor('app.info'), payload: {} });

    const got: unknown[] = [];
    const off = bridge.on('app.health', (p) => got.push(p));
    electron.ipcRenderer.emit(eventChannel, {}, { event: 'app.health', payload: 1 });
    electron.ipcRenderer.emit(eventChannel, {}, { event: 'other', payload: 2 });
    off();
    electron.ipcRenderer.emit(eventChannel, {}, { event: 'app.health', payload: 3 });
    expect(got).toEqual([1]);
    const before = electron.ipcRenderer.listenerCount(eventChannel);
    bridge.on('not.an.event', () => {});
    expect(electron.ipcRenderer.listenerCount(eventChannel)).toBe(before);
  });

  it('the built preload requires nothing but electron (sandboxed preloads cannot)', async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: ['electron/preload.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      external: ['electron'],
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/\bimport\s/);
  });
});
