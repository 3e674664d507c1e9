import { useCallback, useEffect, useState } from 'react';
import type { BackofficeOperationView } from '../../../../shared/contract';
import { useI18n } from '../../../i18n/i18n';
import { failureText, type ManagerCall } from '../../../manager/useManager';
import { chinaMinute } from '../../../till/coupon-text';
import { outcomeSaid } from './outcome';

/** Every change the back office asked of WeChat Pay: who, when, under which number, and what came of it. */
export function AuditTrail({ call }: { call: ManagerCall }) {
  const { t, refusal } = useI18n();
  const [ops, setOps] = useState<BackofficeOperationView[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    const o = await call('backoffice.audit', {});
    if (o.kind === 'ok') setOps(o.value);
    else setMessage(failureText(t, o));
  }, [call, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const retry = async (operationId: string) => {
    const o = await call('backoffice.retry', { operationId });
    setMessage(outcomeSaid(t, refusal, o, t('bo.audit.retried')).text);
    void load();
  };
  if (!ops) return message ? <p className="shift-problem">{message}</p> : <p className="muted">{t('manager.loading')}</p>;
  if (ops.length === 0) return <p className="muted">{t('bo.audit.empty')}</p>;
  return (
    <div data-testid="bo-audit">
      {message && <p className="attention-message">{message}</p>}
      <table className="bo-table">
        <thead>
          <tr>
            {(['when', 'who', 'what', 'request_no', 'outcome'] as const).map((h) => (
              <th key={h}>{t(`bo.audit.${h}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ops.map((op) => (
            <tr key={op.operationId} data-testid="bo-audit-row" data-kind={op.kind} data-status={op.status}>
              <td>{chinaMinute(op.createdAt)}</td>
              <td>{op.managerId}</td>
              <td>
                {t(`bo.kind.${op.kind}`)}
                {op.stockId && <div className="muted">{op.stockId}</div>}
                <div className="muted">
                  {Object.entries(op.summary)
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join(' · ')}
                </div>
              </td>
              <td>{op.requestNo ?? '—'}</td>
              <td>
                {t(`bo.status.${op.status}`)}
                {op.attempts > 1 && <div className="muted">{t('bo.audit.attempts', { n: op.attempts })}</div>}
                {op.lastError && (
                  <div className="muted">
                    {op.lastError.code ?? ''} {op.lastError.message}
                  </div>
                )}
                {op.status === 'pending' && op.kind !== 'image_upload' && (
                  <button type="button" data-testid={`bo-audit-retry-${op.operationId}`} onClick={() => void retry(op.operationId)}>
                    {t('bo.retry_same')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
