/**
 * A tiny router. Routes live in the hash (`#/play/K7QM2X`), so any static host can serve
 * the app; a plain path (`/join/K7QM2X`, the short link on the projector and in the QR
 * code) works too, because the server answers every page path with the app.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  path: string;
  query: URLSearchParams;
}

const NAVIGATE = 'synack:navigate';

/** Parse a location (hash first, else the path) into a route. */
export function parseLocation(pathname: string, hash: string): Route {
  const raw = hash.startsWith('#/') ? hash.slice(1) : pathname || '/';
  const [path = '/', search = ''] = raw.split('?', 2);
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return { path: clean.startsWith('/') ? clean : `/${clean}`, query: new URLSearchParams(search) };
}

const current = (): Route => parseLocation(location.pathname, location.hash);

/** The current route, updated on navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    addEventListener('hashchange', onChange);
    addEventListener('popstate', onChange);
    addEventListener(NAVIGATE, onChange);
    return () => {
      removeEventListener('hashchange', onChange);
      removeEventListener('popstate', onChange);
      removeEventListener(NAVIGATE, onChange);
    };
  }, []);
  return route;
}

/** The href for an app path. */
export const href = (path: string): string => `#${path}`;

/** Go to an app path (from a path-style address too, without reloading the page). */
export function navigate(path: string, { replace = false } = {}): void {
  const url = `${location.pathname === '/' ? '' : '/'}#${path}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  dispatchEvent(new Event(NAVIGATE));
}

/** Match `/play/:code`-style patterns; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(a[i]!);
    else if (seg !== a[i]) return null;
  }
  return params;
}
