import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../electron/app/context';

export const tempDir = (prefix = 'pos-test-') => mkdtempSync(join(tmpdir(), prefix));

/**
 * A full AppContext on a fresh data dir with the real keychain (scripts/test.sh runs the
 * suite inside a private D-Bus session with gnome-keyring; each data dir has its own
 * profile id, so keychain entries never collide between tests).
 */
export function testContext(host: 'web' | 'electron' = 'web', env: NodeJS.ProcessEnv = {}): AppContext & { dir: string } {
  const dir = tempDir();
  const ctx = createAppContext({ host, env: { POS_DATA_DIR: dir, ...env }, version: '1.2.3', healthIntervalMs: 3_600_000 });
  return Object.assign(ctx, { dir });
}
