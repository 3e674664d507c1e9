// Starts the register API beside either shell (Electron or the web host) once IT has issued
// a register credential; without one there is nobody to serve, so nothing listens.
import type { AppContext } from '../app/context';
import { hasRegisterCredential, RegisterCredentialCheck } from './credential';
import { startRegisterHost, type RegisterHost } from './host';

/** The port the register software is configured with, unless IT chooses another. */
export const DEFAULT_REGISTER_PORT = 47820;

export function registerPort(ctx: Pick<AppContext, 'preset'>, env: NodeJS.ProcessEnv): number {
  // 0 asks the OS for a free port (tests); the chosen one is printed with the host's URL.
  const fromEnv = Number(env.POS_REGISTER_PORT);
  if (env.POS_REGISTER_PORT !== undefined && Number.isInteger(fromEnv) && fromEnv >= 0 && fromEnv < 65536) return fromEnv;
  return ctx.preset.preset?.registerPort ?? DEFAULT_REGISTER_PORT;
}

export async function startRegisterApi(ctx: AppContext, env: NodeJS.ProcessEnv = process.env): Promise<RegisterHost | null> {
  try {
    if (!(await hasRegisterCredential(ctx.secrets))) return null;
    return await startRegisterHost({ router: ctx.router, bus: ctx.bus, log: ctx.log, credential: new RegisterCredentialCheck(ctx.secrets), port: registerPort(ctx, env) });
  } catch (err) {
    // A port already taken or a keychain that does not answer: the till itself still works.
    ctx.log.error('register.not_started', { error: err });
    return null;
  }
}
