// Sensitive-field encryption: RSA-OAEP with SHA-1 and MGF1-SHA-1, empty label — the
// parameters both official SDKs use. Not used by busifavor, but the same key stack.
import { constants, privateDecrypt, publicEncrypt, X509Certificate, type KeyObject } from 'node:crypto';
import { WechatPayError } from './errors';

/** Encrypts for WeChat Pay with its public key or platform certificate; base64 out. */
export function oaepEncrypt(plaintext: string, recipient: KeyObject | X509Certificate): string {
  const key = recipient instanceof X509Certificate ? recipient.publicKey : recipient;
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(plaintext, 'utf8')).toString('base64');
}

/** Decrypts a field WeChat Pay encrypted for the merchant's private key. */
export function oaepDecrypt(ciphertextBase64: string, privateKey: KeyObject): string {
  try {
    return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ciphertextBase64, 'base64')).toString('utf8');
  } catch {
    throw new WechatPayError({
      kind: 'security',
      code: 'OAEP_DECRYPT_FAILED',
      message: 'RSA-OAEP decryption failed: the field was not encrypted for this merchant key',
    });
  }
}
