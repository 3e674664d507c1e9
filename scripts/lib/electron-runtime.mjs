// What `npm start` needs to open the Electron window: the Electron binary (downloaded by the
// electron package's own installer, which setup.sh skips so that tests and CI never need the
// internet), and better-sqlite3 and keytar built for Electron's ABI in a folder of their own,
// so the Node builds the tests use stay as they are. Every failure is one sentence, never a
// stack trace: the caller then starts the web host instead.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_MODULES = ['better-sqlite3', 'keytar'];

/** Where Electron-ABI builds of the native modules live (the main process loads them from here). */
export const nativeDir = (root, abi) => join(root, '.electron-native', `electron-${abi}`);

/** The Electron binary, installing it if it is missing; null and a reason when it cannot be had. */
export function electronBinary(root, { install = true, run = spawnSync } = {}) {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { binary: null, reason: 'the electron package is not installed (npm ci did not run)' };
  const located = () => {
    const pathFile = join(pkg, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  };
  const found = located();
  if (found || !install) return found ? { binary: found } : { binary: null, reason: 'the Electron runtime is not installed' };
  // The package's installer downloads the runtime from Electron's release server; its output
  // (a stack trace when offline) is kept, not shown.
  const r = run(process.execPath, [join(pkg, 'install.js')], { cwd: pkg, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' }, timeout: 15 * 60_000 });
  const binary = located();
  if (r.status === 0 && binary) return { binary };
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|fetch failed|network/i.test(text);
  return { binary: null, reason: offline ? 'its download server cannot be reached from this machine' : 'its installer failed' };
}

/**
 * better-sqlite3 and keytar built for this Electron: copied beside node_modules and rebuilt
 * there with @electron/rebuild (prebuilt binaries when published, else compiled against
 * Electron's headers). Done once per Electron ABI; a stamp records it.
 */
export async function electronNativeBuilds(root, { electronVersion, abi }) {
  const dir = nativeDir(root, abi);
  const stamp = join(dir, '.built');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) return { ok: true, dir };
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    const deps = {};
    for (const name of NATIVE_MODULES) {
      cpSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), { recursive: true });
      deps[name] = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron-native-builds', private: true, dependencies: deps }, null, 2));
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({ buildPath: dir, electronVersion, onlyModules: NATIVE_MODULES, force: true });
    writeFileSync(stamp, electronVersion);
    return { ok: true, dir };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
