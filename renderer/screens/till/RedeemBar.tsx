import type { ReactNode } from 'react';
import type { RedeemResult } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { errorText } from '../../till/timed-call';
import type { TillState } from '../../till/useTill';

function ResultLine({ result }: { result: RedeemResult }) {
  const { t, lang } = useI18n();
  const money = { discount: formatFen(result.discountFen), payable: formatFen(result.payableFen) };
  const reason = result.reason ? (lang === 'en' ? result.reason.en : result.reason.zh) : null;
  switch (result.status) {
    case 'pending':
      return (
        <>
          <strong>⏳ {t('redeem.pending')}</strong> <span>{reason ?? t('redeem.pending.detail', money)}</span>
        </>
      );
    case 'done':
      return (
        <>
          <strong>✔ {t('redeem.done')}</strong> <span data-testid="redeem-detail">{t('redeem.done.detail', money)}</span>
        </>
      );
    case 'rejected':
    case 'refused':
      return (
        <>
          <strong>✘ {t(`redeem.${result.status}`)}</strong> {reason && <span data-testid="redeem-reason">{reason}</span>}
        </>
      );
  }
}

const resultClass = (r: RedeemResult) => (r.status === 'pending' ? 'pending' : r.status === 'done' ? 'ok' : 'fail');

/** The big 核销 button, why it is disabled, and what the last redemption came to. */
export function RedeemBar({ till }: { till: TillState }) {
  const { t } = useI18n();
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
          <strong>{pending ? `⏳ ${t('redeem.pending')}` : `✘ ${t('redeem.failed')}`}</strong> <span>{errorText(t, redeem.error)}</span>
        </>
      ),
    };
  } else if (redeem.status === 'busy' && redeem.timedOut) {
    feedback = { cls: 'pending', status: 'timeout', body: <span>{t('redeem.timeout', { seconds: redeem.seconds })}</span> };
  }

  return (
    <section className="redeem-bar">
      <button
        type="button"
        className="redeem-button"
        data-testid="redeem-button"
        disabled={!gate.ok}
        aria-busy={busy}
        onClick={() => void till.doRedeem()}
      >
        {busy ? t('redeem.busy') : t('redeem.button')}
        <kbd>Enter</kbd>
      </button>
      <div className="redeem-side">
        {!gate.ok && gate.block !== 'settled' && (
          <p className="gate-reason" data-testid="redeem-block">
            {gate.block === 'no_coupon' && till.stocks.length > 0 ? t('redeem.block.choose_stock') : t(`redeem.block.${gate.block}`)}
          </p>
        )}
        {feedback && (
          <div className={`redeem-feedback ${feedback.cls}`} data-testid="redeem-feedback" data-status={feedback.status} role="status" aria-live="assertive">
            {feedback.body}
          </div>
        )}
        {redeem.status === 'done' && redeem.result.requestNo && <p className="muted request-no">{t('redeem.request_no', { no: redeem.result.requestNo })}</p>}
      </div>
    </section>
  );
}
