import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { CouponStateView, OperationResult, PosApi, Refusal, ScanResult, StockView } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';
import { keepingFocus } from '../../manager/keep-focus';
import { failureText, type ManagerCall } from '../../manager/useManager';
import { cleanScan } from '../../scan/burst-detector';
import { couponValue } from '../../till/coupon-text';
import { SCAN_TIMEOUT_MS, timedCall } from '../../till/timed-call';

type Looked = { code: string; stock: StockView | null; state: CouponStateView | null; choices: StockView[]; problem: string | null };

/**
 * What the desk offers for a coupon in this state: a return only for a used coupon, a
 * deactivation only for an unused one; both when the till cannot tell (WeChat Pay decides).
 */
export function offeredActions(state: CouponStateView | null): { return: boolean; deactivate: boolean } {
  if (state === 'USED') return { return: true, deactivate: false };
  if (state === 'SENDED') return { return: false, deactivate: true };
  if (state === null || state === 'UNKNOWN') return { return: true, deactivate: true };
  return { return: false, deactivate: false };
}

/**
 * Returns (退券: a used coupon becomes usable again, e.g. the goods came back) and
 * deactivations (使券失效: an unused coupon can never be used, e.g. a leaked code). The code
 * is scanned or typed; the till first says which coupon it is, then the manager acts.
 */
