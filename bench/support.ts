// Shared bench plumbing: spawn the simulator (or read a --creds file), percentiles, and
// the one-JSON-line-last output the benches promise.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CredentialsFile } from '../electron/merchant/provision';

export type Credentials = CredentialsFile & { seed?: unknown };

export interface SimHandle {
  creds: Credentials;
  stop(): void;
}

/** Uses a credentials file when given (any APIv3 server), else starts `npm run sim` in its own process. */
export async function simulatorOrCreds(credsPath: string | undefined, simArgs: string[] = []): Promise<SimHandle> {
  if (credsPath) return { creds: JSON.parse(readFileSync(credsPath, 'utf8')) as Credentials, stop() {} };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'electron/simulator/cli.ts', ...simArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { creds: JSON.parse(line) as Credentials, stop: () => child.kill('SIGTERM') };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median_ms: round(percentile(sorted, 50)), p99_ms: round(percentile(sorted, 99)) };
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
