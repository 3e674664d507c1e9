// `npm run sim` arguments: every documented flag reaches the simulator options, bad usage is
// refused with a reason (exit 2 from the real command), faults use the same spec parser.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../electron/cli/exit-codes';
import { optionsFromArgs } from '../../../electron/simulator/cli-options';

describe('optionsFromArgs', () => {
  it('maps every flag', () => {
    expect(
      optionsFromArgs([
        '--port',
        '8123',
        '--host',
        '127.0.0.1',
        '--mode',
        'cert',
        '--state',
        '/tmp/x',
        '--seed',
        '42',
        '--faults',
        'coupons.use:after:reset@0.5',
        '--allow-http-callbacks',
        '--notify-time-scale',
        '0.01',
        '--default-rate-limit',
        '50',
        '--no-seed-data',
      ]),
    ).toEqual({
      port: 8123,
      host: '127.0.0.1',
      mode: 'cert',
      stateDir: '/tmp/x',
      seed: 42,
      faults: [{ endpoint: 'coupons.use', phase: 'after', kind: 'reset', probability: 0.5 }],
      allowHttpCallbacks: true,
      notifyTimeScale: 0.01,
      defaultRateLimit: { limit: 50, per: 'second' },
      seedData: false,
    });
    expect(optionsFromArgs(['--default-rate-limit', 'off', '--no-rate-limits'])).toEqual({ defaultRateLimit: null, rateLimits: false });
    expect(optionsFromArgs([])).toEqual({});
  });

  it.each([
    [['--mode', 'sm2'], /--mode must be/],
    [['--port', '70000'], /--port must be an integer/],
    [['--faults', 'coupons.use:explode'], /--faults: unknown fault kind/],
    [['--frobnicate'], /Unknown option/],
    [['--notify-time-scale', '0'], /positive/],
  ])('refuses %j', (args, message) => {
    expect(() => optionsFromArgs(args)).toThrow(UsageError);
    expect(() => optionsFromArgs(args)).toThrow(message);
  });

  it('exits 2 with the usage on stderr and nothing on stdout', () => {
    const r = spawnSync('npm', ['run', '-s', 'sim', '--', '--mode', 'nope'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('usage: npm run sim');
  }, 60_000);
});
