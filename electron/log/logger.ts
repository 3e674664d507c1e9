import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { knownSecrets } from './known-secrets';
import { redact } from './redact';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

type Level = 'info' | 'warn' | 'error';

/**
 * JSON-lines log in the data directory (and stderr when asked). Every line goes through
 * redact() with every secret the process holds, so a private key, APIv3 key, PKCS#12 password
 * or PIN that slips into an error never reaches disk. The log is the owner's alone.
 */
export function createLogger(opts: { dir?: string; stderr?: boolean; secrets?: () => Iterable<string> }): Logger {
  const file = opts.dir ? join(opts.dir, 'logs', 'app.log') : undefined;
  if (opts.dir) mkdirSync(join(opts.dir, 'logs'), { recursive: true, mode: 0o700 });
  const secrets = opts.secrets ?? knownSecrets;
  const write = (level: Level, event: string, fields: Record<string, unknown> = {}) => {
    const line = redact(JSON.stringify({ t: new Date().toISOString(), level, event, ...serialise(fields) }), secrets());
    if (file) appendFileSync(file, line + '\n', { mode: 0o600 });
    if (opts.stderr) process.stderr.write(line + '\n');
  };
  return {
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

function serialise(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, code: (v as { code?: unknown }).code } : v;
  }
  return out;
}
