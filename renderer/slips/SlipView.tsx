import type { OrderCoupon, PaperWidth } from '../../shared/contract';
import { formatFen } from '../../shared/money';
import { useI18n } from '../i18n/i18n';
import { chinaMinute } from '../till/coupon-text';
import type { Slip } from './slip';

function Row({ label, value, id }: { label: string; value: string; id?: string }) {
  return (
    <div className="slip-row" data-testid={id}>
      <span>{label}</span>
      <span>{value}</span>
    </div>
  );
}

function CouponLines({ c }: { c: OrderCoupon }) {
  const { t } = useI18n();
  const state = c.status === 'succeeded' ? 'succeeded' : c.status === 'pending' ? (c.granted ? 'offline' : 'pending') : 'refused';
  return (
    <div className="slip-coupon">
      <div className="slip-coupon-name">{c.stockName ?? c.stockId}</div>
      <Row label={t('slip.code')} value={c.code} />
      <Row label={t('slip.discount')} value={`${c.granted ? `-${formatFen(c.discountFen)}` : '—'} ${t(`order.coupon.${state}`)}`} />
      <Row label={t('slip.request_no')} value={c.requestNo} />
    </div>
  );
}

/**
 * A receipt slip laid out for a 58 mm or 80 mm printer: the store, till, cashier and time, then
 * the order's coupons with what each took off and our request number, the discount and what the
 * customer pays; the WeChat Pay order number when the coupons were linked to one.
 */
export function SlipView({ slip, width, printTarget }: { slip: Slip; width: PaperWidth; printTarget?: boolean }) {
  const { t } = useI18n();
  return (
    <article className={`slip slip-${width} ${printTarget ? 'print-target' : ''}`} data-testid="slip" data-kind={slip.kind} data-width={width}>
      <header className="slip-head">
        <div className="slip-store">{slip.store ?? t('slip.no_store')}</div>
        <div className="slip-title">{t(slip.kind === 'redemption' ? 'slip.title.redemption' : 'slip.title.shift')}</div>
        {slip.training && <div className="slip-training">{t('slip.training')}</div>}
      </header>
      <Row label={t('slip.till')} value={slip.tillId} />
      {slip.kind === 'redemption' ? <RedemptionBody slip={slip} /> : <ShiftBody slip={slip} />}
      <footer className="slip-foot">{t('slip.printed', { time: chinaMinute(new Date().toISOString()) })}</footer>
    </article>
  );
}

function RedemptionBody({ slip }: { slip: Extract<Slip, { kind: 'redemption' }> }) {
  const { t } = useI18n();
  const { order } = slip;
  const linked = order.coupons.some((c) => c.link?.status === 'succeeded');
  return (
    <>
      <Row label={t('slip.cashier')} value={slip.cashier ?? '—'} />
      <Row label={t('slip.time')} value={chinaMinute(slip.madeAt)} />
      <Row label={t('slip.order_amount')} value={formatFen(order.amountFen)} />
      {order.outTradeNo && <Row label={t('slip.out_trade_no')} value={`${order.outTradeNo}${linked ? '' : ` ${t('slip.not_linked')}`}`} id="slip-out-trade-no" />}
      <div className="slip-rule" />
      {order.coupons.map((c) => (
        <CouponLines key={c.operationId} c={c} />
      ))}
      <div className="slip-rule" />
      <Row label={t('slip.discount_total')} value={`-${formatFen(order.discountFen)}`} />
      <div className="slip-payable">
        <span>{t('slip.payable')}</span>
        <span>{formatFen(order.payableFen)}</span>
      </div>
    </>
  );
}

function ShiftBody({ slip }: { slip: Extract<Slip, { kind: 'shift' }> }) {
  const { t } = useI18n();
  const r = slip.report;
  return (
    <>
      <Row label={t('slip.cashier')} value={r.shift.cashierIds.join('、')} />
      <Row label={t('slip.opened')} value={chinaMinute(r.shift.openedAt)} />
      <Row label={t('slip.closed')} value={r.shift.closedAt ? chinaMinute(r.shift.closedAt) : '—'} />
      <Row label={t('slip.closed_by')} value={r.shift.closedBy ?? '—'} />
      <div className="slip-rule" />
      <Row label={t('manager.shift.orders')} value={t('manager.shift.orders_value', { n: r.orders.filter((o) => o.coupons.length > 0).length })} />
      <Row label={t('manager.shift.redeemed')} value={t('manager.shift.redeemed_value', { n: r.redeemed.count, amount: formatFen(r.redeemed.discountFen) })} />
      <Row label={t('manager.shift.returned')} value={t('manager.shift.redeemed_value', { n: r.returned.count, amount: formatFen(r.returned.discountFen) })} />
      <Row label={t('manager.shift.offline')} value={t('manager.shift.offline_value', { n: r.offline.accepted, confirmed: r.offline.confirmed, pending: r.offline.pending })} />
      <Row label={t('manager.shift.losses')} value={t('manager.shift.losses_value', { n: r.offline.lost, amount: formatFen(r.offline.lostDiscountFen) })} />
      {r.failedLinks.length > 0 && <Row label={t('manager.shift.failed_links')} value={String(r.failedLinks.length)} />}
      <Row label={t('manager.shift.unresolved')} value={String(r.unresolved)} />
    </>
  );
}
