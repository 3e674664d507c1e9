import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AUTH_SCHEME,
  buildRequestMessage,
  formatAuthorization,
  parseAuthorization,
  RequestSigner,
  requestNonce,
  signMessage,
  verifyMessage,
  verifyRequestSignature,
  type AuthorizationFields,
} from '../../../electron/wechatpay/sign';
import { keyVector, MERCHANT, privateKeyOf, publicKeyOf, vectors, type RequestSignatureVector } from './support/vectors';

function signerFor(v: RequestSignatureVector): RequestSigner {
  const key = keyVector(v.key);
  return new RequestSigner({
    mchid: v.mchid ?? (key.merchant_id as string),
    serialNo: v.serial_no ?? (key.certificate_serial as string),
    privateKey: privateKeyOf(v.key),
  });
}

const fullRequestVectors = [...vectors.request_signatures, ...vectors.derived_authorization_headers].filter((v) => v.method !== undefined);

const headerVectors = fullRequestVectors.filter((v) => v.authorization !== undefined);

describe('request signature vectors', () => {
  it('covers every vector that has a header', () => {
    expect(headerVectors.length).toBeGreaterThanOrEqual(6);
  });

  it.each(vectors.request_signatures.map((v) => [v.id, v] as const))('%s: signature reproduces byte for byte', (_id, v) => {
    expect(signMessage(v.message, privateKeyOf(v.key))).toBe(v.signature_base64);
    expect(verifyMessage(v.message, v.signature_base64, publicKeyOf(v.key))).toBe(true);
  });

  it.each(fullRequestVectors.map((v) => [v.id, v] as const))('%s: five-line message, signer and header', (_id, v) => {
    const message = buildRequestMessage(v.method as string, v.url as string, v.timestamp as string, v.nonce_str as string, v.body ?? '');
    expect(message.toString('utf8')).toBe(v.message);
    const signed = signerFor(v).sign({
      method: v.method as string,
      url: v.url as string,
      body: v.body ?? '',
      timestamp: Number(v.timestamp),
      nonce: v.nonce_str as string,
    });
    expect(signed.signature).toBe(v.signature_base64);
    expect(signed.authorization.startsWith(`${AUTH_SCHEME} mchid="`)).toBe(true);
  });

  it.each(headerVectors.map((v) => [v.id, v] as const))('%s: our header carries the same fields as the vector header', (_id, v) => {
    const signed = signerFor(v).sign({
      method: v.method as string,
      url: v.url as string,
      body: v.body ?? '',
      timestamp: Number(v.timestamp),
      nonce: v.nonce_str as string,
    });
    // Ours uses the SDK pair order, the vectors partly the documentation's order.
    const ours = parseAuthorization(signed.authorization);
    const theirs = parseAuthorization(v.authorization);
    expect(theirs.ok).toBe(true);
    expect(ours).toEqual(theirs);
  });

  it.each(headerVectors.map((v) => [v.id, v] as const))('%s: the vector header verifies server-side', (_id, v) => {
    const result = verifyRequestSignature(
      { method: v.method as string, url: v.url as string, body: v.body ?? '', authorization: v.authorization },
      { publicKeyFor: () => publicKeyOf(v.key), nowMs: Number(v.timestamp) * 1000 },
    );
    expect(result.ok).toBe(true);
  });

  it('signs the body as raw bytes: a Buffer body gives the same signature as its string', () => {
    const v = vectors.request_signatures.find((r) => r.id === 'doc.post.jsapi_body') as RequestSignatureVector;
    const fromBuffer = buildRequestMessage('post', v.url as string, v.timestamp as string, v.nonce_str as string, Buffer.from(v.body as string));
    expect(fromBuffer.toString('utf8')).toBe(v.message);
    expect(signMessage(fromBuffer, privateKeyOf(v.key))).toBe(v.signature_base64);
  });
});

describe('nonce and timestamp', () => {
  it('nonces are 32 characters of [0-9a-zA-Z], unique and spread over the whole alphabet', () => {
    const nonces = Array.from({ length: 300 }, () => requestNonce());
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(new Set(nonces).size).toBe(nonces.length);
    expect(new Set(nonces.join('')).size).toBe(62);
  });

  it('timestamp is Unix seconds from the injected clock', () => {
    const signer = new RequestSigner({ mchid: MERCHANT.mchid, serialNo: MERCHANT.serial, privateKey: MERCHANT.privateKey, clock: () => 1_700_000_000_999 });
    const signed = signer.sign({ method: 'GET', url: '/v3/certificates' });
    expect(signed.timestamp).toBe(1_700_000_000);
    expect(signed.authorization).toContain('timestamp="1700000000"');
  });
});

