import { useMemo, useState } from 'react';
import type { BackofficeOutcome } from '../../../../shared/contract';
import { addDays, formatChinaRfc3339, startOfChinaDay } from '../../../../shared/time';
import { useI18n, type MessageKey } from '../../../i18n/i18n';
import type { ManagerCall } from '../../../manager/useManager';
import { issueText, newClientRef, outcomeSaid, type Said } from './outcome';
import { checkForm, FIELDS, GROUPS, type FieldDef, type FormState, type Group } from './stock-form-model';

/** `2026-12-01T00:00` for a datetime-local input, China time. */
const localInput = (d: Date) => formatChinaRfc3339(d).slice(0, 16);

export function emptyForm(mchid: string): FormState {
  const today = startOfChinaDay(new Date());
  return {
    values: {
      stock_type: 'NORMAL',
      coupon_code_mode: 'WECHATPAY_MODE',
      use_method: 'OFF_LINE',
      belong_merchant: mchid,
      transaction_minimum: '0',
      available_begin_time: localInput(today),
      available_end_time: localInput(addDays(today, 30)),
      max_coupons_per_user: '1',
    },
    flags: {},
    windows: { weekDays: [], dayTimes: [], periods: [] },
  };
}

/** The form and its reference live in the desk, so switching to the image tab and back keeps both. */
export interface StockFormDraft {
  form: FormState;
  clientRef: string;
}

export interface StockFormProps {
  call: ManagerCall;
  draft: StockFormDraft;
  setDraft: (f: (d: StockFormDraft) => StockFormDraft) => void;
  /** URLs of images uploaded in this session (logo, coupon image), offered in the display fields. */
  imageUrls: string[];
  onCreated: (stockId: string) => void;
}

