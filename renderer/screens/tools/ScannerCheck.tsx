import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { barcodeImage } from '../../scan/barcode-writer';
import { judgeScan, SCANNER_TEST_CODE, type ScannerKeys, type ScannerVerdict } from '../../scan/scanner-check';
import { useOverlayEsc } from './useOverlayEsc';

/** A burst has ended when no key came for this long (a scanner without a suffix just stops). */
const QUIET_MS = 400;

/**
 * The scanner check: the test code on screen (print it to scan from paper), and every key the
 * scanner sends recorded as it arrives, so the till can say what its layout and suffix did.
 */
export function ScannerCheck({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [image, setImage] = useState<string | null>(null);
  const [result, setResult] = useState<{ keys: ScannerKeys; verdict: ScannerVerdict } | null>(null);
  const burst = useRef<{ text: string; composed: boolean; timer: number | undefined }>({ text: '', composed: false, timer: undefined });
  useOverlayEsc(onClose);

  useEffect(() => {
    void barcodeImage(SCANNER_TEST_CODE, 'Code128').then(setImage, () => setImage(null));
  }, []);

  useEffect(() => {
    const finish = (suffix: ScannerKeys['suffix']) => {
      const b = burst.current;
      window.clearTimeout(b.timer);
      if (b.text === '' && !b.composed) return;
      const keys = { text: b.text, suffix, composed: b.composed };
      burst.current = { text: '', composed: false, timer: undefined };
      setResult({ keys, verdict: judgeScan(keys) });
    };
    // Capture phase, so the check sees each key before anything on the page acts on it.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.ctrlKey || e.altKey || e.metaKey) return;
      const b = burst.current;
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        finish(e.key);
        return;
      }
      if (e.key === 'Process' || e.isComposing) b.composed = true;
      else if (Array.from(e.key).length === 1) b.text += e.key;
      else return;
      e.preventDefault();
      window.clearTimeout(b.timer);
      b.timer = window.setTimeout(() => finish(null), QUIET_MS);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true });
      window.clearTimeout(burst.current.timer);
    };
  }, []);

  return (
    <div className="sheet-backdrop">
      <section className="sheet-dialog scanner-dialog" role="dialog" aria-modal="true" aria-labelledby="scanner-title" data-testid="scanner-check">
        <header className="manager-head">
          <h2 id="scanner-title">{t('scanner.title')}</h2>
          <span className="spacer" />
          <button type="button" className="manager-close" data-testid="scanner-close" onClick={onClose}>
            {t('practice.close')} <kbd>Esc</kbd>
          </button>
        </header>
        <p>{t('scanner.intro')}</p>
        <div className="scanner-code print-target">
          {image && <img src={image} alt={SCANNER_TEST_CODE} data-testid="scanner-code" />}
          <p className="practice-code">{SCANNER_TEST_CODE}</p>
        </div>
        {result === null ? (
          <p className="muted" data-testid="scanner-verdict" data-kind="waiting">
            {t('scanner.waiting')}
          </p>
        ) : (
          <div className={`check-result ${result.verdict.kind === 'ok' ? 'passed' : 'failed'}`} role="status" data-testid="scanner-verdict" data-kind={result.verdict.kind}>
            <p>
              <strong>{verdictText(t, result.verdict)}</strong>
            </p>
            {result.verdict.kind !== 'ok' && (
              <p className="scanner-texts">
                <span data-testid="scanner-received">{t('scanner.received', { text: result.keys.text || '—' })}</span> ·{' '}
                <span>{t('scanner.expected', { text: SCANNER_TEST_CODE })}</span>
              </p>
            )}
            <p className="muted">{t('scanner.again')}</p>
          </div>
        )}
      </section>
    </div>
  );
}

function verdictText(t: ReturnType<typeof useI18n>['t'], v: ScannerVerdict): string {
  switch (v.kind) {
    case 'ok':
      return v.suffix === 'Enter' ? t('scanner.ok') : t('scanner.ok_tab');
    case 'no_suffix':
      return t('scanner.no_suffix');
    case 'layout':
      return t('scanner.layout', { chars: v.changed.join(' ') });
    case 'case':
      return t('scanner.case');
    case 'ime':
      return t('scanner.ime');
    case 'lost':
      return t('scanner.lost', { got: v.got, want: v.want });
  }
}