export function CouponActions({ api, call, scanSink }: { api: PosApi; call: ManagerCall; scanSink: MutableRefObject<((raw: string) => void) | null> }) {
  const { t, refusal } = useI18n();
  const [text, setText] = useState('');
  const [looked, setLooked] = useState<Looked | null>(null);
  const [stockId, setStockId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'warn' | 'fail'; text: string } | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  /** Says which coupon a code is and what state it is in; `again`: after an action, the line is brought up to date. */
  const lookup = async (raw: string, again?: { stockId: string | null }) => {
    const code = cleanScan(raw);
    setText(code);
    if (!again) {
      setLooked(null);
      setResult(null);
      setConfirming(false);
      setStockId(null);
    }
    const o = await timedCall(api, 'till.scan', { raw: code, ...(again?.stockId ? { stockId: again.stockId } : {}) }, SCAN_TIMEOUT_MS);
    if (o.kind !== 'ok') {
      setLooked({ code, stock: null, state: null, choices: [], problem: failureText(t, o) });
      return;
    }
    setLooked(describe(o.value, refusal));
    if (o.value.kind === 'coupon') setStockId(o.value.coupon.stock.stockId);
  };

  // While this form is showing, a scanner burst anywhere on the page is the coupon to act on.
  useEffect(() => {
    scanSink.current = (raw) => void lookup(raw);
  });
  useEffect(() => {
    codeRef.current?.focus();
    return () => {
      scanSink.current = null;
    };
  }, [scanSink]);

  // Kept until the line is redrawn too: the pressed button may be gone by then (see keep-focus.ts).
  const act = (what: 'return' | 'deactivate') => keepingFocus(() => actNow(what));
  const actNow = async (what: 'return' | 'deactivate') => {
    if (!looked) return;
    setBusy(true);
    const input = { code: looked.code, ...(stockId ? { stockId } : {}) };
    const o = what === 'return' ? await call('coupon.return', input) : await call('coupon.deactivate', { ...input, reason: reason.trim() });
    setBusy(false);
    setConfirming(false);
    if (o.kind === 'ok') setResult(outcomeLine(o.value, what));
    else setResult({ tone: 'fail', text: failureText(t, o) });
    // The line shows the coupon as it is now, and with it what can still be done.
    await lookup(looked.code, { stockId });
  };
  const outcomeLine = (r: OperationResult, what: 'return' | 'deactivate') => {
    if (r.status === 'succeeded') return { tone: 'ok' as const, text: t(`manager.coupon.${what}_done`) };
    if (r.status === 'pending') return { tone: 'warn' as const, text: t('manager.coupon.pending') };
    return { tone: 'fail' as const, text: r.reason ? refusal(r.reason) : t(`action.status.${r.status}`) };
  };

  const ready = looked !== null && looked.problem === null && stockId !== null && !busy;
  const offered = offeredActions(looked?.state ?? null);
  return (
    <div className="coupon-actions">
      <label className="field">
        <span className="field-label">{t('manager.coupon.code')}</span>
        <input
          ref={codeRef}
          data-autofocus
          data-testid="manager-code"
          value={text}
          maxLength={64}
          autoComplete="off"
          spellCheck={false}
          placeholder={t('manager.coupon.placeholder')}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || !text.trim()) return;
            e.preventDefault();
            void lookup(text);
          }}
        />
      </label>
      {looked && (
        <div className="manager-coupon" data-testid="manager-coupon" data-code={looked.code}>
          {looked.problem && <p className="shift-problem">{looked.problem}</p>}
          {looked.stock && (
            <p>
              <strong>{looked.stock.stockName}</strong> · {couponValue(t, looked.stock)} ·{' '}
              <span data-testid="manager-coupon-state" data-state={looked.state ?? 'UNKNOWN'}>
                {t(`coupon.state.${looked.state ?? 'UNKNOWN'}`)}
              </span>
            </p>
          )}
          {looked.choices.length > 0 && (
            <div className="manager-choices">
              <span>{t('manager.coupon.choose')}</span>
              {looked.choices.map((s) => (
                <button key={s.stockId} type="button" aria-pressed={stockId === s.stockId} onClick={() => setStockId(s.stockId)}>
                  {s.stockName}
                </button>
              ))}
            </div>
          )}
        </div>
      )}
      {ready && !offered.return && !offered.deactivate && (
        <p className="muted" data-testid="manager-nothing">
          {t('manager.coupon.nothing', { state: t(`coupon.state.${looked.state ?? 'UNKNOWN'}`) })}
        </p>
      )}
      <div className="manager-ops">
        {(!ready || offered.return) && (
          <div>
            <p className="muted">{t('manager.coupon.return_hint')}</p>
            <button type="button" className="manager-primary" data-testid="manager-return" disabled={!ready} onClick={() => void act('return')}>
              {t('manager.coupon.return')}
            </button>
          </div>
        )}
        {(!ready || offered.deactivate) && (
          <div>
            <p className="muted">{t('manager.coupon.deactivate_hint')}</p>
            <input data-testid="manager-reason" value={reason} maxLength={64} placeholder={t('manager.coupon.reason')} onChange={(e) => setReason(e.target.value)} />
            {!confirming ? (
              <button type="button" className="manager-danger" data-testid="manager-deactivate" disabled={!ready || !reason.trim()} onClick={() => setConfirming(true)}>
                {t('manager.coupon.deactivate')}
              </button>
            ) : (
              <button type="button" className="manager-danger" data-testid="manager-deactivate-confirm" disabled={!ready} onClick={() => void act('deactivate')}>
                {t('manager.coupon.deactivate_confirm')}
              </button>
            )}
          </div>
        )}
      </div>
      {result && (
        <p className={`redeem-feedback ${result.tone === 'warn' ? 'pending' : result.tone}`} role="status" data-testid="manager-result" data-tone={result.tone}>
          {result.text}
        </p>
      )}
    </div>
  );
}

function describe(r: ScanResult, say: (x: Refusal) => string): Looked {
  switch (r.kind) {
    case 'coupon':
      return { code: r.coupon.code, stock: r.coupon.stock, state: r.coupon.state, choices: [], problem: null };
    case 'choose_stock':
      return { code: r.code, stock: null, state: null, choices: r.stocks, problem: null };
    case 'not_found':
      return { code: r.code, stock: null, state: null, choices: [], problem: say(r.reason) };
    case 'payment_code':
    case 'invalid':
      return { code: '', stock: null, state: null, choices: [], problem: say(r.reason) };
  }
}
