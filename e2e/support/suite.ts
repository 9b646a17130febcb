/**
 * The set-up every browser spec shares: the real game server and one Chromium for the file,
 * a fresh context per person (closed at the end), and, unless a spec says otherwise, a test
 * fails when a page threw an uncaught error during it.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ServerOptions } from '../../server/server.ts';
import { launchBrowser, newPerson } from './browser.ts';
import { startApp, type RunningApp } from './server.ts';

/** Where specs write their screenshots. */
export const OUT = new URL('../output/', import.meta.url);

export interface BrowserSuite {
  readonly app: RunningApp;
  readonly browser: Browser;
  /** A new person (their own context), whose page errors the suite checks after each test. */
  person(opts?: Parameters<typeof newPerson>[1]): Promise<Awaited<ReturnType<typeof newPerson>>>;
}

export function browserSuite(opts: { server?: Partial<ServerOptions>; failOnPageErrors?: boolean; announce?: boolean } = {}): BrowserSuite {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let errorLists: string[][] = [];
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    app = await startApp(opts.server);
    browser = await launchBrowser();
    if (opts.announce) console.log(`e2e: ${app.kind} at ${app.url}`);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.close();
  });
  if (opts.failOnPageErrors !== false) {
    afterEach(() => {
      const pageErrors = errorLists.flat().filter((e) => e.startsWith('pageerror'));
      errorLists = [];
      expect(pageErrors).toEqual([]);
    });
  }
  const started = <T>(x: T | undefined, what: string): T => { if (!x) throw new Error(`${what} starts in beforeAll`); return x; };
  return {
    get app() { return started(app, 'the app'); },
    get browser() { return started(browser, 'the browser'); },
    person: async (o = {}) => {
      const p = await newPerson(started(browser, 'the browser'), o);
      contexts.push(p.context);
      errorLists.push(p.errors);
      return p;
    },
  };
}
