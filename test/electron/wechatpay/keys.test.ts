import { describe, expect, it } from 'vitest';
import { createPublicKey, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import forge from 'node-forge';
import {
  assertKeyMatchesCertificate,
  certificateSerial,
  loadMerchantIdentity,
  loadPkcs12,
  loadPrivateKey,
  loadPublicKey,
  normalizeSerial,
  validateApiV3Key,
  validateMchid,
  validatePublicKeyId,
} from '../../../electron/wechatpay/keys';
import { WechatPayError } from '../../../electron/wechatpay/errors';
import { keyVector } from './support/vectors';

const merchant = keyVector('java_merchant_rsa');
const other = keyVector('go_test_rsa');
const merchantCertificate = merchant.certificate_pem as string;

function buildP12(keyPem: string, certPem: string, password: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(keyPem), [forge.pki.certificateFromPem(certPem)], password, {
    algorithm: '3des',
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

const thrown: WechatPayError[] = [];
function configurationFailure(fn: () => unknown): WechatPayError {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof WechatPayError)) throw err;
    thrown.push(err);
    return err;
  }
  throw new Error('expected a configuration error');
}

function signsForCertificate(identity: { privateKey: Parameters<typeof sign>[2] }, certPem: string): boolean {
  const data = Buffer.from('probe');
  return verify('sha256', data, new X509Certificate(certPem).publicKey, sign('sha256', data, identity.privateKey));
}

