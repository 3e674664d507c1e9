import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { X509Certificate } from 'node:crypto';
import {
  buildResponseMessage,
  CombinedResolver,
  headerValue,
  PublicKeyResolver,
  ResponseSigner,
  ResponseVerifier,
  type KeyResolution,
  type KeyResolver,
} from '../../../electron/wechatpay/verify';
import { CertificateSetResolver } from '../../../electron/wechatpay/certificates';
import { aeadDecryptText } from '../../../electron/wechatpay/aead';
import { WechatPayError } from '../../../electron/wechatpay/errors';
import { cipherOf, keyVector, PLATFORM, privateKeyOf, publicKeyOf, vectors } from './support/vectors';

describe('response / notification verification vectors', () => {
  it.each(vectors.response_and_notification_verification.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const [, serial = ''] = /certificates\.([0-9A-F]+)/.exec(v.verify_with) ?? [];
    const certificatePem = keyVector('go_test_rsa').certificates?.[serial] as string;
    const clock = () => v.clock_for_test_unix * 1000;
    const message = buildResponseMessage(v.headers['Wechatpay-Timestamp'] as string, v.headers['Wechatpay-Nonce'] as string, v.body);
    expect(message.toString('utf8')).toBe(v.message);

    const byCertificate = new ResponseVerifier(CertificateSetResolver.fromCertificates([certificatePem], clock), { clock });
    expect(byCertificate.verify(v.headers, v.body)).toEqual({ ok: true, serial, mode: 'certificate' });
    expect(byCertificate.verify(v.headers, Buffer.from(v.body, 'utf8')).ok).toBe(true);

    // The same signature checked in public-key mode (the key id is not covered by the signature).
    const keyId = 'PUB_KEY_ID_0114232134912410000000000000000001';
    const byPublicKey = new ResponseVerifier(new PublicKeyResolver(keyId, new X509Certificate(certificatePem).publicKey), { clock });
    expect(byPublicKey.verify({ ...v.headers, 'Wechatpay-Serial': keyId }, v.body)).toEqual({ ok: true, serial: keyId, mode: 'public_key' });
    expect(byPublicKey.verify(v.headers, v.body)).toMatchObject({ ok: false, reason: 'unknown_serial' });

    const plaintext = aeadDecryptText({
      key: v.apiv3_key,
      nonce: v.resource.nonce,
      associatedData: v.resource.associated_data,
      ciphertext: v.resource.ciphertext,
      cipher: cipherOf(v.aead_cipher),
    });
    expect(plaintext).toBe(v.plaintext);
  });

  it('the vector fails outside the clock window (the real clock is years later)', () => {
    const v = vectors.response_and_notification_verification[0];
    if (!v) throw new Error('no verification vector');
    const resolver = CertificateSetResolver.fromCertificates(Object.values(keyVector('go_test_rsa').certificates ?? {}));
    expect(new ResponseVerifier(resolver).verify(v.headers, v.body)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });
});

