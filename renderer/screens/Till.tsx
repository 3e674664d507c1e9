import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AppInfo, PosApi } from '../../shared/contract';
import { useI18n } from '../i18n/i18n';
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
import { KeyHints } from './till/KeyHints';
import { ShiftBar } from './till/ShiftBar';
import { TillInputs } from './till/TillInputs';
import { redemptionSlip, shiftSlip } from '../slips/slip';
import { SlipPreview } from '../slips/SlipPreview';
import { useSlips } from '../slips/useSlips';

/**
 * The cashier's screen. Everything is on the keyboard: the scanner works wherever the focus
 * is; F1 types a code by hand, F2 goes to the amount, F3 to the cashier ID when no shift is
 * open, F4 turns the webcam scanner on and off (F7 its torch, where it has one), F6 goes to
 * the WeChat Pay order number, Enter redeems onto the order (or picks the highlighted stock),
 * Esc finishes the order and starts the next customer, F10 shows the last order's slip for
 * printing, F8 opens the manager's desk, F9 switches language. The focus rests in the amount
 * field, the one place a person types; Enter there opens the order.
 */
export function Till({ api, info, side, loadDecoder }: { api: PosApi; info: AppInfo | null; side?: ReactNode; loadDecoder: LoadDecoder }) {
  const { t, refusal, toggle } = useI18n();
  const { queue, refresh } = useQueue(api);
  const { shift, shiftOpen, open: openShift, reload: reloadShift } = useShift(api);
  // Until the till says where its large-ticket line is, no amount is questioned.
  const till = useCheckout(api, refresh, shiftOpen, info?.largeAmountFen ?? Number.MAX_SAFE_INTEGER);
  const manager = useManager(api);
  const slips = useSlips(api);
  // A dialog over the till (the desk, a slip): the till's keys and fields rest until it closes.
  const managerOpen = manager.view.status !== 'closed';
  const overlayOpen = managerOpen || slips.preview !== null;
  const cashier = shift.status === 'open' ? (shift.shift.cashierIds[0] ?? null) : null;
  // While the manager's desk is open, a scan is the coupon the manager acts on, not a sale.
  const managerScan = useRef<((raw: string) => void) | null>(null);
  const cashierRef = useRef<HTMLInputElement>(null);
  const [manualCode, setManualCode] = useState('');
  const scanRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const orderNoRef = useRef<HTMLInputElement>(null);

  const focusAmount = useCallback(() => amountRef.current?.focus(), []);
  useEffect(focusAmount, [focusAmount]);
  // Where the cashier types next: the cashier id while no shift is open, else the amount.
  const focusNext = useCallback(() => (cashierRef.current ?? amountRef.current)?.focus(), []);

  const onScan = (raw: string) => {
    if (managerOpen) return managerScan.current?.(raw);
    if (overlayOpen) return;
    // The register receipt's barcode scanned into the order number field is the order number, not a coupon.
    if (document.activeElement === orderNoRef.current && till.open === null) return till.setOrderNoText(raw);
    void till.submitScan(raw);
  };
  useScannerWedge(onScan);
  const camera = useCameraScanner(onScan, loadDecoder);
  const cameraActive = camera.state.status === 'starting' || camera.state.status === 'on';
  // Stable callbacks, so the memoised panels skip the re-render every key typed into the amount causes.
  const { toggleTorch } = camera;
  const onTorch = useCallback(() => void toggleTorch(), [toggleTorch]);
  const onOpenShift = useCallback((id: string) => void openShift(id), [openShift]);
  const toggleCamera = () => (cameraActive ? camera.stop() : void camera.start());

  // No shift yet: the cashier ID is what to type first; once open, back to the amount.
  const shiftFocus = shift.status === 'none' && !shift.opening ? 'cashier' : shift.status === 'open' ? 'amount' : null;
  useEffect(() => {
    // Also on coming back from the manager's desk or a dialog (the till behind it was inert).
    if (overlayOpen) return;
    if (shiftFocus === 'cashier') cashierRef.current?.focus();
    else if (shiftFocus === 'amount') focusAmount();
  }, [shiftFocus, focusAmount, overlayOpen]);

  // A coupon arrived but the order amount is missing: that is where the cashier goes next.
  const needsAmount = till.coupon !== null && !till.amount.ok;
  useEffect(() => {
    if (needsAmount) focusAmount();
  }, [needsAmount, focusAmount]);

  // The shift was closed at the desk: the next cashier starts from an empty till.
  const resetTill = till.reset;
  const afterShift = useCallback(() => {
    resetTill();
    reloadShift();
    refresh();
  }, [resetTill, reloadShift, refresh]);

  // One window listener reads the latest state through a ref rather than re-subscribing per render.
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || overlayOpen) return;
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
      case 'F10':
        handled();
        // The order on screen (open, or just finished), else the last slip printed.
        if (till.order && till.order.coupons.length > 0) slips.show(redemptionSlip(info, till.order, cashier));
        else if (slips.last) slips.show(slips.last);
        break;
      case 'Escape':
        handled();
        setManualCode('');
        void till.nextCustomer().then((finished) => {
          if (finished && finished.coupons.length > 0) slips.setLast(redemptionSlip(info, finished, cashier));
          focusNext();
        });
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
        } else if (!till.gate.ok && till.gate.block === 'large_amount') {
          handled();
          till.confirmAmount();
        } else if (till.gate.ok) {
          handled();
          void till.doRedeem();
        } else if (till.coupon === null && document.activeElement === amountRef.current) {
          // Enter after the amount moves on: the order opens, and the next thing is a scan.
          handled();
          void till.commitAmount();
        }
        break;
    }
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  return (
    <div className="till-layout" data-testid="till" data-tone={till.feedback?.tone ?? ''} data-tone-count={till.feedback?.n ?? 0}>
      {/* Behind the manager's desk nothing can be focused or clicked (scans still reach the desk). */}
      <div className="till-main" inert={overlayOpen}>
        <ShiftBar shift={shift} onOpen={onOpenShift} inputRef={cashierRef} />
        <TillInputs
          till={till}
          refs={{ scan: scanRef, amount: amountRef, orderNo: orderNoRef }}
          manualCode={manualCode}
          setManualCode={setManualCode}
          camera={{ active: cameraActive, toggle: toggleCamera }}
        />
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
      </div>
      <aside className="till-side" inert={overlayOpen}>
        <button type="button" className="manager-button" data-testid="manager-open" onClick={manager.open}>
          {t('manager.open')} <kbd>F8</kbd>
        </button>
        <CameraPanel state={camera.state} extras={camera.extras} videoRef={camera.videoRef} onTorch={onTorch} />
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
        onShiftClosed={afterShift}
        slips={slips}
        onShiftSlip={(report) => slips.show(shiftSlip(info, report))}
      />
      <SlipPreview api={api} slips={slips} />
      <KeyHints shiftOpen={shift.status !== 'none'} torch={camera.extras.torch !== 'none'} />
    </div>
  );
}
