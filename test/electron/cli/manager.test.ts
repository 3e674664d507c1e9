import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppContext } from '../../../electron/app/context';
import { runPosctl } from '../../../electron/cli/posctl';
import { tempDir } from '../../helpers/context';

async function posctl(dataDir: string, argv: string[]) {
  const lines: string[] = [];
  const code = await runPosctl(argv, (l) => lines.push(l), { ...process.env, POS_DATA_DIR: dataDir });
  return { code, out: JSON.parse(lines.at(-1)!) };
}

/** Every file under the data dir, to prove the PIN was written to none of them. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile());
}

describe('posctl manager', () => {
  it('sets a PIN from stdin that the app then accepts; lists without hashes; removes', async () => {
    const dir = tempDir('posctl-manager-');
    const set = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/posctl.ts', 'manager', 'set-pin', '--manager', 'M01', '--pin-file', '-'], {
      input: '739164\n',
      env: { ...process.env, POS_DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(set.status).toBe(0);
    expect(JSON.parse(set.stdout.trim().split('\n').at(-1)!)).toEqual({ ok: true, manager: 'M01', pin: 'set' });

    const listed = await posctl(dir, ['manager', 'list']);
    expect(listed).toMatchObject({ code: 0, out: { managers: [{ managerId: 'M01', setAt: expect.any(String) }] } });
    expect(JSON.stringify(listed.out)).not.toMatch(/hash|salt|739164/);

    const app = createAppContext({ host: 'web', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
    try {
      const call = (m: string, i: unknown) => app.router.call(m, i, { transport: 'web' });
      expect(await call('manager.status', {})).toMatchObject({ ok: true, value: { pinsSet: true, training: { managerId: 'TRAIN' } } });
      expect(await call('manager.signIn', { managerId: 'M01', pin: '739165' })).toMatchObject({ ok: false, error: { code: 'PIN_REJECTED' } });
      expect(await call('manager.signIn', { managerId: 'M01', pin: '739164' })).toMatchObject({ ok: true, value: { managerId: 'M01' } });
    } finally {
      await app.close();
    }
    for (const f of filesUnder(dir)) expect(readFileSync(f, 'utf8'), f).not.toContain('739164');

    expect(await posctl(dir, ['manager', 'remove', '--manager', 'M01'])).toMatchObject({ code: 0, out: { removed: true } });
    expect(await posctl(dir, ['manager', 'remove', '--manager', 'M01'])).toMatchObject({ code: 2 });
    expect(await posctl(dir, ['manager', 'list'])).toMatchObject({ code: 0, out: { managers: [] } });
  }, 30_000);

  it('five wrong PINs lock the desk, and restarting the app does not unlock it', async () => {
    const dir = tempDir('posctl-manager-');
    const pin = join(dir, 'pin.txt');
    writeFileSync(pin, '864202\n');
    expect(await posctl(dir, ['manager', 'set-pin', '--manager', 'M01', '--pin-file', pin])).toMatchObject({ code: 0 });
    const open = () => createAppContext({ host: 'web', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
    const first = open();
    const signIn = (app: ReturnType<typeof open>, p: string) => app.router.call('manager.signIn', { managerId: 'M01', pin: p }, { transport: 'web' });
    for (let i = 0; i < 4; i++) expect(await signIn(first, '000000')).toMatchObject({ ok: false, error: { code: 'PIN_REJECTED' } });
    expect(await signIn(first, '000000')).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED', retryAfterMs: 30_000 } });
    await first.close();
    const second = open();
    try {
      expect(await signIn(second, '864202')).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    } finally {
      await second.close();
    }
  });

  it('wrong PINs given to posctl count toward the same lock as the till, across processes', async () => {
    const dir = tempDir('posctl-manager-');
    const right = join(dir, 'pin.txt');
    const wrong = join(dir, 'wrong.txt');
    writeFileSync(right, '864202\n');
    writeFileSync(wrong, '111111\n');
    expect(await posctl(dir, ['manager', 'set-pin', '--manager', 'M01', '--pin-file', right])).toMatchObject({ code: 0 });
    // Each attempt a separate posctl process, as store IT (or someone at the back office PC) would run it.
    const run = (pinFile: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/posctl.ts', 'offline', 'set', '--mode', 'off', '--manager', 'M01', '--pin-file', pinFile], {
        env: { ...process.env, POS_DATA_DIR: dir },
        encoding: 'utf8',
      });
    for (let i = 0; i < 4; i++) expect(run(wrong).status).toBe(5);
    const app = createAppContext({ host: 'web', env: { POS_DATA_DIR: dir }, healthIntervalMs: 3_600_000 });
    try {
      expect(await app.router.call('manager.signIn', { managerId: 'M01', pin: '111111' }, { transport: 'web' })).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
      const locked = run(right);
      expect(locked.status).toBe(5);
      expect(JSON.parse(locked.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: false, error: { code: 'PIN_LOCKED' } });
    } finally {
      await app.close();
    }
  }, 60_000);

  it('refuses a PIN given badly: missing file, too short, letters — exit 2 with the reason', async () => {
    const dir = tempDir('posctl-manager-');
    const short = join(dir, 'pin.txt');
    writeFileSync(short, '12\n');
    expect(await posctl(dir, ['manager', 'set-pin', '--manager', 'M01'])).toMatchObject({ code: 2, out: { error: { message: expect.stringMatching(/--pin-file/) } } });
    expect(await posctl(dir, ['manager', 'set-pin', '--manager', 'M01', '--pin-file', short])).toMatchObject({
      code: 2,
      out: { error: { message: expect.stringMatching(/4–12 digits/) } },
    });
    writeFileSync(short, 'abcd');
    expect(await posctl(dir, ['manager', 'set-pin', '--manager', 'M01', '--pin-file', short])).toMatchObject({ code: 2 });
    expect(await posctl(dir, ['manager', 'set-pin', '--pin-file', short])).toMatchObject({ code: 2, out: { error: { message: '--manager is required' } } });
    expect(await posctl(dir, ['manager', 'list'])).toMatchObject({ out: { managers: [] } });
  });
});
