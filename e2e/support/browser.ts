/** Debian's Chromium through playwright-core: Playwright never downloads a browser here. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch headless Chromium with the flags that keep it quiet and offline on CI. */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      // CI containers have a small /dev/shm: use /tmp for shared memory instead of crashing.
      '--disable-dev-shm-usage', ...extraArgs],
  });
}

export const PHONE = { width: 360, height: 740 } as const;
export const PROJECTOR = { width: 1920, height: 1080 } as const;

/** A fresh person: their own context (storage, language) and page. Page errors fail the test. */
export async function newPerson(
  browser: Browser,
  opts: { locale?: string; viewport?: { width: number; height: number }; reducedMotion?: 'reduce' | 'no-preference' } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    reducedMotion: opts.reducedMotion ?? 'reduce',
  });
  // Fail fast: nothing in this app should take Playwright's default 30 s.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { context, page, errors };
}
