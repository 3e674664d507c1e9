// posctl's events commands. On the events server's machine (same POS_DATA_DIR as `npm run
// server`): the merchant's notify URL at WeChat (`events callback set|get`), till credentials
// (`events till add|list|revoke`), the chain report (`events report`) and uploaded codes
// (`codes record`). On a till: `till events` points it at the server with its credential, which
// goes to the keychain (read from a file, never the command line).
import { readFileSync, writeFileSync } from 'node:fs';
import { BusifavorClient } from '../busifavor';
import { currentMerchant, openMerchantSession } from '../merchant/session';
import type { DirectoryStore } from '../events/directory-store';
import { describeDatabase, openDirectoryStore } from '../events/open-store';
import { redemptionsCsv, reportDay } from '../events/reports';
import { checkEventsUrl, DEFAULT_LOOKUP_BUDGET_MS, EventsClient } from '../events/till-client';
import { isCredentialToken, issueCredential } from '../events/till-credentials';
import { RequestParamError } from '../../shared/busifavor';
import { classifyScan } from '../../shared/scan';
import type { CliContext } from './context';
import { EXIT, UsageError } from './exit-codes';
import type { CommandResult } from './pos-commands';
import type { Flags } from './provision';

const str = (f: Flags, n: string) => (typeof f[n] === 'string' ? (f[n] as string) : undefined);
const need = (f: Flags, n: string) => str(f, n) ?? fail(`--${n} is required`);
function fail(message: string): never {
  throw new UsageError(message);
}

async function withStore<T>(ctx: CliContext, f: Flags, run: (store: DirectoryStore) => Promise<T>): Promise<T> {
  const store = await openDirectoryStore(str(f, 'database') ?? process.env.EVENTS_DATABASE_URL, ctx.dataDir.path);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

async function withClient<T>(ctx: CliContext, run: (client: BusifavorClient, mchid: string) => Promise<T>): Promise<T> {
  const session = await openMerchantSession(currentMerchant(ctx.settings.read(), ctx.secretsFor), { dataDir: ctx.dataDir.path, timeoutMs: 15_000 });
  try {
    return await run(new BusifavorClient(session.client), session.merchant.mchid);
  } finally {
    await session.close();
  }
}

const credentialJson = (c: { id: string; role: string; tillId: string; storeId: string; createdAt: number; revokedAt: number | null }) => ({
  id: c.id,
  role: c.role,
  till: c.tillId,
  store: c.storeId,
  created_at: new Date(c.createdAt).toISOString(),
  revoked_at: c.revokedAt === null ? null : new Date(c.revokedAt).toISOString(),
});

/** One code per line; blank lines and surrounding spaces ignored; any line that is not a coupon code refuses the whole file. */
function readCodes(file: string): string[] {
  const codes: string[] = [];
  const bad: string[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      const text = line.trim();
      if (text === '') return;
      const scan = classifyScan(text);
      if (scan.kind === 'coupon_code') codes.push(scan.code);
      else bad.push(`line ${i + 1}`);
    });
  if (bad.length > 0) fail(`${file}: not coupon codes at ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ` and ${bad.length - 10} more` : ''}; nothing was recorded`);
  if (codes.length === 0) fail(`${file} holds no codes`);
  return codes;
}

