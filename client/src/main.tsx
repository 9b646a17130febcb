/** The SYN/ACK browser app: providers, the header, and a page per hash route. */
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { AnnouncerProvider } from './components/Announcer.tsx';
import { AppHeader } from './components/AppHeader.tsx';
import { I18nProvider } from './i18n/index.tsx';
import { GlossaryPage } from './pages/GlossaryPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SandboxPage } from './pages/SandboxPage.tsx';
import { PrefsProvider } from './lib/prefs.tsx';
import { useRoute } from './lib/router.ts';
import './styles.css';

function Page({ path }: { path: string }) {
  switch (path) {
    case '/': return <HomePage />;
    case '/sandbox': return <SandboxPage />;
    case '/glossary': return <GlossaryPage />;
    default: return <NotFoundPage />;
  }
}

function App() {
  const route = useRoute();
  // After a navigation (not the first load) move focus to the new page, so a screen
  // reader starts reading there and Tab continues from the top of it.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    document.getElementById('main')?.focus();
    scrollTo(0, 0);
  }, [route.path]);
  return (
    <>
      <AppHeader path={route.path} />
      <Page path={route.path} />
    </>
  );
}

render(
  <I18nProvider>
    <PrefsProvider>
      <AnnouncerProvider>
        <App />
      </AnnouncerProvider>
    </PrefsProvider>
  </I18nProvider>,
  document.getElementById('app')!,
);
