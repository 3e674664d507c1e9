import { z } from 'zod';

// Going live from the manager's desk: store IT gives the live merchant's files (chosen on the
// page, read there, sent once) and the till keeps the secrets in the OS keychain only; the
// page never gets them back. Then a connection test says, check by check, whether WeChat Pay
// accepts this till — and when not, which of the usual causes it is.

const pem = (max: number) => z.string().min(1).max(max);

export const MerchantProvisionInput = z
  .object({
    mchid: z.string().regex(/^\d{1,32}$/),
    appid: z.string().min(1).max(32),
    /** The merchant's API key and certificate as PEM files, or the .p12 WeChat Pay issued (base64 of its bytes). */
    identity: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('pem'), privateKeyPem: pem(16_000), certificatePem: pem(16_000) }).strict(),
      z.object({ kind: z.literal('p12'), p12Base64: z.string().min(1).max(64_000), p12Password: z.string().max(64).optional() }).strict(),
    ]),
    apiv3Key: z.string().min(1).max(128),
    verification: z.enum(['public_key', 'certificate', 'both']),
    publicKeyId: z.string().max(64).optional(),
    publicKeyPem: pem(16_000).optional(),
    /** Only for a test host (a simulator): WeChat Pay's own API host otherwise. */
    baseUrl: z.string().url().max(200).optional(),
  })
  .strict();
export type MerchantProvisionInput = z.infer<typeof MerchantProvisionInput>;

/** What the till shows of a live merchant: identifiers only, never a key. */
export const LiveMerchantView = z.object({
  mchid: z.string(),
  appid: z.string(),
  merchantSerial: z.string(),
  verification: z.enum(['public_key', 'certificate', 'both']),
  publicKeyId: z.string().nullable(),
  baseUrl: z.string().nullable(),
  provisionedAt: z.string(),
});
export type LiveMerchantView = z.infer<typeof LiveMerchantView>;

export const ConnectionCheckId = z.enum(['files', 'keychain', 'reachable', 'signature', 'verification', 'clock']);
export type ConnectionCheckId = z.infer<typeof ConnectionCheckId>;

/**
 * Why a check failed, as a code the page words in the manager's language:
 * files_invalid (a file is not what it should be: `detail` names which), keychain,
 * unreachable (no connection to the API host), signature_refused (key and certificate serial do
 * not match what WeChat Pay has, or the clock is far off), clock_skew, verification_failed
 * (answers do not verify with the chosen mode: public key id or certificates), unexpected.
 */
export const ConnectionFailure = z.enum(['files_invalid', 'keychain', 'unreachable', 'signature_refused', 'clock_skew', 'verification_failed', 'unexpected']);
export type ConnectionFailure = z.infer<typeof ConnectionFailure>;

export const ConnectionCheck = z.object({
  id: ConnectionCheckId,
  status: z.enum(['ok', 'fail', 'skipped']),
  failure: ConnectionFailure.optional(),
  /** An English detail for IT (never a secret): which file, the skew in seconds, the serial. */
  detail: z.string().max(300).optional(),
});
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

export const ConnectionTest = z.object({ ok: z.boolean(), checks: z.array(ConnectionCheck), skewSeconds: z.number().nullable() });
export type ConnectionTest = z.infer<typeof ConnectionTest>;

/**
 * The connection test, and what was kept: the live merchant; nothing (the test failed: the till
 * is as it was); or, for a test host, nothing either — such files are only tested.
 */
export const MerchantProvisionResult = z.object({ test: ConnectionTest, kept: z.enum(['live', 'test_host', 'nothing']) });
export type MerchantProvisionResult = z.infer<typeof MerchantProvisionResult>;
