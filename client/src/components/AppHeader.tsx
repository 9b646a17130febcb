/** The bar on every page: the name, the pages, the language and large-text switches. */
import { LANG_NAMES, LANGS, useI18n, type Lang } from '../i18n/index.tsx';
import { usePrefs } from '../lib/prefs.tsx';
import { href } from '../lib/router.ts';

const PAGES = [
  { path: '/', key: 'nav.home' },
  { path: '/sandbox', key: 'nav.sandbox' },
  { path: '/glossary', key: 'nav.glossary' },
  { path: '/import', key: 'nav.import' },
] as const;

export function AppHeader({ path }: { path: string }) {
  const { t, lang, setLang } = useI18n();
  const { largeText, setLargeText } = usePrefs();
  return (
    <header class="app-header">
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('app.skip')}</a>
      <a class="brand" href={href('/')}><span class="brand-mark" aria-hidden="true">⇄</span> {t('app.name')}</a>
      <nav aria-label={t('nav.label')}>
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}><a href={href(p.path)} aria-current={path === p.path ? 'page' : undefined}>{t(p.key)}</a></li>
          ))}
        </ul>
      </nav>
      <div class="prefs">
        <label class="field field-inline">
          <span>{t('prefs.language')}</span>
          <select id="lang-select" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            {LANGS.map((l) => <option key={l} value={l} lang={l}>{LANG_NAMES[l]}</option>)}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={largeText} onChange={(e) => setLargeText((e.currentTarget as HTMLInputElement).checked)} />
          <span>{t('prefs.largeText')}</span>
        </label>
      </div>
    </header>
  );
}
