import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's Chromium, started the way this machine allows (no downloads, no background
// network). Never `playwright install`.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export function reportPath(name: string): string {
  mkdirSync('reports', { recursive: true });
  return `reports/${name}`;
}

/**
 * A USB scanner's burst, as the OS would deliver it: real key events (text goes into a focused
 * field as a scanner's would) whose event times are 5 ms apart however long the test harness
 * takes to send them, so a loaded machine cannot turn a scan into "typing". Chromium takes the
 * event time from the `timestamp` given to the DevTools protocol, as it takes it from the OS.
 */
export async function scannerBurst(page: Page, code: string, options: { gapMs?: number; terminator?: 'Enter' | 'Tab' | 'none' } = {}): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const gap = (options.gapMs ?? 5) / 1000;
  let at = Date.now() / 1000;
  try {
    for (const ch of Array.from(code)) {
      at += gap;
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch, timestamp: at });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch, timestamp: at });
    }
    at += gap;
    const end = options.terminator ?? 'Enter';
    // A scanner set up without a suffix: the code just stops.
    if (end === 'none') return;
    const codes = end === 'Enter' ? { code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' } : { code: 'Tab', windowsVirtualKeyCode: 9 };
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: end, ...codes, timestamp: at });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: end, code: codes.code, windowsVirtualKeyCode: codes.windowsVirtualKeyCode, timestamp: at });
  } finally {
    await cdp.detach();
  }
}
