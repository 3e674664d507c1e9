import { useEffect, useRef } from 'react';
import type { StockView } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';
import { couponValue, thresholdText } from '../../till/coupon-text';

/** The code fits more than one stock: the cashier picks with ↑ ↓ and Enter (or a tap). */
export function StockChooser({ code, stocks, selected, onChoose }: { code: string; stocks: StockView[]; selected: number; onChoose: (index: number) => void }) {
  const { t } = useI18n();
  const list = useRef<HTMLOListElement>(null);
  // A long list scrolls inside the card; the highlighted stock is always in view.
  useEffect(() => {
    list.current?.children[selected]?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <section className="outcome outcome-choose" data-testid="scan-outcome" data-kind="choose_stock">
      <h3>{t('scan.choose_stock.title')}</h3>
      <p className="muted">
        {t('scan.code', { code })} · {t('scan.choose_stock.hint')}
      </p>
      <ol ref={list} className="stock-list" role="listbox" aria-label={t('scan.choose_stock.title')}>
        {stocks.map((s, i) => (
          <li key={s.stockId} role="option" aria-selected={i === selected} className={i === selected ? 'selected' : ''} onClick={() => onChoose(i)}>
            <span className="stock-name">{s.stockName}</span>
            <span className="stock-value">{couponValue(t, s)}</span>
            <span className="muted">{thresholdText(t, s)}</span>
            <span className="muted stock-id">{s.stockId}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
