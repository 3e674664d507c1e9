// Slips in the desktop app: the shell lends the window's printer (the Electron stub records
// what it was asked to print), a manager chooses the receipt printer, and a slip then prints
// silently on it at the slip's own paper size. Without a lent printer (the web host) a printer
// cannot be chosen and the page prints through the browser's dialog instead.
import { describe, expect, it, vi } from 'vitest';
import { testContext } from '../../helpers/context';

vi.mock('electron', async () => await import('../../stubs/electron'));
const electron = await import('../../stubs/electron');
const { windowPrinter } = await import('../../../electron/shell/start');

const call = (ctx: ReturnType<typeof testContext>, method: string, input: unknown = {}) => ctx.router.call(method, input, { transport: 'web' });

describe('printing slips', () => {
  it('the desktop app prints a slip silently on the printer a manager chose, at the slip’s size', async () => {
    const ctx = testContext('electron');
    try {
      const contents = new electron.WebContents();
      ctx.setPrinter(windowPrinter(contents as never));
      expect(await call(ctx, 'print.config')).toMatchObject({ ok: true, value: { paperMm: 80, printer: null, silentAvailable: true, printers: ['RECEIPT-58', 'Office A4'] } });
      // Choosing a printer is the manager's.
      expect(await call(ctx, 'print.setup', { paperMm: 58, printer: 'RECEIPT-58' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect((await call(ctx, 'manager.signIn', { managerId: 'TRAIN', pin: '0000' })).ok).toBe(true);
      expect(await call(ctx, 'print.setup', { paperMm: 58, printer: 'RECEIPT-58' })).toMatchObject({ ok: true, value: { paperMm: 58, printer: 'RECEIPT-58' } });
      expect(await call(ctx, 'print.slip', { widthMm: 58, heightMm: 120 })).toEqual({ ok: true, value: { printed: true } });
      expect(contents.printed.at(-1)!.options).toMatchObject({ silent: true, deviceName: 'RECEIPT-58', pageSize: { width: 58_000, height: 120_000 } });
      // A printer that has gone away: a refusal in words, not a crash.
      expect((await call(ctx, 'print.setup', { paperMm: 58, printer: 'GONE' })).ok).toBe(true);
      expect(await call(ctx, 'print.slip', { widthMm: 58, heightMm: 120 })).toMatchObject({ ok: false, error: { code: 'CONFIGURATION' } });
    } finally {
      await ctx.close();
    }
  });

  it('the web host has no printer to lend: the browser’s own dialog prints', async () => {
    const ctx = testContext('web');
    try {
      expect(await call(ctx, 'print.config')).toMatchObject({ ok: true, value: { silentAvailable: false, printers: [] } });
      expect(await call(ctx, 'print.slip', { widthMm: 80, heightMm: 100 })).toMatchObject({ ok: false, error: { code: 'CONFIGURATION' } });
      expect((await call(ctx, 'manager.signIn', { managerId: 'TRAIN', pin: '0000' })).ok).toBe(true);
      expect(await call(ctx, 'print.setup', { paperMm: 58, printer: 'RECEIPT-58' })).toMatchObject({ ok: false, error: { code: 'CONFIGURATION' } });
      expect(await call(ctx, 'print.setup', { paperMm: 58, printer: null })).toMatchObject({ ok: true, value: { paperMm: 58, printer: null } });
    } finally {
      await ctx.close();
    }
  });
});