describe('Authorization header parsing', () => {
  const fields: AuthorizationFields = {
    mchid: '1900007291',
    nonce_str: 'abc',
    timestamp: '1554208460',
    serial_no: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    signature: 'c2ln+/bmF0dXJl==',
  };

  it('accepts the pairs in any order, with or without spaces', () => {
    const pairs = Object.entries(fields).map(([k, v]) => `${k}="${v}"`);
    fc.assert(
      fc.property(fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }), fc.boolean(), (order, spaced) => {
        const parsed = parseAuthorization(`${AUTH_SCHEME} ${order.join(spaced ? ', ' : ',')}`);
        expect(parsed).toEqual({ ok: true, fields });
      }),
    );
  });

  it('round-trips our own header', () => {
    expect(parseAuthorization(formatAuthorization(fields))).toEqual({ ok: true, fields });
  });

  it('names the missing field, the wrong scheme, or malformed input', () => {
    expect(parseAuthorization(undefined)).toEqual({ ok: false, reason: 'missing_header' });
    expect(parseAuthorization('')).toEqual({ ok: false, reason: 'missing_header' });
    for (const missing of Object.keys(fields) as (keyof AuthorizationFields)[]) {
      const header = `${AUTH_SCHEME} ${Object.entries(fields)
        .filter(([k]) => k !== missing)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}`;
      expect(parseAuthorization(header)).toEqual({ ok: false, reason: 'missing_field', field: missing });
    }
    expect(parseAuthorization(formatAuthorization(fields).replace(AUTH_SCHEME, 'WECHATPAY2-SM2-WITH-SM3'))).toMatchObject({
      ok: false,
      reason: 'bad_scheme',
    });
    expect(parseAuthorization(`${AUTH_SCHEME} mchid=1900007291`)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseAuthorization(`${formatAuthorization(fields)},mchid="1"`)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('server-side request verification', () => {
  const signer = new RequestSigner({ mchid: MERCHANT.mchid, serialNo: MERCHANT.serial, privateKey: MERCHANT.privateKey });
  const publicKeyFor = (mchid: string, serial: string) => (mchid === MERCHANT.mchid && serial === MERCHANT.serial ? MERCHANT.publicKey : undefined);
  const url = '/v3/marketing/busifavor/users/o4GgauInH_RCEdvrrNGrntXDuXXX/coupons?stock_id=100088&limit=10';
  const body = '';
  const now = 1_700_000_000;
  const signed = signer.sign({ method: 'GET', url, body, timestamp: now, nonce: 'N0nce' });
  const check = (overrides: Partial<{ method: string; url: string; body: string; authorization: string }>, nowSeconds = now) =>
    verifyRequestSignature({ method: 'GET', url, body, authorization: signed.authorization, ...overrides }, { publicKeyFor, nowMs: nowSeconds * 1000 });

  it('accepts the request as sent, up to 300 s either side', () => {
    expect(check({}).ok).toBe(true);
    expect(check({}, now + 300).ok).toBe(true);
    expect(check({}, now - 300).ok).toBe(true);
  });

  it('reports each failure with its reason', () => {
    expect(check({}, now + 301)).toMatchObject({ ok: false, reason: 'stale_timestamp', skewSeconds: 301 });
    expect(check({}, now - 301)).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(check({ url: url.split('?')[0] as string })).toMatchObject({ ok: false, reason: 'sign_mismatch' });
    expect(check({ method: 'POST' })).toMatchObject({ ok: false, reason: 'sign_mismatch' });
    expect(check({ body: '{}' })).toMatchObject({ ok: false, reason: 'sign_mismatch' });
    expect(check({ authorization: signed.authorization.replace(MERCHANT.serial, 'ABCDEF') })).toMatchObject({
      ok: false,
      reason: 'unknown_serial',
    });
    expect(check({ authorization: signed.authorization.replace('N0nce', 'N0ncf') })).toMatchObject({ ok: false, reason: 'sign_mismatch' });
    expect(check({ authorization: signed.authorization.replace(`timestamp="${now}"`, `timestamp="${now}000"`) })).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(check({ authorization: '' })).toEqual({ ok: false, reason: 'missing_header' });
  });

  it('sign → verify holds for arbitrary bodies, and any changed body byte breaks it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(), (bytes, pick) => {
        const raw = Buffer.from(bytes);
        const s = signer.sign({ method: 'POST', url: '/v3/x', body: raw, timestamp: now });
        const ok = verifyRequestSignature({ method: 'POST', url: '/v3/x', body: raw, authorization: s.authorization }, { publicKeyFor, nowMs: now * 1000 });
        expect(ok.ok).toBe(true);
        if (raw.length > 0) {
          const changed = Buffer.from(raw);
          const index = pick % changed.length;
          changed[index] = (changed[index] as number) ^ 0x01;
          const bad = verifyRequestSignature({ method: 'POST', url: '/v3/x', body: changed, authorization: s.authorization }, { publicKeyFor, nowMs: now * 1000 });
          expect(bad).toMatchObject({ ok: false, reason: 'sign_mismatch' });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a string body with any Unicode text verifies the same as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const s = signer.sign({ method: 'POST', url: '/v3/x', body: text, timestamp: now });
        const viaBytes = verifyRequestSignature(
          { method: 'POST', url: '/v3/x', body: Buffer.from(text, 'utf8'), authorization: s.authorization },
          { publicKeyFor, nowMs: now * 1000 },
        );
        expect(viaBytes.ok).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
