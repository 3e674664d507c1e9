// `--state DIR`: the whole SimState as one JSON file, rewritten (temp file + rename) after
// every change and before the answer that reports it leaves, so a crash never leaves a torn
// file and a restarted simulator answers replays of old request numbers as before.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './credentials';

const STATE_FILE = 'state.json';
const SEED_FILE = 'seed.json';

export class StateDir {
  readonly dir: string;
  #dirty = false;
  #scheduled = false;
  writes = 0;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** The saved SimState document, if an earlier run left one. */
  loadState(): unknown {
    const path = join(this.dir, STATE_FILE);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined;
  }

  loadSeed(): unknown {
    const path = join(this.dir, SEED_FILE);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined;
  }

  saveSeed(seed: unknown): void {
    writeFileAtomic(join(this.dir, SEED_FILE), JSON.stringify(seed));
  }

  /**
   * Notes a change; `snapshot` is written by the next `flush` (the server flushes before
   * answering), or on the next turn of the event loop for changes made outside a request.
   */
  markDirty(snapshot: () => unknown): void {
    this.#dirty = true;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.flush(snapshot);
    });
  }

  flush(snapshot: () => unknown): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    writeFileAtomic(join(this.dir, STATE_FILE), JSON.stringify(snapshot()));
    this.writes += 1;
  }
}
