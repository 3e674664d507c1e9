import { memo } from 'react';
import { useI18n } from '../../i18n/i18n';

/** The till's keys on one line along the bottom of the screen. */
export const KeyHints = memo(function KeyHints({ shiftOpen, torch }: { shiftOpen: boolean; torch: boolean }) {
  const { t } = useI18n();
  const keys = [
    ['F1', t('keys.scan')],
    ['F2', t('keys.amount')],
    ...(shiftOpen ? [] : [['F3', t('keys.shift')]]),
    ['Enter', t('keys.redeem')],
    ['F6', t('keys.order_no')],
    ['Esc', t('keys.next_customer')],
    ['F10', t('keys.slip')],
    ['F4', t('keys.camera')],
    ...(torch ? [['F7', t('keys.torch')]] : []),
    ['F8', t('keys.manager')],
    ['F9', t('keys.lang')],
  ];
  return (
    <footer className="key-hints" data-testid="key-hints" aria-hidden="true">
      {keys.map(([key, label]) => (
        <span key={key}>
          <kbd>{key}</kbd> {label}
        </span>
      ))}
    </footer>
  );
});
