/** A page loaded on first use (its own chunk), with a short "Loading…" meanwhile. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.tsx';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const { t } = useI18n();
    const [Page, setPage] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Page) return;
      load().then((c) => { loaded = c; setPage(() => c); }, () => setFailed(true));
    }, []);
    if (Page) return <Page {...props} />;
    return <main id="main" class="page" tabIndex={-1}><p role="status">{failed ? t('app.loadFailed') : t('app.loading')}</p></main>;
  };
}
