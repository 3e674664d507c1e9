import { useEffect, useRef, useState } from 'react';
import type { PosApi } from '../../shared/contract';
import { useI18n } from '../i18n/i18n';
import { failureText } from '../manager/useManager';
import { printSlip } from './print';
import { SlipView } from './SlipView';
import type { Slips } from './useSlips';

/**
 * The slip as it will print, at the till's paper width (58 or 80 mm, switchable here): Enter
 * prints it, Esc closes. It sits above everything, the manager's desk included.
 */
export function SlipPreview({ api, slips }: { api: PosApi; slips: Slips }) {
  const { t } = useI18n();
  const slipRef = useRef<HTMLDivElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { preview, close, width, setWidth, config } = slips;

  useEffect(() => {
    if (preview) printRef.current?.focus();
    setProblem(null);
  }, [preview]);

  const print = async () => {
    const el = slipRef.current?.querySelector<HTMLElement>('[data-testid="slip"]');
    if (!el) return;
    const out = await printSlip(api, config, el, width);
    if (out.kind === 'dialog' || out.kind === 'silent') close();
    else setProblem(failureText(t, out));
  };

  useEffect(() => {
    if (!preview) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopImmediatePropagation();
        close();
      }
    };
    // Capture, ahead of the till's and the desk's own Esc.
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [preview, close]);

  if (!preview) return null;
  return (
    <div className="sheet-backdrop slip-backdrop">
      <section className="sheet-dialog slip-dialog" role="dialog" aria-modal="true" aria-labelledby="slip-title" data-testid="slip-preview">
        <header className="manager-head">
          <h2 id="slip-title">{t('slip.preview.title')}</h2>
          <span className="spacer" />
          <div className="manager-choices" role="radiogroup" aria-label={t('slip.paper')}>
            {([58, 80] as const).map((w) => (
              <button key={w} type="button" role="radio" aria-checked={width === w} aria-pressed={width === w} data-testid={`slip-width-${w}`} onClick={() => setWidth(w)}>
                {t('slip.paper_mm', { mm: w })}
              </button>
            ))}
          </div>
        </header>
        <div className="slip-paper" ref={slipRef}>
          <SlipView slip={preview} width={width} printTarget />
        </div>
        {problem && (
          <p className="shift-problem" role="alert" data-testid="slip-problem">
            {problem}
          </p>
        )}
        <footer className="slip-actions">
          <button ref={printRef} type="button" className="manager-primary" data-testid="slip-print" onClick={() => void print()}>
            {config?.silentAvailable && config.printer ? t('slip.print_to', { printer: config.printer }) : t('slip.print')} <kbd>Enter</kbd>
          </button>
          <button type="button" className="manager-close" data-testid="slip-close" onClick={close}>
            {t('slip.close')} <kbd>Esc</kbd>
          </button>
        </footer>
      </section>
    </div>
  );
}
