/**
 * A hash router in a few lines: `#/sandbox?x=1` → { path: '/sandbox', query }. Hash routes
 * need no server support, so any static host (and the express server) can serve the app.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  path: string;
  query: URLSearchParams;
}

/** Parse a location hash into a route. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?', 2);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

/** The current route, updated on hashchange. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The href for an app path. */
export const href = (path: string): string => `#${path}`;

/** Go to an app path. */
export function navigate(path: string): void {
  location.hash = path;
}
