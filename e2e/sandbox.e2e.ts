/**
 * The sandbox page in real Chromium: one person plays both ends of a connection judged by
 * shared/tcp in the browser. Handshakes by mouse and by keyboard, refusals explained in
 * both languages, the language choice, axe, and screenshots at phone and projector sizes.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialConnection, step } from '../shared/tcp/machine.ts';
import { explainRefusal, type Lang } from '../shared/tcp/reasons.ts';
import type { Segment } from '../shared/tcp/types.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser, newPerson, PHONE, PROJECTOR } from './support/browser.ts';
import { startApp, type RunningApp } from './support/server.ts';
import { card, deliver, feedbackCount, hand, inFlight, lane, latestFeedback, sendByClicking, tabTo, untilState } from './support/sandbox.ts';
import { textNow, WAIT } from './support/wait.ts';

const OUT = new URL('./output/', import.meta.url);
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  app = await startApp();
  browser = await launchBrowser();
  console.log(`e2e: ${app.kind} app at ${app.url}, Chromium ${browser.version()}`);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const openSandbox = async (page: Page) => {
  await page.goto(`${app.url}/#/sandbox`);
  await hand(page, 'client').waitFor();
};

/** What the page's own style gives the focused element's outline. */
const focusOutline = (page: Page) => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** The ISN the hand shows once the level asks for typed numbers ("ISN is 123"). */
async function isnOf(page: Page, side: 'client' | 'server'): Promise<number> {
  const hint = hand(page, side).locator('.hint-isn');
  await expect.poll(() => textNow(hint), WAIT).toMatch(/ISN is \d+/);
  return Number((await hint.textContent())!.match(/ISN is (\d+)/)![1]);
}

/** The explanation shared/tcp gives for a move refused after `before` (computed, not copied). */
function expectedRefusal(before: Segment[], move: Segment, lang: Lang): string {
  let conn = initialConnection();
  for (const seg of before) {
    const r = step(conn, { type: 'send', segment: seg });
    if (!r.ok) throw new Error(`setup move refused: ${r.code}`);
    conn = r.connection;
  }
  const r = step(conn, { type: 'send', segment: move });
  if (r.ok) throw new Error('the move was expected to be refused');
  return explainRefusal(r.code, r.facts, lang);
}

/** Play SYN, SYN+ACK, ACK by clicking. */
async function handshakeByClicking(page: Page) {
  await sendByClicking(page, 'client', ['SYN']);
  await deliver(page, 'client');
  await sendByClicking(page, 'server', ['SYN', 'ACK']);
  await deliver(page, 'server');
  await sendByClicking(page, 'client', ['ACK']);
  await deliver(page, 'client');
}

