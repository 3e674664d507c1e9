import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zhCN, type MessageKey } from './messages';

export type Lang = 'zh-CN' | 'en';
const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function translate(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const text = (tables[lang] as Record<string, string>)[key] ?? (zhCN as Record<string, string>)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

interface I18n {
  lang: Lang;
  t: (key: string, params?: Record<string, string | number>) => string;
  toggle: () => void;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('pos.lang') === 'en' ? 'en' : 'zh-CN'));
  const value = useMemo<I18n>(
    () => ({
      lang,
      t: (key, params) => translate(lang, key, params),
      toggle: () => {
        const next = lang === 'zh-CN' ? 'en' : 'zh-CN';
        localStorage.setItem('pos.lang', next);
        document.documentElement.lang = next;
        setLang(next);
      },
    }),
    [lang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
