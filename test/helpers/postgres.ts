import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { tempDir } from './context';
import { freePort } from './events-server-process';

// A real PostgreSQL server from Debian's `postgresql` package (scripts/setup.sh installs it),
// started for a test in a temporary directory on a private port and socket, and stopped again.
// PostgreSQL refuses to run as root: as root (CI) the cluster belongs to the `postgres` system
// user the package creates, and its commands run through runuser.

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("PostgreSQL is not installed: run scripts/setup.sh (it installs Debian's postgresql package)");
  return join(root, newest, 'bin');
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, { stdio: 'pipe', timeout: 60_000 });
  const dir = tempDir('pg-test-');
  const data = join(dir, 'data');
  const socket = join(dir, 'socket');
  mkdirSync(socket);
  if (asRoot) {
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    chmodSync(dir, 0o755);
  }
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'events', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  run('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'postgres.log'), '-o', `-p ${port} -k ${socket} -c listen_addresses=127.0.0.1 -c max_connections=60`]);
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'events', database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE events');
  await admin.end();
  return {
    url: `postgres://events@127.0.0.1:${port}/events`,
    stop: async () => {
      run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']);
    },
  };
}
