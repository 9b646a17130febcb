/**
 * One polite live region for the whole app: components call `announce(text)` and screen
 * readers read it when they are free. Repeating the same text still gets read, because
 * the region's content changes (an invisible marker alternates).
 */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useMemo, useState } from 'preact/hooks';

type Announce = (text: string) => void;
const AnnounceContext = createContext<Announce>(() => {});

/** Provides `announce` and renders the live region. */
export function AnnouncerProvider({ children }: { children: ComponentChildren }) {
  const [message, setMessage] = useState({ text: '', n: 0 });
  const announce = useCallback<Announce>((text) => setMessage((m) => ({ text, n: m.n + 1 })), []);
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