describe('merchant private key', () => {
  it('loads PKCS#8 and PKCS#1 PEM to the same key', () => {
    const pkcs8 = loadPrivateKey(merchant.private_key_pkcs8_pem);
    const pkcs1Pem = pkcs8.export({ type: 'pkcs1', format: 'pem' }) as string;
    expect(pkcs1Pem).toContain('BEGIN RSA PRIVATE KEY');
    const pkcs1 = loadPrivateKey(Buffer.from(pkcs1Pem));
    const spki = (k: typeof pkcs8) => createPublicKey(k).export({ type: 'spki', format: 'der' });
    expect(spki(pkcs1).equals(spki(pkcs8))).toBe(true);
  });

  it('refuses encrypted, damaged, non-RSA and public keys with a configuration error', () => {
    const encrypted = loadPrivateKey(merchant.private_key_pkcs8_pem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' });
    expect(configurationFailure(() => loadPrivateKey(encrypted)).code).toBe('PRIVATE_KEY_ENCRYPTED');
    const damaged = merchant.private_key_pkcs8_pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    expect(configurationFailure(() => loadPrivateKey(damaged)).code).toBe('PRIVATE_KEY_UNREADABLE');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(configurationFailure(() => loadPrivateKey(ec)).code).toBe('KEY_TYPE');
    expect(configurationFailure(() => loadPrivateKey(merchantCertificate)).code).toBe('PRIVATE_KEY_FORMAT');
  });
});

describe('public keys, certificates and ids', () => {
  it('loads an SPKI public key and refuses a private key in its place', () => {
    expect(loadPublicKey(keyVector('java_wechatpay_rsa').public_key_spki_pem as string).type).toBe('public');
    expect(configurationFailure(() => loadPublicKey(merchant.private_key_pkcs8_pem)).code).toBe('PUBLIC_KEY_FORMAT');
  });

  it('reads the merchant certificate serial in upper-case hex', () => {
    expect(certificateSerial(merchantCertificate)).toBe(merchant.certificate_serial);
    expect(certificateSerial(keyVector('java_wechatpay_rsa').certificate_pem as string)).toBe('440024045C4A427599D09BB4E3DE0279F2E813FD');
    expect(normalizeSerial(' 5f1c72e2a8931b72a2e13af8dee92471eb397115 ')).toBe(merchant.certificate_serial);
  });

  it('validates public key ids, APIv3 keys and merchant ids without echoing secrets', () => {
    expect(validatePublicKeyId('PUB_KEY_ID_0114232134912410000000000000001234')).toBe('PUB_KEY_ID_0114232134912410000000000000001234');
    for (const bad of ['PUB_KEY_ID_', 'PUB_KEY_ID_12ab', '5F1C72E2A8931B72', 'pub_key_id_0114']) {
      expect(configurationFailure(() => validatePublicKeyId(bad)).code).toBe('BAD_PUBLIC_KEY_ID');
    }
    expect(validateApiV3Key('a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb').length).toBe(32);
    const apiv2Like = '192006250b4c09247ec02edce69f6a2'; // 31 characters
    const error = configurationFailure(() => validateApiV3Key(apiv2Like));
    expect(error.code).toBe('BAD_APIV3_KEY');
    expect(error.message).not.toContain(apiv2Like);
    expect(configurationFailure(() => validateApiV3Key('a7cde1ZJB1kG2e7VfTs3jQzaWizur8G ')).code).toBe('BAD_APIV3_KEY');
    expect(validateMchid('1900007291')).toBe('1900007291');
    expect(configurationFailure(() => validateMchid('19000x7291')).code).toBe('BAD_MCHID');
  });
});

describe('merchant identity', () => {
  it('from PEM files: serial from the certificate, key checked against it', () => {
    const identity = loadMerchantIdentity({
      mchid: merchant.merchant_id as string,
      privateKeyPem: merchant.private_key_pkcs8_pem,
      certificatePem: merchantCertificate,
    });
    expect(identity.serialNo).toBe(merchant.certificate_serial);
    expect(signsForCertificate(identity, merchantCertificate)).toBe(true);
  });

  it('from a PEM key and a configured serial when no certificate is at hand', () => {
    const identity = loadMerchantIdentity({ mchid: '1', privateKeyPem: merchant.private_key_pkcs8_pem, serialNo: 'abc123' });
    expect(identity.serialNo).toBe('ABC123');
    expect(configurationFailure(() => loadMerchantIdentity({ mchid: '1', privateKeyPem: merchant.private_key_pkcs8_pem })).code).toBe('SERIAL_MISSING');
  });

  it('from apiclient_cert.p12, password defaulting to the merchant id', () => {
    const mchid = merchant.merchant_id as string;
    const p12 = buildP12(merchant.private_key_pkcs8_pem, merchantCertificate, mchid);
    const identity = loadMerchantIdentity({ mchid, p12 });
    expect(identity.serialNo).toBe(merchant.certificate_serial);
    expect(signsForCertificate(identity, merchantCertificate)).toBe(true);
    const contents = loadPkcs12(buildP12(merchant.private_key_pkcs8_pem, merchantCertificate, 'other-pw'), 'other-pw');
    expect(contents.serial).toBe(merchant.certificate_serial);
    expect(contents.certificatePem).toContain('BEGIN CERTIFICATE');
  });

  it('a wrong p12 password is a configuration error', () => {
    const p12 = buildP12(merchant.private_key_pkcs8_pem, merchantCertificate, 'right');
    expect(configurationFailure(() => loadMerchantIdentity({ mchid: '1234567891', p12 })).code).toBe('P12_UNREADABLE');
  });

  it('a key that does not match the certificate is a clear configuration error (PEM and p12)', () => {
    const fromPem = configurationFailure(() => loadMerchantIdentity({ mchid: '1234567891', privateKeyPem: other.private_key_pkcs8_pem, certificatePem: merchantCertificate }));
    expect(fromPem).toMatchObject({ kind: 'configuration', code: 'KEY_CERTIFICATE_MISMATCH' });
    expect(fromPem.message).toContain(merchant.certificate_serial);
    const mismatchedP12 = buildP12(other.private_key_pkcs8_pem, merchantCertificate, '1234567891');
    expect(configurationFailure(() => loadMerchantIdentity({ mchid: '1234567891', p12: mismatchedP12 })).code).toBe('KEY_CERTIFICATE_MISMATCH');
    expect(() => assertKeyMatchesCertificate(loadPrivateKey(merchant.private_key_pkcs8_pem), new X509Certificate(merchantCertificate))).not.toThrow();
    const wrongSerial = configurationFailure(() =>
      loadMerchantIdentity({ mchid: '1', privateKeyPem: merchant.private_key_pkcs8_pem, certificatePem: merchantCertificate, serialNo: 'ABCDEF' }),
    );
    expect(wrongSerial.code).toBe('SERIAL_MISMATCH');
  });

  it('no error raised above carries private key text', () => {
    expect(thrown.length).toBeGreaterThan(10);
    const secretLines = [merchant.private_key_pkcs8_pem, other.private_key_pkcs8_pem].flatMap((pem) => pem.split('\n').filter((line) => line.length > 40));
    for (const error of thrown) {
      const renderings = [error.message, String(error), JSON.stringify(error), inspect(error, { depth: 5 }), String(error.stack)];
      for (const text of renderings) {
        for (const line of secretLines) expect(text.includes(line)).toBe(false);
        expect(text).not.toMatch(/-----BEGIN/);
      }
    }
  });
});
