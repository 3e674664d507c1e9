// One COUPON.SEND delivery, from raw bytes to WeChat's answer (docs/wechatpay/apiv3.md#notifications,
// docs/wechatpay/busifavor.md#coupon-send-notification): verify the signature over the raw body
// (±300 s, the merchant's keys), decrypt the resource with the APIv3 key, store the event, and
// only then answer success. Anything else is a failure answer, so WeChat delivers again; a
// notification already stored is success (WeChat resends what it thinks was not received).
import { isWechatPayError, type HeaderSource, type NotificationParser } from '../wechatpay';
import type { Logger } from '../log/logger';
import type { DirectoryStore, SendEvent } from './directory-store';

export const COUPON_SEND = 'COUPON.SEND';

/** What the HTTP layer sends back: 204 with no body, or a failure status with WeChat's body. */
export interface NotificationAnswer {
  status: number;
  body?: { code: 'FAIL'; message: string };
}

/** Why a delivery failed, for the log line and for tests. */
export type RefusalReason = 'signature' | 'decrypt' | 'malformed' | 'event_type' | 'store' | 'too_large';

export const failure = (status: number, message: string): NotificationAnswer => ({ status, body: { code: 'FAIL', message } });

const STATUS: Record<RefusalReason, number> = { signature: 401, decrypt: 500, malformed: 400, event_type: 400, store: 500, too_large: 413 };

interface SendResource {
  coupon_code?: unknown;
  stock_id?: unknown;
  openid?: unknown;
  unionid?: unknown;
  send_time?: unknown;
  send_channel?: unknown;
  send_merchant?: unknown;
}

const optional = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

export class NotificationReceiver {
  readonly #parser: NotificationParser;
  readonly #store: DirectoryStore;
  readonly #log: Logger;
  readonly #clock: () => number;

  constructor(deps: { parser: NotificationParser; store: DirectoryStore; log: Logger; clock?: () => number }) {
    this.#parser = deps.parser;
    this.#store = deps.store;
    this.#log = deps.log;
    this.#clock = deps.clock ?? Date.now;
  }

  refuse(reason: RefusalReason, message: string, fields: Record<string, unknown> = {}): NotificationAnswer {
    this.#log.warn('events.notification_refused', { reason, message, ...fields });
    return failure(STATUS[reason], message);
  }

  async receive(headers: HeaderSource, body: Buffer): Promise<NotificationAnswer> {
    let event;
    try {
      event = await this.#parser.parse<SendResource>(headers, body);
    } catch (err) {
      if (!isWechatPayError(err)) throw err;
      const reason: RefusalReason = err.kind === 'security' ? 'signature' : err.kind === 'configuration' ? 'decrypt' : 'malformed';
      return this.refuse(reason, err.message, { code: err.code });
    }
    if (event.event_type !== COUPON_SEND) return this.refuse('event_type', `event_type ${event.event_type} is not handled here`, { id: event.id });
    const r = event.resource;
    if (!r || typeof r !== 'object' || typeof r.coupon_code !== 'string' || typeof r.stock_id !== 'string' || !r.coupon_code || !r.stock_id) {
      return this.refuse('malformed', 'resource has no coupon_code or stock_id', { id: event.id });
    }
    const record: SendEvent = {
      notificationId: event.id,
      createTime: event.create_time,
      receivedAt: this.#clock(),
      couponCode: r.coupon_code,
      stockId: r.stock_id,
      openid: optional(r.openid),
      unionid: optional(r.unionid),
      sendTime: optional(r.send_time),
      sendChannel: optional(r.send_channel),
      sendMerchant: optional(r.send_merchant),
      resource: JSON.stringify(r),
    };
    let outcome;
    try {
      outcome = await this.#store.recordSend(record);
    } catch (err) {
      this.#log.error('events.store_failed', { id: event.id, error: err });
      return failure(STATUS.store, 'the notification could not be stored; deliver again');
    }
    this.#log.info(outcome === 'stored' ? 'events.stored' : 'events.duplicate', { id: event.id, stock_id: record.stockId, serial: event.verifiedBy.serial });
    return { status: 204 };
  }
}
