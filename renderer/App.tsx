import { useEffect, useRef, useState } from 'react';
import type { AppHealth, AppInfo, PosApi } from '../shared/contract';
import { useI18n } from './i18n/i18n';
import { HealthPanel } from './screens/HealthPanel';
import { loadWorkerDecoder } from './scan/camera/worker-decoder';
import { Till } from './screens/Till';
import { setSoundOn, soundOn } from './till/feedback-tone';

export function App({ api }: { api: PosApi | null }) {
  const { t, toggle, lang } = useI18n();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [health, setHealth] = useState<AppHealth | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tillGeneration, setTillGeneration] = useState(0);
  const shownMode = useRef<AppInfo['mode'] | null>(null);
  const [sound, setSound] = useState(soundOn);
  const toggleSound = () => {
    setSoundOn(!sound);
    setSound(!sound);
  };

  useEffect(() => {
    if (!api) return;
    let live = true;
    void api.call('app.info', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        shownMode.current ??= r.value.mode;
        setInfo(r.value);
      } else setError(t('error.call_failed', { message: r.error.message }));
    });
    void api.call('app.health', {}).then((r) => live && r.ok && setHealth(r.value));
    const off = api.on('app.health', (h) => setHealth(h));
    // A manager switched training/live: the till below starts afresh on the new one.
    // (The event is also replayed to a page that connects later: only a change of mode restarts the till.)
    const offInfo = api.on('app.info', (i) => {
      if (shownMode.current !== null && shownMode.current !== i.mode) setTillGeneration((g) => g + 1);
      shownMode.current = i.mode;
      setInfo(i);
    });
    return () => {
      live = false;
      off();
      offInfo();
    };
  }, [api, t]);

  if (!api)
    return (
      <div className="fatal" role="alert">
        {t('error.no_host')}
      </div>
    );

  return (
    <div className="app">
      {info?.mode === 'training' && (
        <div className="training-banner" role="status" data-testid="training-banner">
          <strong>
            {t('mode.training')}
            {lang === 'en' ? '' : ' · TRAINING'}
          </strong>{' '}
          <span>{t('mode.training.hint')}</span>
        </div>
      )}
      <header className="topbar">
        <h1 data-testid="app-name">{t('app.name')}</h1>
        <span className={`mode mode-${info?.mode ?? 'unknown'}`} data-testid="app-mode">
          {info ? t(`mode.${info.mode}`) : '…'}
        </span>
        <span className="store">{info ? (info.store ? `${info.store.name}` : t('store.none')) : ''}</span>
        <span className="spacer" />
        <span className="version">{info ? `v${info.version} · ${t(`host.${info.host}`)}` : ''}</span>
        <button type="button" className="lang" data-testid="sound-toggle" aria-pressed={sound} onClick={toggleSound}>
          {sound ? t('sound.on') : t('sound.off')}
        </button>
        <button type="button" className="lang" onClick={toggle} title="F9">
          {t('lang.switch')}
        </button>
      </header>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <main>
        <Till key={tillGeneration} api={api} info={info} side={<HealthPanel health={health} />} loadDecoder={loadWorkerDecoder} />
      </main>
    </div>
  );
}
