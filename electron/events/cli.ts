// `npm run server -- [--port N] [--host H] [--database URL] [--notify-path P]`: the events
// server, provisioned like a till (`POS_DATA_DIR=… posctl provision …`: the APIv3 key and the
// verification keys come from the OS keychain and settings). Prints one JSON line once it
// listens; logs go to `<data dir>/logs/app.log` and stderr. Exit 2 bad usage, 6 configuration.
import { parseArgs } from 'node:util';
import { NotificationParser } from '../wechatpay';
import { createCliContext } from '../cli/context';
import { EXIT } from '../cli/exit-codes';
import { createLogger } from '../log/logger';
import { currentMerchant, openMerchantSession } from '../merchant/session';
import { NotificationReceiver } from './notifications';
import { describeDatabase, openDirectoryStore } from './open-store';
import { DEFAULT_NOTIFY_PATH, startEventsServer } from './server';

const USAGE = 'usage: npm run server -- [--port N] [--host 127.0.0.1] [--database postgres://…|FILE] [--notify-path /wechatpay/notify]';

function fail(exit: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(exit);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { port: { type: 'string' }, host: { type: 'string' }, database: { type: 'string' }, 'notify-path': { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: false,
    }));
  } catch (err) {
    fail(EXIT.usage, `${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const port = values.port === undefined ? 8090 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(EXIT.usage, `--port must be 0..65535\n${USAGE}`);
  const notifyPath = values['notify-path'] ?? DEFAULT_NOTIFY_PATH;
  if (!/^\/[A-Za-z0-9/_.-]*$/.test(notifyPath)) fail(EXIT.usage, '--notify-path must be a path such as /wechatpay/notify (no query string)');
  const database = values.database ?? process.env.EVENTS_DATABASE_URL;

  const ctx = createCliContext();
  const settings = ctx.settings.read();
  // A practice merchant (provisioned with --training, on the simulator) serves too: its keys
  // live in their own keychain namespace.
  const merchant = currentMerchant(settings, ctx.secretsFor);
  if (!merchant) fail(EXIT.configuration, 'No merchant is provisioned in this data dir: run `posctl provision …` with the same POS_DATA_DIR first');
  const apiv3Key = await merchant.secrets.get('apiv3_key');
  if (!apiv3Key) fail(EXIT.configuration, 'The APIv3 key is missing from the keychain: provision again');
  const log = createLogger({ dir: ctx.dataDir.path, stderr: true, secrets: () => [apiv3Key] });
  const session = await openMerchantSession(merchant, { dataDir: ctx.dataDir.path });
  // Certificate mode: platform certificates rotate, and the server runs for months.
  session.certificates?.start();
  const store = await openDirectoryStore(database, ctx.dataDir.path);
  const receiver = new NotificationReceiver({ parser: new NotificationParser({ verifier: session.client.verifier, apiv3Key }), store, log });
  const server = await startEventsServer({ store, receiver, log, port, notifyPath, ...(values.host ? { host: values.host } : {}) });
  process.stdout.write(
    `${JSON.stringify({ url: server.url, notify_url: server.notifyUrl, notify_path: notifyPath, store: store.kind, database: describeDatabase(database, ctx.dataDir.path), mchid: merchant.record.mchid })}\n`,
  );
  const stop = async () => {
    await server.close();
    await store.close();
    await session.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => fail(EXIT.configuration, `events server failed to start: ${err instanceof Error ? err.message : String(err)}`));
