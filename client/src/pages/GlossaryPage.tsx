/** #/glossary — TCP's words in the page's language, each with its name in the other one. */
import { LANG_NAMES, translator, useI18n, type Lang } from '../i18n/index.tsx';
import { GLOSSARY_GROUPS, type GlossaryGroup } from '../i18n/glossary.ts';
import { usePageTitle } from '../lib/title.ts';

const GROUP_TITLES = { flags: 'glossary.flags', numbers: 'glossary.numbers', states: 'glossary.states', ideas: 'glossary.ideas' } as const;

export function GlossaryPage() {
  const { t, lang } = useI18n();
  usePageTitle(t('glossary.title'));
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  const tOther = translator(other);
  return (
    <main id="main" class="page page-glossary" tabIndex={-1}>
      <h1>{t('glossary.title')}</h1>
      <p class="intro">{t('glossary.intro')}</p>
      {(Object.keys(GLOSSARY_GROUPS) as GlossaryGroup[]).map((g) => (
        <section key={g} aria-labelledby={`gl-${g}`} class="glossary-group">
          <h2 id={`gl-${g}`}>{t(GROUP_TITLES[g])}</h2>
          <dl class="glossary">
            {GLOSSARY_GROUPS[g].map((id) => (
              <div key={id} class="glossary-entry" id={`term-${id}`}>
                <dt>
                  {t(`gl.${id}.term`)}
                  <span class="glossary-other"> · <span class="sr-only">{LANG_NAMES[other]}: </span><span lang={other}>{tOther(`gl.${id}.term`)}</span></span>
                </dt>
                <dd>{t(`gl.${id}.def`)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </main>
  );
}
