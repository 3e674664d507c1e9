import { useEffect, useState } from 'react';
import type { PosApi, PracticeCoupon } from '../../../shared/contract';
import { formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { failureText } from '../../manager/useManager';
import { barcodeImage } from '../../scan/barcode-writer';
import { printA4 } from '../../slips/print';
import { couponValue, thresholdText } from '../../till/coupon-text';
import { LIST_TIMEOUT_MS, timedCall } from '../../till/timed-call';
import { useOverlayEsc } from './useOverlayEsc';

type Drawn = PracticeCoupon & { qr: string; bar: string };

/**
 * The practice customers' coupons as a sheet to scan from the screen or from paper (A4): each
 * as a QR code and a Code 128 barcode, with what it teaches. Only in training.
 */
export function PracticeSheet({ api, onClose }: { api: PosApi; onClose: () => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ status: 'loading' } | { status: 'ready'; coupons: Drawn[] } | { status: 'failed'; text: string }>({ status: 'loading' });
  useOverlayEsc(onClose);

  useEffect(() => {
    let live = true;
    void (async () => {
      const o = await timedCall(api, 'training.practice', {}, LIST_TIMEOUT_MS);
      if (o.kind !== 'ok') return live && setState({ status: 'failed', text: failureText(t, o) });
      try {
        const coupons = await Promise.all(o.value.coupons.map(async (c) => ({ ...c, qr: await barcodeImage(c.code, 'QRCode'), bar: await barcodeImage(c.code, 'Code128') })));
        if (live) setState({ status: 'ready', coupons });
      } catch (err) {
        if (live) setState({ status: 'failed', text: t('error.call_failed', { message: (err as Error).message }) });
      }
    })();
    return () => void (live = false);
  }, [api, t]);

  const how = (c: PracticeCoupon) => t(`practice.lesson.${c.lesson}.how`, { value: couponValue(t, c.stock), threshold: thresholdText(t, c.stock) });

  return (
    <div className="sheet-backdrop">
      <section className="sheet-dialog practice-dialog" role="dialog" aria-modal="true" aria-labelledby="practice-title" data-testid="practice-sheet">
        <header className="manager-head">
          <h2 id="practice-title">{t('practice.title')}</h2>
          <span className="spacer" />
          <button type="button" className="manager-primary" data-testid="practice-print" disabled={state.status !== 'ready'} onClick={printA4}>
            {t('practice.print')}
          </button>
          <button type="button" className="manager-close" data-testid="practice-close" onClick={onClose}>
            {t('practice.close')} <kbd>Esc</kbd>
          </button>
        </header>
        {state.status === 'loading' && <p className="muted">{t('practice.loading')}</p>}
        {state.status === 'failed' && (
          <p className="shift-problem" role="alert">
            {state.text}
          </p>
        )}
        {state.status === 'ready' && (
          <div className="practice-page print-target">
            <p className="practice-intro">{t('practice.intro')}</p>
            {state.coupons.length === 0 && <p className="shift-problem">{t('practice.none')}</p>}
            <ol className="practice-grid">
              {state.coupons.map((c) => (
                <li key={c.code} className="practice-card" data-testid="practice-coupon" data-lesson={c.lesson} data-code={c.code}>
                  <h3>{t(`practice.lesson.${c.lesson}`)}</h3>
                  <p className="practice-name">
                    {c.stock.stockName} ·{' '}
                    {c.stock.stockType === 'EXCHANGE' && c.stock.exchangePriceFen !== undefined ? formatFen(c.stock.exchangePriceFen) : couponValue(t, c.stock)}
                  </p>
                  <p className="practice-how">{how(c)}</p>
                  <div className="practice-codes">
                    <img src={c.qr} alt={c.code} data-testid="practice-qr" />
                    <img src={c.bar} alt={c.code} data-testid="practice-bar" />
                  </div>
                  <p className="practice-code">{c.code}</p>
                </li>
              ))}
            </ol>
          </div>
        )}
      </section>
    </div>
  );
}
