// AEAD_AES_256_GCM as WeChat Pay uses it: key, nonce and associated data are the UTF-8 bytes
// of printable strings, and the ciphertext field is base64(ciphertext || 16-byte tag).
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { WechatPayError } from './errors';

const TAG_LENGTH = 16;

/** 'aes-128-gcm' exists only because two published SDK vectors use 16-byte keys. */
export type AeadCipher = 'aes-256-gcm' | 'aes-128-gcm';

const KEY_LENGTH: Record<AeadCipher, number> = { 'aes-256-gcm': 32, 'aes-128-gcm': 16 };

export interface AeadInput {
  key: Buffer | string;
  nonce: Buffer | string;
  associatedData?: Buffer | string;
  cipher?: AeadCipher;
}

function bytes(value: Buffer | string): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function keyBytes(key: Buffer | string, cipher: AeadCipher): Buffer {
  const k = bytes(key);
  if (k.length !== KEY_LENGTH[cipher]) {
    throw new WechatPayError({
      kind: 'configuration',
      code: 'APIV3_KEY_LENGTH',
      message: `The APIv3 key must be exactly ${KEY_LENGTH[cipher]} bytes for ${cipher.toUpperCase()} (got ${k.length}); it is not the APIv2 key`,
    });
  }
  return k;
}

export function aeadEncrypt(input: AeadInput & { plaintext: Buffer | string }): string {
  const cipherName = input.cipher ?? 'aes-256-gcm';
  const cipher = createCipheriv(cipherName, keyBytes(input.key, cipherName), bytes(input.nonce), {
    authTagLength: TAG_LENGTH,
  });
  cipher.setAAD(bytes(input.associatedData ?? ''));
  const body = Buffer.concat([cipher.update(bytes(input.plaintext)), cipher.final(), cipher.getAuthTag()]);
  return body.toString('base64');
}

/**
 * Opens a WeChat Pay AEAD field. A tag mismatch almost always means the wrong APIv3 key
 * (or swapped nonce / associated data), so it is reported as such, never with the key.
 */
export function aeadDecrypt(input: AeadInput & { ciphertext: string }): Buffer {
  const cipherName = input.cipher ?? 'aes-256-gcm';
  const key = keyBytes(input.key, cipherName);
  const sealed = Buffer.from(input.ciphertext, 'base64');
  if (sealed.length < TAG_LENGTH) {
    throw new WechatPayError({ kind: 'security', code: 'AEAD_MALFORMED', message: 'AEAD ciphertext is shorter than its tag' });
  }
  const decipher = createDecipheriv(cipherName, key, bytes(input.nonce), { authTagLength: TAG_LENGTH });
  decipher.setAAD(bytes(input.associatedData ?? ''));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH)), decipher.final()]);
  } catch {
    throw new WechatPayError({
      kind: 'security',
      code: 'AEAD_TAG_MISMATCH',
      message: 'AEAD_AES_256_GCM decryption failed: wrong APIv3 key, or nonce / associated_data do not match',
    });
  }
}

export function aeadDecryptText(input: AeadInput & { ciphertext: string }): string {
  return aeadDecrypt(input).toString('utf8');
}
