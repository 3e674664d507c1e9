import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

export interface EventsServerProcess {
  process: ChildProcess;
  url: string;
  notifyUrl: string;
  /** Everything the server wrote to stderr (its log lines). */
  stderr: () => string;
}

/**
 * `npm run server` in its own process on `dataDir` (provisioned with posctl beforehand), ready
 * once it prints its JSON line.
 */
export async function startEventsServerProcess(dataDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<EventsServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/events/cli.ts', ...args], {
    env: { ...process.env, POS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-20_000)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`events server exited with ${code}: ${err}`)));
  });
  const ready = JSON.parse(line) as { url: string; notify_url: string };
  return { process: child, url: ready.url, notifyUrl: ready.notify_url, stderr: () => err };
}

/** A port nothing listens on right now (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}
