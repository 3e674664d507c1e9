import { describe, expect, it } from 'vitest';
import { constants, privateDecrypt, X509Certificate } from 'node:crypto';
import { oaepDecrypt, oaepEncrypt } from '../../../electron/wechatpay/oaep';
import { keyVector, privateKeyOf, publicKeyOf, vectors } from './support/vectors';

describe('RSA-OAEP (SHA-1, MGF1-SHA-1)', () => {
  it.each(vectors.rsa_oaep.map((v) => [v.id, v] as const))('%s: decrypts the vector', (_id, v) => {
    // The key field reads e.g. "java_merchant_rsa (private key decrypts)".
    expect(oaepDecrypt(v.ciphertext_base64, privateKeyOf(v.key.split(' ')[0] as string))).toBe(v.plaintext_utf8);
  });

  it('encrypts with a public key or a certificate so that an independent OAEP-SHA1 decrypt opens it', () => {
    const certificate = new X509Certificate(keyVector('java_merchant_rsa').certificate_pem as string);
    for (const recipient of [publicKeyOf('java_merchant_rsa'), certificate]) {
      const ciphertext = oaepEncrypt('张三 13800138000', recipient);
      const opened = privateDecrypt({ key: privateKeyOf('java_merchant_rsa'), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ciphertext, 'base64'));
      expect(opened.toString('utf8')).toBe('张三 13800138000');
      expect(oaepDecrypt(ciphertext, privateKeyOf('java_merchant_rsa'))).toBe('张三 13800138000');
    }
  });

  it('is randomized, and refuses a ciphertext meant for another key', () => {
    const a = oaepEncrypt('same', publicKeyOf('java_merchant_rsa'));
    expect(oaepEncrypt('same', publicKeyOf('java_merchant_rsa'))).not.toBe(a);
    expect(() => oaepDecrypt(a, privateKeyOf('go_test_rsa'))).toThrow(expect.objectContaining({ kind: 'security', code: 'OAEP_DECRYPT_FAILED' }));
  });
});
