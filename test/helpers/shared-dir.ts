import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder holding package.json, found from this file upwards. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test folder');
    dir = parent;
  }
  return dir;
}

/** A path inside the shared folder (spec, fixtures), which sits beside the repository root in CI as on a dev machine. */
export const sharedPath = (...parts: string[]) => path.resolve(repoRoot(), '../shared', ...parts);
