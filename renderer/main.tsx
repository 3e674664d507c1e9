import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectPosApi } from './api';
import { App } from './App';
import { I18nProvider } from './i18n/i18n';
import './desk.css';

const api = connectPosApi();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App api={api} />
    </I18nProvider>
  </StrictMode>,
);
