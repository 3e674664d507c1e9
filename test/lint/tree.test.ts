import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The whole tree, as `npm run lint` and `npm run typecheck` see it: zone rules, formatting, strict types
// per zone (shared/ without Node or DOM types, renderer/ without Node types).
describe('the tree', () => {
  it('passes ESLint with no warnings', () => {
    const r = spawnSync('npx', ['eslint', '.', '--max-warnings', '0'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('is formatted by Prettier (npm run format)', () => {
    const r = spawnSync('npx', ['prettier', '--check', '.', '--log-level', 'warn'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it.each(['tsconfig.shared.json', 'tsconfig.renderer.json', 'tsconfig.electron.json', 'tsconfig.json'])(
    'type-checks with %s',
    (project) => {
      const r = spawnSync('npx', ['tsc', '-p', project], { encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
    180_000,
  );
});
