import type { CouponView } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { couponValue, thresholdText, validityText } from '../../till/coupon-text';
import type { Quote } from '../../till/redeem-gate';

function UsableLine({ coupon }: { coupon: CouponView }) {
  const { t, lang } = useI18n();
  const { usable } = coupon;
  if (usable.ok) return <p className="usable-line ok" data-testid="coupon-usable">✔ {t('coupon.usable.ok')}</p>;
  const why = usable.reason ? (lang === 'en' ? usable.reason.en : usable.reason.zh) : t(`coupon.state.${coupon.state}`);
  return (
    <p className="usable-line no" data-testid="coupon-usable">
      ✘ {t('coupon.usable.no')}：{why}
    </p>
  );
}

function QuoteBox({ coupon, orderFen, quote }: { coupon: CouponView; orderFen: number | null; quote: Quote | null }) {
  const { t } = useI18n();
  if (orderFen === null || !quote) {
    return (
      <div className="quote quote-empty" data-testid="quote">
        {t('quote.need_amount')}
      </div>
    );
  }
  const exchange = coupon.stock.stockType === 'EXCHANGE' && coupon.stock.exchangePriceFen !== undefined;
  return (
    <div className={`quote ${quote.qualifies ? 'qualifies' : 'short'}`} data-testid="quote">
      <div className="quote-row">
        <span>{t('quote.order')}</span>
        <span data-testid="quote-order">{formatFen(orderFen)}</span>
      </div>
      <div className="quote-row discount">
        <span>{t('quote.discount')}</span>
        <span data-testid="quote-discount">{quote.qualifies ? `-${formatFen(quote.discountFen)}` : '—'}</span>
      </div>
      <div className="quote-row payable">
        <span>{t('quote.payable')}</span>
        <span data-testid="quote-payable">{formatFen(quote.payableFen)}</span>
      </div>
      {!quote.qualifies && quote.shortfallFen > 0 && (
        <p className="shortfall" data-testid="quote-shortfall">
          {t('quote.shortfall', { amount: formatFen(quote.shortfallFen) })}
        </p>
      )}
      {exchange && quote.qualifies && <p className="exchange-note">{t('quote.exchange_note', { price: formatFen(coupon.stock.exchangePriceFen ?? 0) })}</p>}
    </div>
  );
}

export function CouponCard({ coupon, orderFen, quote, stamp }: { coupon: CouponView; orderFen: number | null; quote: Quote | null; stamp: 'done' | 'pending' | null }) {
  const { t } = useI18n();
  const { stock } = coupon;
  return (
    <article className={`coupon-card ${coupon.usable.ok ? 'is-usable' : 'is-unusable'}`} data-testid="coupon-card">
      {stamp && (
        <span className={`coupon-stamp stamp-${stamp}`} data-testid="coupon-stamp">
          {stamp === 'done' ? t('redeem.done') : t('redeem.pending')}
        </span>
      )}
      <div className="coupon-main">
        <div className="coupon-head">
          <span className="coupon-type">{t(`coupon.type.${stock.stockType}`)}</span>
          <h3 data-testid="coupon-stock-name">{stock.stockName}</h3>
        </div>
        <div className="coupon-value" data-testid="coupon-value">
          {couponValue(t, stock)}
        </div>
        <dl className="coupon-facts">
          <dt>{t('coupon.threshold')}</dt>
          <dd data-testid="coupon-threshold">{thresholdText(t, stock)}</dd>
          <dt>{t('coupon.validity')}</dt>
          <dd data-testid="coupon-validity">{validityText(t, coupon.validity ? { availableBegin: coupon.validity.begin, availableEnd: coupon.validity.end } : stock)}</dd>
          <dt>{t('coupon.state')}</dt>
          <dd data-testid="coupon-state">{t(`coupon.state.${coupon.state}`)}</dd>
          {stock.goodsName && (
            <>
              <dt>{t('coupon.goods')}</dt>
              <dd>{stock.goodsName}</dd>
            </>
          )}
          <dt>{t('till.scan.label')}</dt>
          <dd className="code" data-testid="coupon-code">{coupon.code}</dd>
        </dl>
        <UsableLine coupon={coupon} />
        {coupon.unverified && (
          <p className="cache-note" data-testid="coupon-unverified">
            <strong>{t('coupon.unverified')}</strong> {t('coupon.unverified.hint')}
          </p>
        )}
        {coupon.source === 'cache' && <p className="cache-note">{t('coupon.source.cache')}</p>}
      </div>
      <QuoteBox coupon={coupon} orderFen={orderFen} quote={quote} />
    </article>
  );
}
