// Which key signs what the simulator sends (docs/wechatpay/apiv3.md#verification-keys): the WeChat Pay public key
// (`PUB_KEY_ID_…`), the newest platform certificate, or — while a merchant migrates — the
// public key when the request advertises it and either one otherwise. Certificate modes also
// serve GET /v3/certificates, AEAD-encrypted with the APIv3 key, and rotate on demand.
import { randomBytes, sign as rsaSign, type KeyObject } from 'node:crypto';
import {
  aeadEncrypt,
  AUTH_SCHEME,
  buildResponseMessage,
  HEADER_NONCE,
  HEADER_SERIAL,
  HEADER_SIGNATURE,
  HEADER_SIGNATURE_TYPE,
  HEADER_TIMESTAMP,
  ResponseSigner,
  unixSeconds,
} from '../wechatpay/index';
import { formatChinaRfc3339 } from '../../shared/time';
import { loadPlatform, newPlatformEntry, type KeyMode, type LoadedKeys, type SimKeys } from './credentials';
import { FaultRandom } from './faults';

/** The message WeChat Pay answers a public-key-only merchant with (quoted in the PHP SDK README). */
export const NO_PLATFORM_CERTIFICATE_MESSAGE = '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥';

export interface SigningOptions {
  mode: KeyMode;
  /** Protocol clock (ms): response timestamps and certificate validity. */
  now: () => number;
  seed: number;
}

export class ResponseSigning {
  readonly mode: KeyMode;
  readonly #keys: SimKeys;
  readonly #now: () => number;
  readonly #publicKeySigner: ResponseSigner;
  #platform: LoadedKeys['platform'];
  #platformSigners: ResponseSigner[];
  #certificatesBody: string | undefined;
  readonly #random: FaultRandom;
  /** serial → private key, for the asynchronous signing path. */
  #privateKeys = new Map<string, KeyObject>();

  constructor(keys: SimKeys, loaded: LoadedKeys, options: SigningOptions) {
    this.mode = options.mode;
    this.#keys = keys;
    this.#now = options.now;
    this.#publicKeySigner = new ResponseSigner({ serial: keys.wechatpayPublicKey.id, privateKey: loaded.wechatpayPrivateKey, clock: options.now });
    this.#platform = loaded.platform;
    this.#platformSigners = this.#makePlatformSigners();
    this.#random = new FaultRandom(options.seed ^ 0x5eed);
    this.#privateKeys.set(keys.wechatpayPublicKey.id, loaded.wechatpayPrivateKey);
  }

  #makePlatformSigners(): ResponseSigner[] {
    for (const p of this.#platform) this.#privateKeys.set(p.serial, p.privateKey);
    return this.#platform.map((p) => new ResponseSigner({ serial: p.serial, privateKey: p.privateKey, clock: this.#now }));
  }

  /** The newest certificate valid now (falls back to the newest at all, so a mis-set clock still answers). */
  #currentPlatformSigner(): ResponseSigner {
    const now = this.#now();
    for (let i = this.#platform.length - 1; i >= 0; i--) {
      const p = this.#platform[i];
      if (p && now >= p.validFrom && now <= p.validTo) return this.#platformSigners[i] as ResponseSigner;
    }
    return this.#platformSigners[this.#platformSigners.length - 1] as ResponseSigner;
  }

  /**
   * The signer for a response. `advertised` is the request's `Wechatpay-Serial` (what the
   * client says it can verify); undefined for notifications.
   */
  signerFor(advertised: string | undefined): ResponseSigner {
    if (this.mode === 'pubkey') return this.#publicKeySigner;
    if (this.mode === 'cert') return this.#currentPlatformSigner();
    if (advertised === this.#publicKeySigner.serial) return this.#publicKeySigner;
    if (advertised !== undefined && this.#platform.some((p) => p.serial === advertised.toUpperCase())) return this.#currentPlatformSigner();
    return this.#random.next() < 0.5 ? this.#publicKeySigner : this.#currentPlatformSigner();
  }

  /**
   * The same headers as `signerFor(advertised).sign(body)`, with the RSA operation on libuv's
   * thread pool so the event loop keeps serving other requests meanwhile. The signed message
   * is the protocol core's; only where the private-key operation runs differs.
   */
  signAsync(body: string, advertised: string | undefined): Promise<Record<string, string>> {
    const serial = this.signerFor(advertised).serial;
    const key = this.#privateKeys.get(serial) as KeyObject;
    const timestamp = String(unixSeconds(this.#now()));
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    return new Promise((resolve, reject) => {
      rsaSign('sha256', buildResponseMessage(timestamp, nonce, body), key, (err, signature) => {
        if (err) return reject(err);
        resolve({
          [HEADER_TIMESTAMP]: timestamp,
          [HEADER_NONCE]: nonce,
          [HEADER_SIGNATURE]: signature.toString('base64'),
          [HEADER_SERIAL]: serial,
          [HEADER_SIGNATURE_TYPE]: AUTH_SCHEME,
        });
      });
    });
  }

  get publicKeyId(): string {
    return this.#publicKeySigner.serial;
  }

  get servesCertificates(): boolean {
    return this.mode !== 'pubkey';
  }

  /** Serials offered by /v3/certificates, oldest first. */
  platformSerials(): string[] {
    return this.#platform.map((p) => p.serial);
  }

  /** The body of GET /v3/certificates: every platform certificate, each sealed with the APIv3 key. */
  certificatesBody(): string {
    this.#certificatesBody ??= JSON.stringify({
      data: this.#platform.map((p) => {
        const nonce = randomBytes(6).toString('hex');
        return {
          serial_no: p.serial,
          effective_time: formatChinaRfc3339(new Date(p.validFrom)),
          expire_time: formatChinaRfc3339(new Date(p.validTo)),
          encrypt_certificate: {
            algorithm: 'AEAD_AES_256_GCM',
            nonce,
            associated_data: 'certificate',
            ciphertext: aeadEncrypt({ key: this.#keys.apiv3Key, nonce, associatedData: 'certificate', plaintext: p.certificatePem }),
          },
        };
      }),
    });
    return this.#certificatesBody;
  }

  /**
   * Issues a new platform certificate, which signs from now on; the old ones stay listed
   * (as during a real rotation) unless `retireOld`. Mutates the key store the caller saves.
   */
  async rotate(options: { retireOld?: boolean } = {}): Promise<{ serial: string; previous: string[] }> {
    const previous = this.platformSerials();
    const entry = await newPlatformEntry(this.#now());
    if (options.retireOld) this.#keys.platform.splice(0, this.#keys.platform.length);
    this.#keys.platform.push(entry);
    this.#platform = this.#keys.platform.map(loadPlatform);
    this.#platformSigners = this.#makePlatformSigners();
    this.#certificatesBody = undefined;
    return { serial: entry.serial, previous };
  }
}
