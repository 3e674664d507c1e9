// posctl: the store-IT command line. JSON on stdout, exit codes per docs/contracts.md#posctl-exit-codes:
// 0 ok, 2 bad usage or input, 3 WeChat Pay business error, 4 accepted offline / outcome
// pending, 5 security failure, 6 configuration or keychain failure. Honours POS_DATA_DIR.
import { parseArgs } from 'node:util';
import { createCliContext, type CliContext } from './context';
import { backofficeCommands } from './backoffice';
import { classifyFailure, EXIT } from './exit-codes';
import { healthCommand } from './health';
import { eventsCommands } from './events';
import { managerCommands } from './manager';
import { notifyDecodeCommand } from './notify';
import { posCommands, type CommandResult } from './pos-commands';
import { redeemCommand } from './redeem';
import { registerCommands } from './register';
import { orderPolicyCommands } from './order-policy';
import { apiV2KeyCommand, deprovisionCommand, provisionCommand, type Flags } from './provision';

type Command = (ctx: CliContext, flags: Flags, args: string[]) => Promise<CommandResult>;
const plain =
  (run: (ctx: CliContext, flags: Flags) => Promise<object>): Command =>
  async (ctx, flags) => ({ body: { ...(await run(ctx, flags)) } });

export const commands: Record<string, Command> = {
  provision: plain(provisionCommand),
  deprovision: plain(deprovisionCommand),
  'apiv2 set': plain(apiV2KeyCommand),
  health: healthCommand,
  'notify decode': plain(notifyDecodeCommand),
  redeem: redeemCommand,
  ...posCommands,
  ...orderPolicyCommands,
  ...registerCommands,
  ...managerCommands,
  ...eventsCommands,
  ...backofficeCommands,
};

// Every flag posctl knows; parseArgs needs the types to read `--mchid 123` as a value.
const STRING_FLAGS = [
  'creds',
  'mchid',
  'appid',
  'key',
  'cert',
  'p12',
  'p12-password',
  'p12-password-file',
  'apiv3-key-file',
  'apiv2-key-file',
  'public-key',
  'public-key-id',
  'base-url',
  'headers',
  'body',
  'received-at',
  'openid',
  'stock',
  'stock-id',
  'order',
  'amount',
  'reason',
  'request-no',
  'state',
  'limit',
  'offset',
  'appid-override',
  'shift',
  'till',
  'cashier',
  'out',
  'manager',
  'note',
  'status',
  'pin-file',
  'mode',
  'max-discount',
  'max-count',
  'max-total',
  'url',
  'file',
  'database',
  'credential-file',
  'date',
  'budget-ms',
  'role',
  'store',
  'max-coupons',
  'same-stock',
  'threshold',
  'require-order',
  'target',
  'current',
  'value',
  'code',
  'transaction',
  'payee',
  'payer',
  'description',
];
const BOOLEAN_FLAGS = ['training', 'live', 'certificate-mode', 'both-modes', 'help', 'csv', 'off'];
const OPTIONS = Object.fromEntries([...STRING_FLAGS.map((n) => [n, { type: 'string' as const }]), ...BOOLEAN_FLAGS.map((n) => [n, { type: 'boolean' as const }])]);

const USAGE = `usage: posctl <command> [options]
commands: ${Object.keys(commands).join(' | ')}`;

export async function runPosctl(argv: string[], out: (line: string) => void, env = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    out(JSON.stringify({ ok: false, error: { kind: 'usage', message: (err as Error).message } }));
    return EXIT.usage;
  }
  // The longest command the words spell (`events till add` before `events`).
  const words = parsed.positionals;
  const depth = [3, 2, 1].find((n) => words.length >= n && commands[words.slice(0, n).join(' ')] !== undefined) ?? 0;
  const command = depth > 0 ? commands[words.slice(0, depth).join(' ')] : undefined;
  const flags = parsed.values as Flags;
  if (!command || flags.help) {
    out(JSON.stringify({ ok: !!flags.help, usage: USAGE }));
    return flags.help ? EXIT.ok : EXIT.usage;
  }
  const args = words.slice(depth);
  try {
    const ctx = createCliContext(env);
    const result = await command(ctx, flags, args);
    const exit = result.exit ?? EXIT.ok;
    out(JSON.stringify({ ok: exit === EXIT.ok, ...result.body }));
    return exit;
  } catch (err) {
    const failure = classifyFailure(err);
    out(JSON.stringify({ ok: false, error: failure.error }));
    return failure.exit;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('posctl.ts')) {
  const code = await runPosctl(process.argv.slice(2), (line) => process.stdout.write(line + '\n'));
  process.exit(code);
}
