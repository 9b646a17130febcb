/**
 * Languages: a context holding the current language, `t(key, params)` to look messages up,
 * remembered in localStorage and defaulting to the browser's language.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { Lang } from '../../../shared/tcp/reasons.ts';
import en, { type MessageKey, type Messages } from './en.ts';
import zhCN from './zh-CN.ts';
import { storage } from '../lib/storage.ts';

export type { Lang, MessageKey };
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];
export const CATALOGUES: Record<Lang, Messages> = { en, 'zh-CN': zhCN };
/** Each language's own name, shown in the switcher whatever the page's language is. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', 'zh-CN': '简体中文' };
const STORAGE_KEY = 'synack.lang';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Fill {name} placeholders; an unknown one is left visible rather than silently dropped. */
export function format(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translate function for one language. */
export function translator(lang: Lang): Translate {
  const cat = CATALOGUES[lang];
  return (key, params) => format(cat[key], params);
}

/** zh, zh-CN, zh-Hans… → zh-CN; anything else → en. */
export function langFromNavigator(languages: readonly string[] | undefined): Lang {
  const first = languages?.[0] ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The remembered language, else the browser's. */
export function initialLang(): Lang {
  const stored = storage.get(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  const nav = typeof navigator === 'undefined' ? undefined : (navigator.languages?.length ? navigator.languages : [navigator.language]);
  return langFromNavigator(nav);
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n>({ lang: 'en', setLang: () => {}, t: translator('en') });

/** Provides the language to the app and keeps <html lang> in step. */
export function I18nProvider({ children, initial }: { children: ComponentChildren; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initial ?? initialLang());
  const setLang = useCallback((next: Lang) => {
    storage.set(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  // A layout effect: <html lang> changes with the very render that changes the words.
  useLayoutEffect(() => { document.documentElement.lang = lang; }, [lang]);
  const value = useMemo(() => ({ lang, setLang, t: translator(lang) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and its translate function. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
