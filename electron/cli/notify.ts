import { readFileSync } from 'node:fs';
import { NotificationParser, WechatPayError } from '../wechatpay';
import { currentMerchant, openMerchantSession } from '../merchant/session';
import type { CliContext } from './context';
import { UsageError } from './exit-codes';

/**
 * `posctl notify decode --headers FILE --body FILE`: verifies a saved notification with the
 * till's keys and prints the decrypted event. The body file is used byte for byte; headers
 * are a JSON object or raw `Name: value` lines.
 */
export async function notifyDecodeCommand(ctx: CliContext, flags: Record<string, string | boolean | undefined>) {
  if (typeof flags.headers !== 'string' || typeof flags.body !== 'string') throw new UsageError('--headers FILE and --body FILE are required');
  const headers = parseHeaders(readFileSync(flags.headers, 'utf8'));
  const body = readFileSync(flags.body);
  const merchant = currentMerchant(ctx.settings.read(), ctx.secretsFor);
  const apiv3Key = await merchant?.secrets.get('apiv3_key');
  if (!apiv3Key) throw new WechatPayError({ kind: 'configuration', code: 'SECRET_MISSING', message: 'No APIv3 key in the keychain; provision first' });
  const session = await openMerchantSession(merchant, { dataDir: ctx.dataDir.path });
  try {
    const event = await new NotificationParser({ verifier: session.client.verifier, apiv3Key }).parse(headers, body);
    return { event };
  } finally {
    await session.close();
  }
}

function parseHeaders(text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const obj = JSON.parse(trimmed) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k.toLowerCase(), String(v)]));
  }
  const out: Record<string, string> = {};
  for (const line of trimmed.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}
