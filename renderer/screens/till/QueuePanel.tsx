import { memo } from 'react';
import type { QueueItem } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { parseRfc3339 } from '../../../shared/time';
import { chinaClock } from '../../till/coupon-text';
import { errorText } from '../../till/timed-call';
import type { QueueView } from '../../till/useQueue';

// The newest first; a short window shows fewer of them (styles.css), never a scroll bar.
const SHOWN = 6;

const newestFirst = (items: QueueItem[]) => {
  const at = (i: QueueItem) => parseRfc3339(i.createdAt)?.getTime() ?? 0;
  return [...items].sort((a, b) => at(b) - at(a));
};

function Item({ item }: { item: QueueItem }) {
  const { t } = useI18n();
  return (
    <li className={`queue-item q-${item.status}`} data-testid="queue-item" data-status={item.status}>
      <span className="q-time">{chinaClock(item.createdAt)}</span>
      <span className="q-kind">{t(`queue.kind.${item.kind}`)}</span>
      <span className={`q-status s-${item.status}`}>{t(`queue.status.${item.status}`)}</span>
      <span className="q-meta">
        <span className="q-code">{item.code}</span>
        {item.discountFen !== undefined && <span>{t('queue.discount', { amount: formatFen(item.discountFen) })}</span>}
        {item.status !== 'succeeded' && item.attempts > 1 && <span className="q-attempts">{t('queue.attempts', { n: item.attempts })}</span>}
      </span>
    </li>
  );
}

/** Pending and failed operations at a glance, kept current by queue.status events. */
export const QueuePanel = memo(function QueuePanel({ queue }: { queue: QueueView }) {
  const { t } = useI18n();
  return (
    <section className="panel queue" aria-labelledby="queue-title" data-testid="queue-panel" data-state={queue.status}>
      <h2 id="queue-title">
        {t('queue.title')}
        {queue.status === 'ready' && (
          <span className={`badge ${queue.snapshot.online ? 'status-ok' : 'status-warn'}`} data-testid="queue-online">
            {queue.snapshot.online ? t('queue.online') : t('queue.offline')}
          </span>
        )}
      </h2>
      {queue.status === 'loading' && <p className="muted">{t('queue.loading')}</p>}
      {queue.status === 'timeout' && <p className="muted">{t('queue.timeout', { seconds: queue.seconds })}</p>}
      {queue.status === 'failed' && (
        <p className="queue-error" role="status" data-testid="queue-error">
          {errorText(t, queue.error)}
        </p>
      )}
      {queue.status === 'ready' && (
        <>
          <div className="queue-counts">
            <div className={`count ${queue.snapshot.pending > 0 ? 'warn' : ''}`}>
              <span className="n" data-testid="queue-pending">
                {queue.snapshot.pending}
              </span>
              <span>{t('queue.pending')}</span>
            </div>
            <div className={`count ${queue.snapshot.parked > 0 ? 'fail' : ''}`}>
              <span className="n" data-testid="queue-attention">
                {queue.snapshot.parked}
              </span>
              <span>{t('queue.parked')}</span>
            </div>
          </div>
          {queue.snapshot.items.length === 0 ? (
            <p className="muted">{t('queue.empty')}</p>
          ) : (
            <ul className="queue-items">
              {newestFirst(queue.snapshot.items)
                .slice(0, SHOWN)
                .map((item) => (
                  <Item key={item.operationId} item={item} />
                ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
});
