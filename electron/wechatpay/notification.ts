// Incoming notifications (callbacks): verify the headers over the raw body first, only then
// parse, check the envelope and open `resource` with the APIv3 key.
import { aeadDecryptText } from './aead';
import { WechatPayError } from './errors';
import { validateApiV3Key } from './keys';
import type { HeaderSource, ResponseVerifier, VerifierKeyMode } from './verify';

export interface NotificationEvent<T = unknown> {
  id: string;
  create_time: string;
  event_type: string;
  summary: string;
  resource_type: string;
  original_type?: string;
  /** The decrypted, JSON-parsed resource plaintext. */
  resource: T;
  /** Which key verified the notification. */
  verifiedBy: { serial: string; mode: VerifierKeyMode };
}

interface Envelope {
  id?: unknown;
  create_time?: unknown;
  event_type?: unknown;
  summary?: unknown;
  resource_type?: unknown;
  resource?: {
    original_type?: unknown;
    algorithm?: unknown;
    ciphertext?: unknown;
    associated_data?: unknown;
    nonce?: unknown;
  };
}

function invalid(message: string): WechatPayError {
  return new WechatPayError({ kind: 'rejected', code: 'INVALID_NOTIFICATION', message: `Notification rejected: ${message}` });
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(`field ${field} missing`);
  return value;
}

export interface NotificationParserOptions {
  verifier: ResponseVerifier;
  apiv3Key: Buffer | string;
}

export class NotificationParser {
  readonly #verifier: ResponseVerifier;
  readonly #key: Buffer;

  constructor(options: NotificationParserOptions) {
    this.#verifier = options.verifier;
    this.#key = validateApiV3Key(options.apiv3Key);
  }

  /**
   * Throws 'security' when the signature fails (answer WeChat Pay with a failure status: it
   * retries), 'configuration' when a verified notification will not decrypt (wrong APIv3
   * key), 'rejected' for a verified but malformed envelope.
   */
  async parse<T = unknown>(headers: HeaderSource, rawBody: Buffer | string): Promise<NotificationEvent<T>> {
    const verifiedBy = await this.#verifier.verifyOrThrow(headers, rawBody);
    let envelope: Envelope;
    try {
      envelope = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8')) as Envelope;
    } catch {
      throw invalid('body is not JSON');
    }
    if (!envelope || typeof envelope !== 'object') throw invalid('body is not an object');
    if (envelope.resource_type !== 'encrypt-resource') throw invalid('resource_type is not encrypt-resource');
    const resource = envelope.resource;
    if (!resource || typeof resource !== 'object') throw invalid('resource missing');
    if (resource.algorithm !== 'AEAD_AES_256_GCM') throw invalid('resource.algorithm is not AEAD_AES_256_GCM');
    let plaintext: string;
    try {
      plaintext = aeadDecryptText({
        key: this.#key,
        nonce: text(resource.nonce, 'resource.nonce'),
        associatedData: typeof resource.associated_data === 'string' ? resource.associated_data : '',
        ciphertext: text(resource.ciphertext, 'resource.ciphertext'),
      });
    } catch (err) {
      if (err instanceof WechatPayError && err.code === 'INVALID_NOTIFICATION') throw err;
      throw new WechatPayError({
        kind: 'configuration',
        code: 'NOTIFICATION_DECRYPT_FAILED',
        message: 'A correctly signed notification could not be decrypted: the APIv3 key configured here is not the one set in the merchant console',
      });
    }
    let parsed: T;
    try {
      parsed = JSON.parse(plaintext) as T;
    } catch {
      throw invalid('decrypted resource is not JSON');
    }
    return {
      id: text(envelope.id, 'id'),
      create_time: text(envelope.create_time, 'create_time'),
      event_type: text(envelope.event_type, 'event_type'),
      summary: typeof envelope.summary === 'string' ? envelope.summary : '',
      resource_type: envelope.resource_type,
      ...(typeof resource.original_type === 'string' ? { original_type: resource.original_type } : {}),
      resource: parsed,
      verifiedBy,
    };
  }
}
