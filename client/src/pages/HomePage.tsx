/** #/ — the start page. Joining, hosting and practising arrive with the game server. */
import { useI18n } from '../i18n/index.tsx';
import { href } from '../lib/router.ts';
import { usePageTitle } from '../lib/title.ts';

export function HomePage() {
  const { t } = useI18n();
  usePageTitle(t('app.tagline'));
  return (
    <main id="main" class="page page-home" tabIndex={-1}>
      <h1>{t('home.title')}</h1>
      <p class="intro">{t('home.intro')}</p>
      <ul class="tiles">
        <li class="tile">
          <h2><a href={href('/sandbox')}>{t('home.sandbox.title')}</a></h2>
          <p>{t('home.sandbox.text')}</p>
        </li>
        <li class="tile">
          <h2><a href={href('/glossary')}>{t('home.glossary.title')}</a></h2>
          <p>{t('home.glossary.text')}</p>
        </li>
      </ul>
      <p class="muted">{t('home.soon')}</p>
    </main>
  );
}
