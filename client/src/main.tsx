/** The SYN/ACK browser app: providers, the header, and a page per hash route. */
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { AnnouncerProvider } from './components/Announcer.tsx';
import { AppHeader } from './components/AppHeader.tsx';
import { I18nProvider } from './i18n/index.tsx';
import { GlossaryPage } from './pages/GlossaryPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { PlayPage } from './pages/PlayPage.tsx';
import { SandboxPage } from './pages/SandboxPage.tsx';
import { StartPage } from './pages/StartPage.tsx';
import { lazyPage } from './lib/lazy.tsx';
import { PrefsProvider } from './lib/prefs.tsx';
import { match, useRoute, type Route } from './lib/router.ts';
import { normalizeRoomCode } from './net/api.ts';

// The teacher's screen (and its QR code library) is a separate chunk: students never load it.
const HostPage = lazyPage(() => import('./pages/HostPage.tsx').then((m) => m.HostPage));
// So are the review pages (the teacher after class).
const PastClassesPage = lazyPage(() => import('./pages/PastClassesPage.tsx').then((m) => m.PastClassesPage));
const ClassReviewPage = lazyPage(() => import('./pages/ClassReviewPage.tsx').then((m) => m.ClassReviewPage));
const PairReplayPage = lazyPage(() => import('./pages/PairReplayPage.tsx').then((m) => m.PairReplayPage));
import './styles.css';

function Page({ route }: { route: Route }) {
  const { path, query } = route;
  let p: Record<string, string> | null;
  if ((p = match('/join/:code', path))) return <StartPage key={p.code} code={p.code} />;
  if ((p = match('/play/:code', path))) return <PlayPage key={p.code} code={normalizeRoomCode(p.code!)} />;
  if ((p = match('/host/:code', path))) return <HostPage key={p.code} code={normalizeRoomCode(p.code!)} />;
  if ((p = match('/review/:code', path))) return <ClassReviewPage key={p.code} code={normalizeRoomCode(p.code!)} />;
  if ((p = match('/review/:code/pair/:pairId', path))) {
    const code = normalizeRoomCode(p.code!);
    // Keyed without the step: stepping rewrites the address but keeps the page.
    return <PairReplayPage key={`${code}/${p.pairId}/${query.get('round')}`} code={code} pairId={p.pairId!} query={query} />;
  }
  switch (path) {
    case '/': return <StartPage />;
    case '/sandbox': return <SandboxPage />;
    case '/glossary': return <GlossaryPage />;
    case '/review': return <PastClassesPage />;
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
      <Page route={route} />
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