describe('tampering and the rules around signatures', () => {
  const now = 1_700_000_000_000;
  const clock = () => now;
  const signer = new ResponseSigner({ serial: PLATFORM.publicKeyId, privateKey: PLATFORM.privateKey, clock });
  const verifier = new ResponseVerifier(new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey), { clock });
  const body = Buffer.from('{"stock_id":"1212","stock_name":"满100减10 商家券","available":true}', 'utf8');
  const headers = signer.sign(body);

  it('the untouched response verifies, and carries a 32-hex nonce', () => {
    expect(verifier.verify(headers, body)).toEqual({ ok: true, serial: PLATFORM.publicKeyId, mode: 'public_key' });
    expect(headers['Wechatpay-Nonce']).toMatch(/^[0-9A-F]{32}$/);
    expect(headers['Wechatpay-Signature-Type']).toBe('WECHATPAY2-SHA256-RSA2048');
  });

  it('changing any single byte of the body is rejected', () => {
    for (let i = 0; i < body.length; i++) {
      const changed = Buffer.from(body);
      changed[i] = (changed[i] as number) ^ 0x20;
      expect(verifier.verify(headers, changed)).toMatchObject({ ok: false, reason: 'bad_signature' });
    }
    expect(verifier.verify(headers, Buffer.concat([body, Buffer.from(' ')]))).toMatchObject({ ok: false, reason: 'bad_signature' });
    // Re-serialized JSON is a different byte string.
    expect(verifier.verify(headers, JSON.stringify(JSON.parse(body.toString()), null, 1))).toMatchObject({ ok: false });
  });

  it('changing the timestamp, nonce, signature or serial header is rejected', () => {
    const ts = Number(headers['Wechatpay-Timestamp']);
    expect(verifier.verify({ ...headers, 'Wechatpay-Timestamp': String(ts + 1) }, body)).toMatchObject({ reason: 'bad_signature' });
    const nonce = headers['Wechatpay-Nonce'] as string;
    expect(verifier.verify({ ...headers, 'Wechatpay-Nonce': `${nonce.slice(0, -1)}${nonce.endsWith('0') ? '1' : '0'}` }, body)).toMatchObject({
      reason: 'bad_signature',
    });
    const signature = Buffer.from(headers['Wechatpay-Signature'] as string, 'base64');
    for (const index of [0, 100, signature.length - 1]) {
      const changed = Buffer.from(signature);
      changed[index] = (changed[index] as number) ^ 0x01;
      expect(verifier.verify({ ...headers, 'Wechatpay-Signature': changed.toString('base64') }, body)).toMatchObject({ reason: 'bad_signature' });
    }
    expect(verifier.verify({ ...headers, 'Wechatpay-Serial': 'PUB_KEY_ID_0112345678901234567890123456789013' }, body)).toMatchObject({
      reason: 'unknown_serial',
    });
  });

  it('enforces the ±300 s window: 299 s passes, 300 s and 301 s either way fail', () => {
    const at = (offsetSeconds: number) => signer.sign(body, { timestamp: now / 1000 + offsetSeconds });
    expect(verifier.verify(at(-299), body).ok).toBe(true);
    expect(verifier.verify(at(299), body).ok).toBe(true);
    for (const offset of [-301, -300, 300, 301]) expect(verifier.verify(at(offset), body)).toMatchObject({ reason: 'stale_timestamp' });
    expect(verifier.verify({ ...headers, 'Wechatpay-Timestamp': '1700000000000' }, body)).toMatchObject({ reason: 'stale_timestamp' });
  });

  it('rejects SIGNTEST probes and missing or foreign headers', () => {
    const probe = signer.sign(body, { signtestProbe: true });
    expect(probe['Wechatpay-Signature']).toMatch(/^WECHATPAY\/SIGNTEST\//);
    expect(verifier.verify(probe, body)).toMatchObject({ ok: false, reason: 'signtest_probe' });
    for (const name of ['Wechatpay-Timestamp', 'Wechatpay-Nonce', 'Wechatpay-Signature', 'Wechatpay-Serial']) {
      const partial = { ...headers };
      delete partial[name];
      expect(verifier.verify(partial, body)).toEqual({ ok: false, reason: 'missing_header', header: name });
      expect(verifier.verify({ ...headers, [name]: '' }, body)).toMatchObject({ ok: false, reason: 'missing_header' });
    }
    expect(verifier.verify({ ...headers, 'Wechatpay-Signature-Type': 'WECHATPAY2-SM2-WITH-SM3' }, body)).toMatchObject({
      reason: 'unsupported_signature_type',
    });
  });

  it('verifyOrThrow raises a security error that names the reason', async () => {
    const error = await verifier.verifyOrThrow({ ...headers, 'Wechatpay-Nonce': 'x' }, body, 'rid-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatPayError);
    expect(error).toMatchObject({ kind: 'security', code: 'SIGNATURE_BAD_SIGNATURE', requestId: 'rid-1' });
  });

  it('sign → verify holds for arbitrary bodies, including empty', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const raw = Buffer.from(bytes);
        expect(verifier.verify(signer.sign(raw), raw).ok).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('header access', () => {
  it('reads lower-case records, original-case records, Headers objects and single-item arrays', () => {
    expect(headerValue({ 'wechatpay-serial': 'A' }, 'Wechatpay-Serial')).toBe('A');
    expect(headerValue({ 'Wechatpay-Serial': 'B' }, 'Wechatpay-Serial')).toBe('B');
    expect(headerValue({ 'WECHATPAY-SERIAL': 'C' }, 'Wechatpay-Serial')).toBe('C');
    expect(headerValue(new Headers({ 'Wechatpay-Serial': 'D' }), 'wechatpay-serial')).toBe('D');
    expect(headerValue({ 'wechatpay-serial': ['E'] }, 'Wechatpay-Serial')).toBe('E');
    // Two different serials in one response: trust neither.
    expect(headerValue({ 'wechatpay-serial': ['E', 'F'] }, 'Wechatpay-Serial')).toBeUndefined();
  });
});

describe('key resolvers', () => {
  const goCerts = keyVector('go_test_rsa').certificates ?? {};
  const certResolver = CertificateSetResolver.fromCertificates(Object.values(goCerts));
  const publicKey = new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey);

  it('combined mode: the public key id first, else a platform certificate, unknown stays unknown', () => {
    const combined = new CombinedResolver(publicKey, certResolver);
    const viaKey = combined.resolve(PLATFORM.publicKeyId);
    expect(viaKey.ok && viaKey.resolved.mode).toBe('public_key');
    const viaCert = combined.resolve('F5765756002FDD77');
    expect(viaCert.ok && viaCert.resolved.mode).toBe('certificate');
    expect(combined.resolve('0123')).toEqual({ ok: false, reason: 'unknown' });
    expect(combined.advertisedSerial()).toBe(PLATFORM.publicKeyId);
    expect(combined.mode).toBe('combined');
  });

  it('certificate mode advertises the newest valid certificate', () => {
    expect(['F5765756002FDD77', 'D7CE59D1F522D701']).toContain(certResolver.advertisedSerial());
    expect(certResolver.resolve('f5765756002fdd77').ok).toBe(true);
  });

  it('an unknown serial triggers one refresh through the resolver, then verifies', async () => {
    let known = false;
    let refreshes = 0;
    const refreshing: KeyResolver = {
      mode: 'certificate',
      resolve: (serial): KeyResolution =>
        known && serial === 'ABC' ? { ok: true, resolved: { key: publicKeyOf('go_test_rsa'), mode: 'certificate', serial } } : { ok: false, reason: 'unknown' },
      advertisedSerial: () => undefined,
      handleUnknownSerial: async () => {
        refreshes += 1;
        known = true;
        return true;
      },
    };
    const signer = new ResponseSigner({ serial: 'ABC', privateKey: privateKeyOf('go_test_rsa') });
    const verifier = new ResponseVerifier(refreshing);
    const headers = signer.sign('{}');
    expect(verifier.verify(headers, '{}')).toMatchObject({ reason: 'unknown_serial' });
    expect(await verifier.verifyWithRefresh(headers, '{}')).toEqual({ ok: true, serial: 'ABC', mode: 'certificate' });
    expect(refreshes).toBe(1);
  });
});
