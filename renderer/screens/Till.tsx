import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { PosApi } from '../../shared/contract';
import { acceptsYuanText, formatFen } from '../../shared/money';
import { useI18n } from '../i18n/i18n';
import { cleanScan } from '../scan/burst-detector';
import type { LoadDecoder } from '../scan/camera/decoder';
import { useCameraScanner } from '../scan/camera/useCameraScanner';
import { useScannerWedge } from '../scan/useScannerWedge';
import { useQueue } from '../till/useQueue';
import { useShift } from '../till/useShift';
import { useCheckout } from '../till/useCheckout';
import { useManager } from '../manager/useManager';
import { errorText } from '../till/timed-call';
import { ManagerPanel } from './manager/ManagerPanel';
import { CameraPanel } from './till/CameraPanel';
import { OrderPanel } from './till/OrderPanel';
import { QueuePanel } from './till/QueuePanel';
import { RedeemBar } from './till/RedeemBar';
import { ScanOutcome } from './till/ScanOutcome';
import { ShiftBar } from './till/ShiftBar';

/**
 * The cashier's screen. Everything is on the keyboard: the scanner works wherever the focus
 * is; F1 types a code by hand, F2 goes to the amount, F3 to the cashier ID when no shift is
 * open, F4 turns the webcam scanner on and off (F7 its torch, where it has one), F6 goes to the WeChat Pay order number, Enter
 * redeems onto the order (or picks the highlighted stock), Esc finishes the order and starts
 * the next customer, F8 opens the manager's desk, F9 switches language. The focus rests in the
 * amount field, the one place a person types.
 */
