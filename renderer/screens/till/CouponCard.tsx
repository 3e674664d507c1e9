import type { CouponView, Quote, RedeemResult } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { chinaMinute, couponValue, goodsText, thresholdText, validityText } from '../../till/coupon-text';

export type CardVerdict = { kind: 'usable'; verified: boolean } | { kind: 'blocked'; text: string };

/**
 * One verdict per card, the same one the 核销 button acts on: blocked (with why), usable and
 * checked with WeChat Pay just now, or usable as far as the till can tell but not verified.
 */
export function verdictOf(coupon: CouponView, quote: Quote | null, say: (r: NonNullable<CouponView['usable']['reason']>) => string, short: (q: Quote) => string): CardVerdict {
  if (!coupon.usable.ok) return { kind: 'blocked', text: coupon.usable.reason ? say(coupon.usable.reason) : '' };
  if (quote && !quote.qualifies) return { kind: 'blocked', text: short(quote) };
  return { kind: 'usable', verified: coupon.source === 'wechat' };
}

function VerdictLine({ verdict }: { verdict: CardVerdict }) {
  const { t } = useI18n();
  if (verdict.kind === 'blocked') {
    return (
      <p className="usable-line no" data-testid="coupon-usable" data-verdict="blocked">
        ✘ {t('coupon.usable.no')}：{verdict.text}
      </p>
    );
  }
  return verdict.verified ? (
    <p className="usable-line ok" data-testid="coupon-usable" data-verdict="verified">
      ✔ {t('coupon.usable.verified')}
    </p>
  ) : (
    <p className="usable-line unverified" data-testid="coupon-usable" data-verdict="unverified">
      ⚠ {t('coupon.usable.unverified')}
    </p>
  );
}

function QuoteBox({ coupon, quote, gives: given }: { coupon: CouponView; quote: Quote | null; gives: boolean }) {
  const { t } = useI18n();
  if (!quote) {
    return (
      <div className="quote quote-empty" data-testid="quote">
        {t('quote.need_amount')}
      </div>
    );
  }
  const exchange = coupon.stock.stockType === 'EXCHANGE' ? (quote.exchangePriceFen ?? coupon.stock.exchangePriceFen) : undefined;
  const gives = quote.qualifies && given;
  return (
    <div className={`quote ${gives ? 'qualifies' : 'short'}`} data-testid="quote">
      <div className="quote-row">
        <span>{t('quote.order')}</span>
        <span data-testid="quote-order">{formatFen(quote.payableBeforeFen)}</span>
      </div>
      {exchange !== undefined && quote.discountFen === 0 ? (
        // An exchange coupon takes nothing off the order: what matters is the item's price.
        <div className="quote-row exchange">
          <span>{t('quote.exchange_price')}</span>
          <span data-testid="quote-exchange-price">{gives ? formatFen(exchange) : '—'}</span>
        </div>
      ) : (
        <div className="quote-row discount">
          <span>{t('quote.discount')}</span>
          <span data-testid="quote-discount">{gives ? `-${formatFen(quote.discountFen)}` : '—'}</span>
        </div>
      )}
      <div className="quote-row payable">
        <span>{t('quote.payable')}</span>
        <span data-testid="quote-payable">{formatFen(gives ? quote.payableFen : quote.payableBeforeFen)}</span>
      </div>
      {!quote.qualifies && quote.shortfallFen > 0 && (
        <p className="shortfall" data-testid="quote-shortfall">
          {t('quote.shortfall', { amount: formatFen(quote.shortfallFen) })}
        </p>
      )}
      {exchange !== undefined && gives && (
        <p className="exchange-note" data-testid="quote-exchange">
          {t('quote.exchange_note', { price: formatFen(exchange) })}
        </p>
      )}
    </div>
  );
}

/** After a redemption the card shows what became of the coupon, never the state it had before. */
function outcomeState(result: RedeemResult | null): 'redeemed' | 'pending' | 'refused' | null {
  if (!result) return null;
  if (result.status === 'succeeded') return 'redeemed';
  if (result.status === 'pending') return 'pending';
  return result.status === 'refused' ? 'refused' : null;
}

export function CouponCard({ coupon, quote, result }: { coupon: CouponView; quote: Quote | null; result: RedeemResult | null }) {
  const { t, refusal } = useI18n();
  const { stock } = coupon;
  const outcome = outcomeState(result);
  const verdict = verdictOf(coupon, quote, refusal, (q) => t('quote.shortfall', { amount: formatFen(q.shortfallFen) }));
  const tone =
    outcome === 'redeemed'
      ? 'is-done'
      : outcome === 'pending'
        ? 'is-pending'
        : verdict.kind === 'blocked' || outcome === 'refused'
          ? 'is-unusable'
          : verdict.verified
            ? 'is-usable'
            : 'is-unverified';
  return (
    <article className={`coupon-card ${tone}`} data-testid="coupon-card" data-source={coupon.source}>
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
          <dd data-testid="coupon-validity">
            {coupon.availableStart && coupon.expire
              ? t('coupon.validity.range', { begin: chinaMinute(coupon.availableStart), end: chinaMinute(coupon.expire) })
              : validityText(t, stock)}
          </dd>
          <dt>{t('coupon.state')}</dt>
          <dd data-testid="coupon-state" data-verified={coupon.source === 'wechat'}>
            {outcome ? t(`coupon.outcome.${outcome}`) : t(`coupon.state.${coupon.state}`)}
            {!outcome && <span className={`verified-tag ${coupon.source === 'wechat' ? 'yes' : 'no'}`}>{t(`coupon.source.${coupon.source}`)}</span>}
          </dd>
          {stock.goodsName && (
            <>
              <dt>{t('coupon.goods')}</dt>
              <dd>{goodsText(t, stock.goodsName)}</dd>
            </>
          )}
          <dt>{t('till.scan.label')}</dt>
          <dd className="code" data-testid="coupon-code">
            {coupon.code}
          </dd>
        </dl>
        {/* After a redemption its outcome takes the verdict's place: never both, never over the name. */}
        {outcome ? (
          <p className={`coupon-outcome outcome-${outcome}`} data-testid="coupon-stamp" data-outcome={outcome}>
            {t(`coupon.outcome.${outcome}`)}
          </p>
        ) : (
          <VerdictLine verdict={verdict} />
        )}
      </div>
      <QuoteBox coupon={coupon} quote={quote} gives={outcome ? outcome === 'redeemed' || (outcome === 'pending' && result?.coupon?.granted === true) : verdict.kind === 'usable'} />
    </article>
  );
}
