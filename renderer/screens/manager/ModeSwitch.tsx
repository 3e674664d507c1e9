import { useState } from 'react';
import type { ManagerStatus } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';
import { failureText, type ManagerCall } from '../../manager/useManager';

/**
 * Training on a live till: practice runs on the built-in simulator with its own journal, and
 * the live merchant's keys, queue and shifts wait untouched. The main process refuses to
 * leave live while a live shift is open or operations are still waiting for WeChat Pay.
 */
export function ModeSwitch({ info, call }: { info: ManagerStatus; call: ManagerCall }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const to = info.mode === 'live' ? 'training' : 'live';

  const switchMode = async () => {
    setBusy(true);
    setProblem(null);
    const o = await call('app.setMode', { mode: to });
    // On success the page starts afresh on the new till (the app.info event), closing this desk.
    if (o.kind !== 'ok') {
      setBusy(false);
      setProblem(failureText(t, o));
    }
  };

  return (
    <div className="mode-switch" data-testid="mode-switch">
      <p>{t('manager.mode.current', { mode: t(`mode.${info.mode}`) })}</p>
      <p className="muted">{t(`manager.mode.explain_${to}`)}</p>
      {problem && (
        <p className="shift-problem" role="alert" data-testid="mode-problem">
          {problem}
        </p>
      )}
      <button type="button" className="manager-primary" data-testid="mode-switch-button" disabled={busy} onClick={() => void switchMode()}>
        {busy ? t('manager.mode.switching') : t(`manager.mode.to_${to}`)}
      </button>
    </div>
  );
}
