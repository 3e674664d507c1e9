// `posctl register issue|revoke|status|schema`: the store register's credential and what its
// API offers. The token is printed once, at issue; only its hash is kept (in the keychain).
import { hasRegisterCredential, issueRegisterCredential, revokeRegisterCredential } from '../register/credential';
import { registerSchema } from '../register/host';
import { registerPort } from '../register/start';
import type { CliContext } from './context';
import type { CommandResult } from './pos-commands';

const base = (ctx: CliContext) => `http://127.0.0.1:${registerPort({ preset: { preset: ctx.preset, source: null } }, process.env)}/register/v1`;

export const registerCommands: Record<string, (ctx: CliContext) => Promise<CommandResult>> = {
  'register issue': async (ctx) => ({
    body: {
      credential: await issueRegisterCredential(ctx.secrets),
      url: base(ctx),
      note: 'Copy the credential into the register software now: it is not shown again. Restart the till app if it was running without one.',
    },
  }),
  'register revoke': async (ctx) => ({ body: { revoked: await revokeRegisterCredential(ctx.secrets) } }),
  'register status': async (ctx) => ({ body: { issued: await hasRegisterCredential(ctx.secrets), url: base(ctx) } }),
  'register schema': async () => ({ body: { schema: registerSchema() } }),
};
