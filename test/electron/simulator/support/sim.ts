// Shared set-up for the simulator's HTTP tests: one set of generated keys per test file (key
// generation is the slow part), simulators closed after each test, a raw signed caller that
// can also send what a broken client would, and verifiers built from the protocol core.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { request as undiciRequest } from 'undici';
import { afterEach } from 'vitest';
import { startSimulator, generateKeys, type RunningSimulator, type SimKeys, type SimulatorOptions } from '../../../../electron/simulator/index';
import {
  CertificateSetResolver,
  formatAuthorization,
  PublicKeyResolver,
  RequestSigner,
  ResponseVerifier,
  WechatPayClient,
  type KeyResolver,
  type ResponseVerificationResult,
} from '../../../../electron/wechatpay/index';
import { readFileSync } from 'node:fs';

let keys: Promise<SimKeys> | undefined;

/** Generated once per test file and reused by every simulator it starts. */
export function testKeys(): Promise<SimKeys> {
  keys ??= generateKeys({ mchid: '1900000109', appid: 'wxd678efh567hg6787' });
  return keys;
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (running.length) await (running.pop() as () => Promise<void>)();
});

export function onCleanup(fn: () => Promise<void>): void {
  running.push(fn);
}

export async function startTestSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ keys: await testKeys(), ...options });
  running.push(() => sim.close());
  return sim;
}

export interface Identity {
  mchid: string;
  serial: string;
  privateKey: KeyObject;
}

export function merchantOf(sim: RunningSimulator): Identity {
  const pem = readFileSync(sim.credentials.files.merchant_private_key, 'utf8');
  return { mchid: sim.credentials.mchid, serial: sim.credentials.merchant_serial, privateKey: createPrivateKey(pem) };
}

export interface RawCall {
  method: string;
  /** Path plus `?query`, exactly as signed and sent. */
  url: string;
  body?: string | Buffer;
  /** Replaces the signed body (uploads sign their meta). */
  signedBody?: string;
  headers?: Record<string, string>;
  /** Signs with this identity (default: the simulator's merchant); false sends no Authorization. */
  as?: Identity | false;
  timestampOffsetSeconds?: number;
  /** The clock the offset is added to (ms); default Date.now. Pinned when the simulator's clock is pinned too. */
  signedAtMs?: number;
  /** undici's wait for the response head (ms). */
  headersTimeout?: number;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  json: Record<string, unknown> | undefined;
}

/** A signed request with full control over what goes on the wire. */
export async function call(sim: RunningSimulator, spec: RawCall): Promise<RawAnswer> {
  const identity = spec.as === undefined ? merchantOf(sim) : spec.as;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'simulator-test/1.0',
    ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
  if (identity) {
    const signer = new RequestSigner({ mchid: identity.mchid, serialNo: identity.serial, privateKey: identity.privateKey });
    const signed = signer.sign({
      method: spec.method,
      url: spec.url,
      body: spec.signedBody ?? spec.body ?? '',
      timestamp: Math.floor((spec.signedAtMs ?? Date.now()) / 1000) + (spec.timestampOffsetSeconds ?? 0),
    });
    headers.authorization = signed.authorization;
  }
  Object.assign(headers, spec.headers);
  for (const [k, v] of Object.entries(headers)) if (v === '\u0000drop') delete headers[k];
  const response = await undiciRequest(`${sim.url}${spec.url}`, {
    method: spec.method as 'GET',
    headers,
    body: spec.body ?? null,
    ...(spec.headersTimeout ? { headersTimeout: spec.headersTimeout } : {}),
  });
  const raw = Buffer.from(await response.body.arrayBuffer());
  let json: Record<string, unknown> | undefined;
  try {
    json = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, raw, json };
}

/** Marks a header for removal in `call` (so a test can send a request without it). */
export const DROP = '\u0000drop';

export const post = (sim: RunningSimulator, url: string, body: unknown, extra: Partial<RawCall> = {}) => call(sim, { method: 'POST', url, body: JSON.stringify(body), ...extra });
export const get = (sim: RunningSimulator, url: string, extra: Partial<RawCall> = {}) => call(sim, { method: 'GET', url, ...extra });

/** What the merchant verifies responses with in each mode (platform certificates from the files). */
export function resolverFor(sim: RunningSimulator, mode: 'pubkey' | 'cert' = sim.credentials.mode === 'cert' ? 'cert' : 'pubkey'): KeyResolver {
  if (mode === 'pubkey') {
    return new PublicKeyResolver(sim.credentials.wechatpay_public_key_id, createPublicKey(readFileSync(sim.credentials.files.wechatpay_public_key, 'utf8')));
  }
  return CertificateSetResolver.fromCertificates([readFileSync(sim.credentials.files.platform_certificate, 'utf8')]);
}

export function verify(sim: RunningSimulator, answer: RawAnswer, resolver: KeyResolver = resolverFor(sim)): ResponseVerificationResult {
  return new ResponseVerifier(resolver).verify(answer.headers, answer.raw);
}

/** The protocol core's own client, configured from the credentials line. */
export function clientFor(sim: RunningSimulator, resolver: KeyResolver = resolverFor(sim)): WechatPayClient {
  const me = merchantOf(sim);
  const client = new WechatPayClient({ mchid: me.mchid, serialNo: me.serial, privateKey: me.privateKey, resolver, environment: 'simulator', baseUrl: sim.url, timeoutMs: 10_000 });
  running.push(() => client.close());
  return client;
}

export const BASE = '/v3/marketing/busifavor';

/** A call to the /_sim/ admin API with the start's token (from the credentials line or the in-process handle). */
export function adminFetch(sim: { credentials: { base_url: string; admin_token: string } }, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.credentials.base_url}/_sim/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${sim.credentials.admin_token}`, ...(init.headers as Record<string, string> | undefined) },
  });
}

export { formatAuthorization };
