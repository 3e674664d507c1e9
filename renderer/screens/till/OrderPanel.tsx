import { memo } from 'react';
import type { OrderCoupon, OrderView } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';

function CouponLine({ c }: { c: OrderCoupon }) {
  const { t, refusal } = useI18n();
  const state = c.status === 'succeeded' ? 'succeeded' : c.status === 'pending' ? (c.granted ? 'offline' : 'pending') : 'refused';
  return (
    <li className={`order-coupon oc-${state}`} data-testid="order-coupon" data-code={c.code} data-status={state}>
      <span className="oc-name">{c.stockName ?? c.stockId}</span>
      <span className="oc-code">{c.code}</span>
      <span className="oc-discount">{c.granted ? `-${formatFen(c.discountFen)}` : '—'}</span>
      <span className="oc-state">{t(`order.coupon.${state}`)}</span>
      {c.link && (
        <span className={`oc-link l-${c.link.status}`} data-testid="order-coupon-link" data-status={c.link.status} title={c.link.reason ? refusal(c.link.reason) : undefined}>
          {t(`order.link.${c.link.status === 'succeeded' ? 'linked' : c.link.status === 'pending' ? 'pending' : 'failed'}`)}
        </span>
      )}
    </li>
  );
}

/**
 * The order being checked out: what is left to pay — the biggest number on the screen, the one
 * the cashier charges — and the coupons applied so far. A finished order stays until the next
 * customer starts, so the amount to charge is still on screen while the payment is taken.
 */
export const OrderPanel = memo(function OrderPanel({ order, typedFen }: { order: OrderView | null; typedFen: number | null }) {
  const { t } = useI18n();
  const payable = order ? order.payableFen : typedFen;
  return (
    <section className={`order-panel ${order ? `order-${order.status}` : 'order-none'}`} data-testid="order-panel" data-status={order?.status ?? 'none'} aria-live="polite">
      <div className="order-payable">
        <span className="order-payable-label">{t(order?.status === 'finished' ? 'order.charge' : 'order.payable')}</span>
        <span className="order-payable-value" data-testid="order-payable">
          {payable === null ? '—' : formatFen(payable)}
        </span>
      </div>
      {order && (
        <div className="order-meta">
          <span data-testid="order-amount">{t('order.amount', { amount: formatFen(order.amountFen) })}</span>
          {order.discountFen > 0 && <span data-testid="order-discount">{t('order.discount', { amount: formatFen(order.discountFen) })}</span>}
          {order.outTradeNo && <span data-testid="order-no">{t('order.out_trade_no', { no: order.outTradeNo })}</span>}
          {order.source === 'register' && <span className="order-source">{t('order.from_register')}</span>}
          <span className="order-state">{t(`order.status.${order.status}`)}</span>
        </div>
      )}
      {order && order.coupons.length > 0 && (
        <ul className="order-coupons">
          {order.coupons.map((c) => (
            <CouponLine key={c.operationId} c={c} />
          ))}
        </ul>
      )}
    </section>
  );
});
