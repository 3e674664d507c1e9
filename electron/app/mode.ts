// Training or live, and where each runs. A till with no live merchant trains in its own data
// dir (as it always has). A till with a live merchant trains only when a manager chooses it,
// and then in a separate data dir with its own keychain namespace and journal, so practice
// never touches the live merchant's keys, queue or shift, and going back to live needs nothing
// re-provisioned. Going live from a till that never had a live merchant needs IT (posctl).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PosError, type AppMode } from '../../shared/contract';
import { SettingsStore, type Settings } from '../settings/settings';
import type { TillRuntime } from '../till/runtime';

/** Where a manager-chosen training till keeps its simulator, settings and journal. */
export const CHOSEN_TRAINING_DIR = 'training-till';

export const liveProvisioned = (s: Settings) => s.merchant !== null;

/** Live only with a live merchant that the manager has not switched to training. */
export function appMode(s: Settings): AppMode {
  return liveProvisioned(s) && s.mode === 'live' ? 'live' : 'training';
}

export interface TillPlace {
  dataDir: string;
  /** Its own profile id, so its practice merchant has its own keychain namespace too. */
  settings: SettingsStore;
}

/** The data dir and settings the till runtime should start on now. */
export function tillPlace(main: TillPlace): TillPlace {
  const s = main.settings.read();
  if (!liveProvisioned(s) || s.mode === 'live') return main;
  const dir = join(main.dataDir, CHOSEN_TRAINING_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return { dataDir: dir, settings: new SettingsStore(dir) };
}

/**
 * Checks a manager's switch before anything stops. Leaving live is refused while the live
 * till has an open shift or operations still waiting for WeChat Pay: a training till does
 * not drain the live queue, and a shift must not be left half-counted.
 */
export function checkSwitch(to: AppMode, s: Settings, running: TillRuntime | null): void {
  if (to === 'live' && !liveProvisioned(s)) {
    throw new PosError('CONFIGURATION', 'no live merchant is provisioned on this till; store IT provisions one with posctl provision');
  }
  if (to === 'training' && running?.mode === 'live') {
    if (running.pos.shifts.current(running.tillId)) throw new PosError('STATE_CONFLICT', 'close the live shift before switching to training');
    const waiting = running.pos.journal.countByStatus().pending;
    if (waiting > 0) throw new PosError('STATE_CONFLICT', `${waiting} live operation(s) are still waiting for WeChat Pay; switch when the queue is empty`);
  }
}
