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
  | { status: 'confirming'; report: ShiftReportView }
  | { status: 'closed'; report: ShiftReportView; saved: boolean; csv: { fileName: string; content: string } }
  | { status: 'failed'; message: string };

/**
 * The shift's figures so far, and closing it: 交班 shows the report and asks once more before
 * it closes (refused while anything is unresolved); the closed shift's report is offered as a
 * file to download. The till behind resets for the next cashier.
 */
export function ShiftClose({
  call,
  onClosed,
  showAttention,
  onPrint,
}: {
  call: ManagerCall;
  onClosed: () => void;
  showAttention: () => void;
  onPrint: (report: ShiftReportView) => void;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ status: 'loading' });
  const [busy, setBusy] = useState(false);
  const fail = useCallback((o: Parameters<typeof failureText>[1]) => setState({ status: 'failed', message: failureText(t, o) }), [t]);

  useEffect(() => {
    void call('shift.report', {}).then((o) => {
      if (o.kind !== 'ok') return fail(o);
      setState(o.value ? { status: 'ready', report: o.value } : { status: 'none' });
    });
  }, [call, fail]);

  const closeShift = async () => {
    if (state.status !== 'confirming') {
      if (state.status === 'ready' || state.status === 'blocked') setState({ status: 'confirming', report: state.report });
      return;
    }
    setBusy(true);
    const o = await call('shift.close', {});
    setBusy(false);
    if (o.kind !== 'ok') return fail(o);
    if (o.value.closed) {
      setState({ status: 'closed', report: o.value.report, saved: o.value.csvFile !== null, csv: o.value.csv });
      onClosed();
    } else {
      const unresolved = o.value.unresolved;
      setState((s) => ('report' in s ? { status: 'blocked', report: s.report, unresolved } : s));
    }
  };

  if (state.status === 'loading') return <p className="muted">{t('manager.shift.loading')}</p>;
  if (state.status === 'none')
    return (
      <p className="muted" data-testid="shift-none">
        {t('manager.shift.none')}
      </p>
    );
  if (state.status === 'failed')
    return (
      <p className="shift-problem" role="alert">
        {state.message}
      </p>
    );
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
            <dd className="loss" data-testid="report-not-granted">
              {t('manager.shift.not_granted_value', { n: r.confirmedNotGranted })}
            </dd>
          </>
        )}
        <dt>{t('manager.shift.unresolved')}</dt>
        <dd data-testid="report-unresolved">{r.unresolved}</dd>
      </dl>
      {r.rows.length > 0 && (
        // A long shift's rows scroll here, so the close button below always stays in view.
        <div className="report-scroll">
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
        </div>
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
        <div className="redeem-feedback ok" role="status" data-testid="shift-closed">
          {t('manager.shift.closed')} <CsvLink csv={state.csv} /> {!state.saved && t('manager.shift.csv_failed')}{' '}
          <button type="button" className="manager-close" data-testid="shift-slip" onClick={() => onPrint(state.report)}>
            {t('manager.shift.print')}
          </button>
        </div>
      ) : state.status === 'confirming' ? (
        <div className="shift-confirm" role="alertdialog" aria-labelledby="shift-confirm-text" data-testid="shift-confirm">
          <p id="shift-confirm-text">{t('manager.shift.confirm', { till: r.shift.tillId })}</p>
          <button type="button" className="manager-primary" data-testid="shift-close-confirm" data-autofocus disabled={busy} autoFocus onClick={() => void closeShift()}>
            {t('manager.shift.confirm_button')}
          </button>{' '}
          <button type="button" className="manager-close" data-testid="shift-close-cancel" onClick={() => setState({ status: 'ready', report: r })}>
            {t('manager.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" className="manager-primary" data-testid="shift-close" disabled={busy} onClick={() => void closeShift()}>
          {t('manager.shift.close')}
        </button>
      )}
    </div>
  );
}

/** The closed shift's report as a file the manager saves where they like (no path to copy by hand). */
function CsvLink({ csv }: { csv: { fileName: string; content: string } }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(new Blob([csv.content], { type: 'text/csv;charset=utf-8' }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [csv]);
  if (!url) return null;
  return (
    <a className="csv-link" href={url} download={csv.fileName} data-testid="shift-csv">
      {t('manager.shift.csv_download', { file: csv.fileName })}
    </a>
  );
}
