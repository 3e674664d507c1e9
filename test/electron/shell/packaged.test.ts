import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../helpers/context';

// The store's installer (app.isPackaged): no DevTools, no application menu, and Chromium's
// reload and DevTools shortcuts swallowed, so nobody at the counter gets a console with the
// main process's methods in reach.
vi.mock('electron', async () => await import('../../stubs/electron'));

const electron = await import('../../stubs/electron');
const { startShell } = await import('../../../electron/shell/start');
const { mainWindowOptions } = await import('../../../electron/shell/window-options');

let win: InstanceType<typeof electron.BrowserWindow>;

beforeAll(async () => {
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  process.env.STUB_USER_DATA = tempDir();
  process.env.POS_DATA_DIR = process.env.STUB_USER_DATA;
  electron.app.isPackaged = true;
  expect(startShell({ rendererDir, preloadPath: '/app/preload.cjs' })).toBe(true);
  await new Promise((r) => setTimeout(r, 20));
  win = electron.calls.windows[0]!;
});

const key = (k: string, mods: Partial<Record<'control' | 'meta' | 'shift' | 'alt', boolean>> = {}) => ({
  type: 'keyDown',
  key: k,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
});

function pressed(input: ReturnType<typeof key>): boolean {
  let prevented = false;
  win.webContents.emit('before-input-event', { preventDefault: () => (prevented = true) }, input);
  return prevented;
}

describe('packaged build', () => {
  it('opens the window with DevTools off', () => {
    expect((win.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    expect(win.options).toEqual(mainWindowOptions('/app/preload.cjs', { packaged: true }));
  });

  it('removes the default application menu (Reload, Toggle Developer Tools)', () => {
    expect(electron.calls.menus).toEqual([null]);
  });

  it('swallows the reload and DevTools shortcuts on every platform', () => {
    for (const input of [
      key('I', { control: true, shift: true }),
      key('i', { control: true, shift: true }),
      key('J', { control: true, shift: true }),
      key('C', { control: true, shift: true }),
      key('i', { meta: true, alt: true }),
      key('F12'),
      key('F5'),
      key('r', { control: true }),
      key('R', { control: true, shift: true }),
      key('r', { meta: true }),
    ]) {
      expect(pressed(input), JSON.stringify(input)).toBe(true);
    }
  });

  it("leaves the cashier's keys alone", () => {
    for (const input of [
      key('F1'),
      key('F2'),
      key('F3'),
      key('F4'),
      key('F8'),
      key('F9'),
      key('Enter'),
      key('Escape'),
      key('r'),
      key('I', { shift: true }),
      key('c', { control: true }),
    ]) {
      expect(pressed(input), JSON.stringify(input)).toBe(false);
    }
    expect(pressed({ ...key('F12'), type: 'keyUp' })).toBe(false);
  });

  it('closes DevTools should they open anyway', () => {
    win.webContents.emit('devtools-opened');
    expect(electron.calls.devToolsClosed).toBe(1);
  });
});
