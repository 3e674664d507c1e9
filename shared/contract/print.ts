import { z } from 'zod';

// Receipt slips: the page lays a slip out for a 58 mm or 80 mm receipt printer and prints it.
// In the desktop app the main process can print it silently to the printer a manager chose; on
// the web host (and in the desktop app without a chosen printer) the page opens the system's
// print dialog itself.

export const PaperWidth = z.union([z.literal(58), z.literal(80)]);
export type PaperWidth = z.infer<typeof PaperWidth>;

export const PrintConfig = z.object({
  paperMm: PaperWidth,
  /** The printer slips go to without a dialog (desktop app only); null: the system's print dialog. */
  printer: z.string().nullable(),
  /** Whether this host can print without a dialog (the desktop app can, a browser cannot). */
  silentAvailable: z.boolean(),
  /** The printers the desktop app sees, for the manager to choose from (empty on the web host). */
  printers: z.array(z.string()),
});
export type PrintConfig = z.infer<typeof PrintConfig>;

export const PrintSetupInput = z.object({ paperMm: PaperWidth, printer: z.string().min(1).max(200).nullable() }).strict();

/** The slip now laid out on the page, printed silently: its size, for the printer's page. */
export const PrintSlipInput = z.object({ widthMm: PaperWidth, heightMm: z.number().min(20).max(2000) }).strict();