describe('sandbox', () => {
  it('plays a whole handshake by clicking', async () => {
    const { context, page, errors } = await newPerson(browser);
    await openSandbox(page);
    await untilState(page, 'client', 'CLOSED');
    await untilState(page, 'server', 'LISTEN');
    // The client's legal moves from CLOSED: send a SYN; the passive open is no card.
    const moves = async () => (await page.locator('#diagram-client-next li').allTextContents()).map((m) => m.replace(/\s+/g, ' ').trim());
    await expect.poll(moves, WAIT).toEqual(['you send: SYN → SYN_SENT']);

    await sendByClicking(page, 'client', ['SYN']);
    await untilState(page, 'client', 'SYN_SENT');
    await expect.poll(() => inFlight(page, 'client'), WAIT).toEqual(['SYN seq=100']);
    await deliver(page, 'client');
    await untilState(page, 'server', 'SYN_RECEIVED');
    await expect.poll(() => lane(page, 'client').locator('.wire-seg').count(), WAIT).toBe(0);

    await sendByClicking(page, 'server', ['SYN', 'ACK']);
    await deliver(page, 'server');
    await untilState(page, 'client', 'ESTABLISHED');
    await sendByClicking(page, 'client', ['ACK']);
    await deliver(page, 'client');
    await untilState(page, 'server', 'ESTABLISHED');

    // The state diagram lights ESTABLISHED and says so to screen readers.
    const diagram = page.locator('.side-server .state-diagram svg');
    await expect.poll(() => diagram.getAttribute('aria-label'), WAIT).toBe('TCP state diagram. Current state: ESTABLISHED.');
    await expect.poll(() => page.locator('.side-server [data-node="ESTABLISHED"]').getAttribute('class'), WAIT).toContain('sd-current');
    // The flow graph has three arrows, and its text alternative tells the story in order.
    await expect.poll(() => page.locator('.ladder-svg .lad-segment[data-outcome="accepted"]').count(), WAIT).toBe(3);
    await expect.poll(() => page.locator('.ladder ol li').allTextContents(), WAIT).toEqual([
      '#1: client sent SYN seq=100; arrived at #2, server went from LISTEN to SYN_RECEIVED.',
      '#3: server sent SYN+ACK seq=300 ack=101; arrived at #4, client went from SYN_SENT to ESTABLISHED.',
      '#5: client sent ACK seq=101 ack=301; arrived at #6, server went from SYN_RECEIVED to ESTABLISHED.',
    ]);
    // The last event was announced politely (the announcer joins what is said within 250 ms).
    await expect.poll(() => page.locator('#announcer').getAttribute('aria-live'), WAIT).toBe('polite');
    await expect.poll(() => page.locator('#announcer').textContent(), WAIT).toContain('ACK seq=101 ack=301 arrived at the server, now ESTABLISHED.');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('plays a whole handshake with the keyboard alone', async () => {
    const { context, page, errors } = await newPerson(browser);
    await openSandbox(page);
    const clientCard = (f: string) => `form[data-side="client"] button.card[aria-keyshortcuts="${f}"]`;
    const serverCard = (f: string) => `form[data-side="server"] button.card[aria-keyshortcuts="${f}"]`;

    // Client: Tab to the SYN card, Space to pick it, Enter to send.
    await tabTo(page, clientCard('S'));
    await expect.poll(() => focusOutline(page), WAIT).not.toBe('none');
    await page.keyboard.press('Space');
    await expect.poll(() => card(page, 'client', 'SYN').getAttribute('aria-pressed'), WAIT).toBe('true');
    await page.keyboard.press('Enter');
    await untilState(page, 'client', 'SYN_SENT');

    // Deliver it: Tab on to the client lane's Deliver button.
    await tabTo(page, '.wire-from-client .wire-actions button:first-child');
    await page.keyboard.press('Enter');
    await untilState(page, 'server', 'SYN_RECEIVED');

    // Server: the letter keys pick SYN and ACK; Enter sends.
    await tabTo(page, serverCard('S'));
    await page.keyboard.press('s');
    await page.keyboard.press('a');
    await expect.poll(() => card(page, 'server', 'SYN').getAttribute('aria-pressed'), WAIT).toBe('true');
    await expect.poll(() => card(page, 'server', 'ACK').getAttribute('aria-pressed'), WAIT).toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(() => inFlight(page, 'server'), WAIT).toEqual(['SYN+ACK seq=300 ack=101']);
    await untilState(page, 'server', 'SYN_RECEIVED');
    await tabTo(page, '.wire-from-server .wire-actions button:first-child', { back: true });
    await page.keyboard.press('Enter');
    await untilState(page, 'client', 'ESTABLISHED');

    // Client: back to its hand, A then Enter; deliver.
    await tabTo(page, clientCard('A'), { back: true });
    await page.keyboard.press('a');
    await expect.poll(() => card(page, 'client', 'ACK').getAttribute('aria-pressed'), WAIT).toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(() => inFlight(page, 'client'), WAIT).toEqual(['ACK seq=101 ack=301']);
    await tabTo(page, '.wire-from-client .wire-actions button:first-child');
    await page.keyboard.press('Enter');
    await untilState(page, 'server', 'ESTABLISHED');
    await untilState(page, 'client', 'ESTABLISHED');
    expect(await page.locator('.feedback-list .fb-wrong').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('explains a refused move in English, and in Chinese once the page is in Chinese', async () => {
    const { context, page, errors } = await newPerson(browser);
    await openSandbox(page);
    await sendByClicking(page, 'client', ['SYN']);
    // ACK in SYN_SENT: nothing to acknowledge yet.
    await sendByClicking(page, 'client', ['ACK']);
    const syn: Segment = { from: 'client', flags: ['SYN'], seq: 100, ack: 0, len: 0 };
    const ack: Segment = { from: 'client', flags: ['ACK'], seq: 101, ack: 0, len: 0 };
    const en = expectedRefusal([syn], ack, 'en');
    expect(en).toContain('You are in SYN_SENT');
    const latest = latestFeedback(page);
    await expect.poll(() => textNow(latest.locator('.fb-explanation')), WAIT).toBe(en);
    await expect.poll(() => latest.getAttribute('data-tone'), WAIT).toBe('wrong');
    await expect.poll(() => textNow(latest.locator('.fb-icon')), WAIT).toBe('✗');
    await expect.poll(() => textNow(latest.locator('.fb-tag')), WAIT).toBe('Refused:');
    await expect.poll(() => page.locator('#announcer').textContent(), WAIT).toContain(en);
    // A refused move never reaches the wire; the ladder marks it dashed.
    await expect.poll(() => lane(page, 'client').locator('.wire-seg').count(), WAIT).toBe(1);
    await expect.poll(() => page.locator('.ladder-svg .lad-refused').count(), WAIT).toBe(1);
    await expect.poll(() => card(page, 'client', 'ACK').getAttribute('aria-pressed'), WAIT).toBe('true'); // the hand is kept to fix

    await page.getByLabel('Language · 语言').selectOption('zh-CN');
    await expect.poll(() => page.locator('html').getAttribute('lang'), WAIT).toBe('zh-CN');
    const zh = expectedRefusal([syn], ack, 'zh-CN');
    expect(zh).toContain('你处于 SYN_SENT');
    await expect.poll(() => textNow(latest.locator('.fb-tag')), WAIT).toBe('被拒绝：');
    await expect.poll(() => textNow(latest.locator('.fb-explanation')), WAIT).toBe(zh);

    // A new refusal made while the page is in Chinese: FIN from a LISTENing server.
    await sendByClicking(page, 'server', ['FIN']);
    const fin: Segment = { from: 'server', flags: ['FIN'], seq: 0, ack: 0, len: 0 };
    const zhFin = expectedRefusal([], fin, 'zh-CN');
    expect(zhFin).toContain('你处于 LISTEN');
    await expect.poll(() => textNow(latestFeedback(page).locator('.fb-explanation')), WAIT).toBe(zhFin);
    await expect.poll(() => page.locator('#announcer').textContent(), WAIT).toContain(zhFin);
    await expect.poll(() => page.locator('h1').textContent(), WAIT).toBe('沙盒：一人扮演两端');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('judges typed numbers at level 2: an ack off by one is refused with the expected value', async () => {
    const { context, page, errors } = await newPerson(browser);
    await openSandbox(page);
    await page.getByLabel('Level').selectOption('2');
    const c = await isnOf(page, 'client');
    const s = await isnOf(page, 'server');
    await card(page, 'client', 'SYN').click();
    await hand(page, 'client').getByLabel('seq').fill(String(c));
    await hand(page, 'client').getByRole('button', { name: 'Send' }).click();
    await deliver(page, 'client');
    await untilState(page, 'server', 'SYN_RECEIVED');

    // The classic mistake: ack = the client's ISN, forgetting that SYN counts as one.
    await card(page, 'server', 'SYN').click();
    await card(page, 'server', 'ACK').click();
    await hand(page, 'server').getByLabel('seq').fill(String(s));
    await hand(page, 'server').getByLabel('ack').fill(String(c));
    await hand(page, 'server').getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => textNow(latestFeedback(page).locator('.fb-explanation')), WAIT)
      .toBe(`Off by one: SYN and FIN each count as one in sequence space, so the ack must be ${c + 1}, not ${c}.`);
    await expect.poll(() => textNow(latestFeedback(page).locator('.fb-code')), WAIT).toBe('segment/ack-off-by-one');

    // Fixed, it goes through.
    await hand(page, 'server').getByLabel('ack').fill(String(c + 1));
    await hand(page, 'server').getByLabel('ack').press('Enter');
    await expect.poll(() => inFlight(page, 'server'), WAIT).toEqual([`SYN+ACK seq=${s} ack=${c + 1}`]);
    await expect.poll(() => latestFeedback(page).getAttribute('data-tone'), WAIT).toBe('ok');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows every segment in flight on a 360-pixel phone at level 3 (ten-digit numbers, three in flight)', async () => {
    const { context, page, errors } = await newPerson(browser, { viewport: PHONE });
    await openSandbox(page);
    await page.getByLabel('Level').selectOption('3');
    const c = await isnOf(page, 'client');
    const s = await isnOf(page, 'server');
    const u32 = (n: number) => String(n >>> 0);
    const send = async (side: 'client' | 'server', flags: Array<'SYN' | 'ACK' | 'PSH'>, seq: number, ack: number | null, len = 0) => {
      const h = hand(page, side);
      await h.getByRole('button', { name: /^Clear$/ }).click();
      for (const f of flags) await card(page, side, f).click();
      await h.getByLabel('seq').fill(u32(seq));
      if (ack !== null) await h.getByLabel('ack').fill(u32(ack));
      if (len) await h.getByLabel('Data (bytes)').fill(String(len));
      const before = await feedbackCount(page);
      await h.getByRole('button', { name: 'Send' }).click();
      // This move's own line, not the one before it.
      await expect.poll(() => feedbackCount(page), WAIT).toBe(before + 1);
      await expect.poll(() => latestFeedback(page).getAttribute('data-tone'), WAIT).toBe('ok');
    };
    await send('client', ['SYN'], c, null);
    await deliver(page, 'client');
    await send('server', ['SYN', 'ACK'], s, c + 1);
    await deliver(page, 'server');
    await send('client', ['ACK'], c + 1, s + 1);
    await send('client', ['ACK', 'PSH'], c + 1, s + 1, 100);
    await send('client', ['ACK', 'PSH'], c + 101, s + 1, 100);
    await expect.poll(() => lane(page, 'client').locator('.wire-seg').count(), WAIT).toBe(3);
    // Every segment lies inside its lane: none hidden past the edge.
    const outside = () => page.locator('.wire-track').evaluateAll((tracks) => tracks.flatMap((track) => {
      const box = track.getBoundingClientRect();
      return [...track.querySelectorAll('.wire-seg')].map((seg) => seg.getBoundingClientRect())
        .filter((r) => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
        .map((r) => `${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(box.left)}..${Math.round(box.right)}`);
    }));
    await expect.poll(outside, WAIT).toEqual([]);
    await expect.poll(() => scrollWidth(page), WAIT).toBeLessThanOrEqual(PHONE.width);
    await page.locator('.wire').screenshot({ path: new URL('wire-phone-level3.png', OUT).pathname });
    // The flow graph's labels (in flight ones included) fit its drawing.
    const clipped = () => page.locator('.ladder-svg').evaluate((svg) => {
      const vb = (svg as SVGSVGElement).viewBox.baseVal;
      return [...svg.querySelectorAll('text')].map((el) => ({ el, b: (el as SVGTextElement).getBBox() }))
        .filter(({ b }) => b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5)
        .map(({ el, b }) => `${el.textContent}: ${Math.round(b.x)}..${Math.round(b.x + b.width)}`);
    });
    await expect.poll(clipped, WAIT).toEqual([]);
    await page.locator('.ladder').screenshot({ path: new URL('ladder-phone-level3.png', OUT).pathname });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws a lost segment with ✕ and accepts its retransmission', async () => {
    const { context, page, errors } = await newPerson(browser);
    await openSandbox(page);
    await sendByClicking(page, 'client', ['SYN']);
    await lane(page, 'client').getByRole('button', { name: 'Lose' }).click();
    await expect.poll(() => page.locator('.ladder-svg .lad-segment[data-outcome="lost"] .lad-x').count(), WAIT).toBe(1);
    await expect.poll(() => textNow(latestFeedback(page)), WAIT).toContain('SYN seq=100 from the client was lost on the wire.');
    await untilState(page, 'server', 'LISTEN');
    await expect.poll(() => lane(page, 'client').locator('.wire-seg').count(), WAIT).toBe(0);
    await sendByClicking(page, 'client', ['SYN']); // the retransmission, same seq
    await deliver(page, 'client');
    await untilState(page, 'server', 'SYN_RECEIVED');
    await expect.poll(async () => (await page.locator('.ladder ol li').allTextContents())[0], WAIT).toBe('#1: client sent SYN seq=100; lost at #2.');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('slides segments along the wire, unless the reader prefers reduced motion', async () => {
    for (const reducedMotion of ['no-preference', 'reduce'] as const) {
      const { context, page } = await newPerson(browser, { reducedMotion });
      await openSandbox(page);
      await sendByClicking(page, 'client', ['SYN']);
      await sendByClicking(page, 'server', ['SYN']); // a simultaneous open: one segment each way
      const animation = (from: 'client' | 'server') =>
        lane(page, from).locator('.wire-seg').evaluate((el) => getComputedStyle(el).animationName);
      if (reducedMotion === 'reduce') {
        await expect.poll(() => animation('client'), WAIT).toBe('none');
      } else {
        await expect.poll(() => animation('client'), WAIT).toBe('wire-in-from-left');
        await expect.poll(() => animation('server'), WAIT).toBe('wire-in-from-right');
      }
      await context.close();
    }
  });

  it('follows the browser language and remembers the one chosen', async () => {
    const { context, page } = await newPerson(browser, { locale: 'zh-CN' });
    await openSandbox(page);
    await expect.poll(() => page.locator('html').getAttribute('lang'), WAIT).toBe('zh-CN');
    await expect.poll(() => page.locator('h1').textContent(), WAIT).toBe('沙盒：一人扮演两端');
    await expect.poll(() => page.title(), WAIT).toBe('沙盒：一人扮演两端 · SYN/ACK');
    await page.getByLabel('Language · 语言').selectOption('en');
    // The choice is stored before the reload that must remember it.
    await expect.poll(() => page.locator('html').getAttribute('lang'), WAIT).toBe('en');
    await page.reload();
    await hand(page, 'client').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang'), WAIT).toBe('en');
    await expect.poll(() => page.locator('h1').textContent(), WAIT).toBe('Sandbox: play both ends');
    await context.close();
  });

  for (const locale of ['en-US', 'zh-CN'] as const) {
    it(`has no serious or critical axe violations (${locale})`, async () => {
      const { context, page, errors } = await newPerson(browser, { locale });
      // Every page has a main h1: wait for this page's own (after a hash change the previous
      // page's is there until the route has rendered).
      for (const [route, pageClass] of [['#/', 'page-start'], ['#/glossary', 'page-glossary']] as const) {
        await page.goto(`${app.url}/${route}`);
        await page.locator(`main.${pageClass} h1`).waitFor();
        expect(await seriousViolations(page), `${route} in ${locale}`).toEqual([]);
      }
      // The sandbox with every component showing something: arrows, a refusal, segments in flight.
      await openSandbox(page);
      await handshakeByClicking(page);
      await card(page, 'client', 'SYN').click();
      await hand(page, 'client').locator('button[type="submit"]').click();
      await card(page, 'client', 'SYN').click(); // un-press
      await hand(page, 'client').locator('input').first().fill('10');
      await card(page, 'client', 'ACK').click();
      await hand(page, 'client').locator('button[type="submit"]').click();
      await expect.poll(() => page.locator('.ladder-svg .lad-refused').count(), WAIT).toBe(1);
      await expect.poll(() => lane(page, 'client').locator('.wire-seg').count(), WAIT).toBe(1);
      expect(await seriousViolations(page), `sandbox in ${locale}`).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('fits a 360-pixel phone and a projector, and writes screenshots', async () => {
    for (const [name, viewport] of [['phone', PHONE], ['projector', PROJECTOR]] as const) {
      for (const locale of ['en-US', 'zh-CN'] as const) {
        const { context, page, errors } = await newPerson(browser, { locale, viewport });
        await openSandbox(page);
        if (name === 'projector') await page.getByLabel(locale === 'en-US' ? 'Large text' : '大字号').check();
        await handshakeByClicking(page);
        await sendByClicking(page, 'server', ['ACK']);
        await sendByClicking(page, 'client', ['FIN', 'ACK']); // on the wire: FIN_WAIT_1
        await sendByClicking(page, 'client', ['SYN']); // refused: already synchronized
        await expect.poll(() => page.locator('.ladder-svg .lad-refused').count(), WAIT).toBe(1);
        await expect.poll(() => scrollWidth(page), { ...WAIT, message: `${name} ${locale}: no sideways scrolling` }).toBeLessThanOrEqual(viewport.width);
        const tag = `${name}-${locale}`;
        await page.screenshot({ path: new URL(`sandbox-${tag}.png`, OUT).pathname, fullPage: name === 'phone' });
        await page.goto(`${app.url}/#/glossary`);
        await page.locator('main.page-glossary h1').waitFor();
        await page.screenshot({ path: new URL(`glossary-${tag}.png`, OUT).pathname });
        await page.goto(`${app.url}/#/`);
        await page.locator('main.page-start h1').waitFor();
        await page.screenshot({ path: new URL(`start-${tag}.png`, OUT).pathname });
        expect(errors).toEqual([]);
        await context.close();
      }
    }
  });
});
