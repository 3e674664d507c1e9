// Opens `journal.sqlite` the one way that is crash-safe: WAL (readers never block the
// writer, a torn write is rolled back on open), synchronous=FULL (a commit has reached the
// disk before it returns — that is what "written before the first attempt" means), a busy
// timeout so posctl and the app can share the file, and the numbered migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivate } from '../settings/data-dir';
import { migrations, type Migration } from './migrations';

export type JournalDatabase = Database.Database;

export const JOURNAL_FILE = 'journal.sqlite';

/** SQLite's ways of saying the journal cannot take a write: full disk or size cap, I/O error, read-only file. */
const UNWRITABLE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;

/** The SQLite code when `err` means the journal cannot be written (nothing of that write is on disk), else null. */
export function unwritableCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNWRITABLE.test(code) ? code : null;
}

export interface OpenOptions {
  /** Milliseconds a writer waits for another process's lock (default 5000). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export function openJournalDatabase(dataDir: string, options: OpenOptions = {}): JournalDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files the database file's mode.
  if (!options.readonly) createPrivate(join(dataDir, JOURNAL_FILE));
  const db = new Database(join(dataDir, JOURNAL_FILE), options.readonly ? { readonly: true, fileMustExist: true } : {});
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  if (!options.readonly) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error(`journal.sqlite could not be put in WAL mode (got ${String(mode)})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  reuseStatements(db);
  if (!options.readonly) migrate(db);
  else if (schemaVersion(db) > latestVersion()) throw new Error('journal.sqlite was written by a newer version of this app');
  return db;
}

/**
 * Runs writes to what is only a copy of WeChat Pay's answers (the coupon directory, cached stock
 * rules) without waiting for the disk: their commits skip the fsync (synchronous=NORMAL in WAL
 * mode), which on a store PC's disk is most of a scan's wait. A killed process loses none of
 * them; a power cut may forget the last few, which the next query learns again; the next
 * journal commit (FULL) makes them durable with it. Inside a transaction the outer commit decides.
 */
export function withoutFsync<T>(db: JournalDatabase, write: () => T): T {
  if (db.inTransaction) return write();
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/** More distinct statements than the app has means SQL built from values: start over rather than grow. */
const MAX_STATEMENTS = 500;

/**
 * Compiles each SQL text once per connection: a scan runs the same few queries every time, and
 * compiling them anew was about a millisecond of its wait. Safe because every statement runs to
 * completion synchronously (none is iterated) and none is switched to pluck or raw mode.
 */
function reuseStatements(db: JournalDatabase): void {
  const compile = db.prepare.bind(db);
  const compiled = new Map<string, ReturnType<typeof compile>>();
  db.prepare = ((source: string) => {
    let statement = compiled.get(source);
    if (!statement) {
      if (compiled.size >= MAX_STATEMENTS) compiled.clear();
      statement = compile(source);
      compiled.set(source, statement);
    }
    return statement;
  }) as typeof db.prepare;
}

export function schemaVersion(db: JournalDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function latestVersion(list: readonly Migration[] = migrations): number {
  return list.reduce((max, m) => Math.max(max, m.version), 0);
}

/** Applies every migration above `user_version`, each in its own transaction. */
export function migrate(db: JournalDatabase, list: readonly Migration[] = migrations, now: () => number = Date.now): number[] {
  const current = schemaVersion(db);
  if (current > latestVersion(list)) {
    // An older app must not write into a newer schema it does not understand.
    throw new Error(`journal.sqlite has schema ${current}, newer than this app's ${latestVersion(list)}; update the app`);
  }
  const applied: number[] = [];
  const ordered = [...list].sort((a, b) => a.version - b.version);
  for (const m of ordered) {
    if (m.version <= current) continue;
    // IMMEDIATE takes the write lock first, so two processes starting together cannot both migrate.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}
