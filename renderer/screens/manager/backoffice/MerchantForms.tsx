import { useCallback, useEffect, useState } from 'react';
import { PaySubsidyInput, type BackofficeStockRow, type MethodOutput, type SubsidyReceiptView } from '../../../../shared/contract';
import { parseYuan, formatFen } from '../../../../shared/money';
import { useI18n, type MessageKey } from '../../../i18n/i18n';
import { failureText, type ManagerCall } from '../../../manager/useManager';
import { newClientRef, outcomeSaid, type Said } from './outcome';

const Message = ({ said, id }: { said: Said | null; id: string }) =>
  said && (
    <p className={said.ok ? 'attention-message' : 'shift-problem'} data-testid={id} data-status={said.status}>
      {said.text}
    </p>
  );

/** Where WeChat Pay sends this merchant's coupon events (https only, as WeChat requires). */
export function CallbacksForm({ call }: { call: ManagerCall }) {
  const { t, refusal } = useI18n();
  const [current, setCurrent] = useState<string | null | undefined>(undefined);
  const [url, setUrl] = useState('');
  const [said, setSaid] = useState<Said | null>(null);
  const load = useCallback(async () => {
    const o = await call('backoffice.callbacks', {});
    if (o.kind === 'ok') setCurrent(o.value.notifyUrl);
    else setSaid({ ok: false, status: 'error', text: failureText(t, o) });
  }, [call, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const https = /^https:\/\/[^\s/]+/i.test(url);
  const save = async () => {
    const o = await call('backoffice.setCallbacks', { notifyUrl: url, clientRef: newClientRef() });
    setSaid(outcomeSaid(t, refusal, o, t('bo.callbacks.done')));
    void load();
  };
  return (
    <div className="bo-callbacks" data-testid="bo-callbacks">
      <p data-testid="bo-callbacks-current">{current === undefined ? t('manager.loading') : current ? t('bo.callbacks.current', { url: current }) : t('bo.callbacks.none')}</p>
      <label className="bo-field">
        <span className="bo-label">{t('bo.callbacks.url')}</span>
        <input data-testid="bo-callbacks-url" value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value.trim())} />
      </label>
      {url !== '' && !https && (
        <p className="bo-problem" role="alert" data-testid="bo-callbacks-problem">
          {t('bo.callbacks.https')}
        </p>
      )}
      <button type="button" className="manager-primary" data-testid="bo-callbacks-save" disabled={!https} onClick={() => void save()}>
        {t('bo.callbacks.save')}
      </button>
      <Message said={said} id="bo-callbacks-message" />
    </div>
  );
}

/** Pays the store's share of a redeemed coupon to another merchant, and reads the receipts back. */
export function SubsidyForm({ call, stocks }: { call: ManagerCall; stocks: BackofficeStockRow[] }) {
  const { t, refusal } = useI18n();
  const [v, setV] = useState({ stockId: stocks[0]?.stockId ?? '', couponCode: '', transactionId: '', payeeMerchant: '', amount: '', description: '' });
  const [ref, setRef] = useState(newClientRef);
  const [said, setSaid] = useState<Said | null>(null);
  const [receipts, setReceipts] = useState<SubsidyReceiptView[] | null>(null);
  const amount = parseYuan(v.amount);
  // The contract's own schema says when the form can go: never stricter than what it sends.
  const input = {
    stockId: v.stockId,
    couponCode: v.couponCode,
    transactionId: v.transactionId,
    payeeMerchant: v.payeeMerchant,
    amountFen: amount.ok ? amount.fen : -1,
    description: v.description,
  };
  const ready = PaySubsidyInput.safeParse(input).success;
  const field = (k: keyof typeof v) => (
    <label key={k} className="bo-field">
      <span className="bo-label">{t(`bo.subsidy.${k}`)}</span>
      <input data-testid={`bo-subsidy-${k}`} value={v[k]} readOnly={said?.status === 'pending'} onChange={(e) => setV({ ...v, [k]: e.target.value.trim() })} />
    </label>
  );
  const query = async () => {
    const o = await call('backoffice.subsidy', { stockId: v.stockId, couponCode: v.couponCode });
    if (o.kind === 'ok') setReceipts(o.value);
    else setSaid({ ok: false, status: 'error', text: failureText(t, o) });
  };
  const pay = async () => {
    if (!ready) return;
    const o = await call('backoffice.paySubsidy', { ...input, clientRef: ref });
    const s = outcomeSaid(t, refusal, o, t('bo.subsidy.done'));
    setSaid(s);
    if (s.status === 'succeeded' || s.status === 'refused') setRef(newClientRef());
    void query();
  };
  return (
    <div className="bo-subsidy" data-testid="bo-subsidy">
      <div className="bo-grid">{(['stockId', 'couponCode', 'transactionId', 'payeeMerchant', 'amount', 'description'] as const).map(field)}</div>
      <div className="manager-choices">
        <button type="button" className="manager-primary" data-testid="bo-subsidy-pay" disabled={!ready} onClick={() => void pay()}>
          {said?.status === 'pending' ? t('bo.retry_same') : t('bo.subsidy.pay')}
        </button>
        <button type="button" data-testid="bo-subsidy-query" disabled={!v.stockId || !v.couponCode} onClick={() => void query()}>
          {t('bo.subsidy.query')}
        </button>
      </div>
      <Message said={said} id="bo-subsidy-message" />
      {receipts && (
        <ul className="attention-list" data-testid="bo-subsidy-receipts">
          {receipts.length === 0 && <li className="muted">{t('bo.subsidy.no_receipts')}</li>}
          {receipts.map((r) => (
            <li key={r.outSubsidyNo} data-testid="bo-subsidy-receipt" data-status={r.status}>
              {t('bo.subsidy.receipt', { amount: formatFen(r.amountFen), payee: r.payeeMerchant, no: r.outSubsidyNo })} —{' '}
              <strong>{t(`bo.subsidy.status.${r.status}` as MessageKey)}</strong>
              {r.failReason && ` (${r.failReason})`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The parameters the merchant's mini-program hands WeChat's 发券插件, signed with the APIv2 key (which never leaves the main process). */
export function SendParamsForm({ call, stocks }: { call: ManagerCall; stocks: BackofficeStockRow[] }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<string[]>([]);
  const [params, setParams] = useState<MethodOutput<'backoffice.sendParams'> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const make = async () => {
    const o = await call('backoffice.sendParams', { coupons: chosen.map((stockId) => ({ stockId })) });
    if (o.kind === 'ok') {
      setParams(o.value);
      setProblem(null);
    } else setProblem(failureText(t, o));
  };
  return (
    <div className="bo-send" data-testid="bo-send">
      <p className="muted">{t('bo.send.explain')}</p>
      <div className="bo-grid">
        {stocks.map((s) => (
          <label key={s.stockId} className="bo-check">
            <input
              type="checkbox"
              data-testid={`bo-send-${s.stockId}`}
              checked={chosen.includes(s.stockId)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, s.stockId] : chosen.filter((x) => x !== s.stockId))}
            />
            {`${s.stockName ?? ''} (${s.stockId})`}
          </label>
        ))}
      </div>
      <button type="button" className="manager-primary" data-testid="bo-send-make" disabled={chosen.length === 0 || chosen.length > 20} onClick={() => void make()}>
        {t('bo.send.make')}
      </button>
      {problem && (
        <p className="shift-problem" data-testid="bo-send-problem">
          {problem}
        </p>
      )}
      {params && (
        <pre className="bo-json" data-testid="bo-send-params">
          {JSON.stringify(params, null, 2)}
        </pre>
      )}
    </div>
  );
}
