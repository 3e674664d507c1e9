import { useEffect, useState } from 'react';
import type { OfflinePolicy, OfflinePolicyView } from '../../../shared/contract';
import { fenToYuanString, parseYuan } from '../../../shared/money';
import { useI18n } from '../../i18n/i18n';
import { failureText, type ManagerCall } from '../../manager/useManager';
import { chinaMinute } from '../../till/coupon-text';

type Draft = { limited: boolean; maxDiscount: string; maxCount: string; maxTotal: string };

const draftOf = (p: OfflinePolicy): Draft =>
  p.mode === 'limited'
    ? { limited: true, maxDiscount: fenToYuanString(p.maxDiscountPerCouponFen), maxCount: String(p.maxCountPerShift), maxTotal: fenToYuanString(p.maxTotalPerShiftFen) }
    : { limited: false, maxDiscount: '20', maxCount: '10', maxTotal: '100' };

const yuan = (text: string) => {
  const parsed = parseYuan(text, { allowZero: true });
  return parsed.ok ? parsed.fen : null;
};

function policyOf(d: Draft): OfflinePolicy | null {
  if (!d.limited) return { mode: 'off' };
  const maxDiscountPerCouponFen = yuan(d.maxDiscount);
  const maxTotalPerShiftFen = yuan(d.maxTotal);
  const maxCountPerShift = /^\d{1,6}$/.test(d.maxCount.trim()) ? Number(d.maxCount.trim()) : null;
  if (maxDiscountPerCouponFen === null || maxTotalPerShiftFen === null || maxCountPerShift === null) return null;
  return { mode: 'limited', maxDiscountPerCouponFen, maxCountPerShift, maxTotalPerShiftFen };
}

/**
 * Whether the till may accept coupons while WeChat Pay cannot be reached, and how much the
 * store is willing to risk per coupon and per shift if WeChat later refuses some of them.
 */
export function OfflinePolicyForm({ call }: { call: ManagerCall }) {
  const { t } = useI18n();
  const [view, setView] = useState<OfflinePolicyView | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    void call('offline.policy', {}).then((o) => {
      if (o.kind === 'ok') {
        setView(o.value);
        setDraft(draftOf(o.value.policy));
      } else setMessage({ ok: false, text: failureText(t, o) });
    });
  }, [call, t]);

  if (!draft) return message ? <p className="shift-problem">{message.text}</p> : <p className="muted">{t('manager.loading')}</p>;
  const policy = policyOf(draft);
  const save = async () => {
    if (!policy) return;
    const o = await call('offline.setPolicy', { policy });
    if (o.kind === 'ok') {
      setView(o.value);
      setMessage({ ok: true, text: t('manager.offline.saved') });
    } else setMessage({ ok: false, text: failureText(t, o) });
  };
  const field = (key: 'maxDiscount' | 'maxCount' | 'maxTotal') => (
    <label className="field">
      <span className="field-label">{t(`manager.offline.${key}`)}</span>
      <input
        data-testid={`offline-${key}`}
        value={draft[key]}
        maxLength={12}
        inputMode="decimal"
        disabled={!draft.limited}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    </label>
  );

  return (
    <div className="offline-policy" data-testid="offline-policy">
      <p className="muted">{t('manager.offline.explain')}</p>
      <div className="manager-choices" role="radiogroup">
        <button
          type="button"
          role="radio"
          aria-checked={!draft.limited}
          aria-pressed={!draft.limited}
          data-testid="offline-off"
          onClick={() => setDraft({ ...draft, limited: false })}
        >
          {t('manager.offline.off')}
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={draft.limited}
          aria-pressed={draft.limited}
          data-testid="offline-limited"
          onClick={() => setDraft({ ...draft, limited: true })}
        >
          {t('manager.offline.limited')}
        </button>
      </div>
      <div className="offline-fields">
        {field('maxDiscount')}
        {field('maxCount')}
        {field('maxTotal')}
      </div>
      {!policy && <p className="shift-problem">{t('manager.offline.invalid')}</p>}
      {view?.updatedBy && <p className="muted">{t('manager.offline.set_by', { id: view.updatedBy, time: chinaMinute(view.updatedAt ?? '') })}</p>}
      <button type="button" className="manager-primary" data-testid="offline-save" disabled={!policy} onClick={() => void save()}>
        {t('manager.offline.save')}
      </button>
      {message && (
        <p className={message.ok ? 'attention-message' : 'shift-problem'} role="status" data-testid="offline-message">
          {message.text}
        </p>
      )}
    </div>
  );
}