/** Create a stock of any type, grouped as a person thinks of it; each field checked as it is typed. */
export function StockForm({ call, draft, setDraft, imageUrls, onCreated }: StockFormProps) {
  const { t, refusal } = useI18n();
  const { form, clientRef } = draft;
  const setForm = (f: (s: FormState) => FormState) => setDraft((d) => ({ ...d, form: f(d.form) }));
  const [said, setSaid] = useState<Said | null>(null);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const checked = useMemo(() => checkForm(form), [form]);
  const touched = (key: string) => tried || form.values[key] !== undefined;
  const problemOf = (key: string) => {
    const p = checked.problems.find((x) => x.key === key);
    return p && touched(key) ? issueText(t, p.issue) : null;
  };

  const setValue = (key: string, value: string) => setForm((f) => ({ ...f, values: { ...f.values, [key]: value } }));
  const send = async () => {
    setTried(true);
    if (!checked.draft) return;
    setBusy(true);
    const o = await call('backoffice.createStock', { stock: checked.draft, clientRef });
    setBusy(false);
    const result = o.kind === 'ok' ? (o.value as BackofficeOutcome) : null;
    const stockId = result?.operation?.stockId ?? null;
    setSaid(outcomeSaid(t, refusal, o, t('bo.create.done', { id: stockId ?? '' })));
    if (result?.status === 'succeeded' && stockId) {
      // The next stock is a new form with its own reference; this one is done.
      setCreatedId(stockId);
      setDraft((d) => ({ ...d, clientRef: newClientRef() }));
      onCreated(stockId);
    }
  };

  const input = (f: FieldDef) => {
    const value = form.values[f.key] ?? '';
    const id = `bo-field-${f.key}`;
    // What the rule's value is depends on the type: an amount off, a percent paid, a price.
    const label = t((f.key === 'value' ? `bo.field.value_${form.values.stock_type ?? 'NORMAL'}` : `bo.field.${f.key}`) as MessageKey);
    if (f.kind === 'bool')
      return (
        <label key={f.key} className="bo-check">
          <input
            type="checkbox"
            data-testid={id}
            checked={form.flags[f.key] === true}
            onChange={(e) => setForm((s) => ({ ...s, flags: { ...s.flags, [f.key]: e.target.checked } }))}
          />
          {label}
        </label>
      );
    const problem = problemOf(f.key);
    const isImage = f.key === 'merchant_logo_url' || f.key === 'coupon_image_url';
    return (
      <label key={f.key} className={`bo-field${problem ? ' has-problem' : ''}`}>
        <span className="bo-label">
          {label}
          {f.required && <span className="bo-required">*</span>}
          {f.max !== undefined && <span className="bo-count" data-testid={`${id}-count`}>{`${Array.from(value).length}/${f.max}`}</span>}
        </span>
        {f.kind === 'select' ? (
          <select data-testid={id} value={value} onChange={(e) => setValue(f.key, e.target.value)}>
            {!f.required && <option value="">{t('bo.none')}</option>}
            {f.options?.map((o) => (
              <option key={o} value={o}>
                {f.key === 'stock_type' ? t(`bo.type.${o}` as MessageKey) : o}
              </option>
            ))}
          </select>
        ) : (
          <input
            data-testid={id}
            type={f.kind === 'datetime' ? 'datetime-local' : 'text'}
            value={value}
            list={isImage && imageUrls.length > 0 ? 'bo-image-urls' : undefined}
            inputMode={f.kind === 'int' || f.kind === 'yuan' ? 'decimal' : undefined}
            onChange={(e) => setValue(f.key, e.target.value)}
          />
        )}
        {problem && (
          <span className="bo-problem" role="alert" data-testid={`${id}-problem`}>
            {problem}
          </span>
        )}
      </label>
    );
  };

  const type = form.values.stock_type ?? 'NORMAL';
  const groupFields = (g: Group) => FIELDS.filter((f) => f.group === g);
  return (
    <form
      className="bo-form"
      data-testid="bo-stock-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <datalist id="bo-image-urls">
        {imageUrls.map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
      {GROUPS.map((g) => (
        <fieldset key={g} className="bo-group" data-testid={`bo-group-${g}`}>
          <legend>{t(`bo.group.${g}` as MessageKey)}</legend>
          {g === 'rule' && <p className="muted">{t(`bo.rule.${type}` as MessageKey)}</p>}
          <div className="bo-grid">{groupFields(g).map(input)}</div>
          {g === 'availability' && <WindowsEditor form={form} setForm={setForm} problem={problemOf('weekly') ?? problemOf('periods')} />}
        </fieldset>
      ))}
      {tried && checked.problems.length > 0 && (
        <p className="shift-problem" role="alert" data-testid="bo-form-problems">
          {t('bo.create.fix', { n: checked.problems.length })}
        </p>
      )}
      <button type="submit" className="manager-primary" data-testid="bo-create-submit" disabled={busy}>
        {busy ? t('bo.sending') : said?.status === 'pending' ? t('bo.retry_same') : t('bo.create.submit')}
      </button>
      {said && (
        <p
          className={said.ok ? 'attention-message' : 'shift-problem'}
          role="status"
          data-testid="bo-create-message"
          data-status={said.status}
          data-stock-id={said.ok ? (createdId ?? '') : ''}
        >
          {said.text}
        </p>
      )}
    </form>
  );
}

const WEEK = [1, 2, 3, 4, 5, 6, 0];

/** Which weekdays and hours the coupon can be used, and irregular periods (the guide's 4.1 windows). */
function WindowsEditor({ form, setForm, problem }: { form: FormState; setForm: (f: (s: FormState) => FormState) => void; problem: string | null }) {
  const { t } = useI18n();
  const w = form.windows;
  const edit = (next: Partial<FormState['windows']>) => setForm((s) => ({ ...s, windows: { ...s.windows, ...next } }));
  const pairRow = (list: 'dayTimes' | 'periods', i: number, type: 'time' | 'datetime-local') => {
    const row = w[list][i] ?? { begin: '', end: '' };
    const change = (k: 'begin' | 'end', v: string) => edit({ [list]: w[list].map((r, j) => (j === i ? { ...r, [k]: v } : r)) });
    return (
      <div key={`${list}-${i}`} className="bo-pair">
        <input type={type} data-testid={`bo-${list}-${i}-begin`} value={row.begin} onChange={(e) => change('begin', e.target.value)} />
        <span>→</span>
        <input type={type} data-testid={`bo-${list}-${i}-end`} value={row.end} onChange={(e) => change('end', e.target.value)} />
        <button type="button" onClick={() => edit({ [list]: w[list].filter((_, j) => j !== i) })}>
          {t('bo.remove')}
        </button>
      </div>
    );
  };
  return (
    <div className="bo-windows">
      <div className="bo-weekdays" role="group" aria-label={t('bo.windows.week')}>
        <span className="bo-label">{t('bo.windows.week')}</span>
        {WEEK.map((d) => (
          <label key={d} className="bo-check">
            <input
              type="checkbox"
              data-testid={`bo-week-${d}`}
              checked={w.weekDays.includes(d)}
              onChange={(e) => edit({ weekDays: e.target.checked ? [...w.weekDays, d] : w.weekDays.filter((x) => x !== d) })}
            />
            {t(`bo.weekday.${d}` as MessageKey)}
          </label>
        ))}
      </div>
      <span className="bo-label">{t('bo.windows.hours')}</span>
      {w.dayTimes.map((_, i) => pairRow('dayTimes', i, 'time'))}
      {w.dayTimes.length < 2 && (
        <button type="button" data-testid="bo-add-hours" onClick={() => edit({ dayTimes: [...w.dayTimes, { begin: '09:00', end: '21:00' }] })}>
          {t('bo.windows.add_hours')}
        </button>
      )}
      <span className="bo-label">{t('bo.windows.periods')}</span>
      {w.periods.map((_, i) => pairRow('periods', i, 'datetime-local'))}
      <button type="button" data-testid="bo-add-period" onClick={() => edit({ periods: [...w.periods, { begin: '', end: '' }] })}>
        {t('bo.windows.add_period')}
      </button>
      {problem && (
        <span className="bo-problem" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