export const eventsCommands: Record<string, (ctx: CliContext, flags: Flags, args: string[]) => Promise<CommandResult>> = {
  'events callback set': (ctx, f) =>
    withClient(ctx, async (client, mchid) => {
      let res;
      try {
        res = await client.call('callbacks.set', { body: { mchid, notify_url: need(f, 'url') } });
      } catch (err) {
        // Refused here, before anything was sent: WeChat takes only an https URL without a query string.
        if (err instanceof RequestParamError) fail(`--url: ${err.message}`);
        throw err;
      }
      ctx.log.info('events.callback_set', { notify_url: res.data.notify_url });
      return { body: { callback: res.data } };
    }),
  'events callback get': (ctx) => withClient(ctx, async (client, mchid) => ({ body: { callback: (await client.call('callbacks.get', { query: { mchid } })).data } })),

  'events till add': (ctx, f) =>
    withStore(ctx, f, async (store) => {
      const out = need(f, 'out');
      const role = str(f, 'role') ?? 'till';
      if (role !== 'till' && role !== 'report') fail('--role is till (default) or report');
      let issued;
      try {
        issued = await issueCredential(store, { role, tillId: need(f, 'till'), storeId: need(f, 'store'), now: Date.now() });
      } catch (err) {
        if (err instanceof RangeError) fail(err.message);
        throw err;
      }
      try {
        // Only this file ever holds the secret: created new, readable by its owner alone.
        writeFileSync(out, `${issued.token}\n`, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        await store.revokeCredential(issued.credential.id, Date.now());
        fail(`${out}: ${(err as NodeJS.ErrnoException).code === 'EEXIST' ? 'already exists (choose a new file)' : (err as Error).message}; the credential was revoked again`);
      }
      ctx.log.info('events.credential_added', { id: issued.credential.id, till: issued.credential.tillId, store: issued.credential.storeId, role });
      return { body: { credential: credentialJson(issued.credential), file: out, database: describeDatabase(str(f, 'database'), ctx.dataDir.path) } };
    }),
  'events till list': (ctx, f) => withStore(ctx, f, async (store) => ({ body: { credentials: (await store.credentials()).map(credentialJson) } })),
  'events till revoke': (ctx, f, args) =>
    withStore(ctx, f, async (store) => {
      const id = (args[0] ?? fail('the credential id is required (see events till list)')).replace(/^evt_/, '');
      const revoked = await store.revokeCredential(id, Date.now());
      ctx.log.info('events.credential_revoked', { id, revoked });
      return revoked ? { body: { revoked: id } } : { body: { revoked: null, message: `no live credential ${id}` }, exit: EXIT.usage };
    }),

  'events report': (ctx, f) =>
    withStore(ctx, f, async (store) => {
      const day = reportDay(str(f, 'date'), Date.now()) ?? fail('--date must be YYYY-MM-DD');
      const operations = await store.operationsBetween(day.from, day.to);
      const out = need(f, 'out');
      writeFileSync(out, redemptionsCsv(day.date, operations));
      return { body: { date: day.date, operations: operations.length, csv: out } };
    }),

  'codes record': (ctx, f) =>
    withStore(ctx, f, async (store) => {
      const stockId = need(f, 'stock-id');
      if (!/^\d{1,20}$/.test(stockId)) fail('--stock-id is the stock id WeChat Pay gave (digits)');
      const codes = readCodes(need(f, 'file'));
      const added = await store.recordUploaded(stockId, codes, Date.now());
      ctx.log.info('events.codes_recorded', { stock_id: stockId, codes: codes.length, added });
      return { body: { stock_id: stockId, codes: codes.length, added } };
    }),

  'till events': async (ctx, f) => {
    if (f.off === true) {
      ctx.settings.update({ events: undefined });
      await ctx.secrets.delete('events_credential');
      return { body: { events: null } };
    }
    let url: string;
    try {
      url = checkEventsUrl(need(f, 'url'));
    } catch (err) {
      fail((err as Error).message);
    }
    const token = readFileSync(need(f, 'credential-file'), 'utf8').trim();
    if (!isCredentialToken(token)) fail(`${str(f, 'credential-file')} does not hold an events credential (evt_…); use the file posctl events till add wrote`);
    const budget = str(f, 'budget-ms') === undefined ? DEFAULT_LOOKUP_BUDGET_MS : Number(str(f, 'budget-ms'));
    if (!Number.isInteger(budget) || budget < 50 || budget > 10_000) fail('--budget-ms must be 50..10000');
    await ctx.secrets.set('events_credential', token);
    ctx.settings.update({ events: { url, lookupBudgetMs: budget } });
    const client = new EventsClient({ url, credential: token });
    const status = await client.probe().finally(() => client.close());
    ctx.log.info('events.configured', { url, server: status.state });
    return {
      body: { events: { url, lookup_budget_ms: budget, server: status.state, detail: status.detail } },
      ...(status.state === 'unauthorized' ? { exit: EXIT.configuration } : {}),
    };
  },
};
