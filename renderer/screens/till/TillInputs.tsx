import type { RefObject } from 'react';
import { acceptsYuanText, formatFen } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { cleanScan } from '../../scan/burst-detector';
import type { TillState } from '../../till/useCheckout';

export interface TillInputRefs {
  scan: RefObject<HTMLInputElement | null>;
  amount: RefObject<HTMLInputElement | null>;
  orderNo: RefObject<HTMLInputElement | null>;
}

/**
 * The three fields a cashier types in: a coupon code by hand (F1; after Enter the focus goes
 * back to the amount), the order amount (F2; Enter confirms it and opens the order), and the
 * WeChat Pay order number from the register's receipt (F6).
 */
export function TillInputs({
  till,
  refs,
  manualCode,
  setManualCode,
  camera,
}: {
  till: TillState;
  refs: TillInputRefs;
  manualCode: string;
  setManualCode: (s: string) => void;
  camera: { active: boolean; toggle: () => void };
}) {
  const { t } = useI18n();
  const amountProblem = !till.amount.ok && (till.amountText.trim() !== '' || till.coupon !== null) ? till.amount.problem : null;
  const orderLocked = till.open !== null;
  const amountNote = orderLocked
    ? t('till.amount.locked')
    : amountProblem
      ? t(`amount.problem.${amountProblem}`)
      : till.largeUnconfirmed && till.amount.ok
        ? t('till.amount.large', { amount: formatFen(till.amount.fen) })
        : till.amount.ok
          ? t('till.amount.ok', { amount: formatFen(till.amount.fen) })
          : t('till.amount.hint');

  return (
    <div className="till-inputs">
      <label className="field scan-field">
        <span className="field-label">
          {t('till.scan.label')} <kbd>F1</kbd>
        </span>
        <input
          ref={refs.scan}
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
            // The code is in; what the cashier types next is the amount (or Enter to redeem).
            refs.amount.current?.focus();
          }}
        />
        <span className="field-note scan-note">
          <span>{t('till.scan.note')}</span>
          <button type="button" className="camera-toggle" data-testid="camera-toggle" aria-pressed={camera.active} onClick={camera.toggle}>
            {camera.active ? t('camera.stop') : t('camera.start')} <kbd>F4</kbd>
          </button>
        </span>
      </label>
      <label className={`field amount-field ${amountProblem ? 'has-problem' : till.largeUnconfirmed ? 'is-large' : ''}`}>
        <span className="field-label">
          {t('till.amount.label')} <kbd>F2</kbd>
        </span>
        <span className="amount-box">
          <span className="yuan-sign" aria-hidden="true">
            ¥
          </span>
          <input
            ref={refs.amount}
            data-testid="amount-input"
            inputMode="decimal"
            value={till.open ? formatFen(till.open.amountFen).slice(1) : till.amountText}
            readOnly={orderLocked}
            placeholder={t('till.amount.placeholder')}
            autoComplete="off"
            maxLength={16}
            aria-invalid={amountProblem !== null}
            aria-describedby="amount-note"
            onChange={(e) => acceptsYuanText(e.target.value) && till.setAmountText(e.target.value)}
          />
        </span>
        <span className="field-note" id="amount-note" data-testid="amount-note" role={till.largeUnconfirmed ? 'alert' : undefined}>
          {amountNote}
        </span>
      </label>
      <label className={`field order-no-field ${till.orderNo.ok ? '' : 'has-problem'}`}>
        <span className="field-label">
          {t('till.order_no.label')} <kbd>F6</kbd>
        </span>
        <input
          ref={refs.orderNo}
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
        <span className="field-note" data-testid="order-no-note">
          {till.orderNo.ok ? t('till.order_no.note') : t('till.order_no.invalid')}
        </span>
      </label>
    </div>
  );
}
