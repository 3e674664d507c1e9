import { describe, expect, it } from 'vitest';
import { aeadEncrypt } from '../../../electron/wechatpay/aead';
import { NotificationParser } from '../../../electron/wechatpay/notification';
import { PublicKeyResolver, ResponseSigner, ResponseVerifier } from '../../../electron/wechatpay/verify';
import { WechatPayError } from '../../../electron/wechatpay/errors';
import { APIV3_KEY, PLATFORM } from './support/vectors';

const couponEvent = {
  event_type: 'COUPON.SEND',
  coupon_code: 'sxxe34343434',
  stock_id: '1234567',
  send_time: '2020-12-12T00:00:00+08:00',
  openid: 'o4GgauInH_RCEdvrrNGrntXDuXXX',
  unionid: 'oNQsL5w8eNh1xf6WnU5KxNYyRtCc',
  send_channel: 'BROWSER',
  send_merchant: '1900007291',
  attach_info: { transaction_id: '4200000783202012119580519223', act_code: '活动码' },
};

function notificationBody(overrides: { resource_type?: string; algorithm?: string; key?: string; plaintext?: string } = {}): string {
  const nonce = 'j9g1wAzF9Xn1';
  const ciphertext = aeadEncrypt({
    key: overrides.key ?? APIV3_KEY,
    nonce,
    associatedData: 'coupon',
    plaintext: overrides.plaintext ?? JSON.stringify(couponEvent),
  });
  // Written by hand, with spacing a re-serializer would change.
  return `{"id": "8b33f79f-8869-5ae5-b41b-3c0b59f957d0", "create_time":"2019-12-12T16:54:38+08:00",
 "resource_type":"${overrides.resource_type ?? 'encrypt-resource'}","event_type":"COUPON.SEND","summary":"商家券领券通知",
 "resource":{"original_type":"coupon","algorithm":"${overrides.algorithm ?? 'AEAD_AES_256_GCM'}","ciphertext":"${ciphertext}",
 "associated_data":"coupon","nonce":"${nonce}"}}`;
}

const signer = new ResponseSigner({ serial: PLATFORM.publicKeyId, privateKey: PLATFORM.privateKey });
const parser = new NotificationParser({
  verifier: new ResponseVerifier(new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey)),
  apiv3Key: APIV3_KEY,
});

async function failure(body: string, headers = signer.sign(body)): Promise<WechatPayError> {
  const error = await parser.parse(headers, Buffer.from(body)).catch((e: unknown) => e);
  if (!(error instanceof WechatPayError)) throw new Error('expected a WechatPayError');
  return error;
}

describe('notifications', () => {
  it('verifies over the raw body, decrypts the resource and returns a typed event', async () => {
    const body = notificationBody();
    const event = await parser.parse<typeof couponEvent>(signer.sign(body), Buffer.from(body, 'utf8'));
    expect(event).toEqual({
      id: '8b33f79f-8869-5ae5-b41b-3c0b59f957d0',
      create_time: '2019-12-12T16:54:38+08:00',
      event_type: 'COUPON.SEND',
      summary: '商家券领券通知',
      resource_type: 'encrypt-resource',
      original_type: 'coupon',
      resource: couponEvent,
      verifiedBy: { serial: PLATFORM.publicKeyId, mode: 'public_key' },
    });
    expect((await parser.parse(signer.sign(body), body)).resource).toEqual(couponEvent);
  });

  it('a re-serialized body, a changed byte or a SIGNTEST probe is a security failure', async () => {
    const body = notificationBody();
    const headers = signer.sign(body);
    expect(await failure(JSON.stringify(JSON.parse(body)), headers)).toMatchObject({ kind: 'security' });
    expect(await failure(body.replace('COUPON.SEND', 'COUPON.SENT'), headers)).toMatchObject({ kind: 'security' });
    expect(await failure(body, signer.sign(body, { signtestProbe: true }))).toMatchObject({ kind: 'security', code: 'SIGNATURE_SIGNTEST_PROBE' });
    expect(await failure(body, {})).toMatchObject({ kind: 'security', code: 'SIGNATURE_MISSING_HEADER' });
  });

  it('a signed notification that will not decrypt points at the APIv3 key', async () => {
    const error = await failure(notificationBody({ key: 'Zz9de1ZJB1kG2e7VfTs3jQzaWizur8Gb' }));
    expect(error).toMatchObject({ kind: 'configuration', code: 'NOTIFICATION_DECRYPT_FAILED' });
    expect(error.message).not.toContain(APIV3_KEY);
  });

  it('refuses a verified envelope of the wrong type, algorithm or content', async () => {
    expect(await failure(notificationBody({ resource_type: 'plain' }))).toMatchObject({ kind: 'rejected', code: 'INVALID_NOTIFICATION' });
    expect(await failure(notificationBody({ algorithm: 'AEAD_SM4_GCM' }))).toMatchObject({ kind: 'rejected', code: 'INVALID_NOTIFICATION' });
    expect(await failure(notificationBody({ plaintext: 'not json' }))).toMatchObject({ kind: 'rejected', code: 'INVALID_NOTIFICATION' });
    expect(await failure('[1,2')).toMatchObject({ kind: 'rejected', code: 'INVALID_NOTIFICATION' });
  });

  it('will not start with a key that is not 32 bytes', () => {
    expect(() => new NotificationParser({ verifier: new ResponseVerifier(new PublicKeyResolver(PLATFORM.publicKeyId, PLATFORM.publicKey)), apiv3Key: 'testMchAPIv3Key0' })).toThrow(
      expect.objectContaining({ kind: 'configuration' }),
    );
  });
});
