import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppContext } from '../../../electron/app/context';
import { Journal } from '../../../electron/queue';
import { tempDir } from '../../helpers/context';

// The data dir holds openids (journal), the PIN lock and the till's history: the OS account's
// alone. Files the app creates are born private; files someone else left open (an older
// version, an installer, an admin's copy) are made private on start; what cannot be fixed is
// said by health.
const mode = (p: string) => statSync(p).mode & 0o777;

/** A data dir as an older version (or a careless copy) might have left it: everything world-readable. */
function openDataDir(): { dir: string; files: string[]; dirs: string[] } {
  const dir = tempDir('pos-modes-');
  chmodSync(dir, 0o755);
  const dirs = ['logs', 'reports', 'training-simulator', 'training-till', 'training-till/logs'].map((d) => join(dir, d));
  const files = [
    'logs/app.log',
    'settings.json',
    'journal.sqlite',
    'journal.sqlite-wal',
    'journal.sqlite-shm',
    'reports/shift-T01-S1.csv',
    'training-till/settings.json',
    'training-till/logs/app.log',
  ].map((f) => join(dir, f));
  // chmod after creating, so the test's own umask does not make them tighter than meant.
  for (const d of dirs) {
    mkdirSync(d);
    chmodSync(d, 0o755);
  }
  for (const f of files) {
    writeFileSync(f, f.endsWith('settings.json') ? '{}' : '');
    chmodSync(f, 0o644);
  }
  return { dir, files, dirs: [dir, ...dirs] };
}

describe('data dir modes', () => {
  it('the app makes folders 0700 and files 0600 on start, whoever created them, and health is then ok', async () => {
    const { dir, files, dirs } = openDataDir();
    const outside = join(tempDir(), 'not-ours.txt');
    writeFileSync(outside, 'x');
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dir, 'logs', 'link.txt'));
    const ctx = createAppContext({ host: 'web', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
    try {
      for (const d of dirs) expect(mode(d), d).toBe(0o700);
      for (const f of files) expect(mode(f), f).toBe(0o600);
      // A link is not followed out of the data dir.
      expect(mode(outside)).toBe(0o644);
      const health = await ctx.router.call('app.health', {}, { transport: 'web' });
      expect(health).toMatchObject({ ok: true, value: { checks: expect.arrayContaining([expect.objectContaining({ id: 'data_dir', status: 'ok' })]) } });
    } finally {
      await ctx.close();
    }
  });

  it('what the app writes is born private: settings, log, PIN lock, journal with its WAL files', async () => {
    const dir = tempDir('pos-modes-');
    const ctx = createAppContext({ host: 'web', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
    await ctx.close();
    const journal = Journal.open(dir);
    journal.enqueue({ request: { kind: 'return', coupon_code: 'C1', stock_id: '1' } });
    try {
      for (const f of ['settings.json', 'logs/app.log', 'pin-lock.sqlite', 'journal.sqlite', 'journal.sqlite-wal', 'journal.sqlite-shm']) expect(mode(join(dir, f)), f).toBe(0o600);
      expect(mode(join(dir, 'logs'))).toBe(0o700);
    } finally {
      journal.close();
    }
  });

  it('posctl makes them private too', () => {
    const { dir, files } = openDataDir();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/posctl.ts', 'manager', 'list'], { env: { ...process.env, POS_DATA_DIR: dir }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const f of files) expect(mode(f), f).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  }, 30_000);

  it('health says so when a file is open to other accounts', async () => {
    const dir = tempDir('pos-modes-');
    const ctx = createAppContext({ host: 'web', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
    try {
      // Opened after start (another program, an admin): start could not have fixed it.
      mkdirSync(join(dir, 'reports'), { mode: 0o700 });
      writeFileSync(join(dir, 'reports', 'shift.csv'), 'x');
      chmodSync(join(dir, 'reports', 'shift.csv'), 0o644);
      const health = (await ctx.router.call('app.health', {}, { transport: 'web' })) as {
        ok: true;
        value: { checks: { id: string; status: string; reason: string; detail: string }[] };
      };
      expect(health.value.checks.find((c) => c.id === 'data_dir')).toMatchObject({ status: 'warn', reason: 'data_dir.not_private', detail: expect.stringContaining('shift.csv') });
    } finally {
      await ctx.close();
    }
  });
});
