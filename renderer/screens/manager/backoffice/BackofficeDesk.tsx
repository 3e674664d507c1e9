import { useCallback, useEffect, useState } from 'react';
import type { BackofficeStockRow } from '../../../../shared/contract';
import { useI18n } from '../../../i18n/i18n';
import type { ManagerCall } from '../../../manager/useManager';
import './backoffice.css';
import { AuditTrail } from './AuditTrail';
import { CodeUpload } from './CodeUpload';
import { ImageUpload } from './ImageUpload';
import { CallbacksForm, SendParamsForm, SubsidyForm } from './MerchantForms';
import { newClientRef } from './outcome';
import { emptyForm, StockForm, type StockFormDraft } from './StockForm';
import { StockList } from './StockList';

const PAGES = ['stocks', 'create', 'codes', 'image', 'callbacks', 'subsidy', 'send', 'audit'] as const;
type Page = (typeof PAGES)[number];

/** The manager's back office (后台): the store's stocks and everything a manager changes at WeChat Pay. */
export function BackofficeDesk({ call }: { call: ManagerCall }) {
  const { t } = useI18n();
  const [page, setPage] = useState<Page>('stocks');
  const [stocks, setStocks] = useState<BackofficeStockRow[]>([]);
  const [changed, setChanged] = useState(0);
  const [images, setImages] = useState<string[]>([]);
  const [draft, setDraft] = useState<StockFormDraft>(() => ({ form: emptyForm(''), clientRef: newClientRef() }));

  const loadStocks = useCallback(async () => {
    const o = await call('backoffice.stocks', {});
    if (o.kind === 'ok') setStocks(o.value);
  }, [call]);
  useEffect(() => {
    void loadStocks();
  }, [loadStocks, changed]);
  // The merchant the stock belongs to defaults to this till's (WeChat names it in the callbacks answer).
  useEffect(() => {
    void call('backoffice.callbacks', {}).then((o) => {
      if (o.kind === 'ok') setDraft((d) => (d.form.values.belong_merchant ? d : { ...d, form: { ...d.form, values: { ...d.form.values, belong_merchant: o.value.mchid } } }));
    });
  }, [call]);

  return (
    <div className="backoffice" data-testid="backoffice">
      <nav className="bo-nav" role="tablist">
        {PAGES.map((p) => (
          <button key={p} type="button" role="tab" aria-selected={page === p} data-testid={`bo-page-${p}`} onClick={() => setPage(p)}>
            {t(`bo.page.${p}`)}
          </button>
        ))}
      </nav>
      {page === 'stocks' && <StockList call={call} refreshKey={changed} />}
      {page === 'create' && <StockForm call={call} draft={draft} setDraft={setDraft} imageUrls={images} onCreated={() => setChanged((n) => n + 1)} />}
      {page === 'codes' && <CodeUpload call={call} stocks={stocks} />}
      {page === 'image' && (
        <ImageUpload
          call={call}
          onUse={(use, url) => {
            setImages((list) => (list.includes(url) ? list : [...list, url]));
            setDraft((d) => ({ ...d, form: { ...d.form, values: { ...d.form.values, [use]: url } } }));
            setPage('create');
          }}
        />
      )}
      {page === 'callbacks' && <CallbacksForm call={call} />}
      {page === 'subsidy' && <SubsidyForm call={call} stocks={stocks} />}
      {page === 'send' && <SendParamsForm call={call} stocks={stocks} />}
      {page === 'audit' && <AuditTrail call={call} />}
    </div>
  );
}
