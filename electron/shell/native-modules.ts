// Under Electron, better-sqlite3 and keytar must be the builds made for Electron's ABI, which
// `npm start` keeps in .electron-native/electron-<abi>/ so that node_modules keeps the Node
// builds the tests and posctl use. This points `require` at them before anything loads them;
// under plain Node (and when no Electron build exists) nothing changes.
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

export const NATIVE_MODULES = ['better-sqlite3', 'keytar'] as const;

/** The folder holding the Electron builds for this runtime, or null when Node's own apply. */
export function electronNativeDir(versions: NodeJS.ProcessVersions, root: string): string | null {
  if (!versions.electron) return null;
  const dir = join(root, '.electron-native', `electron-${versions.modules}`, 'node_modules');
  return NATIVE_MODULES.every((m) => existsSync(join(dir, m, 'package.json'))) ? dir : null;
}

type Resolver = (request: string, ...rest: unknown[]) => string;

/** Redirects `require('better-sqlite3')` and `require('keytar')` to `dir`'s builds. */
export function redirectNativeModules(dir: string, mod: { _resolveFilename: Resolver } = Module as unknown as { _resolveFilename: Resolver }): void {
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request: string, ...rest: unknown[]) {
    const target = (NATIVE_MODULES as readonly string[]).includes(request) ? join(dir, request) : request;
    return original.call(this, target, ...rest);
  };
}
