// Which store a server (or posctl) uses: PostgreSQL for a `postgres://` URL, otherwise one
// SQLite file, by default `events.sqlite` in the data directory.
import { join, resolve } from 'node:path';
import type { DirectoryStore } from './directory-store';
import { PostgresStore } from './postgres-store';
import { SqliteStore } from './sqlite-store';

export const EVENTS_DB_FILE = 'events.sqlite';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The URL without its password, for logs and printed lines. */
export function describeDatabase(url: string | undefined, dataDir: string): string {
  if (!url) return join(dataDir, EVENTS_DB_FILE);
  if (!isPostgresUrl(url)) return resolve(url.replace(/^file:/, ''));
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export async function openDirectoryStore(url: string | undefined, dataDir: string): Promise<DirectoryStore> {
  if (url && isPostgresUrl(url)) return PostgresStore.open(url);
  return new SqliteStore(describeDatabase(url, dataDir));
}
