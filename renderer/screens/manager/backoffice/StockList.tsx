import { useCallback, useEffect, useState } from 'react';
import type { BackofficeStockRow, MethodOutput } from '../../../../shared/contract';
import { useI18n, type MessageKey } from '../../../i18n/i18n';
import { failureText, type ManagerCall } from '../../../manager/useManager';
import { chinaMinute } from '../../../till/coupon-text';
import { issueText, newClientRef, outcomeSaid, type Said } from './outcome';
import { checkPatch, MODIFY_FIELDS } from './stock-form-model';

/** The stocks this store knows (configured, seen at the till, created here), as WeChat Pay has them now. */
export function StockList({ call, refreshKey }: { call: ManagerCall; refreshKey: number }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<BackofficeStockRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const load = useCallback(async () => {
    const o = await call('backoffice.stocks', {});
    if (o.kind === 'ok') {
      setRows(o.value);
      setProblem(null);
    } else setProblem(failureText(t, o));
  }, [call, t]);
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  if (!rows) return problem ? <p className="shift-problem">{problem}</p> : <p className="muted">{t('manager.loading')}</p>;
  const row = rows.find((r) => r.stockId === open);
  return (
    <div className="bo-stocks">
      <table className="bo-table" data-testid="bo-stock-table">
        <thead>
          <tr>
            {(['name', 'state', 'budget', 'sent', 'used', 'validity', 'source'] as const).map((h) => (
              <th key={h}>{t(`bo.stocks.${h}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.stockId} data-testid={`bo-stock-${r.stockId}`} aria-selected={open === r.stockId} onClick={() => setOpen(open === r.stockId ? null : r.stockId)}>
              <td>
                <strong>{r.stockName ?? '—'}</strong>
                <div className="muted">
                  {r.stockId} · {r.stockType ? t(`bo.type.${r.stockType}` as MessageKey) : '—'}
                </div>
              </td>
              <td data-testid="bo-stock-state">{r.stockState ? t(`bo.state.${r.stockState}` as MessageKey) : '—'}</td>
              <td data-testid="bo-stock-budget">
                {r.maxCoupons ?? '—'}
                {r.maxCouponsByDay !== null && <div className="muted">{t('bo.stocks.by_day', { n: r.maxCouponsByDay })}</div>}
              </td>
              <td data-testid="bo-stock-sent">{r.sent ?? '—'}</td>
              <td>{r.usedHere}</td>
              <td>{r.availableBegin && r.availableEnd ? `${chinaMinute(r.availableBegin)} – ${chinaMinute(r.availableEnd)}` : '—'}</td>
              <td>
                {r.sources.map((s) => t(`bo.source.${s}`)).join(' · ')}
                {r.freshness !== 'wechat' && <div className="shift-problem">{t(`bo.freshness.${r.freshness}`)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {row && <StockDetail key={`detail-${row.stockId}`} stockId={row.stockId} call={call} refreshKey={rows} />}
      {row && <StockActions key={row.stockId} row={row} call={call} onChanged={() => void load()} />}
    </div>
  );
}

/** One stock as WeChat Pay answers for it now: its rule, send rules and looks, in WeChat's own words. */
function StockDetail({ stockId, call, refreshKey }: { stockId: string; call: ManagerCall; refreshKey: unknown }) {
  const { t } = useI18n();
  const [detail, setDetail] = useState<MethodOutput<'backoffice.stock'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void call('backoffice.stock', { stockId }).then((o) => (o.kind === 'ok' ? setDetail(o.value) : setProblem(failureText(t, o))));
  }, [call, stockId, t, refreshKey]);
  if (!detail) return problem ? <p className="shift-problem">{problem}</p> : null;
  return (
    <details className="bo-detail" data-testid="bo-stock-detail">
      <summary>{t('bo.stocks.detail', { name: detail.stock_name, goods: detail.goods_name })}</summary>
      <pre className="bo-json">{JSON.stringify(detail, null, 2)}</pre>
    </details>
  );
}

/** Budget (current → target) and the texts WeChat lets a running stock change. */
function StockActions({ row, call, onChanged }: { row: BackofficeStockRow; call: ManagerCall; onChanged: () => void }) {
  const { t, refusal } = useI18n();
  const [target, setTarget] = useState<'max_coupons' | 'max_coupons_by_day'>('max_coupons');
  const current = target === 'max_coupons' ? row.maxCoupons : row.maxCouponsByDay;
  const [value, setValue] = useState('');
  const [budgetRef, setBudgetRef] = useState(newClientRef);
  const [budgetSaid, setBudgetSaid] = useState<Said | null>(null);
  const [patch, setPatch] = useState<Record<string, string>>({});
  const [modifyRef, setModifyRef] = useState(newClientRef);
  const [modifySaid, setModifySaid] = useState<Said | null>(null);
  const [busy, setBusy] = useState(false);
  const next = /^\d{1,10}$/.test(value) ? Number(value) : null;

  const budget = async () => {
    if (next === null || current === null) return;
    setBusy(true);
    const o = await call('backoffice.budget', { stockId: row.stockId, target, current, value: next, clientRef: budgetRef });
    setBusy(false);
    const said = outcomeSaid(t, refusal, o, t('bo.budget.done', { from: current, to: next }));
    setBudgetSaid(said);
    if (said.status === 'succeeded' || said.status === 'refused') {
      setBudgetRef(newClientRef());
      onChanged();
    }
  };
  const checked = checkPatch(patch);
  const modify = async () => {
    if (!checked.patch) return;
    setBusy(true);
    const o = await call('backoffice.modifyStock', { stockId: row.stockId, patch: checked.patch, clientRef: modifyRef });
    setBusy(false);
    const said = outcomeSaid(t, refusal, o, t('bo.modify.done'));
    setModifySaid(said);
    if (said.status === 'succeeded' || said.status === 'refused') {
      setModifyRef(newClientRef());
      onChanged();
    }
  };

  return (
    <div className="bo-actions" data-testid="bo-stock-actions">
      <section>
        <h4>{t('bo.budget.title')}</h4>
        <div className="manager-choices">
          {(['max_coupons', 'max_coupons_by_day'] as const).map((k) => (
            <button key={k} type="button" aria-pressed={target === k} data-testid={`bo-budget-${k}`} disabled={budgetSaid?.status === 'pending'} onClick={() => setTarget(k)}>
              {t(`bo.budget.${k}`)}
            </button>
          ))}
        </div>
        <p data-testid="bo-budget-line">{t('bo.budget.line', { from: current ?? '—', to: next ?? '…' })}</p>
        {/* While the outcome is unknown the request stays as sent: a retry resends it under its number. */}
        <input data-testid="bo-budget-value" inputMode="numeric" value={value} readOnly={budgetSaid?.status === 'pending'} onChange={(e) => setValue(e.target.value.trim())} />
        <button type="button" className="manager-primary" data-testid="bo-budget-submit" disabled={busy || next === null || current === null} onClick={() => void budget()}>
          {budgetSaid?.status === 'pending' ? t('bo.retry_same') : t('bo.budget.submit')}
        </button>
        {budgetSaid && (
          <p className={budgetSaid.ok ? 'attention-message' : 'shift-problem'} data-testid="bo-budget-message" data-status={budgetSaid.status}>
            {budgetSaid.text}
          </p>
        )}
      </section>
      <section>
        <h4>{t('bo.modify.title')}</h4>
        {MODIFY_FIELDS.map((f) => {
          const problem = checked.problems.find((p) => p.key === f.key);
          return (
            <label key={f.key} className={`bo-field${problem ? ' has-problem' : ''}`}>
              <span className="bo-label">
                {t(`bo.field.${f.key}` as MessageKey)}
                {f.max !== undefined && <span className="bo-count">{`${Array.from(patch[f.key] ?? '').length}/${f.max}`}</span>}
              </span>
              {f.kind === 'select' ? (
                <select
                  data-testid={`bo-modify-${f.key}`}
                  value={patch[f.key] ?? ''}
                  disabled={modifySaid?.status === 'pending'}
                  onChange={(e) => setPatch({ ...patch, [f.key]: e.target.value })}
                >
                  <option value="">{t('bo.none')}</option>
                  {f.options?.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  data-testid={`bo-modify-${f.key}`}
                  value={patch[f.key] ?? ''}
                  readOnly={modifySaid?.status === 'pending'}
                  onChange={(e) => setPatch({ ...patch, [f.key]: e.target.value })}
                />
              )}
              {problem && <span className="bo-problem">{issueText(t, problem.issue)}</span>}
            </label>
          );
        })}
        <button type="button" className="manager-primary" data-testid="bo-modify-submit" disabled={busy || !checked.patch} onClick={() => void modify()}>
          {modifySaid?.status === 'pending' ? t('bo.retry_same') : t('bo.modify.submit')}
        </button>
        {modifySaid && (
          <p className={modifySaid.ok ? 'attention-message' : 'shift-problem'} data-testid="bo-modify-message" data-status={modifySaid.status}>
            {modifySaid.text}
          </p>
        )}
      </section>
    </div>
  );
}
