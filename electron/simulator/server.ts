// startSimulator: a busifavor "WeChat Pay" on a loopback port. The /v3 API (pipeline.ts)
// and the /_sim admin API (admin-http.ts) share one port; the app's training mode and the
// tests start it in-process, `npm run sim` (cli.ts) starts it standalone.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RateLimit } from '../../shared/busifavor/index';
import { SimAdmin } from './admin';
import { handleAdmin } from './admin-http';
import { MerchantKeys } from './auth';
import type { SimContext } from './context';
import {
  credentialsLine,
  forgetSavedKeys,
  generateKeys,
  loadKeyObjects,
  readSavedKeys,
  writeCredentialFiles,
  type CredentialsLine,
  type KeyMode,
  type SimKeys,
} from './credentials';
import { FaultPlan, parseFaultSpec, type FaultRule } from './faults';
import { Notifier } from './notify';
import { handleApi, handleTooLarge, handleUnknown, type Exchange } from './pipeline';
import { RateLimiter } from './rate-limit';
import { ResponseSigning } from './signing';
import { SimState, SystemClock, type Clock, type SeedSummary } from './state/index';
import { StateDir } from './state-dir';

/** An image upload (2 MB) plus multipart framing fits; anything larger is refused unread. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface SimulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  mode?: KeyMode;
  /** Seeds ids, codes and fault decisions (default 1). */
  seed?: number;
  /** Persist state and keys here and reload them on start; default: in memory. */
  stateDir?: string;
  /** Where the credential files go without a state dir (default: a fresh temp dir, removed on close). */
  credentialsDir?: string;
  /** Reuse generated keys (tests save the ~1 s of key generation). Ignored when the state dir has keys. */
  keys?: SimKeys;
  /**
   * With a state dir: false keeps the state but not the keys — fresh keys each start, under the
   * same merchant and AppID, and the credential files in a temp dir removed on close. Training
   * uses it so no private key file ever sits in the till's data dir (it re-provisions each start).
   */
  persistKeys?: boolean;
  faults?: string | FaultRule[];
  /** Business clock (validity, expiry, daily budgets). Default: wall clock. */
  clock?: Clock;
  /** Signature clock (ms): request window and response timestamps. Default Date.now. */
  now?: () => number;
  rateLimits?: boolean;
  /** For endpoints without a documented limit; null = none. Default 100/s. */
  defaultRateLimit?: RateLimit | null;
  notifyTimeScale?: number;
  allowHttpCallbacks?: boolean;
  /** Demo stocks and coupons at first start (default true). */
  seedData?: boolean;
  seedUsers?: number;
}

export interface RunningSimulator {
  url: string;
  /** Also in the credentials line: the /_sim/ admin API's bearer token, new on every start. */
  adminToken: string;
  credentials: CredentialsLine;
  state: SimState;
  admin: SimAdmin;
  close(): Promise<void>;
}

/** The seed summary plus the partner merchant that can receive subsidy payments. */
export type SeedWithPartner = SeedSummary & { partner_mchid: string };

function partnerOf(mchid: string): string {
  const next = (BigInt(mchid) + 1n).toString();
  return next.length <= 15 ? next : (BigInt(mchid) - 1n).toString();
}

