import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aeadDecrypt, aeadDecryptText, aeadEncrypt } from '../../../electron/wechatpay/aead';
import { cipherOf, vectors } from './support/vectors';

describe('AEAD_AES_256_GCM vectors', () => {
  it.each(vectors.aead_aes_gcm.map((v) => [v.id, v] as const))('%s: both directions', (_id, v) => {
    const input = { key: v.key_utf8, nonce: v.nonce_utf8, associatedData: v.associated_data_utf8, cipher: cipherOf(v.cipher) };
    expect(aeadDecryptText({ ...input, ciphertext: v.ciphertext_base64 })).toBe(v.plaintext_utf8);
    expect(aeadEncrypt({ ...input, plaintext: v.plaintext_utf8 })).toBe(v.ciphertext_base64);
  });

  it('the ciphertext is base64(ciphertext || 16-byte tag)', () => {
    const v = vectors.aead_aes_gcm.find((a) => a.cipher === 'aes-256-gcm');
    if (!v) throw new Error('no AES-256 vector');
    expect(Buffer.from(v.ciphertext_base64, 'base64').length).toBe(Buffer.byteLength(v.plaintext_utf8) + 16);
  });
});

describe('AEAD rules', () => {
  const key = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
  const sealed = aeadEncrypt({ key, nonce: 'uluk4a9R25RW', associatedData: 'coupon', plaintext: '{"coupon_code":"券码"}' });

  it('AEAD_AES_256_GCM insists on a 32-byte key and says so without echoing it', () => {
    const short = 'testAPIv3Key0000';
    let caught: unknown;
    try {
      aeadDecrypt({ key: short, nonce: 'uluk4a9R25RW', associatedData: 'coupon', ciphertext: sealed });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ kind: 'configuration', code: 'APIV3_KEY_LENGTH' });
    expect(String((caught as Error).message)).not.toContain(short);
  });

  it('wrong key, wrong nonce, wrong associated data or a changed byte fail as a security error', () => {
    const wrongKey = 'b7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
    const cases = [
      { key: wrongKey, nonce: 'uluk4a9R25RW', associatedData: 'coupon', ciphertext: sealed },
      { key, nonce: 'uluk4a9R25RX', associatedData: 'coupon', ciphertext: sealed },
      { key, nonce: 'uluk4a9R25RW', associatedData: 'certificate', ciphertext: sealed },
      { key, nonce: 'uluk4a9R25RW', associatedData: 'coupon', ciphertext: Buffer.from(Buffer.from(sealed, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64') },
      { key, nonce: 'uluk4a9R25RW', associatedData: 'coupon', ciphertext: 'AAAA' },
    ];
    for (const input of cases) {
      let caught: unknown;
      try {
        aeadDecrypt(input);
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ kind: 'security' });
      expect(String((caught as Error).message)).not.toContain(wrongKey);
    }
  });

  it('encrypt → decrypt round-trips arbitrary bytes and associated data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.string({ maxLength: 15 }), (plaintext, aad) => {
        const nonce = 'abcdefghijkl';
        const ct = aeadEncrypt({ key, nonce, associatedData: aad, plaintext: Buffer.from(plaintext) });
        expect(aeadDecrypt({ key, nonce, associatedData: aad, ciphertext: ct }).equals(Buffer.from(plaintext))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
