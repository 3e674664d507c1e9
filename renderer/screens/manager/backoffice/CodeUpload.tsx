import { useCallback, useEffect, useState } from 'react';
import { applyBatchResults, codeResultsCsv, countResults, planCodeUpload, readCodeFile, type CodeFilePlan, type CodeLine } from '../../../../shared/backoffice/code-file';
import type { BackofficeStockRow, MethodOutput } from '../../../../shared/contract';
import { useI18n, type MessageKey, type Translate } from '../../../i18n/i18n';
import { failureText, type ManagerCall } from '../../../manager/useManager';
import { outcomeSaid, type Said } from './outcome';

const reasonText = (t: Translate, l: CodeLine) => t(`bo.codes.reason.${l.reason}` as MessageKey, { ...l.params } as Record<string, string | number>);

/** Starts a download of `text` as a file: the results stay with the manager, not in the app. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A store's own codes for a MERCHANT_UPLOAD stock: the file is read and judged here (each line,
 * repeats), then sent one batch per call — each batch journaled with its own number and kept
 * under its own reference, so "continue" after a lost answer resends the same batch.
 */
export function CodeUpload({ call, stocks }: { call: ManagerCall; stocks: BackofficeStockRow[] }) {
  const { t, refusal } = useI18n();
  const uploadable = stocks.filter((s) => s.couponCodeMode === 'MERCHANT_UPLOAD');
  const [stockId, setStockId] = useState('');
  const chosen = stockId || uploadable[0]?.stockId || '';
  const [plan, setPlan] = useState<CodeFilePlan | null>(null);
  const [fileName, setFileName] = useState('');
  const [refs, setRefs] = useState<string[]>([]);
  const [done, setDone] = useState(0);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<Said | null>(null);
  const [listed, setListed] = useState(0);

  const pick = async (file: File) => {
    const next = planCodeUpload(readCodeFile(await file.text(), { csv: /\.csv$/i.test(file.name) }));
    const id = crypto.randomUUID();
    setPlan(next);
    setFileName(file.name);
    setRefs(next.batches.map((_, i) => `codes-${id}-${i}`));
    setDone(0);
    setSaid(null);
  };
  const upload = async () => {
    if (!plan || !chosen) return;
    setBusy(true);
    let at = done;
    for (; at < plan.batches.length; at++) {
      const o = await call('backoffice.uploadCodes', { stockId: chosen, codes: plan.batches[at] as string[], clientRef: refs[at] as string });
      if (o.kind === 'ok' && o.value.codes) applyBatchResults(plan, o.value.codes);
      const s = outcomeSaid(t, refusal, o, '');
      if (s.status !== 'succeeded') {
        // This batch's outcome is not known or was refused: stop here; "continue" resends it.
        setSaid(s);
        break;
      }
      setDone(at + 1);
      setPlan({ ...plan });
    }
    setBusy(false);
    if (at === plan.batches.length) setSaid({ ok: true, status: 'succeeded', text: t('bo.codes.done', countResults(plan.lines)) });
    setListed((n) => n + 1);
  };

  const counts = plan ? countResults(plan.lines) : null;
  const total = plan?.batches.length ?? 0;
  const shown = plan?.lines.filter((l) => l.result !== 'ok').slice(0, 200) ?? [];
  return (
    <div className="bo-codes" data-testid="bo-codes">
      {uploadable.length === 0 && <p className="muted">{t('bo.codes.no_stock')}</p>}
      <label className="bo-field">
        <span className="bo-label">{t('bo.codes.stock')}</span>
        <select data-testid="bo-codes-stock" value={chosen} onChange={(e) => setStockId(e.target.value)}>
          {uploadable.map((s) => (
            <option key={s.stockId} value={s.stockId}>{`${s.stockName ?? ''} (${s.stockId})`}</option>
          ))}
        </select>
      </label>
      <label className="bo-field">
        <span className="bo-label">{t('bo.codes.file')}</span>
        <input type="file" accept=".csv,.txt,text/csv,text/plain" data-testid="bo-codes-file" onChange={(e) => e.target.files?.[0] && void pick(e.target.files[0])} />
      </label>
      {plan && counts && (
        <>
          <p data-testid="bo-codes-plan">
            {t('bo.codes.plan', { file: fileName, lines: plan.lines.length, batches: total, invalid: counts.invalid, duplicate: counts.duplicate })}
          </p>
          <progress className="bo-progress" data-testid="bo-codes-progress" max={Math.max(total, 1)} value={done} />
          <p className="muted" data-testid="bo-codes-progress-text">
            {t('bo.codes.progress', { done, total })}
          </p>
          <button type="button" className="manager-primary" data-testid="bo-codes-upload" disabled={busy || !chosen || done === total} onClick={() => void upload()}>
            {done > 0 && done < total ? t('bo.codes.continue') : t('bo.codes.upload')}
          </button>
          <button
            type="button"
            data-testid="bo-codes-download"
            onClick={() =>
              download(
                `${fileName.replace(/\.\w+$/, '')}-results.csv`,
                codeResultsCsv(plan.lines, (l) => reasonText(t, l)),
              )
            }
          >
            {t('bo.codes.download')}
          </button>
          <p data-testid="bo-codes-counts" data-ok={counts.ok} data-duplicate={counts.duplicate} data-invalid={counts.invalid} data-pending={counts.pending}>
            {t('bo.codes.counts', counts)}
          </p>
          {shown.length > 0 && (
            <table className="bo-table">
              <tbody>
                {shown.map((l) => (
                  <tr key={l.line} data-testid="bo-codes-line">
                    <td>{l.line}</td>
                    <td>{l.code}</td>
                    <td>{t(`bo.codes.result.${l.result}`)}</td>
                    <td>{reasonText(t, l)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {said && (
        <p className={said.ok ? 'attention-message' : 'shift-problem'} data-testid="bo-codes-message" data-status={said.status}>
          {said.text}
        </p>
      )}
      {chosen && <UploadedCodes call={call} stockId={chosen} refreshKey={listed} />}
    </div>
  );
}

/** The codes WeChat Pay holds for the stock, a page at a time; an unused one can be deleted. */
function UploadedCodes({ call, stockId, refreshKey }: { call: ManagerCall; stockId: string; refreshKey: number }) {
  const { t, refusal } = useI18n();
  const [page, setPage] = useState<MethodOutput<'backoffice.codes'> | null>(null);
  const [offset, setOffset] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    const o = await call('backoffice.codes', { stockId, offset, limit: 20 });
    if (o.kind === 'ok') setPage(o.value);
    else setMessage(failureText(t, o));
  }, [call, stockId, offset, t]);
  useEffect(() => {
    void load();
  }, [load, refreshKey]);
  const remove = async (code: string) => {
    const o = await call('backoffice.deleteCode', { stockId, code });
    setMessage(outcomeSaid(t, refusal, o, t('bo.codes.deleted', { code })).text);
    void load();
  };
  if (!page) return message ? <p className="shift-problem">{message}</p> : null;
  return (
    <section className="bo-uploaded" data-testid="bo-uploaded">
      <h4 data-testid="bo-uploaded-total" data-total={page.total}>
        {t('bo.codes.held', { n: page.total })}
      </h4>
      <table className="bo-table">
        <tbody>
          {page.codes.map((c) => (
            <tr key={c.code}>
              <td>{c.code}</td>
              <td>{t(`bo.codes.status.${c.status === 'DISPATCHED' ? 'DISPATCHED' : 'AVAILABLE'}`)}</td>
              <td>
                {c.status !== 'DISPATCHED' && (
                  <button type="button" data-testid={`bo-code-delete-${c.code}`} onClick={() => void remove(c.code)}>
                    {t('bo.codes.delete')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="manager-choices">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 20))}>
          {t('bo.prev')}
        </button>
        <button type="button" disabled={offset + 20 >= page.total} onClick={() => setOffset(offset + 20)}>
          {t('bo.next')}
        </button>
      </div>
      {message && <p className="muted">{message}</p>}
    </section>
  );
}
