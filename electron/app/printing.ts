// Receipt slips from the main process: the paper width and the chosen printer live in the
// non-secret settings; the desktop shell lends the window's printer (Electron's webContents),
// so a slip laid out on the page prints silently there. The web host has no printer to lend:
// the page then prints through the browser's own dialog.
import type { z } from 'zod';
import { PosError, type PrintConfig, type PrintSetupInput, type PrintSlipInput } from '../../shared/contract';
import type { Logger } from '../log/logger';
import type { SettingsStore } from '../settings/settings';

/** What the desktop shell can do with the app's window. */
export interface WindowPrinter {
  printers(): Promise<string[]>;
  /** Prints what the page shows now (its print styles show only the slip) on `device`, without a dialog. */
  print(options: { device: string; widthMm: number; heightMm: number }): Promise<void>;
}

const DEFAULT_PAPER = 80;

export function printHandlers(deps: { settings: SettingsStore; printer: () => WindowPrinter | null; log: Logger }) {
  const config = async (): Promise<PrintConfig> => {
    const saved = deps.settings.read().printer;
    const printer = deps.printer();
    return {
      paperMm: saved?.paperMm ?? DEFAULT_PAPER,
      printer: saved?.device ?? null,
      silentAvailable: printer !== null,
      printers: printer ? await printer.printers().catch(() => []) : [],
    };
  };
  return {
    'print.config': config,
    'print.setup': async (input: z.output<typeof PrintSetupInput>, ctx: { managerId?: string }) => {
      if (input.printer !== null && !deps.printer()) throw new PosError('CONFIGURATION', 'only the desktop app prints without a dialog; the browser uses its own print dialog');
      deps.settings.update({ printer: { paperMm: input.paperMm, device: input.printer } });
      deps.log.info('print.setup', { managerId: ctx.managerId, paperMm: input.paperMm, printer: input.printer });
      return config();
    },
    'print.slip': async (input: z.output<typeof PrintSlipInput>) => {
      const printer = deps.printer();
      const device = deps.settings.read().printer?.device ?? null;
      if (!printer || !device) throw new PosError('CONFIGURATION', 'no printer is chosen for printing without a dialog');
      try {
        await printer.print({ device, widthMm: input.widthMm, heightMm: input.heightMm });
      } catch (err) {
        deps.log.error('print.failed', { device, error: err });
        throw new PosError('CONFIGURATION', `the printer ${device} did not take the slip: ${(err as Error).message}`.slice(0, 200));
      }
      return { printed: true as const };
    },
  };
}
