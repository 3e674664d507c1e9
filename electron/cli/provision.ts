import { readFileSync } from 'node:fs';
import { CredentialsFile, deprovisionMerchant, provisionMerchant, sourceFromCredentials, type ProvisionSource } from '../merchant/provision';
import { rememberSecret } from '../log/known-secrets';
import { currentMerchant } from '../merchant/session';
import { startTrainingBackend } from '../till/training';
import { validateApiV2Key } from '../wechatpay';
import type { CliContext } from './context';
import { UsageError } from './exit-codes';

export type Flags = Record<string, string | boolean | undefined>;

const str = (flags: Flags, name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
const need = (flags: Flags, name: string) => {
  const v = str(flags, name);
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
};

/**
 * `posctl provision --training` (the embedded simulator, as an unprovisioned app does),
 * `posctl provision --creds FILE [--training]` (the simulator's credentials line) or from the
 * merchant's own files: `--mchid --appid (--key apiclient_key.pem --cert apiclient_cert.pem |
 * --p12 apiclient_cert.p12 [--p12-password-file FILE|-]) --apiv3-key-file FILE [--apiv2-key-file FILE]
 * (--public-key FILE --public-key-id PUB_KEY_ID_… | --certificate-mode)`. Secret values are read from files,
 * never from the command line, where shell history and `ps` would keep them.
 */
export async function provisionCommand(ctx: CliContext, flags: Flags) {
  let source: ProvisionSource;
  const credsPath = str(flags, 'creds');
  if (flags.training === true && !credsPath && !str(flags, 'mchid')) {
    // Same as an unprovisioned app start: the embedded simulator's keys and state in the data dir.
    const sim = await startTrainingBackend({ dataDir: ctx.dataDir.path, settings: ctx.settings, secretsFor: ctx.secretsFor });
    await sim.close();
    const merchant = ctx.settings.read().training!;
    ctx.log.info('merchant.provisioned', { mchid: merchant.mchid, training: true, verification: merchant.verification });
    return { provisioned: { mchid: merchant.mchid, appid: merchant.appid, merchantSerial: merchant.merchantSerial, verification: merchant.verification, training: true } };
  }
  if (credsPath) {
    const creds = CredentialsFile.parse(JSON.parse(readFileSync(credsPath, 'utf8')));
    source = sourceFromCredentials(creds, { training: flags.training === true || !flags.live });
  } else {
    const p12 = str(flags, 'p12');
    const certificateMode = flags['certificate-mode'] === true;
    const both = flags['both-modes'] === true;
    source = {
      mchid: need(flags, 'mchid'),
      appid: need(flags, 'appid'),
      identity: p12
        ? { p12: readFileSync(p12), ...p12Password(flags) }
        : { privateKeyPem: readFileSync(need(flags, 'key'), 'utf8'), certificatePem: readFileSync(need(flags, 'cert'), 'utf8') },
      apiv3Key: readFileSync(need(flags, 'apiv3-key-file'), 'utf8').trim(),
      ...(str(flags, 'apiv2-key-file') ? { apiv2Key: readFileSync(str(flags, 'apiv2-key-file') as string, 'utf8').trim() } : {}),
      verification: both ? 'both' : certificateMode ? 'certificate' : 'public_key',
      ...(!certificateMode || both ? { publicKeyId: need(flags, 'public-key-id'), publicKeyPem: readFileSync(need(flags, 'public-key'), 'utf8') } : {}),
      ...(str(flags, 'base-url') ? { baseUrl: str(flags, 'base-url') } : {}),
      training: flags.training === true,
    };
  }
  const summary = await provisionMerchant(source, ctx);
  ctx.log.info('merchant.provisioned', { mchid: summary.mchid, training: summary.training, verification: summary.verification });
  return { provisioned: summary };
}

/** `--p12-password-file FILE|-`: the first line of the file, or of stdin. */
function p12Password(flags: Flags): { p12Password?: string } {
  if (flags['p12-password'] !== undefined) {
    throw new UsageError('--p12-password is not accepted: ps and shell history would keep it; give --p12-password-file FILE (or - to read it from stdin)');
  }
  const file = str(flags, 'p12-password-file');
  if (!file) return {};
  const password = readFileSync(file === '-' ? 0 : file, 'utf8').split(/\r?\n/)[0]!;
  rememberSecret(password);
  return { p12Password: password };
}

/**
 * `posctl apiv2 set --apiv2-key-file FILE`: the merchant's APIv2 key, which signs the sending
 * plugin's parameters (`posctl send params`), on a till already provisioned. Read from a file,
 * kept in the keychain only.
 */
export async function apiV2KeyCommand(ctx: CliContext, flags: Flags) {
  const merchant = currentMerchant(ctx.settings.read(), ctx.secretsFor);
  if (!merchant) throw new UsageError('no merchant is provisioned on this till: run posctl provision first');
  const key = validateApiV2Key(readFileSync(need(flags, 'apiv2-key-file'), 'utf8').trim());
  // Beside the merchant's other secrets: the practice merchant's namespace in training.
  await merchant.secrets.set('apiv2_key', key);
  ctx.log.info('merchant.apiv2_key_set');
  return { apiv2_key: 'set' };
}

export async function deprovisionCommand(ctx: CliContext) {
  await deprovisionMerchant(ctx);
  ctx.log.info('merchant.deprovisioned');
  return { deprovisioned: true };
}
