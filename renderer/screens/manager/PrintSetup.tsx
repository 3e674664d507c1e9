import { useEffect, useState } from 'react';
import type { PaperWidth } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';
import { failureText, type ManagerCall } from '../../manager/useManager';
import type { Slips } from '../../slips/useSlips';

/**
 * Slips on the desk: the receipt paper's width, the printer the desktop app prints to without a
 * dialog (the browser always shows its own), and the last slip printed again.
 */
export function PrintSetup({ call, slips }: { call: ManagerCall; slips: Slips }) {
  const { t } = useI18n();
  const { config } = slips;
  const [paper, setPaper] = useState<PaperWidth>(config?.paperMm ?? 80);
  const [printer, setPrinter] = useState<string>(config?.printer ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (!config) return;
    setPaper(config.paperMm);
    setPrinter(config.printer ?? '');
  }, [config]);

  const save = async () => {
    const o = await call('print.setup', { paperMm: paper, printer: printer === '' ? null : printer });
    if (o.kind === 'ok') {
      slips.reloadConfig();
      setMessage({ ok: true, text: t('print.saved') });
    } else setMessage({ ok: false, text: failureText(t, o) });
  };

  return (
    <div className="print-setup" data-testid="print-setup">
      <div className="manager-choices" role="radiogroup" aria-label={t('slip.paper')}>
        <span>{t('slip.paper')}</span>
        {([58, 80] as const).map((w) => (
          <button key={w} type="button" role="radio" aria-checked={paper === w} aria-pressed={paper === w} data-testid={`print-paper-${w}`} onClick={() => setPaper(w)}>
            {t('slip.paper_mm', { mm: w })}
          </button>
        ))}
      </div>
      {config?.silentAvailable ? (
        <label className="field">
          <span className="field-label">{t('print.printer')}</span>
          <select data-testid="print-printer" value={printer} onChange={(e) => setPrinter(e.target.value)}>
            <option value="">{t('print.printer.dialog')}</option>
            {config.printers.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="muted">{t('print.browser')}</p>
      )}
      <button type="button" className="manager-primary" data-testid="print-save" onClick={() => void save()}>
        {t('manager.offline.save')}
      </button>
      {message && (
        <p className={message.ok ? 'attention-message' : 'shift-problem'} role="status" data-testid="print-message">
          {message.text}
        </p>
      )}
      <hr />
      <p className="muted">{slips.last ? t('print.last', { what: t(slips.last.kind === 'redemption' ? 'slip.title.redemption' : 'slip.title.shift') }) : t('print.no_last')}</p>
      <button type="button" className="manager-close" data-testid="print-reprint" disabled={!slips.last} onClick={() => slips.last && slips.show(slips.last)}>
        {t('print.reprint')}
      </button>
    </div>
  );
}
