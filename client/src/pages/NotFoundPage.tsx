import { useI18n } from '../i18n/index.tsx';
import { href } from '../lib/router.ts';
import { usePageTitle } from '../lib/title.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('notFound.title'));
  return (
    <main id="main" class="page" tabIndex={-1}>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p><a href={href('/')}>{t('notFound.back')}</a></p>
    </main>
  );
}
