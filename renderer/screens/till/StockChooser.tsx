import { useEffect, useRef } from 'react';
import type { StockView } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';
import { couponValue, thresholdText } from '../../till/coupon-text';

/**
 * The code fits more than one stock: the cashier picks with ↑ ↓ and Enter (or a tap). Names
 * wrap rather than being cut, since the end of a name is often what tells two stocks apart. A
 * code the till has never seen is said to be so first: it may simply be mistyped.
 */
export function StockChooser({
  code,
  stocks,
  known,
  selected,
  onChoose,
}: {
  code: string;
  stocks: StockView[];
  known: boolean;
  selected: number;
  onChoose: (index: number) => void;
}) {
  const { t } = useI18n();
  const list = useRef<HTMLOListElement>(null);
  // A long list scrolls inside the card; the highlighted stock is always in view.
  useEffect(() => {
    list.current?.children[selected]?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <section className="outcome outcome-choose" data-testid="scan-outcome" data-kind="choose_stock">
      <h3>{t('scan.choose_stock.title')}</h3>
      <p className="chooser-code">
        {t('scan.code', { code })} · {t('scan.choose_stock.hint')}
      </p>
      {!known && (
        <p className="chooser-unknown" role="alert" data-testid="chooser-unknown">
          {t('scan.choose_stock.unknown')}
        </p>
      )}
      <ol ref={list} className="stock-list" role="listbox" aria-label={t('scan.choose_stock.title')}>
        {stocks.map((s, i) => (
          <li
            key={s.stockId}
            role="option"
            aria-selected={i === selected}
            className={i === selected ? 'selected' : ''}
            data-testid="stock-option"
            data-stock-id={s.stockId}
            onClick={() => onChoose(i)}
          >
            <span className="stock-name">{s.stockName}</span>
            <span className="stock-value">{couponValue(t, s)}</span>
            <span className="stock-min">{thresholdText(t, s)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