function loadState(dir: StateDir | undefined, options: SimulatorOptions): { state: SimState; restored: boolean } {
  const saved = dir?.loadState();
  if (saved !== undefined) return { state: SimState.fromJSON(saved, options.clock ? { clock: options.clock } : {}), restored: true };
  return { state: new SimState({ seed: options.seed ?? 1, clock: options.clock ?? new SystemClock() }), restored: false };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seed = options.seed ?? 1;
  const mode = options.mode ?? 'pubkey';
  const stateDir = options.stateDir ? new StateDir(resolve(options.stateDir)) : undefined;
  const keysDir = options.persistKeys === false ? undefined : stateDir;
  // Throwaway credentials live in a temp dir of our own, removed again on close.
  const tempDir = keysDir || options.credentialsDir ? undefined : mkdtempSync(join(tmpdir(), 'busifavor-sim-'));
  const filesDir = keysDir?.dir ?? tempDir ?? resolve(options.credentialsDir as string);
  // A state dir that keeps no keys drops any an earlier run left, keeping their merchant's ids.
  const ids = stateDir && !keysDir ? forgetSavedKeys(stateDir.dir) : {};
  const keys = (keysDir && readSavedKeys(keysDir.dir)) ?? options.keys ?? (await generateKeys(ids));
  let files = writeCredentialFiles(filesDir, keys);
  const loaded = loadKeyObjects(keys);
  const now = options.now ?? Date.now;

  const { state, restored } = loadState(stateDir, options);
  const merchantKeys = new MerchantKeys();
  merchantKeys.add(keys.mchid, keys.merchant.serial, loaded.merchantPublicKey);
  state.addMerchant({ mchid: keys.mchid, appids: [keys.appid] });
  // A second merchant with no API keys of its own: the payee of subsidy (营销补差) payments.
  const partnerMchid = partnerOf(keys.mchid);
  state.addMerchant({ mchid: partnerMchid });
  const signing = new ResponseSigning(keys, loaded, { mode, now, seed });
  const faults = new FaultPlan(seed, typeof options.faults === 'string' ? parseFaultSpec(options.faults) : (options.faults ?? []));
  const rateLimiter = new RateLimiter({ enabled: options.rateLimits ?? true, ...(options.defaultRateLimit !== undefined ? { defaultLimit: options.defaultRateLimit } : {}), now });
  const reseed = (): SeedWithPartner => ({
    ...state.seed({ mchid: keys.mchid, appid: keys.appid, ...(options.seedUsers ? { users: options.seedUsers } : {}) }),
    partner_mchid: partnerMchid,
  });
  const seedSummary: unknown = restored ? (stateDir?.loadSeed() ?? null) : options.seedData === false ? null : reseed();
  if (stateDir && !restored) stateDir.saveSeed(seedSummary);
  const notifier = new Notifier({
    state,
    signing,
    apiv3Key: keys.apiv3Key,
    ...(options.notifyTimeScale !== undefined ? { timeScale: options.notifyTimeScale } : {}),
    allowHttpCallbacks: options.allowHttpCallbacks ?? false,
  });

  let baseUrl = '';
  const access = { token: randomBytes(32).toString('base64url'), port: 0 };
  const ctx: SimContext = {
    state,
    keys,
    merchantKeys,
    signing,
    faults,
    rateLimiter,
    notifier,
    stateDir,
    now,
    stats: new Map(),
    credentials: () => credentialsLine(keys, { baseUrl, mode, files, seed: ctx.seedSummary, adminToken: access.token }),
    reseed: (): SeedWithPartner => {
      const summary = reseed();
      ctx.seedSummary = summary;
      stateDir?.saveSeed(summary);
      return summary;
    },
    saveKeys: () => {
      files = writeCredentialFiles(filesDir, keys);
    },
    seedSummary,
  };
  if (stateDir) {
    state.onChange(() => stateDir.markDirty(() => state.toJSON()));
    stateDir.markDirty(() => state.toJSON());
    stateDir.flush(() => state.toJSON());
  }
  const admin = new SimAdmin(ctx, seed);

  const held = new Set<ServerResponse>();
  const requestIdPrefix = randomBytes(8).toString('hex').toUpperCase();
  let requestCounter = 0;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    requestCounter += 1;
    const requestId = `${requestIdPrefix}${requestCounter.toString(16).toUpperCase().padStart(8, '0')}`;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const ex: Exchange = { req, res, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), requestId, held };
      const url = req.url ?? '/';
      let work: Promise<void> | void;
      if (url === '/_sim' || url.startsWith('/_sim/')) work = handleAdmin(admin, access, req, res, ex.body);
      else if (tooLarge) work = handleTooLarge(ctx, ex);
      else if (url.startsWith('/v3/')) work = handleApi(ctx, ex);
      else work = handleUnknown(ctx, ex);
      Promise.resolve(work).catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8', 'Request-ID': requestId });
          res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: '模拟器内部错误' }));
        } else res.destroy();
      });
    });
  });
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  access.port = address.port;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolveClose) => {
      notifier.close();
      stateDir?.flush(() => state.toJSON());
      server.close(() => {
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
        resolveClose();
      });
      server.closeAllConnections();
    });
    return closing;
  };
  return { url: baseUrl, adminToken: access.token, credentials: ctx.credentials(), state, admin, close };
}
