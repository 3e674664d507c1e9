import { accessSync, chmodSync, constants, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
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

/**
 * What the app keeps in its data dir: settings.json (settings/settings.ts), logs/
 * (log/logger.ts), the journal and its WAL files (queue/database.ts), the PIN lock
 * (staff/lock-store.ts), the platform-certificate cache (merchant/session.ts), closed shifts'
 * reports/, and the two training places (till/training.ts, app/mode.ts). Openids, PIN-lock
 * state and the till's history are in these, so they are the OS account's alone.
 */
const APP_ENTRIES = [
  'settings.json',
  'logs',
  'reports',
  'journal.sqlite',
  'journal.sqlite-wal',
  'journal.sqlite-shm',
  'pin-lock.sqlite',
  'pin-lock.sqlite-journal',
  'platform-certificates.json',
  'training-simulator',
  'training-till',
];

/**
 * Creates the data dir and makes what the app keeps there private — folders 0700, files 0600,
 * all the way down — whoever created them (an older version, an installer, an admin's copy).
 * Returns what could not be made private; health reports it (see `notPrivate`).
 */
export function ensureDataDir(dir: DataDir): string[] {
  mkdirSync(dir.path, { recursive: true, mode: 0o700 });
  return visitPrivate(dir.path, true);
}

/**
 * Creates `file` owner-only if it does not exist yet, for a library that would create it with
 * the default mode (SQLite gives its -wal, -shm and -journal files the database file's mode).
 * A file that cannot be created is left for the library to report in its own words.
 */
export function createPrivate(file: string): void {
  try {
    closeSync(openSync(file, 'a', 0o600));
  } catch {
    // read-only disk, no permission: the library's own open fails with the reason
  }
}

/** Folders and files of the app's in the data dir that others can still read or enter. */
export function notPrivate(dataDir: string): string[] {
  return visitPrivate(dataDir, false);
}

function visitPrivate(root: string, fix: boolean): string[] {
  // Windows keeps access in ACLs, which a user profile's AppData already restricts.
  if (platform() === 'win32') return [];
  const open: string[] = [];
  const settle = (path: string, st: Stats) => {
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o777) === want) return;
    if (fix) {
      try {
        chmodSync(path, want);
        return;
      } catch {
        // Not ours to change (another owner, a read-only mount): reported below.
      }
    }
    open.push(path);
  };
  const visit = (path: string) => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return; // absent: nothing to protect
    }
    // A link is not followed: chmod would change whatever it points at, outside the data dir.
    if (st.isSymbolicLink()) return;
    settle(path, st);
    if (!st.isDirectory()) return;
    let names: string[] = [];
    try {
      names = readdirSync(path);
    } catch {
      // Unreadable to us: its own mode was settled above.
    }
    for (const name of names) visit(join(path, name));
  };
  settle(root, statSync(root));
  for (const name of APP_ENTRIES) visit(join(root, name));
  return open;
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
