import { memo, useState, type RefObject } from 'react';
import { useI18n } from '../../i18n/i18n';
import { chinaMinute } from '../../till/coupon-text';
import { errorText } from '../../till/timed-call';
import type { ShiftState } from '../../till/useShift';

const CASHIER_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Redemptions need an open shift: when there is none, opening one is the first thing on screen. */
export const ShiftBar = memo(function ShiftBar({
  shift,
  onOpen,
  inputRef,
}: {
  shift: ShiftState;
  onOpen: (cashierId: string) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const { t } = useI18n();
  const [cashier, setCashier] = useState('');
  const [invalid, setInvalid] = useState(false);

  if (shift.status === 'open') {
    return (
      <p className="shift-line" data-testid="shift-line">
        {t('shift.open.line', { cashiers: shift.shift.cashierIds.join('、'), time: chinaMinute(shift.shift.openedAt) })}
      </p>
    );
  }
  if (shift.status !== 'none') return null;
  const problem = invalid ? t('shift.cashier.invalid') : shift.error ? errorText(t, shift.error) : shift.timedOut ? t('shift.open.timeout') : null;
  return (
    <section className="shift-bar" data-testid="shift-bar" role="region" aria-label={t('shift.none.title')}>
      <div>
        <strong>{t('shift.none.title')}</strong> <span>{t('shift.none.hint')}</span>
        {problem && (
          <p className="shift-problem" role="alert">
            {problem}
          </p>
        )}
      </div>
      <label className="shift-field">
        <span>
          {t('shift.cashier')} <kbd>F3</kbd>
        </span>
        <input
          ref={inputRef}
          data-testid="cashier-input"
          value={cashier}
          maxLength={32}
          autoComplete="off"
          spellCheck={false}
          disabled={shift.opening}
          onChange={(e) => {
            setInvalid(false);
            setCashier(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            const id = cashier.trim();
            if (!CASHIER_ID.test(id)) setInvalid(true);
            else onOpen(id);
          }}
        />
      </label>
      {shift.opening && <span className="muted">{t('shift.opening')}</span>}
    </section>
  );
});
