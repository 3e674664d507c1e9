import { accessSync, constants, closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataDir {
  kind: 'env' | 'default' | 'electron';
  path: string;
}

export const APP_DIR_NAME = 'busifavor-till';

/**
 * Every host (Electron, the web host, posctl, the benches) resolves the data directory the
 * same way, so they share one settings file and one journal. POS_DATA_DIR always wins.
 */
export function resolveDataDir(opts: { env?: NodeJS.ProcessEnv; electronUserData?: string } = {}): DataDir {
  const env = opts.env ?? process.env;
  if (env.POS_DATA_DIR && env.POS_DATA_DIR.trim()) return { kind: 'env', path: resolve(env.POS_DATA_DIR) };
  if (opts.electronUserData) return { kind: 'electron', path: opts.electronUserData };
  return { kind: 'default', path: defaultDataDir(env) };
}

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
  }
}

export function ensureDataDir(dir: DataDir): void {
  mkdirSync(dir.path, { recursive: true, mode: 0o700 });
}

/** Really writes and fsyncs a probe file: a read-only or full disk shows up here, not mid-sale. */
export function probeWritable(path: string): { ok: true } | { ok: false; reason: string } {
  const probe = join(path, `.write-probe-${process.pid}`);
  try {
    accessSync(path, constants.W_OK);
    const fd = openSync(probe, 'w');
    try {
      writeSync(fd, 'probe');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    rmSync(probe, { force: true });
    return { ok: true };
  } catch (err) {
    try {
      rmSync(probe, { force: true });
    } catch {
      // The probe name is taken by something we cannot remove: that is the failure reported.
    }
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN' };
  }
}
