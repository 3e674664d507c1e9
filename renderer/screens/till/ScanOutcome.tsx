import { useI18n } from '../../i18n/i18n';
import { errorText } from '../../till/timed-call';
import type { TillState } from '../../till/useCheckout';
import { CouponCard } from './CouponCard';
import { StockChooser } from './StockChooser';

/** The big middle of the screen: what the last scan turned out to be. */
export function ScanOutcome({ till }: { till: TillState }) {
  const { t, refusal } = useI18n();
  const { scan } = till;

  switch (scan.status) {
    case 'idle':
      return (
        <section className="outcome outcome-idle" data-testid="scan-outcome" data-kind="idle">
          <h3>{t('scan.idle.title')}</h3>
          <p className="muted">{till.open ? t('scan.idle.hint_order') : t('scan.idle.hint')}</p>
        </section>
      );
    case 'busy':
      return (
        <section
          className={`outcome ${scan.timedOut ? 'outcome-warn' : 'outcome-busy'}`}
          data-testid="scan-outcome"
          data-kind={scan.timedOut ? 'timeout' : 'busy'}
          aria-busy={!scan.timedOut}
        >
          {scan.timedOut ? (
            <p role="alert">{t('scan.timeout', { seconds: scan.seconds })}</p>
          ) : (
            <p className="busy-line">
              <span className="spinner" aria-hidden="true" />
              {t('scan.busy')}
            </p>
          )}
        </section>
      );
    case 'refused':
      return (
        <section className="outcome outcome-fail" data-testid="scan-outcome" data-kind="refused" role="alert">
          <p>{t('scan.refused')}</p>
        </section>
      );
    case 'failed':
      return (
        <section className="outcome outcome-fail" data-testid="scan-outcome" data-kind="error" data-code={scan.error.code} role="alert">
          <p>{errorText(t, scan.error, refusal)}</p>
        </section>
      );
    case 'result':
      break;
  }

  const result = scan.result;
  switch (result.kind) {
    case 'coupon':
      return (
        <section data-testid="scan-outcome" data-kind="coupon">
          <CouponCard coupon={result.coupon} quote={till.quote} result={till.redeem.status === 'done' ? till.redeem.result : null} />
        </section>
      );
    case 'choose_stock':
      return <StockChooser code={result.code} stocks={result.stocks} known={result.known} selected={till.chooserIndex} onChoose={till.chooseStock} />;
    case 'payment_code':
      return (
        <section className="outcome outcome-warn payment-code" data-testid="scan-outcome" data-kind="payment_code" role="alert">
          <h3 data-testid="payment-code-warning">⚠ {t('scan.payment_code.title')}</h3>
          <p>{t('scan.payment_code.hint')}</p>
        </section>
      );
    case 'invalid':
      return (
        <section className="outcome outcome-fail" data-testid="scan-outcome" data-kind="invalid" role="alert">
          <h3>{t('scan.invalid.title')}</h3>
          <p data-testid="scan-reason">{refusal(result.reason)}</p>
        </section>
      );
    case 'not_found':
      return (
        <section className="outcome outcome-fail" data-testid="scan-outcome" data-kind="not_found" role="alert">
          <h3>{t('scan.not_found.title')}</h3>
          <p className="muted">{t('scan.code', { code: result.code })}</p>
          <p data-testid="scan-reason">{refusal(result.reason)}</p>
        </section>
      );
  }
}
