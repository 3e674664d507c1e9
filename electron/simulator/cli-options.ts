// Parsing of `npm run sim` arguments, apart from cli.ts so it can be tested without starting
// anything. Bad usage throws UsageError; cli.ts turns that into exit code 2.
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/exit-codes';
import { FaultSpecError, parseFaultSpec } from './faults';
import type { SimulatorOptions } from './server';

export const USAGE = `usage: npm run sim -- [--port N] [--host H] [--mode pubkey|cert|migrating] [--state DIR]
       [--faults SPEC] [--seed N] [--allow-http-callbacks] [--notify-time-scale X]
       [--default-rate-limit N|off] [--no-rate-limits] [--no-seed-data]
faults SPEC: rules separated by ",", each [endpoint:][before|after:]kind[=param][@probability][xTIMES]
             or [endpoint:][before|after:]script=kind/kind/ok/...[/repeat]; kinds: 500 502 503 429
             latency=MS timeout reset bad_signature skew=SECONDS signtest`;

function fail(message: string): never {
  throw new UsageError(message);
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) fail(`--${name} must be an integer from ${min} to ${max}`);
  return Number(value);
}

/** `help: true` means print USAGE and stop. */
export function optionsFromArgs(argv: string[]): SimulatorOptions & { help?: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        mode: { type: 'string' },
        state: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        'allow-http-callbacks': { type: 'boolean' },
        'notify-time-scale': { type: 'string' },
        'default-rate-limit': { type: 'string' },
        'no-rate-limits': { type: 'boolean' },
        'no-seed-data': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  const options: SimulatorOptions = {};
  const port = integer(v.port, 'port', 0, 65535);
  if (port !== undefined) options.port = port;
  if (v.host !== undefined) options.host = v.host;
  if (v.mode !== undefined) {
    if (v.mode !== 'pubkey' && v.mode !== 'cert' && v.mode !== 'migrating') fail('--mode must be pubkey, cert or migrating');
    options.mode = v.mode;
  }
  if (v.state !== undefined) options.stateDir = v.state;
  const seed = integer(v.seed, 'seed', 0, 2 ** 31 - 1);
  if (seed !== undefined) options.seed = seed;
  if (v.faults !== undefined) {
    try {
      options.faults = parseFaultSpec(v.faults);
    } catch (err) {
      fail(`--faults: ${err instanceof FaultSpecError ? err.message : String(err)}`);
    }
  }
  if (v['allow-http-callbacks']) options.allowHttpCallbacks = true;
  if (v['notify-time-scale'] !== undefined) {
    const scale = Number(v['notify-time-scale']);
    if (!(scale > 0)) fail('--notify-time-scale must be a positive number');
    options.notifyTimeScale = scale;
  }
  const limit = v['default-rate-limit'];
  if (limit !== undefined) options.defaultRateLimit = limit === 'off' ? null : { limit: integer(limit, 'default-rate-limit', 1, 1_000_000) as number, per: 'second' };
  if (v['no-rate-limits']) options.rateLimits = false;
  if (v['no-seed-data']) options.seedData = false;
  return options;
}
