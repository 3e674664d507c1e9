import { useEffect, useState } from 'react';
import type { StackingPolicy, StackingPolicyView } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';
import { failureText, type ManagerCall } from '../../manager/useManager';
import { chinaMinute } from '../../till/coupon-text';

/**
 * The store's rules for several coupons on one order: how many, whether a stock may be used
 * twice, what each coupon's minimum is checked against, whether every coupon must be linked
 * to a WeChat Pay order number. Who set them and when is shown and kept.
 */
export function StackingPolicyForm({ call }: { call: ManagerCall }) {
  const { t } = useI18n();
  const [view, setView] = useState<StackingPolicyView | null>(null);
  const [draft, setDraft] = useState<StackingPolicy | null>(null);
  const [maxText, setMaxText] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    void call('order.policy', {}).then((o) => {
      if (o.kind === 'ok') {
        setView(o.value);
        setDraft(o.value.policy);
        setMaxText(String(o.value.policy.maxCouponsPerOrder));
      } else setMessage({ ok: false, text: failureText(t, o) });
    });
  }, [call, t]);

  if (!draft) return message ? <p className="shift-problem">{message.text}</p> : <p className="muted">{t('manager.loading')}</p>;
  const max = /^\d{1,2}$/.test(maxText.trim()) ? Number(maxText.trim()) : NaN;
  const valid = Number.isInteger(max) && max >= 1 && max <= 20;
  const save = async () => {
    if (!valid) return;
    const o = await call('order.setPolicy', { policy: { ...draft, maxCouponsPerOrder: max } });
    if (o.kind === 'ok') {
      setView(o.value);
      setMessage({ ok: true, text: t('manager.offline.saved') });
    } else setMessage({ ok: false, text: failureText(t, o) });
  };
  const choice = (key: 'sameStockTwice' | 'requireOrderNumber', value: boolean) => (
    <button
      type="button"
      role="radio"
      aria-checked={draft[key] === value}
      aria-pressed={draft[key] === value}
      data-testid={`stacking-${key}-${value ? 'yes' : 'no'}`}
      onClick={() => setDraft({ ...draft, [key]: value })}
    >
      {t(value ? 'manager.stacking.yes' : 'manager.stacking.no')}
    </button>
  );

  return (
    <div className="offline-policy" data-testid="stacking-policy">
      <p className="muted">{t('manager.stacking.explain')}</p>
      <label className="field">
        <span className="field-label">{t('manager.stacking.max')}</span>
        <input data-testid="stacking-max" value={maxText} maxLength={2} inputMode="numeric" onChange={(e) => setMaxText(e.target.value)} />
      </label>
      <p className="field-label">{t('manager.stacking.same_stock')}</p>
      <div className="manager-choices" role="radiogroup">
        {choice('sameStockTwice', true)}
        {choice('sameStockTwice', false)}
      </div>
      <p className="field-label">{t('manager.stacking.basis')}</p>
      <div className="manager-choices" role="radiogroup">
        {(['remaining', 'order_amount'] as const).map((b) => (
          <button
            key={b}
            type="button"
            role="radio"
            aria-checked={draft.thresholdBasis === b}
            aria-pressed={draft.thresholdBasis === b}
            data-testid={`stacking-basis-${b}`}
            onClick={() => setDraft({ ...draft, thresholdBasis: b })}
          >
            {t(`manager.stacking.basis.${b}`)}
          </button>
        ))}
      </div>
      <p className="field-label">{t('manager.stacking.require_order')}</p>
      <div className="manager-choices" role="radiogroup">
        {choice('requireOrderNumber', true)}
        {choice('requireOrderNumber', false)}
      </div>
      {!valid && <p className="shift-problem">{t('manager.stacking.invalid')}</p>}
      {view && (
        <p className="muted" data-testid="stacking-source">
          {view.updatedBy ? t('manager.offline.set_by', { id: view.updatedBy, time: chinaMinute(view.updatedAt ?? '') }) : t(`manager.stacking.source.${view.source}`)}
        </p>
      )}
      <button type="button" className="manager-primary" data-testid="stacking-save" disabled={!valid} onClick={() => void save()}>
        {t('manager.offline.save')}
      </button>
      {message && (
        <p className={message.ok ? 'attention-message' : 'shift-problem'} role="status" data-testid="stacking-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
