/** Display preferences (large text for a projector), remembered in localStorage. */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { storage } from './storage.ts';

const LARGE_KEY = 'synack.largeText';

interface Prefs {
  largeText: boolean;
  setLargeText: (on: boolean) => void;
}

const PrefsContext = createContext<Prefs>({ largeText: false, setLargeText: () => {} });

/** Holds the preferences and reflects large text as a class on <html>, so rem units scale. */
export function PrefsProvider({ children }: { children: ComponentChildren }) {
  const [largeText, setLarge] = useState(() => storage.get(LARGE_KEY) === '1');
  useEffect(() => { document.documentElement.classList.toggle('large-text', largeText); }, [largeText]);
  const value = useMemo(() => ({
    largeText,
    setLargeText: (on: boolean) => { storage.set(LARGE_KEY, on ? '1' : '0'); setLarge(on); },
  }), [largeText]);
  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
}

/** The display preferences. */
export const usePrefs = (): Prefs => useContext(PrefsContext);
