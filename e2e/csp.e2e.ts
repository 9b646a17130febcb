/**
 * The built client under the server's Content-Security-Policy (server/security.ts), in real
 * Chromium: every page — the start page, the host screen with its QR code, a student joining
 * by the link and by the code and playing, the sandbox, the glossary — with a listener for
 * `securitypolicyviolation` and an eye on the console. None may be reported. A first test
 * breaks the policy on purpose, so the listener is known to hear.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser, newPerson, PROJECTOR } from './support/browser.ts';
import { hostClass, joinByCode, play, roleOf, untilState } from './support/classroom.ts';
import { deliver, hand, sendByClicking } from './support/sandbox.ts';
import { startApp, TEST_TIMINGS, type RunningApp } from './support/server.ts';
import { startServer } from '../server/server.ts';

/** This machine's first non-loopback IPv4 address, as a classroom's server has. */
/**
 * A classroom serves on its LAN address over plain http: not a secure context, where
 * 127.0.0.1 is one. The test gives Chromium that origin by name, resolved to 127.0.0.1, so
 * no traffic leaves the loopback.
 */
const LAN_NAME = 'classroom.test';

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  console.log(`e2e: ${app.kind} at ${app.url}, Chromium ${browser.version()}`);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await app?.close();
});

interface Violation { page: string; directive: string; blocked: string; sample: string; source: string }

/** A person whose pages report every CSP violation (the DOM event) and every console line about the policy. */
async function watchedPerson(opts: Parameters<typeof newPerson>[1] = {}, inBrowser: Browser = browser) {
  const p = await newPerson(inBrowser, opts);
  contexts.push(p.context);
  const violations: Violation[] = [];
  // A binding survives navigations, so a violation just before a page load is not lost.
  await p.context.exposeBinding('__reportCspViolation', ({ page }, v: Omit<Violation, 'page'>) => { violations.push({ page: page.url(), ...v }); });
  await p.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation: (v: unknown) => void }).__reportCspViolation({
        directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}`,
      });
    });
  });
  const cspConsole = () => p.errors.filter((e) => /content[ -]security[ -]policy|refused to/i.test(e));
  return { ...p, violations, cspConsole };
}

describe('Content-Security-Policy', () => {
  it('the watch hears a violation (an inline script and a style attribute, refused)', async () => {
    const { page, violations, cspConsole } = await watchedPerson();
    await page.goto(`${app.url}/`);
    await page.locator('main h1').waitFor();
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'document.title = "inline ran"';
      document.head.append(s);
      document.body.setAttribute('style', 'outline: 1px solid red');
    });
    await expect.poll(() => violations.map((v) => v.directive).sort(), { timeout: 5000 }).toEqual(['script-src-elem', 'style-src-attr']);
    expect(await page.title()).not.toBe('inline ran');
    expect(cspConsole().length).toBeGreaterThanOrEqual(2);
  });

  it('no page of the client breaks it: start, host screen, joining by link and by code, playing, sandbox, glossary', async () => {
    const teacher = await watchedPerson({ viewport: PROJECTOR });
    // The start page, then "Host a class": the host screen, its QR code (SVG markup) and its socket.
    const code = await hostClass(teacher.page, app.url);
    await teacher.page.locator('.qr svg').waitFor();

    // One student by the join link (the path route /join/CODE), one by typing the code.
    const ada = await watchedPerson();
    await ada.page.goto(`${app.url}/join/${code}`);
    await ada.page.getByLabel(/^(Nickname|昵称)$/).first().fill('Ada');
    await ada.page.getByRole('button', { name: /^(Join|加入)$/ }).click();
    await ada.page.locator('.play-head').waitFor();
    const lin = await watchedPerson({ locale: 'zh-CN' });
    await joinByCode(lin.page, app.url, code, 'Lin');

    // Paired and playing: the table's wire, ladder (an SVG with a CSSOM style) and state diagram.
    await expect.poll(() => teacher.page.locator('.host-seats tbody tr').count(), { timeout: 15_000 }).toBe(2);
    const pairForm = teacher.page.locator('form.manual-pair');
    await pairForm.getByLabel('Client').selectOption({ label: 'Ada' });
    await pairForm.getByLabel('Server').selectOption({ label: 'Lin' });
    await pairForm.getByRole('button', { name: 'Pair them' }).click();
    await teacher.page.locator('.pair-card').waitFor();
    await teacher.page.getByRole('button', { name: 'Start the round' }).click();
    expect(await roleOf(ada.page)).toBe('client');
    await untilState(ada.page, 'CLOSED');
    await play(ada.page, ['SYN']);
    await untilState(ada.page, 'SYN_SENT');
    await untilState(lin.page, 'SYN_RECEIVED');
    await ada.page.locator('.ladder-svg').waitFor();

    // axe, as the other specs run it, works under the policy too.
    expect(Array.isArray(await seriousViolations(teacher.page))).toBe(true);

    // The sandbox (a handshake, so the wire and ladder draw) and the glossary.
    await ada.page.goto(`${app.url}/#/sandbox`);
    await hand(ada.page, 'client').waitFor();
    await sendByClicking(ada.page, 'client', ['SYN']);
    await deliver(ada.page, 'client');
    await ada.page.locator('.ladder-svg').waitFor();
    await ada.page.goto(`${app.url}/#/glossary`);
    await ada.page.locator('main h1').waitFor();

    // A reload of the host screen (the teacher's key from storage) and of the student's table.
    await teacher.page.reload();
    await teacher.page.locator('.join-code').waitFor();
    await lin.page.reload();
    await lin.page.locator('.play-head').waitFor();

    for (const [who, p] of [['teacher', teacher], ['Ada', ada], ['Lin', lin]] as const) {
      expect(p.violations, `${who}: securitypolicyviolation events`).toEqual([]);
      expect(p.cspConsole(), `${who}: console`).toEqual([]);
      expect(p.errors.filter((e) => e.startsWith('pageerror')), `${who}: page errors`).toEqual([]);
    }
  });

  // What a classroom has: the server on a LAN address over plain http, which is not a secure
  // context (127.0.0.1 is). A name mapped to 127.0.0.1 gives Chromium such an origin.
  it(`on a LAN-like origin (http://${LAN_NAME}), over plain http: the host screen works and the console stays quiet`, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'synack-e2e-lan-'));
    const lan = await startServer({ host: '127.0.0.1', port: 0, dataDir, ...TEST_TIMINGS, warn: () => {} });
    const lanBrowser = await launchBrowser([`--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`]);
    try {
      const { page, violations, errors } = await watchedPerson({}, lanBrowser);
      const warnings: string[] = [];
      page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
      await hostClass(page, `http://${LAN_NAME}:${lan.port}`);
      await page.locator('.qr svg').waitFor();
      expect(await page.evaluate(() => isSecureContext)).toBe(false);
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
      expect(warnings.filter((w) => /header|policy|origin/i.test(w))).toEqual([]);
    } finally {
      await lanBrowser.close();
      await lan.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the pages come with the policy (not served without it)', async () => {
    const { page } = await watchedPerson();
    const res = await page.goto(`${app.url}/join/ABCDEF`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });
});
