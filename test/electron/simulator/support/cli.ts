// Runs `npm run sim -- …` as its own process group and reads the one credentials line it
// prints once ready; stopping signals that group only.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CredentialsLine } from '../../../../electron/simulator/index';

export interface SpawnedSim {
  credentials: CredentialsLine;
  /** Every stdout line (the contract: exactly one). */
  lines: string[];
  /** SIGTERM to the group; resolves once every process in it has let go of stdout. */
  stop(): Promise<void>;
}

export function spawnSim(args: string[]): Promise<SpawnedSim> {
  const child = spawn('npm', ['run', '-s', 'sim', '--', ...args], { cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const drained = new Promise<void>((resolve) => child.stdout.on('close', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await exited;
    await drained;
  };
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) {
        try {
          resolve({ credentials: JSON.parse(line) as CredentialsLine, lines, stop });
        } catch (err) {
          void stop();
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
    void exited.then((code) => reject(new Error(`simulator exited (${code}) before it was ready: ${stderr.slice(0, 2000)}`)));
  });
}
