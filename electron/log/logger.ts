import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from './redact';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

type Level = 'info' | 'warn' | 'error';

/**
 * JSON-lines log in the data directory (and stderr when asked). Every line goes through
 * redact(), so a private key or APIv3 key that slips into an error never reaches disk.
 */
export function createLogger(opts: { dir?: string; stderr?: boolean; secrets?: () => Iterable<string> }): Logger {
  const file = opts.dir ? join(opts.dir, 'logs', 'app.log') : undefined;
  if (opts.dir) mkdirSync(join(opts.dir, 'logs'), { recursive: true });
  const write = (level: Level, event: string, fields: Record<string, unknown> = {}) => {
    const line = redact(JSON.stringify({ t: new Date().toISOString(), level, event, ...serialise(fields) }), opts.secrets?.());
    if (file) appendFileSync(file, line + '\n');
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
