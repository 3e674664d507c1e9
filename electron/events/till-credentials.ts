// Per-till credentials for the events server: `evt_<id>.<secret>`, made here once and shown to
// IT once (written to a file they carry to the till, whose keychain keeps it). The server keeps
// only the id, the till and store it names, and a SHA-256 of the 32 random bytes of the secret
// (high-entropy, so a plain hash is enough and lookups stay fast). Revoking one till touches no
// other. A till credential can look codes up and push operations, nothing else.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Credential, CredentialRole, DirectoryStore } from './directory-store';

const TOKEN = /^evt_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;
/** Till and store ids as the till's settings and store presets spell them. */
export const TILL_ID = /^[A-Za-z0-9_-]{1,32}$/;

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export interface IssuedCredential {
  credential: Credential;
  /** The only copy of the secret: give it to the till, never store or log it. */
  token: string;
}

export async function issueCredential(store: DirectoryStore, input: { role: CredentialRole; tillId: string; storeId: string; now: number }): Promise<IssuedCredential> {
  if (!TILL_ID.test(input.tillId)) throw new RangeError(`"${input.tillId}" is not a till id (1–32 letters, digits, _ or -)`);
  if (!TILL_ID.test(input.storeId)) throw new RangeError(`"${input.storeId}" is not a store id (1–32 letters, digits, _ or -)`);
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const credential: Credential = { id, role: input.role, tillId: input.tillId, storeId: input.storeId, secretHash: hash(secret), createdAt: input.now, revokedAt: null };
  await store.addCredential(credential);
  return { credential, token: `evt_${id}.${secret}` };
}

/** True when the text has the shape of a credential (a till checks a file before keeping it). */
export const isCredentialToken = (text: string) => TOKEN.test(text);

export type Authorization = { ok: true; credential: Credential } | { ok: false; status: 401 | 403; message: string };

/** Checks the bearer credential of a request and that its role may call what it asks for. */
export async function authorize(store: DirectoryStore, headers: IncomingHttpHeaders, role: CredentialRole): Promise<Authorization> {
  const auth = headers.authorization ?? '';
  const match = TOKEN.exec(auth.startsWith('Bearer ') ? auth.slice(7).trim() : '');
  if (!match) return { ok: false, status: 401, message: 'a credential is required (Authorization: Bearer evt_…)' };
  const [, id, secret] = match as unknown as [string, string, string];
  const credential = await store.credential(id);
  const given = Buffer.from(hash(secret), 'hex');
  // Compared in constant time even for an unknown id, so timing tells nothing about which ids exist.
  const expected = Buffer.from(credential?.secretHash ?? '0'.repeat(64), 'hex');
  if (!credential || !timingSafeEqual(given, expected)) return { ok: false, status: 401, message: 'unknown credential' };
  if (credential.revokedAt !== null) return { ok: false, status: 401, message: 'this credential was revoked' };
  if (credential.role !== role) return { ok: false, status: 403, message: `a ${credential.role} credential cannot call this` };
  return { ok: true, credential };
}
