import { ZodError } from 'zod';
import { PinBook } from '../staff/pin-book';
import type { CliContext } from './context';
import { UsageError } from './exit-codes';
import { readPin } from './manager-proof';
import type { Flags } from './provision';
import { need, type CommandResult } from './pos-commands';

// posctl manager set-pin | list | remove: store IT gives shift managers their PINs. The PIN is
// read from a file or stdin (`--pin-file -`), never from a flag, so it stays out of shell
// history and the process list; what is kept is a salted hash in the OS keychain.

export const managerCommands: Record<string, (ctx: CliContext, flags: Flags) => Promise<CommandResult>> = {
  'manager set-pin': async (ctx, f) => {
    const id = need(f, 'manager');
    try {
      await new PinBook(ctx.secrets).set(id, readPin(f));
    } catch (err) {
      if (err instanceof ZodError) throw new UsageError(err.issues.map((i) => i.message).join('; '));
      throw err;
    }
    ctx.log.info('manager.pin_set', { managerId: id });
    return { body: { manager: id, pin: 'set' } };
  },
  'manager list': async (ctx) => ({ body: { managers: await new PinBook(ctx.secrets).list() } }),
  'manager remove': async (ctx, f) => {
    const id = need(f, 'manager');
    const removed = await new PinBook(ctx.secrets).remove(id);
    if (!removed) throw new UsageError(`manager ${id} has no PIN on this till`);
    ctx.log.info('manager.pin_removed', { managerId: id });
    return { body: { manager: id, removed } };
  },
};
