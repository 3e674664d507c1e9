// A manager's action from the command line needs the same proof as at the till: the manager's
// PIN, read from a file or stdin (never a flag), checked by the same PinBook against the same
// lock, so posctl is no way around five wrong tries. What is recorded says who and from where:
// the manager id beside the OS account that ran posctl.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { liveProvisioned } from '../app/mode';
import { SqliteLockStore } from '../staff/lock-store';
import { PinBook } from '../staff/pin-book';
import type { CliContext } from './context';
import { ManagerProofError, UsageError } from './exit-codes';
import type { Flags } from './provision';

/** The first line of `--pin-file FILE`, or of stdin for `--pin-file -`. */
export function readPin(f: Flags): string {
  if (typeof f['pin-file'] !== 'string') throw new UsageError('--pin-file FILE is required (or --pin-file - to read it from stdin)');
  const raw = readFileSync(f['pin-file'] === '-' ? 0 : f['pin-file'], 'utf8');
  return raw.split(/\r?\n/)[0]!.trim();
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the numeric id still says who.
    return process.env.USER ?? process.env.USERNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** Checks `--manager M --pin-file F`; returns what the journal records as the actor, e.g. `M01 (posctl: alice)`. */
export async function proveManager(ctx: CliContext, f: Flags, command: string): Promise<string> {
  if (typeof f.manager !== 'string' || !f.manager) throw new UsageError('--manager is required');
  const managerId = f.manager;
  const pin = readPin(f);
  const lock = new SqliteLockStore(ctx.dataDir.path);
  let check;
  try {
    check = await new PinBook(ctx.secrets, { lockStore: lock }).check(managerId, pin, { training: !liveProvisioned(ctx.settings.read()) });
  } finally {
    lock.close();
  }
  const user = osUser();
  if (!check.ok) {
    ctx.log.warn('manager.sign_in_refused', { managerId, reason: check.reason, via: 'posctl', command, osUser: user });
    if (check.reason === 'locked' || check.reason === 'busy') {
      throw new ManagerProofError('PIN_LOCKED', `too many wrong PINs; try again in ${Math.ceil(check.retryAfterMs / 1000)} s`);
    }
    const why = check.reason === 'no_pins' ? 'no manager PIN is set on this till (posctl manager set-pin)' : 'wrong manager id or PIN';
    throw new ManagerProofError('PIN_REJECTED', `${why}; ${check.attemptsLeft} attempt(s) left before the lock`);
  }
  ctx.log.info('manager.posctl_action', { managerId, command, osUser: user });
  return `${managerId} (posctl: ${user})`;
}
