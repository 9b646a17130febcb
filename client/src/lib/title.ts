import { useLayoutEffect } from 'preact/hooks';

/** Keep document.title in step with the page and its language. */
export function usePageTitle(title: string): void {
  useLayoutEffect(() => { document.title = `${title} · SYN/ACK`; }, [title]);
}
