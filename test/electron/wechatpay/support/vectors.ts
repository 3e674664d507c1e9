// Loads the WeChat Pay test vectors kept with the tests (test/fixtures/wechatpay, where
// PROVENANCE.md says where each one comes from).
import { readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const VECTORS_PATH = fileURLToPath(new URL('../../../fixtures/wechatpay/test-vectors.json', import.meta.url));

export interface KeyVector {
  merchant_id?: string;
  certificate_serial?: string;
  private_key_pkcs8_pem: string;
  public_key_spki_pem?: string;
  certificate_pem?: string;
  certificates?: Record<string, string>;
}

export interface RequestSignatureVector {
  id: string;
  key: string;
  message: string;
  signature_base64: string;
  method?: string;
  url?: string;
  timestamp?: string | number;
  nonce_str?: string;
  body?: string;
  authorization?: string;
  mchid?: string;
  serial_no?: string;
}

export interface VerificationVector {
  id: string;
  verify_with: string;
  headers: Record<string, string>;
  body: string;
  message: string;
  clock_for_test_unix: number;
  apiv3_key: string;
  aead_cipher: string;
  resource: { algorithm: string; ciphertext: string; associated_data: string; nonce: string };
  plaintext: string;
}

export interface AeadVector {
  id: string;
  cipher: string;
  key_utf8: string;
  nonce_utf8: string;
  associated_data_utf8: string;
  plaintext_utf8: string;
  ciphertext_base64: string;
}

export interface CertificateDownloadVector {
  id: string;
  apiv3_key: string;
  cipher: string;
  response_body: { data: unknown[] };
  decrypted_certificate_pem: string;
  decrypted_certificate_serial: string;
}

export interface OaepVector {
  id: string;
  key: string;
  ciphertext_base64: string;
  plaintext_utf8: string;
}

export interface Vectors {
  keys: Record<string, KeyVector>;
  request_signatures: RequestSignatureVector[];
  derived_authorization_headers: RequestSignatureVector[];
  response_and_notification_verification: VerificationVector[];
  aead_aes_gcm: AeadVector[];
  platform_certificate_download: CertificateDownloadVector[];
  rsa_oaep: OaepVector[];
}

export const vectors = JSON.parse(readFileSync(VECTORS_PATH, 'utf8')) as Vectors;

export function keyVector(name: string): KeyVector {
  const key = vectors.keys[name];
  if (!key) throw new Error(`no key ${name} in the vectors`);
  return key;
}

export function privateKeyOf(name: string): KeyObject {
  return createPrivateKey(keyVector(name).private_key_pkcs8_pem);
}

export function publicKeyOf(name: string): KeyObject {
  return createPublicKey(privateKeyOf(name));
}

/** The cipher named by a vector ("aes-128-gcm (16-byte key…)" → "aes-128-gcm"). */
export function cipherOf(description: string): 'aes-256-gcm' | 'aes-128-gcm' {
  return description.startsWith('aes-128-gcm') ? 'aes-128-gcm' : 'aes-256-gcm';
}

/** Vector fixtures used as the two sides of a test exchange. */
export const MERCHANT = {
  mchid: keyVector('java_merchant_rsa').merchant_id as string,
  serial: keyVector('java_merchant_rsa').certificate_serial as string,
  privateKey: privateKeyOf('java_merchant_rsa'),
  publicKey: publicKeyOf('java_merchant_rsa'),
};
export const PLATFORM = {
  publicKeyId: 'PUB_KEY_ID_0112345678901234567890123456789012',
  privateKey: privateKeyOf('java_wechatpay_rsa'),
  publicKey: publicKeyOf('java_wechatpay_rsa'),
};
export const APIV3_KEY = 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb';
