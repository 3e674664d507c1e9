import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { refusalEnglish, type Refusal } from '../../shared/refusals';
import { en, zhCN, type MessageKey } from './messages';
import { refusalChinese } from './refusals';

export type Lang = 'zh-CN' | 'en';
export type { MessageKey };
const tables: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;
/** A message in the current language; the key is checked against the catalogue at compile time. */
export type Translate = (key: MessageKey, params?: Params) => string;

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const text = tables[lang][key] ?? zhCN[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

/** Why the till said no, in the reader's language. */
export function refusalText(lang: Lang, r: Refusal): string {
  return (lang === 'en' ? refusalEnglish : refusalChinese)[r.code](r.params);
}

interface I18n {
  lang: Lang;
  t: Translate;
  refusal: (r: Refusal) => string;
  toggle: () => void;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('pos.lang') === 'en' ? 'en' : 'zh-CN'));
  const value = useMemo<I18n>(
    () => ({
      lang,
      t: (key, params) => translate(lang, key, params),
      refusal: (r) => refusalText(lang, r),
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
