import { readFileSync } from 'node:fs';
import { NotificationParser, ResponseVerifier, WechatPayError } from '../wechatpay';
import { currentMerchant, openMerchantSession } from '../merchant/session';
import type { CliContext } from './context';
import { UsageError } from './exit-codes';

/**
 * `posctl notify decode --headers FILE --body FILE [--received-at TIME]`: verifies a saved
 * notification with the till's keys and prints the decrypted event. The body file is used
 * byte for byte; headers are a JSON object or raw `Name: value` lines. The ±300 s window is
 * measured from now, as for a notification arriving live; a notification saved earlier is
 * verified against when it was received (`--received-at`, from the store's own record), and
 * its signature must still match.
 */
export async function notifyDecodeCommand(ctx: CliContext, flags: Record<string, string | boolean | undefined>) {
  if (typeof flags.headers !== 'string' || typeof flags.body !== 'string') throw new UsageError('--headers FILE and --body FILE are required');
  const receivedAt = typeof flags['received-at'] === 'string' ? parseReceivedAt(flags['received-at']) : undefined;
  const headers = parseHeaders(readFileSync(flags.headers, 'utf8'));
  const body = readFileSync(flags.body);
  const merchant = currentMerchant(ctx.settings.read(), ctx.secretsFor);
  const apiv3Key = await merchant?.secrets.get('apiv3_key');
  if (!apiv3Key) throw new WechatPayError({ kind: 'configuration', code: 'SECRET_MISSING', message: 'No APIv3 key in the keychain; provision first' });
  const session = await openMerchantSession(merchant, { dataDir: ctx.dataDir.path });
  try {
    const verifier = receivedAt === undefined ? session.client.verifier : new ResponseVerifier(session.client.verifier.resolver, { clock: () => receivedAt });
    const event = await new NotificationParser({ verifier, apiv3Key }).parse(headers, body);
    return { event };
  } finally {
    await session.close();
  }
}

/** An RFC 3339 time with its offset (`2026-03-01T10:00:00+08:00`), or unix seconds as in Wechatpay-Timestamp. */
function parseReceivedAt(value: string): number {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError('--received-at must be a time with its offset, e.g. 2026-03-01T10:00:00+08:00, or unix seconds');
  return ms;
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
