import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConnectionTest, LiveMerchantView, MerchantProvisionInput, MerchantProvisionResult } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';
import { failureText, type ManagerCall } from '../../manager/useManager';
import { ConnectionChecks } from './ConnectionChecks';

type FileField = 'key' | 'cert' | 'p12' | 'apiv3' | 'publicKey';
type Verification = MerchantProvisionInput['verification'];

const base64 = (bytes: ArrayBuffer) => {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
};

/**
 * Going live without a terminal: the live merchant's files, chosen here, are read by the page
 * and sent once to the main process, which keeps the secrets in the OS keychain; nothing of them
 * stays on the page (the form is emptied whatever the answer) and nothing is ever shown again —
 * replacing means choosing every file anew. The connection test's answer follows, check by check.
 */
export function GoLive({ call, onLive }: { call: ManagerCall; onLive: () => void }) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  // File contents live here only between choosing and sending: never in state, never in the DOM.
  const files = useRef<Partial<Record<FileField, { name: string; text: string }>>>({});
  const [chosen, setChosen] = useState<Partial<Record<FileField, string>>>({});
  const [identity, setIdentity] = useState<'pem' | 'p12'>('pem');
  const [verification, setVerification] = useState<Verification>('public_key');
  const [current, setCurrent] = useState<LiveMerchantView | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ test: ConnectionTest; kept: MerchantProvisionResult['kept'] | 'retest' } | { problem: string } | null>(null);

  const loadCurrent = () => void call('merchant.live', {}).then((o) => o.kind === 'ok' && setCurrent(o.value));
  useEffect(loadCurrent, [call]);

  const choose = async (field: FileField, list: FileList | null) => {
    const file = list?.[0];
    if (!file) return;
    try {
      const text = field === 'p12' ? base64(await file.arrayBuffer()) : await file.text();
      files.current[field] = { name: file.name, text };
      setChosen((c) => ({ ...c, [field]: file.name }));
    } catch {
      setOutcome({ problem: t('golive.read_failed', { name: file.name }) });
    }
  };

  const needed: FileField[] = [
    ...(identity === 'pem' ? (['key', 'cert'] as const) : (['p12'] as const)),
    'apiv3',
    ...(verification !== 'certificate' ? (['publicKey'] as const) : []),
  ];

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const field = (name: string) => String(data.get(name) ?? '').trim();
    const missing = [
      ...(field('mchid') ? [] : [t('golive.mchid')]),
      ...(field('appid') ? [] : [t('golive.appid')]),
      ...needed.filter((f) => !files.current[f]).map((f) => t(fileLabel[f])),
      ...(verification !== 'certificate' && !field('publicKeyId') ? [t('golive.public_key_id')] : []),
    ];
    if (missing.length > 0) return setOutcome({ problem: t('golive.missing', { fields: missing.join('、') }) });
    const f = files.current;
    const input: MerchantProvisionInput = {
      mchid: field('mchid'),
      appid: field('appid'),
      identity:
        identity === 'pem'
          ? { kind: 'pem', privateKeyPem: f.key!.text, certificatePem: f.cert!.text }
          : { kind: 'p12', p12Base64: f.p12!.text, ...(field('p12Password') ? { p12Password: field('p12Password') } : {}) },
      apiv3Key: f.apiv3!.text.trim(),
      verification,
      ...(verification !== 'certificate' ? { publicKeyId: field('publicKeyId'), publicKeyPem: f.publicKey!.text } : {}),
      ...(field('baseUrl') ? { baseUrl: field('baseUrl') } : {}),
    };
    // Sent once; the page keeps nothing of it, whatever the answer.
    files.current = {};
    setChosen({});
    form.current?.reset();
    setBusy(true);
    setOutcome(null);
    const o = await call('merchant.provision', input);
    setBusy(false);
    if (o.kind !== 'ok') return setOutcome({ problem: failureText(t, o) });
    setOutcome({ test: o.value.test, kept: o.value.kept });
    loadCurrent();
  };

  const retest = async () => {
    setBusy(true);
    const o = await call('merchant.test', {});
    setBusy(false);
    setOutcome(o.kind === 'ok' ? { test: o.value, kept: 'retest' } : { problem: failureText(t, o) });
  };

  return (
    <div className="go-live" data-testid="go-live">
      <p className="muted" data-testid="go-live-current">
        {current
          ? t('golive.current', { mchid: current.mchid, appid: current.appid, serial: current.merchantSerial, mode: t(`golive.verification.${current.verification}`) })
          : t('golive.none')}
      </p>
      {outcome && 'test' in outcome && (
        <div className={`check-result ${outcome.test.ok ? 'passed' : 'failed'}`} role="status" data-testid="go-live-result" data-ok={outcome.test.ok}>
          <p>
            <strong>{outcome.test.ok ? t(`golive.passed.${outcome.kept === 'nothing' ? 'retest' : outcome.kept}`) : t('golive.failed')}</strong>
          </p>
          <ConnectionChecks test={outcome.test} />
        </div>
      )}
      {outcome && 'problem' in outcome && (
        <p className="shift-problem" role="alert" data-testid="go-live-problem">
          {outcome.problem}
        </p>
      )}
      <div className="go-live-actions">
        {current && (
          <button type="button" className="manager-close" data-testid="go-live-test" disabled={busy} onClick={() => void retest()}>
            {t('golive.test')}
          </button>
        )}
        {current && outcome && 'test' in outcome && outcome.kept === 'live' && (
          <button type="button" className="manager-primary" data-testid="go-live-switch" onClick={onLive}>
            {t('manager.mode.to_live')}
          </button>
        )}
      </div>
      <form ref={form} className="go-live-form" autoComplete="off" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">{t('golive.mchid')}</span>
          <input name="mchid" data-testid="go-live-mchid" inputMode="numeric" maxLength={32} />
        </label>
        <label className="field">
          <span className="field-label">{t('golive.appid')}</span>
          <input name="appid" data-testid="go-live-appid" maxLength={32} spellCheck={false} />
        </label>
        <fieldset className="manager-choices">
          <legend>{t('golive.identity')}</legend>
          {(['pem', 'p12'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="identity" checked={identity === k} data-testid={`go-live-identity-${k}`} onChange={() => setIdentity(k)} /> {t(`golive.identity.${k}`)}
            </label>
          ))}
        </fieldset>
        {identity === 'pem' ? (
          <>
            <FilePick field="key" label={t('golive.key_file')} chosen={chosen.key} onPick={choose} />
            <FilePick field="cert" label={t('golive.cert_file')} chosen={chosen.cert} onPick={choose} />
          </>
        ) : (
          <>
            <FilePick field="p12" label={t('golive.p12_file')} chosen={chosen.p12} onPick={choose} />
            <label className="field">
              <span className="field-label">{t('golive.p12_password')}</span>
              <input name="p12Password" type="password" maxLength={64} autoComplete="off" data-testid="go-live-p12-password" />
            </label>
          </>
        )}
        <FilePick field="apiv3" label={t('golive.apiv3_file')} chosen={chosen.apiv3} onPick={choose} />
        <fieldset className="manager-choices">
          <legend>{t('golive.verification')}</legend>
          {(['public_key', 'certificate', 'both'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="verification" checked={verification === k} data-testid={`go-live-verification-${k}`} onChange={() => setVerification(k)} />{' '}
              {t(`golive.verification.${k}`)}
            </label>
          ))}
        </fieldset>
        {verification !== 'certificate' && (
          <>
            <FilePick field="publicKey" label={t('golive.public_key_file')} chosen={chosen.publicKey} onPick={choose} />
            <label className="field">
              <span className="field-label">{t('golive.public_key_id')}</span>
              <input name="publicKeyId" data-testid="go-live-public-key-id" maxLength={64} spellCheck={false} />
            </label>
          </>
        )}
        <label className="field">
          <span className="field-label">{t('golive.base_url')}</span>
          <input name="baseUrl" data-testid="go-live-base-url" maxLength={200} spellCheck={false} />
        </label>
        <button type="submit" className="manager-primary" data-testid="go-live-submit" disabled={busy}>
          {busy ? t('golive.busy') : t('golive.submit')}
        </button>
      </form>
    </div>
  );
}

const fileLabel = { key: 'golive.key_file', cert: 'golive.cert_file', p12: 'golive.p12_file', apiv3: 'golive.apiv3_file', publicKey: 'golive.public_key_file' } as const;

function FilePick({
  field,
  label,
  chosen,
  onPick,
}: {
  field: FileField;
  label: string;
  chosen: string | undefined;
  onPick: (f: FileField, list: FileList | null) => Promise<void>;
}) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input type="file" data-testid={`go-live-file-${field}`} onChange={(e) => void onPick(field, e.target.files)} />
      {chosen && <span className="field-note">{t('golive.file_chosen', { name: chosen })}</span>}
    </label>
  );
}
