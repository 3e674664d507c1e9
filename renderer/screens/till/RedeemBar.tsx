import type { ReactNode } from 'react';
import type { OrderLink, RedeemResult } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { errorText } from '../../till/timed-call';
import type { TillState } from '../../till/useCheckout';

function LinkLine({ link, orderNo }: { link: OrderLink; orderNo: string | null }) {
  const { t, refusal } = useI18n();
  if (link.status === 'succeeded')
    return (
      <p className="link-line ok" data-testid="redeem-link" data-status="linked">
        {t('redeem.link.linked', { no: orderNo ?? '' })}
      </p>
    );
  if (link.status === 'pending')
    return (
      <p className="link-line pending" data-testid="redeem-link" data-status="pending">
        {t('redeem.link.pending', { no: orderNo ?? '' })}
      </p>
    );
  return (
    <p className="link-line fail" data-testid="redeem-link" data-status="failed">
      {t('redeem.link.failed', { no: orderNo ?? '' })}
      {link.reason ? `：${refusal(link.reason)}` : ''}
    </p>
  );
}

function ResultLine({ result }: { result: RedeemResult }) {
  const { t, refusal } = useI18n();
  const reason = result.reason ? refusal(result.reason) : null;
  const money = { discount: formatFen(result.coupon?.discountFen ?? 0), payable: formatFen(result.order.payableFen) };
  switch (result.status) {
    case 'pending':
      return result.coupon?.granted ? (
        <>
          <strong>{t('redeem.offline')}</strong> <span data-testid="redeem-detail">{t('redeem.offline.detail', money)}</span>
        </>
      ) : (
        <>
          <strong>{t('redeem.pending')}</strong> <span data-testid="redeem-reason">{reason ?? t('redeem.pending.detail')}</span>
        </>
      );
    case 'succeeded':
      // Confirmed after the cashier had been told not to give the discount: said as it is.
      return result.coupon && !result.coupon.granted ? (
        <>
          <strong>✔ {t('redeem.done')}</strong> <span data-testid="redeem-detail">{t('redeem.done.not_granted', money)}</span>
        </>
      ) : (
        <>
          <strong>✔ {t('redeem.done')}</strong> <span data-testid="redeem-detail">{t('redeem.done.detail', money)}</span>
        </>
      );
    case 'refused':
    case 'declined':
      return (
        <>
          <strong>✘ {t(`redeem.${result.status}`)}</strong> {reason && <span data-testid="redeem-reason">{reason}</span>}
        </>
      );
  }
}

const resultClass = (r: RedeemResult) => (r.status === 'pending' ? 'pending' : r.status === 'succeeded' ? 'ok' : 'fail');

/** The big 核销 button, why it is disabled, and what the last redemption came to. */
export function RedeemBar({ till }: { till: TillState }) {
  const { t, refusal } = useI18n();
  const { redeem, gate } = till;
  const busy = redeem.status === 'busy' && !redeem.timedOut;

  let feedback: { cls: string; status: string; body: ReactNode } | null = null;
  if (redeem.status === 'done') {
    feedback = { cls: resultClass(redeem.result), status: redeem.result.status, body: <ResultLine result={redeem.result} /> };
  } else if (redeem.status === 'failed') {
    const pending = redeem.error.code === 'OUTCOME_PENDING';
    feedback = {
      cls: pending ? 'pending' : 'fail',
      status: pending ? 'pending' : 'error',
      body: (
        <>
          <strong>{pending ? `${t('redeem.pending')}` : `✘ ${t('redeem.failed')}`}</strong> <span>{errorText(t, redeem.error, refusal)}</span>
        </>
      ),
    };
  } else if (redeem.status === 'busy' && redeem.timedOut) {
    feedback = { cls: 'pending', status: 'timeout', body: <span>{t('redeem.timeout', { seconds: redeem.seconds })}</span> };
  }
  const result = redeem.status === 'done' ? redeem.result : null;
  // The button says what will happen: a coupon WeChat Pay has not confirmed is sent for WeChat to decide.
  const unverified = gate.ok && till.coupon !== null && till.coupon.source !== 'wechat';

  return (
    <section className="redeem-bar">
      <button
        type="button"
        className={`redeem-button ${unverified ? 'unverified' : ''}`}
        data-testid="redeem-button"
        disabled={!gate.ok}
        aria-busy={busy}
        onClick={() => void till.doRedeem()}
      >
        {busy ? t('redeem.busy') : unverified ? t('redeem.button.unverified') : t('redeem.button')}
        <kbd>Enter</kbd>
      </button>
      <div className="redeem-side">
        {!gate.ok && gate.block !== 'settled' && (
          <p className="gate-reason" data-testid="redeem-block">
            {gate.block === 'no_coupon' && till.stocks.length > 0
              ? t('redeem.block.choose_stock')
              : gate.block === 'no_coupon' && till.open
                ? t('redeem.block.scan_next')
                : t(`redeem.block.${gate.block}`)}
          </p>
        )}
        {feedback && (
          <div className={`redeem-feedback ${feedback.cls}`} data-testid="redeem-feedback" data-status={feedback.status} role="status" aria-live="assertive">
            {feedback.body}
          </div>
        )}
        {result?.coupon?.link && <LinkLine link={result.coupon.link} orderNo={result.order.outTradeNo} />}
        {result?.coupon && <p className="muted request-no">{t('redeem.request_no', { no: result.coupon.requestNo })}</p>}
      </div>
    </section>
  );
}
