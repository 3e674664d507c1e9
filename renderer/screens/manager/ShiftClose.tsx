import { useCallback, useEffect, useState } from 'react';
import type { QueueItem, ShiftReportView } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { failureText, type ManagerCall } from '../../manager/useManager';
import { chinaMinute } from '../../till/coupon-text';

type State =
  | { status: 'loading' }
  | { status: 'none' }
  | { status: 'ready'; report: ShiftReportView }
  | { status: 'blocked'; report: ShiftReportView; unresolved: QueueItem[] }
  | { status: 'closed'; report: ShiftReportView; csvFile: string | null }
  | { status: 'failed'; message: string };

/** The shift's figures so far, and closing it: refused while anything is unresolved. */
export function ShiftClose({ call, onClosed, showAttention }: { call: ManagerCall; onClosed: () => void; showAttention: () => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [busy, setBusy] = useState(false);
  const fail = useCallback(
    (o: Parameters<typeof failureText>[1]) =>
      setState({ status: 'failed', message: failureText(t, o) }),
    [t],
  );

  useEffect(() => {
    void call('shift.report', {}).then((o) => {
      if (o.kind !== 'ok') return fail(o);
      setState(o.value ? { status: 'ready', report: o.value } : { status: 'none' });
    });
  }, [call, fail]);

  const closeShift = async () => {
    setBusy(true);
    const o = await call('shift.close', {});
    setBusy(false);
    if (o.kind !== 'ok') return fail(o);
    if (o.value.closed) {
      setState({ status: 'closed', report: o.value.report, csvFile: o.value.csvFile });
      onClosed();
    } else {
      const unresolved = o.value.unresolved;
      setState((s) => ('report' in s ? { status: 'blocked', report: s.report, unresolved } : s));
    }
  };

  if (state.status === 'loading') return <p className="muted">{t('manager.shift.loading')}</p>;
  if (state.status === 'none') return <p className="muted" data-testid="shift-none">{t('manager.shift.none')}</p>;
  if (state.status === 'failed') return <p className="shift-problem" role="alert">{state.message}</p>;
  const r = state.report;
  return (
    <div className="shift-close" data-testid="shift-report">
      <p>
        {t('manager.shift.line', { till: r.shift.tillId, cashiers: r.shift.cashierIds.join('、'), opened: chinaMinute(r.shift.openedAt) })}
        {r.shift.training && <span className="q-training"> {t('queue.training')}</span>}
      </p>
      <dl className="shift-figures">
        <dt>{t('manager.shift.redeemed')}</dt>
        <dd data-testid="report-redeemed">{t('manager.shift.redeemed_value', { n: r.redeemed.count, amount: formatFen(r.redeemed.discountFen) })}</dd>
        <dt>{t('manager.shift.returned')}</dt>
        <dd data-testid="report-returned">{t('manager.shift.redeemed_value', { n: r.returned.count, amount: formatFen(r.returned.discountFen) })}</dd>
        <dt>{t('manager.shift.orders')}</dt>
        <dd data-testid="report-orders">{t('manager.shift.orders_value', { n: r.orders.filter((o) => o.coupons.length > 0).length })}</dd>
        {r.failedLinks.length > 0 && (
          <>
            <dt>{t('manager.shift.failed_links')}</dt>
            <dd className="loss" data-testid="report-failed-links">
              {r.failedLinks.map((f) => t('manager.shift.failed_link', { code: f.code, no: f.outTradeNo, why: f.wechatMessage ?? '' })).join('；')}
            </dd>
          </>
        )}
        <dt>{t('manager.shift.offline')}</dt>
        <dd>{t('manager.shift.offline_value', { n: r.offline.accepted, confirmed: r.offline.confirmed, pending: r.offline.pending })}</dd>
        <dt>{t('manager.shift.losses')}</dt>
        <dd className={r.offline.lost > 0 ? 'loss' : ''} data-testid="report-losses">
          {t('manager.shift.losses_value', { n: r.offline.lost, amount: formatFen(r.offline.lostDiscountFen) })}
        </dd>
        {r.confirmedNotGranted > 0 && (
          <>
            <dt>{t('manager.shift.not_granted')}</dt>
            <dd className="loss" data-testid="report-not-granted">{t('manager.shift.not_granted_value', { n: r.confirmedNotGranted })}</dd>
          </>
        )}
        <dt>{t('manager.shift.unresolved')}</dt>
        <dd data-testid="report-unresolved">{r.unresolved}</dd>
      </dl>
      {r.rows.length > 0 && (
        <table className="report-rows">
          <thead>
            <tr>
              <th>{t('manager.shift.col.stock')}</th>
              <th>{t('manager.shift.col.kind')}</th>
              <th>{t('manager.shift.col.status')}</th>
              <th>{t('manager.shift.col.count')}</th>
              <th>{t('manager.shift.col.discount')}</th>
            </tr>
          </thead>
          <tbody>
            {r.rows.map((row) => (
              <tr key={`${row.stockId}-${row.kind}-${row.status}`}>
                <td>{row.stockName ?? row.stockId}</td>
                <td>{t(`queue.kind.${row.kind}`)}</td>
                <td>{t(`queue.status.${row.status}`)}</td>
                <td>{row.count}</td>
                <td>{formatFen(row.discountFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state.status === 'blocked' && (
        <p className="shift-problem" role="alert" data-testid="shift-blocked">
          {t('manager.shift.blocked', { n: state.unresolved.length })}{' '}
          <button type="button" onClick={showAttention}>
            {t('manager.shift.go_attention')}
          </button>
        </p>
      )}
      {state.status === 'closed' ? (
        <p className="redeem-feedback ok" role="status" data-testid="shift-closed">
          {t('manager.shift.closed')} {state.csvFile ? t('manager.shift.csv', { file: state.csvFile }) : t('manager.shift.csv_failed')}
        </p>
      ) : (
        <button type="button" className="manager-primary" data-testid="shift-close" disabled={busy} onClick={() => void closeShift()}>
          {t('manager.shift.close')}
        </button>
      )}
    </div>
  );
}
