import { useState } from 'react';
import type { QueueItem } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { failureText, type ManagerCall } from '../../manager/useManager';
import { chinaClock } from '../../till/coupon-text';
import type { QueueView } from '../../till/useQueue';

/**
 * What blocks the shift: operations WeChat Pay refused after the cashier moved on (retry
 * them with the same request number, or accept the refusal with a note), and operations
 * still waiting for an answer (the manager can mark them as seen; they keep retrying).
 */
export function AttentionList({ queue, call }: { queue: QueueView; call: ManagerCall }) {
  const { t } = useI18n();
  if (queue.status !== 'ready') return <p className="muted">{t('queue.loading')}</p>;
  const refused = queue.snapshot.items.filter((i) => i.status === 'parked');
  const waiting = queue.snapshot.items.filter((i) => i.status === 'pending');
  if (refused.length === 0 && waiting.length === 0)
    return (
      <p className="muted" data-testid="attention-empty">
        {t('manager.attention.empty')}
      </p>
    );
  return (
    <div className="attention">
      {refused.length > 0 && <h3>{t('manager.attention.refused', { n: refused.length })}</h3>}
      <ul className="attention-list">
        {refused.map((item) => (
          <Row key={item.operationId} item={item} call={call} />
        ))}
      </ul>
      {waiting.length > 0 && <h3>{t('manager.attention.waiting', { n: waiting.length })}</h3>}
      <ul className="attention-list">
        {waiting.map((item) => (
          <Row key={item.operationId} item={item} call={call} />
        ))}
      </ul>
    </div>
  );
}

function Row({ item, call }: { item: QueueItem; call: ManagerCall }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const refused = item.status === 'parked';

  const act = async (what: 'retry' | 'ack') => {
    setBusy(true);
    setMessage(null);
    const o =
      what === 'retry'
        ? await call('queue.retry', { operationId: item.operationId })
        : await call('queue.ack', { operationId: item.operationId, ...(note.trim() ? { note: note.trim() } : {}) });
    setBusy(false);
    if (o.kind === 'ok') setMessage(t(`manager.attention.${what}_done`));
    else setMessage(failureText(t, o));
  };

  return (
    <li className={`attention-item q-${item.status}`} data-testid="attention-item" data-op={item.operationId} data-status={item.status}>
      <div className="attention-what">
        <span className="q-time">{chinaClock(item.createdAt)}</span>
        <strong>{t(`queue.kind.${item.kind}`)}</strong>
        <span className="q-code">{item.code}</span>
        {item.discountFen !== undefined && <span>{t('queue.discount', { amount: formatFen(item.discountFen) })}</span>}
        <span className={`q-status s-${item.status}`}>{t(`queue.status.${item.status}`)}</span>
      </div>
      {item.lastError && (
        <p className="attention-error">
          {item.lastError.message}
          {item.lastError.code ? ` (${item.lastError.code})` : ''}
          {item.lastError.requestId ? ` · Request-ID ${item.lastError.requestId}` : ''}
        </p>
      )}
      <p className="request-no">
        {t('manager.attention.request_no', { no: item.requestNo })} · {t('queue.attempts', { n: item.attempts })}
      </p>
      <div className="attention-actions">
        {refused && (
          <button type="button" data-testid="attention-retry" disabled={busy} onClick={() => void act('retry')}>
            {t('manager.attention.retry')}
          </button>
        )}
        <input data-testid="attention-note" value={note} maxLength={200} placeholder={t('manager.attention.note')} onChange={(e) => setNote(e.target.value)} />
        <button type="button" data-testid="attention-ack" disabled={busy} onClick={() => void act('ack')}>
          {refused ? t('manager.attention.accept') : t('manager.attention.seen')}
        </button>
      </div>
      {message && (
        <p className="attention-message" role="status">
          {message}
        </p>
      )}
    </li>
  );
}
