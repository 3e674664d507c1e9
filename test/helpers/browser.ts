import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
