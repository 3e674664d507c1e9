// Printing the slip on the page. Print styles (desk.css) show only the element marked
// `print-target`; the page size is set to the slip's own width and height, so a receipt
// printer's roll is cut after the slip and nothing else. The desktop app with a chosen printer
// prints it silently through the main process; everywhere else the system's print dialog opens.
import type { PaperWidth, PosApi, PrintConfig } from '../../shared/contract';
import { LIST_TIMEOUT_MS, timedCall, type CallOutcome } from '../till/timed-call';

let pageSheet: CSSStyleSheet | null = null;

/** The printed page's size, from a stylesheet built in script (the page's CSP allows no inline style). */
function setPageSize(widthMm: number, heightMm: number): void {
  if (!pageSheet) {
    pageSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
  }
  pageSheet.replaceSync(`@page { size: ${widthMm}mm ${heightMm}mm; margin: 0; }`);
}

/** Prints the page's print target on A4 through the system's dialog (the practice sheet). */
export function printA4(): void {
  if (!pageSheet) {
    pageSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
  }
  pageSheet.replaceSync('@page { size: A4; margin: 10mm; }');
  window.print();
}

const PX_PER_MM = 96 / 25.4;

/** The slip's height on paper, with a little feed after it. */
export function slipHeightMm(slip: HTMLElement): number {
  return Math.min(2000, Math.max(20, Math.ceil(slip.getBoundingClientRect().height / PX_PER_MM) + 6));
}

export type PrintOutcome = { kind: 'dialog' } | { kind: 'silent' } | Exclude<CallOutcome<unknown>, { kind: 'ok' }>;

export async function printSlip(api: PosApi, config: PrintConfig | null, slip: HTMLElement, width: PaperWidth): Promise<PrintOutcome> {
  const heightMm = slipHeightMm(slip);
  setPageSize(width, heightMm);
  if (config?.silentAvailable && config.printer) {
    const o = await timedCall(api, 'print.slip', { widthMm: width, heightMm }, LIST_TIMEOUT_MS);
    return o.kind === 'ok' ? { kind: 'silent' } : o;
  }
  window.print();
  return { kind: 'dialog' };
}
