/**
 * One polite live region for the whole app: components call `announce(text)` and screen
 * readers read it when they are free. Everything announced in one moment (several events
 * in one view) is joined into one message, so none is lost to the next. Repeating the
 * same text still gets read, because the region's content changes (an invisible marker
 * alternates).
 */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useMemo, useRef, useState } from 'preact/hooks';

type Announce = (text: string) => void;
const AnnounceContext = createContext<Announce>(() => {});

/** Announcements within this long of the first are spoken as one message (one event can bring several views). */
const BATCH_MS = 250;

/** Provides `announce` and renders the live region. */
export function AnnouncerProvider({ children }: { children: ComponentChildren }) {
  const [message, setMessage] = useState({ text: '', n: 0 });
  const batch = useRef<string[]>([]);
  const announce = useCallback<Announce>((text) => {
    if (!text.trim()) return;
    batch.current.push(text.trim());
    if (batch.current.length > 1) return;
    setTimeout(() => {
      const texts = batch.current;
      batch.current = [];
      setMessage((m) => ({ text: texts.join(' '), n: m.n + 1 }));
    }, BATCH_MS);
  }, []);
  const value = useMemo(() => announce, [announce]);
  return (
    <AnnounceContext.Provider value={value}>
      {children}
      <div id="announcer" class="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {message.text}{message.n % 2 ? '\u200b' : ''}
      </div>
    </AnnounceContext.Provider>
  );
}

/** The function that speaks to screen readers. */
export const useAnnounce = (): Announce => useContext(AnnounceContext);
