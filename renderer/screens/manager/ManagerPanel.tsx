import { useCallback, useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { PosApi, ShiftReportView } from '../../../shared/contract';
import type { Slips } from '../../slips/useSlips';
import { useI18n } from '../../i18n/i18n';
import type { ManagerCall, ManagerView } from '../../manager/useManager';
import { keepingFocus } from '../../manager/keep-focus';
import { errorText } from '../../till/timed-call';
import type { QueueView } from '../../till/useQueue';
import { AttentionList } from './AttentionList';
import { BackofficeDesk } from './backoffice/BackofficeDesk';
import { CouponActions } from './CouponActions';
import { ModeSwitch } from './ModeSwitch';
import { OfflinePolicyForm } from './OfflinePolicyForm';
import { PrintSetup } from './PrintSetup';
import { GoLive } from './GoLive';
import { PracticeSheet } from '../tools/PracticeSheet';
import { ScannerCheck } from '../tools/ScannerCheck';
import { StackingPolicyForm } from './StackingPolicyForm';
import { ShiftClose } from './ShiftClose';

type Tab = 'attention' | 'coupon' | 'shift' | 'offline' | 'stacking' | 'backoffice' | 'print' | 'tools' | 'golive' | 'mode';

export interface ManagerPanelProps {
  api: PosApi;
  view: ManagerView;
  queue: QueueView;
  call: ManagerCall;
  signIn: (managerId: string, pin: string) => Promise<void>;
  close: () => void;
  /** Where the till sends scanner bursts while this panel is open. */
  scanSink: MutableRefObject<((raw: string) => void) | null>;
  onShiftClosed: () => void;
  /** The till's slips: printing setup and the last slip, reprinted from here. */
  slips: Slips;
  onShiftSlip: (report: ShiftReportView) => void;
}

/** The manager's desk over the till: PIN first, then what needs a manager. Esc closes (and signs out). */
export function ManagerPanel(props: ManagerPanelProps) {
  const { t } = useI18n();
  const { view, close } = props;
  const [tab, setTab] = useState<Tab>('attention');
  // A sheet over the desk: the practice coupons or the scanner check.
  const [sheet, setSheet] = useState<'practice' | 'scanner' | null>(null);
  // Every action on the desk gives the focus back when it is done (see keep-focus.ts).
  const managerCall = props.call;
  const call: ManagerCall = useCallback((method, input) => keepingFocus(() => managerCall(method, input)), [managerCall]);

  const showing = view.status !== 'closed';
  useEffect(() => {
    if (!showing) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close, showing]);

  if (view.status === 'closed') return null;
  const attention = props.queue.status === 'ready' ? props.queue.snapshot.items.filter((i) => i.status === 'parked' || i.status === 'pending').length : 0;

  return (
    <div className="manager-backdrop">
      <section className="manager-panel" role="dialog" aria-modal="true" aria-labelledby="manager-title" data-testid="manager-panel">
        <header className="manager-head">
          <h2 id="manager-title">{t('manager.title')}</h2>
          {view.status === 'open' && (
            <span className="manager-who" data-testid="manager-who">
              {t('manager.signed_in_as', { id: view.managerId })}
            </span>
          )}
          <span className="spacer" />
          <button type="button" className="manager-close" data-testid="manager-close" onClick={close}>
            {view.status === 'open' ? t('manager.sign_out') : t('manager.cancel')} <kbd>Esc</kbd>
          </button>
        </header>
        {view.status === 'loading' && <p className="muted">{t('manager.loading')}</p>}
        {view.status === 'sign_in' && <SignIn view={view} signIn={props.signIn} />}
        {view.status === 'open' && (
          <>
            <nav className="manager-tabs" role="tablist">
              {tabs(view.info?.liveProvisioned === true).map((k) => (
                <button key={k} type="button" role="tab" aria-selected={tab === k} data-testid={`manager-tab-${k}`} onClick={() => setTab(k)}>
                  {t(`manager.tab.${k}`)}
                  {k === 'attention' && attention > 0 && <span className="tab-count">{attention}</span>}
                </button>
              ))}
            </nav>
            <div className="manager-body" role="tabpanel">
              {tab === 'attention' && <AttentionList queue={props.queue} call={call} />}
              {tab === 'coupon' && <CouponActions api={props.api} call={call} scanSink={props.scanSink} />}
              {tab === 'shift' && <ShiftClose call={call} onClosed={props.onShiftClosed} showAttention={() => setTab('attention')} onPrint={props.onShiftSlip} />}
              {tab === 'offline' && <OfflinePolicyForm call={call} />}
              {tab === 'stacking' && <StackingPolicyForm call={call} />}
              {tab === 'backoffice' && <BackofficeDesk call={call} />}
              {tab === 'print' && <PrintSetup call={call} slips={props.slips} />}
              {tab === 'tools' && <Tools training={view.info?.mode !== 'live'} open={setSheet} />}
              {tab === 'golive' && <GoLive call={call} onLive={() => void call('app.setMode', { mode: 'live' })} />}
              {tab === 'mode' && view.info && <ModeSwitch info={view.info} call={call} />}
            </div>
          </>
        )}
      </section>
      {sheet === 'practice' && <PracticeSheet api={props.api} onClose={() => setSheet(null)} />}
      {sheet === 'scanner' && <ScannerCheck onClose={() => setSheet(null)} />}
    </div>
  );
}

/** The mode switch is offered only where there is a live merchant to switch to and from. */
const tabs = (liveProvisioned: boolean): Tab[] => [
  'attention',
  'coupon',
  'shift',
  'offline',
  'stacking',
  'backoffice',
  'print',
  'tools',
  'golive',
  ...(liveProvisioned ? (['mode'] as const) : []),
];

function Tools({ training, open }: { training: boolean; open: (sheet: 'practice' | 'scanner') => void }) {
  const { t } = useI18n();
  return (
    <div className="tools">
      <p className="muted">{training ? t('tools.practice.hint') : t('tools.practice.live')}</p>
      <button type="button" className="manager-primary" data-testid="tools-practice" disabled={!training} onClick={() => open('practice')}>
        {t('tools.practice.open')}
      </button>
      <p className="muted">{t('tools.scanner.hint')}</p>
      <button type="button" className="manager-primary" data-testid="tools-scanner" onClick={() => open('scanner')}>
        {t('tools.scanner.open')}
      </button>
    </div>
  );
}

function SignIn({ view, signIn }: { view: Extract<ManagerView, { status: 'sign_in' }>; signIn: (id: string, pin: string) => Promise<void> }) {
  const { t } = useI18n();
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const idRef = useRef<HTMLInputElement>(null);
  useEffect(() => idRef.current?.focus(), []);
  // A refused PIN is cleared, so the next try starts clean.
  useEffect(() => {
    if (view.error) setPin('');
  }, [view.error]);

  const problem = view.error
    ? view.error.code === 'PIN_LOCKED'
      ? t('manager.pin.locked', { seconds: Math.ceil((view.error.retryAfterMs ?? 0) / 1000) })
      : errorText(t, view.error)
    : view.expired
      ? t('manager.expired')
      : null;
  const submit = () => {
    if (managerId.trim() && /^\d{4,12}$/.test(pin)) void signIn(managerId.trim(), pin);
  };
  return (
    <form
      className="manager-signin"
      data-testid="manager-signin"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p>{t('manager.signin.hint')}</p>
      {view.info?.training && (
        <p className="training-hint" data-testid="manager-training-hint">
          {t('manager.signin.training', view.info.training)}
        </p>
      )}
      {view.info && !view.info.pinsSet && !view.info.training && <p className="shift-problem">{t('manager.signin.no_pins')}</p>}
      <label className="field">
        <span className="field-label">{t('manager.id')}</span>
        <input ref={idRef} data-testid="manager-id" value={managerId} maxLength={32} autoComplete="off" spellCheck={false} onChange={(e) => setManagerId(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">{t('manager.pin')}</span>
        <input
          data-testid="manager-pin"
          type="password"
          inputMode="numeric"
          value={pin}
          maxLength={12}
          autoComplete="off"
          onChange={(e) => /^\d*$/.test(e.target.value) && setPin(e.target.value)}
        />
      </label>
      {problem && (
        <p className="shift-problem" role="alert" data-testid="manager-signin-problem">
          {problem}
        </p>
      )}
      <button type="submit" className="manager-primary" data-testid="manager-signin-submit" disabled={view.busy || !managerId.trim() || !/^\d{4,12}$/.test(pin)}>
        {view.busy ? t('manager.signin.busy') : t('manager.signin.submit')}
      </button>
    </form>
  );
}