export function Till({ api, side, loadDecoder }: { api: PosApi; side?: ReactNode; loadDecoder: LoadDecoder }) {
  const { t, refusal, toggle } = useI18n();
  const { queue, refresh } = useQueue(api);
  const { shift, shiftOpen, open: openShift, reload: reloadShift } = useShift(api);
  const till = useCheckout(api, refresh, shiftOpen);
  const manager = useManager(api);
  const managerOpen = manager.view.status !== 'closed';
  // While the manager's desk is open, a scan is the coupon the manager acts on, not a sale.
  const managerScan = useRef<((raw: string) => void) | null>(null);
  const cashierRef = useRef<HTMLInputElement>(null);
  const [manualCode, setManualCode] = useState('');
  const scanRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const orderNoRef = useRef<HTMLInputElement>(null);

  const focusAmount = useCallback(() => amountRef.current?.focus(), []);
  useEffect(focusAmount, [focusAmount]);

  const onScan = (raw: string) => {
    if (managerOpen) return managerScan.current?.(raw);
    // The register receipt's barcode scanned into the order number field is the order number, not a coupon.
    if (document.activeElement === orderNoRef.current && till.open === null) return till.setOrderNoText(raw);
    void till.submitScan(raw);
  };
  useScannerWedge(onScan);
  const camera = useCameraScanner(onScan, loadDecoder);
  const cameraActive = camera.state.status === 'starting' || camera.state.status === 'on';
  const toggleCamera = () => (cameraActive ? camera.stop() : void camera.start());

  // No shift yet: the cashier ID is what to type first; once open, back to the amount.
  const shiftFocus = shift.status === 'none' && !shift.opening ? 'cashier' : shift.status === 'open' ? 'amount' : null;
  useEffect(() => {
    // Also on coming back from the manager's desk (the till behind it was inert).
    if (managerOpen) return;
    if (shiftFocus === 'cashier') cashierRef.current?.focus();
    else if (shiftFocus === 'amount') focusAmount();
  }, [shiftFocus, focusAmount, managerOpen]);

  // A coupon arrived but the order amount is missing: that is where the cashier goes next.
  const needsAmount = till.coupon !== null && !till.amount.ok;
  useEffect(() => {
    if (needsAmount) focusAmount();
  }, [needsAmount, focusAmount]);

  // One window listener reads the latest state through a ref rather than re-subscribing per render.
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || managerOpen) return;
    const choosing = till.stocks.length > 0;
    const handled = () => e.preventDefault();
    switch (e.key) {
      case 'F1':
        handled();
        scanRef.current?.focus();
        break;
      case 'F2':
        handled();
        focusAmount();
        break;
      case 'F3':
        handled();
        cashierRef.current?.focus();
        break;
      case 'F6':
        handled();
        orderNoRef.current?.focus();
        break;
      case 'F4':
        handled();
        toggleCamera();
        break;
      case 'F7':
        handled();
        void camera.toggleTorch();
        break;
      case 'F8':
        handled();
        manager.open();
        break;
      case 'F9':
        handled();
        toggle();
        break;
      case 'Escape':
        handled();
        setManualCode('');
        void till.nextCustomer().then(focusAmount);
        break;
      case 'ArrowDown':
      case 'ArrowUp':
        if (choosing) {
          handled();
          till.moveChooser(e.key === 'ArrowDown' ? 1 : -1);
        }
        break;
      case 'Enter':
        if (choosing) {
          handled();
          till.chooseStock(till.chooserIndex);
        } else if (till.gate.ok) {
          handled();
          void till.doRedeem();
        }
        break;
    }
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const amountProblem = !till.amount.ok && (till.amountText.trim() !== '' || till.coupon !== null) ? till.amount.problem : null;
  const orderLocked = till.open !== null;

  return (
    <div className="till-layout" data-testid="till" data-tone={till.feedback?.tone ?? ''} data-tone-count={till.feedback?.n ?? 0}>
      {/* Behind the manager's desk nothing can be focused or clicked (scans still reach the desk). */}
      <div className="till-main" inert={managerOpen}>
        <ShiftBar shift={shift} onOpen={(id) => void openShift(id)} inputRef={cashierRef} />
        <div className="till-inputs">
          <label className="field scan-field">
            <span className="field-label">
              {t('till.scan.label')} <kbd>F1</kbd>
            </span>
            <input
              ref={scanRef}
              data-testid="scan-input"
              value={manualCode}
              placeholder={t('till.scan.placeholder')}
              autoComplete="off"
              spellCheck={false}
              maxLength={512}
              onChange={(e) => setManualCode(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' || manualCode.trim() === '') return;
                e.preventDefault();
                const raw = cleanScan(manualCode);
                setManualCode('');
                void till.submitScan(raw);
              }}
            />
            <span className="field-note scan-note">
              <span>{t('till.scan.note')}</span>
              <button type="button" className="camera-toggle" data-testid="camera-toggle" aria-pressed={cameraActive} onClick={toggleCamera}>
                {cameraActive ? t('camera.stop') : t('camera.start')} <kbd>F4</kbd>
              </button>
            </span>
          </label>
          <label className={`field amount-field ${amountProblem ? 'has-problem' : ''}`}>
            <span className="field-label">
              {t('till.amount.label')} <kbd>F2</kbd>
            </span>
            <span className="amount-box">
              <span className="yuan-sign" aria-hidden="true">¥</span>
              <input
                ref={amountRef}
                data-testid="amount-input"
                inputMode="decimal"
                value={till.open ? formatFen(till.open.amountFen).slice(1) : till.amountText}
                readOnly={orderLocked}
                placeholder={t('till.amount.placeholder')}
                autoComplete="off"
                maxLength={16}
                aria-invalid={amountProblem !== null}
                onChange={(e) => acceptsYuanText(e.target.value) && till.setAmountText(e.target.value)}
              />
            </span>
            <span className="field-note" data-testid="amount-note">
              {orderLocked ? t('till.amount.locked') : amountProblem ? t(`amount.problem.${amountProblem}`) : till.amount.ok ? t('till.amount.ok', { amount: formatFen(till.amount.fen) }) : '\u00a0'}
            </span>
          </label>
          <label className={`field order-no-field ${till.orderNo.ok ? '' : 'has-problem'}`}>
            <span className="field-label">
              {t('till.order_no.label')} <kbd>F6</kbd>
            </span>
            <input
              ref={orderNoRef}
              data-testid="order-no-input"
              value={till.open ? (till.open.outTradeNo ?? '') : till.orderNoText}
              readOnly={orderLocked}
              placeholder={t('till.order_no.placeholder')}
              autoComplete="off"
              spellCheck={false}
              maxLength={40}
              aria-invalid={!till.orderNo.ok}
              onChange={(e) => till.setOrderNoText(e.target.value)}
            />
            <span className="field-note" data-testid="order-no-note">{till.orderNo.ok ? t('till.order_no.note') : t('till.order_no.invalid')}</span>
          </label>
        </div>
        <OrderPanel order={till.order} typedFen={till.amount.ok ? till.amount.fen : null} />
        {till.orderError && (
          <p className="order-error" role="alert" data-testid="order-error">
            {errorText(t, till.orderError, refusal)}
          </p>
        )}
        <div className="till-outcome">
          <ScanOutcome till={till} />
        </div>
        <RedeemBar till={till} />
        <footer className="key-hints" aria-hidden="true">
          <span><kbd>F1</kbd> {t('keys.scan')}</span>
          <span><kbd>F2</kbd> {t('keys.amount')}</span>
          {shift.status === 'none' && <span><kbd>F3</kbd> {t('keys.shift')}</span>}
          <span><kbd>Enter</kbd> {t('keys.redeem')}</span>
          <span><kbd>F6</kbd> {t('keys.order_no')}</span>
          <span><kbd>Esc</kbd> {t('keys.next_customer')}</span>
          <span><kbd>F4</kbd> {t('keys.camera')}</span>
          {camera.extras.torch !== 'none' && <span><kbd>F7</kbd> {t('keys.torch')}</span>}
          <span><kbd>F8</kbd> {t('keys.manager')}</span>
          <span><kbd>F9</kbd> {t('keys.lang')}</span>
        </footer>
      </div>
      <aside className="till-side" inert={managerOpen}>
        <button type="button" className="manager-button" data-testid="manager-open" onClick={manager.open}>
          {t('manager.open')} <kbd>F8</kbd>
        </button>
        <CameraPanel state={camera.state} extras={camera.extras} videoRef={camera.videoRef} onTorch={() => void camera.toggleTorch()} />
        <QueuePanel queue={queue} />
        {side}
      </aside>
      <ManagerPanel
        api={api}
        view={manager.view}
        queue={queue}
        call={manager.call}
        signIn={manager.signIn}
        close={manager.close}
        scanSink={managerScan}
        onShiftClosed={reloadShift}
      />
    </div>
  );
}
