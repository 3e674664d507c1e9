import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * What `npm start` runs where Electron cannot: the web host in its own process on `dataDir`,
 * ready once it prints its JSON line. `open` is the URL with the launch token.
 */
export async function startWebHostProcess(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ process: ChildProcess; open: string; register?: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/serve.ts'], {
    env: { ...process.env, POS_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}`)));
  });
  const ready = JSON.parse(line) as { open: string; register?: string };
  return { process: child, open: ready.open, ...(ready.register ? { register: ready.register } : {}) };
}
