/**
 * The teacher after class, in real Chromium against the real server. A class is hosted in
 * the browser and played over real WebSockets from the test process (server/test-client.ts):
 * Ada and Lin play a full lifecycle (handshake, data, teardown) with a refused early ACK;
 * "=1+2" and Kim a handshake with a refused move. Then the teacher closes the room and
 * reviews it: past classes, the overview, the misconceptions, a pair replay stepped by the
 * keyboard, a deep link reloaded at a step, the CSV, JSON and trace downloads, and deletion.
 * axe on every review page in English and Chinese; screenshots at phone and projector size.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClassReport, Replay } from '../shared/review/types.ts';
import { MISCONCEPTIONS } from '../shared/game/misconceptions.ts';
import { explainRefusal } from '../shared/tcp/reasons.ts';
import { lastView, play, student, waitState, waitView, type Msg, type Student } from '../server/test-client.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser, newPerson, PHONE, PROJECTOR } from './support/browser.ts';
import { hostClass } from './support/classroom.ts';
import { startApp, type RunningApp } from './support/server.ts';

const OUT = new URL('./output/', import.meta.url);
const WAIT = { timeout: 15_000, interval: 100 };
let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
let errorLists: string[][] = [];

/** The class everyone's tests review. */
let teacher: Page;
let code = '';
let key = '';
let report: ClassReport;
const sockets: Student[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const s of sockets) await s.c.close().catch(() => {});
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await app?.close();
});

afterEach(() => {
  const pageErrors = errorLists.flat().filter((e) => e.startsWith('pageerror'));
  expect(pageErrors).toEqual([]);
  // The server's Content-Security-Policy holds on the review pages too (downloads from Blob URLs included).
  const csp = errorLists.flat().filter((e) => /content[ -]security[ -]policy|refused to/i.test(e));
  expect(csp).toEqual([]);
});

async function person(opts: Parameters<typeof newPerson>[1] = {}) {
  const p = await newPerson(browser, opts);
  contexts.push(p.context);
  errorLists.push(p.errors);
  return p;
}

const wsUrl = () => `${app.url.replace(/^http/, 'ws')}/ws`;

/** A move with numbers of our own (a mistake): the answer, and the view that follows a logged move. */
async function tryMove(s: Student, segment: { flags: string[]; seq: number; ack: number; len: number }): Promise<Msg> {
  s.c.send({ type: 'move', stateSeq: lastView(s.c).pair.game.stateSeq, segment });
  const answer = await s.c.waitFor((m) => m.type === 'move/result' || (m.type === 'error' && m.ref === 'move'), 5000, 'move answer');
  if (answer.type === 'move/result') await s.c.waitFor((m) => m.type === 'view', 5000, 'view after the move');
  return answer;
}

const bytesIn = (s: Student, n: number) => waitView(s.c, (v) => v?.pair?.game?.endpoint?.bytesReceived === n, 8000, `${n} bytes`);

/** The teacher hosts in the browser; four students join and play over sockets; the teacher ends the round and closes the room. */
async function playClass(): Promise<void> {
  ({ page: teacher } = await person({ viewport: PROJECTOR }));
  code = await hostClass(teacher, app.url);
  key = (await teacher.locator('code.key').textContent())!.trim();
  const [ada, lin, eq, kim] = [
    await student(wsUrl(), code, 'Ada'), await student(wsUrl(), code, 'Lin'),
    await student(wsUrl(), code, '=1+2'), await student(wsUrl(), code, 'Kim'),
  ];
  sockets.push(ada, lin, eq, kim);
  await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(4);
  const pairForm = teacher.locator('form.manual-pair');
  for (const [client, server] of [['Ada', 'Lin'], ['=1+2', 'Kim']] as const) {
    await pairForm.getByLabel('Client').selectOption({ label: client });
    await pairForm.getByLabel('Server').selectOption({ label: server });
    await pairForm.getByRole('button', { name: 'Pair them' }).click();
    await expect.poll(() => teacher.locator('.pair-card', { hasText: client }).count(), WAIT).toBe(1);
  }
  await teacher.locator('#host-round-scenario').selectOption('lifecycle');
  await teacher.getByRole('button', { name: 'Start the round' }).click();
  await waitState(ada.c, 'CLOSED');
  await waitState(lin.c, 'LISTEN');

  // Ada and Lin: the handshake with an ACK sent too early (refused), data both ways, the teardown.
  await play(ada.c, ['SYN']);
  const early = await tryMove(ada, { flags: ['ACK'], seq: 101, ack: 0, len: 0 });
  expect(early).toMatchObject({ type: 'move/result', verdict: { ok: false, code: 'segment/ack-before-synack' } });
  await waitState(lin.c, 'SYN_RECEIVED');
  await play(lin.c, ['SYN', 'ACK']);
  await waitState(ada.c, 'ESTABLISHED');
  await play(ada.c, ['ACK']);
  await waitState(lin.c, 'ESTABLISHED');
  await play(ada.c, ['ACK', 'PSH'], 5);
  await bytesIn(lin, 5);
  await play(lin.c, ['ACK', 'PSH'], 3);
  await bytesIn(ada, 3);
  await play(ada.c, ['FIN', 'ACK']);
  await waitState(lin.c, 'CLOSE_WAIT');
  await play(lin.c, ['ACK']);
  await waitState(ada.c, 'FIN_WAIT_2');
  await play(lin.c, ['FIN', 'ACK']);
  await waitState(ada.c, 'TIME_WAIT');
  await play(ada.c, ['ACK']);
  await waitState(lin.c, 'CLOSED');
  await waitView(ada.c, (v) => v?.pair?.game?.finished === true, 5000, 'goal');

  // "=1+2" and Kim: a handshake, Kim first trying a bare ACK where a SYN+ACK is due (refused).
  await play(eq.c, ['SYN']);
  await waitState(kim.c, 'SYN_RECEIVED');
  const bare = await tryMove(kim, { flags: ['ACK'], seq: 2000, ack: 201, len: 0 });
  expect(bare).toMatchObject({ type: 'move/result', verdict: { ok: false } });
  await play(kim.c, ['SYN', 'ACK']);
  await waitState(eq.c, 'ESTABLISHED');
  await play(eq.c, ['ACK']);
  await waitState(kim.c, 'ESTABLISHED');

  await teacher.getByRole('button', { name: 'End the round' }).click();
  await expect.poll(() => teacher.locator('.round-status').first().textContent(), WAIT).toContain('ended');
  // Closing the room on the host screen leads to its review.
  teacher.once('dialog', (d) => { void d.accept(); });
  await teacher.getByRole('button', { name: 'Close the room' }).click();
  await teacher.getByTestId('host-closed').waitFor();
  // The teacher is taken to it (the Close button is at the bottom of the page).
  await expect.poll(() => teacher.evaluate(() => document.activeElement?.getAttribute('data-testid')), WAIT).toBe('host-closed');
  await teacher.screenshot({ path: new URL('review-host-closed-projector-en.png', OUT).pathname });
  expect(await teacher.getByTestId('host-closed').getByRole('link').getAttribute('href')).toBe(`#/review/${code}`);

  report = await api<ClassReport>(`/rooms/${code}/report`);
}

/** The review API from the test process, with the key. */
async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${app.url}/api${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

const caption = (page: Page) => page.getByTestId('replay-caption').textContent();
const stateOf = (page: Page, side: 'client' | 'server') => page.getByTestId(`replay-state-${side}`).textContent();
const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** The outermost elements reaching past the viewport's right edge, to say what does not fit. */
const overflowing = (page: Page) => page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  const out = (el: Element | null) => !!el && el.getBoundingClientRect().right > w + 0.5;
  return [...document.querySelectorAll('body *')]
    .filter((el) => out(el) && !out(el.parentElement) && !el.closest('.sr-only'))
    .slice(0, 8).map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent?.slice(0, 40)}`).join(' | ');
});

/** axe in English and Chinese, and a screenshot of each at this size. */
async function checkPage(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  for (const lang of ['en', 'zh-CN'] as const) {
    await page.getByLabel('Language · 语言').selectOption(lang);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await ready();
    expect(await seriousViolations(page), `${name} in ${lang}`).toEqual([]);
    await page.screenshot({ path: new URL(`${name}-${lang}.png`, OUT).pathname, fullPage: true });
  }
  await page.getByLabel('Language · 语言').selectOption('en');
}

describe('review', () => {
  it('a class is hosted in the browser and played over real sockets, then the teacher closes the room and is led to its review', async () => {
    await playClass();
    expect(report.students.map((s) => s.nickname).sort()).toEqual(['=1+2', 'Ada', 'Kim', 'Lin']);
    expect(report.misconceptions.length).toBeGreaterThan(0);
  });

  it('the host page of a closed room leads to its review; the start page links it there; past classes list it', async () => {
    // A reload of the host page of the closed room goes straight to the review.
    expect(await teacher.evaluate(() => location.hash)).toBe(`#/host/${code}`);
    await teacher.reload();
    await expect.poll(() => teacher.evaluate(() => location.hash), WAIT).toBe(`#/review/${code}`);
    await expect.poll(() => teacher.locator('main h1').textContent(), WAIT).toBe(`Review: class ${code}`);
    // "Your rooms" on the start page: the closed room opens in review; all past classes are a click away.
    await teacher.goto(`${app.url}/#/`);
    const mine = teacher.locator('.keys-list li', { hasText: code });
    await mine.waitFor();
    expect(await mine.locator('a').first().getAttribute('href')).toBe(`#/review/${code}`);
    expect(await mine.textContent()).toContain('closed');
    await teacher.getByRole('link', { name: 'All past classes' }).click();
    await expect.poll(() => teacher.locator('main h1').textContent(), WAIT).toBe('Past classes');
    const item = teacher.locator(`.past-room[data-code="${code}"]`);
    await item.waitFor();
    const facts = await item.locator('.past-facts > div').allTextContents();
    expect(facts).toEqual(expect.arrayContaining(['Kindclass', 'Students4', 'Rounds played1', 'Status■ closed']));
    // The date in the page's language.
    const date = await item.locator('time').textContent();
    expect(date).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(report.createdAt));
    await checkPage(teacher, 'review-list-projector', () => item.waitFor());
    await teacher.setViewportSize(PHONE);
    expect(await fitsPhone(teacher), `past classes fit a phone: ${await overflowing(teacher)}`).toBeLessThanOrEqual(PHONE.width);
    await teacher.screenshot({ path: new URL('review-list-phone-en.png', OUT).pathname, fullPage: true });
    await teacher.setViewportSize(PROJECTOR);
    await item.getByRole('link', { name: 'Review' }).click();
    await expect.poll(() => teacher.evaluate(() => location.hash), WAIT).toBe(`#/review/${code}`);
  });

  it('another device opens the class in review with its code and key', async () => {
    const { page } = await person({ locale: 'zh-CN', viewport: PHONE });
    await page.goto(`${app.url}/`);
    await page.locator('section[aria-labelledby="bykey-title"]').screenshot({ path: new URL('review-start-bykey-phone-zh-CN.png', OUT).pathname });
    // The start page's "open a room with its key" offers the review too.
    await page.locator('input[name="key-code"]').fill(code.toLowerCase());
    await page.locator('input[name="room-key"]').fill(key);
    await page.getByRole('button', { name: '回顾这个班级' }).click();
    await expect.poll(() => page.locator('main h1').textContent(), WAIT).toBe(`回顾：班级 ${code}`);
    await page.locator('.review-round').first().waitFor();
    expect(await fitsPhone(page), `the overview fits a phone: ${await overflowing(page)}`).toBeLessThanOrEqual(PHONE.width);
    // A wrong key is refused and not kept.
    await page.goto(`${app.url}/#/review`);
    await page.locator('#past-key-code').fill(code);
    await page.locator('#past-key-key').fill('not-the-key');
    await page.getByRole('button', { name: '回顾这个班级' }).click();
    await expect.poll(() => page.getByRole('alert').textContent().catch(() => null), WAIT).toContain('这个密钥打不开这个房间');
    expect(await page.evaluate((c) => Object.keys(JSON.parse(localStorage.getItem('synack.keys') ?? '{}')).includes(c), code)).toBe(false);
  });

  it('the overview: rounds and pairs, students whose points add up, misconceptions with what to teach and a worked example', async () => {
    await teacher.goto(`${app.url}/#/review/${code}`);
    const round = teacher.locator('.review-round[data-round="1"]');
    await round.waitFor();
    expect(await round.locator('h3').textContent()).toBe('Round 1: Full lifecycle');
    expect(await round.locator('.pair-result').count()).toBe(2);
    const p1 = report.rounds[0]!.pairs.find((p) => p.nicknames.client === 'Ada')!;
    const adaPair = round.locator(`.pair-result[data-pair="${p1.pairId}"]`);
    expect(await adaPair.locator('h4').textContent()).toBe('Ada (client) and Lin (server)');
    expect(await adaPair.getByTestId('pair-goal').textContent()).toMatch(/^✓ reached in \d+ s$/);
    expect(await adaPair.getByTestId('pair-score').textContent()).toBe(String(p1.score));
    const eqPair = round.locator('.pair-result', { hasText: '=1+2' });
    expect(await eqPair.getByTestId('pair-goal').textContent()).toBe('✗ not reached');
    // Each pair's round score is its two students' points in the round.
    for (const p of report.rounds[0]!.pairs) {
      const both = report.students.filter((s) => s.seatId === p.seats.client || s.seatId === p.seats.server);
      expect(p.score).toBe(both.reduce((n, s) => n + (s.scoreByRound['1'] ?? 0), 0));
    }

    // Students: one row each; each row's round column and total agree with the report, and the class total is their sum.
    const students = teacher.locator('.students-table');
    expect(await students.locator('tbody tr').count()).toBe(4);
    for (const s of report.students) {
      const cells = await students.locator(`tr[data-seat="${s.seatId}"] > *`).allTextContents();
      expect(cells[0]).toBe(s.nickname);
      expect(cells[1]).toBe(String(s.moves));
      expect(cells[3]).toBe(String(s.refused));
      expect(cells.at(-2)).toBe(String(s.scoreByRound['1'] ?? 0));
      expect(cells.at(-1)).toBe(String(s.score));
    }
    const foot = await students.locator('tfoot tr > *').allTextContents();
    expect(foot.at(-1)).toBe(String(report.students.reduce((n, s) => n + s.score, 0)));
    expect(await students.locator('thead th').last().textContent()).toBe('Total points (whole class)');
    expect(await students.locator('thead th').nth(-2).textContent()).toBe('Points, round 1');

    // Misconceptions: Ada's early ACK, with the catalogue's words and the rule as Ada was told.
    const m = report.misconceptions.find((x) => x.id === 'ack-before-arrival')!;
    const item = teacher.locator('.misc-item[data-misconception="ack-before-arrival"]');
    expect(await item.locator('h3').textContent()).toBe(MISCONCEPTIONS['ack-before-arrival'].title.en);
    expect(await item.locator('.misc-teach').textContent()).toContain(MISCONCEPTIONS['ack-before-arrival'].teach.en);
    expect(await item.textContent()).toContain('Ada (1×)');
    expect(await item.getByTestId('misc-explanation').textContent()).toBe(`✗ ${explainRefusal(m.example!.code, m.example!.facts, 'en')}`);
    expect(await item.locator('.misc-segment').textContent()).toBe('ACK seq=101 ack=0');
    expect(await teacher.locator('.misc-item').count()).toBe(report.misconceptions.length);

    await checkPage(teacher, 'review-class-projector', () => round.waitFor());
    // In Chinese the catalogue and the explanation are Chinese too.
    await teacher.getByLabel('Language · 语言').selectOption('zh-CN');
    expect(await item.locator('h3').textContent()).toBe(MISCONCEPTIONS['ack-before-arrival'].title['zh-CN']);
    expect(await item.getByTestId('misc-explanation').textContent()).toBe(`✗ ${explainRefusal(m.example!.code, m.example!.facts, 'zh-CN')}`);
    await teacher.getByLabel('Language · 语言').selectOption('en');
    await teacher.setViewportSize(PHONE);
    expect(await fitsPhone(teacher), `the overview fits a phone: ${await overflowing(teacher)}`).toBeLessThanOrEqual(PHONE.width);
    await teacher.screenshot({ path: new URL('review-class-phone-en.png', OUT).pathname, fullPage: true });
    await teacher.getByLabel('Language · 语言').selectOption('zh-CN');
    await teacher.screenshot({ path: new URL('review-class-phone-zh-CN.png', OUT).pathname, fullPage: true });
    await teacher.getByLabel('Language · 语言').selectOption('en');
    await teacher.setViewportSize(PROJECTOR);
  });

  it('a moment opens the pair replay at that step; the keyboard steps it, the live region says each step, both ends change; a deep link reloads there', async () => {
    await teacher.goto(`${app.url}/#/review/${code}`);
    const m = report.misconceptions.find((x) => x.id === 'ack-before-arrival')!;
    const moment = m.moments[0]!;
    await teacher.locator('.misc-item[data-misconception="ack-before-arrival"]').getByTestId('moment-link').first().click();
    await expect.poll(() => teacher.evaluate(() => location.hash), WAIT).toBe(`#/review/${code}/pair/${moment.pairId}?round=1&step=${moment.step}`);
    const replay = await api<Replay>(`/rooms/${code}/pairs/${moment.pairId}/replay?round=1`);
    const total = replay.steps.length - 1;
    const first = replay.steps[1]!.event;
    const iss = first?.kind === 'send' ? first.segment.seq : -1; // random: the server chose it
    await expect.poll(() => caption(teacher), WAIT).toBe(`Step ${moment.step} of ${total}: Ada tried to send ACK seq=101 ack=0 — refused`);
    expect(await teacher.getByTestId('replay-caption').getAttribute('aria-live')).toBe('polite');
    expect(await teacher.getByTestId('replay-explanation').textContent()).toBe(explainRefusal('segment/ack-before-synack', m.example!.facts, 'en'));
    expect(await teacher.locator('.replay-event .fb-tag').textContent()).toBe('Refused:');
    expect(await teacher.getByTestId('replay-points').textContent()).toMatch(/^−\d+$/);

    // The keyboard: Home, then forward through the handshake, End, back.
    await teacher.keyboard.press('Home');
    await expect.poll(() => caption(teacher), WAIT).toBe(`Step 0 of ${total}: the starting position: Ada (client) in CLOSED, Lin (server) in LISTEN`);
    expect([await stateOf(teacher, 'client'), await stateOf(teacher, 'server')]).toEqual(['CLOSED', 'LISTEN']);
    await teacher.keyboard.press('ArrowRight');
    await expect.poll(() => caption(teacher), WAIT).toBe(`Step 1 of ${total}: Ada sent SYN seq=${iss} — legal`);
    expect(await stateOf(teacher, 'client')).toBe('SYN_SENT');
    expect(await teacher.locator('.replay-wire .wire-from-client .wire-seg').count()).toBe(1);
    // Forward to the SYN's arrival: the server's state changes and is marked as changed in words.
    const arrival = replay.steps.findIndex((s) => s.event?.kind === 'deliver' && s.arrival?.to === 'server');
    for (let i = 1; i < arrival; i++) await teacher.keyboard.press('ArrowRight');
    await expect.poll(() => caption(teacher), WAIT).toBe(`Step ${arrival} of ${total}: SYN seq=${iss} arrived at Lin: LISTEN → SYN_RECEIVED`);
    expect(await stateOf(teacher, 'server')).toBe('SYN_RECEIVED');
    expect(await teacher.locator('.replay-end[data-side="server"] .state-badge .changed-tag').textContent()).toBe('was LISTEN');
    expect(await teacher.evaluate(() => location.hash)).toBe(`#/review/${code}/pair/${moment.pairId}?round=1&step=${arrival}`);
    // The flow graph's text alternative follows the step.
    expect(await teacher.locator('.replay-ladder ol li').count()).toBe(2);
    await teacher.keyboard.press('End');
    await expect.poll(() => caption(teacher), WAIT).toMatch(new RegExp(`^Step ${total} of ${total}: `));
    // The round ended while the client still waited its 2MSL (the goal counts TIME_WAIT as closed).
    expect([await stateOf(teacher, 'client'), await stateOf(teacher, 'server')]).toEqual(['TIME_WAIT', 'CLOSED']);
    await teacher.keyboard.press('ArrowLeft');
    await expect.poll(() => caption(teacher), WAIT).toMatch(new RegExp(`^Step ${total - 1} of ${total}: `));
    // The buttons do the same, and focus stays on them.
    await teacher.getByRole('button', { name: 'First' }).click();
    await expect.poll(() => caption(teacher), WAIT).toMatch(/^Step 0 of /);
    await teacher.getByRole('button', { name: 'Forward' }).focus();
    await teacher.keyboard.press('Enter');
    await teacher.keyboard.press('Enter');
    await expect.poll(() => caption(teacher), WAIT).toMatch(/^Step 2 of /);
    expect(await teacher.evaluate(() => document.activeElement?.textContent)).toContain('Forward');

    // A deep link, reloaded: the same pair, round and step.
    await teacher.goto(`${app.url}/#/review/${code}/pair/${moment.pairId}?round=1&step=${arrival}`);
    await teacher.reload();
    await expect.poll(() => caption(teacher), WAIT).toBe(`Step ${arrival} of ${total}: SYN seq=${iss} arrived at Lin: LISTEN → SYN_RECEIVED`);
    expect(await stateOf(teacher, 'server')).toBe('SYN_RECEIVED');
    // The history did not grow with every step (the step is replaced in the address).
    const before = await teacher.evaluate(() => history.length);
    for (let i = 0; i < 3; i++) await teacher.keyboard.press('ArrowRight');
    await expect.poll(() => caption(teacher), WAIT).toMatch(new RegExp(`^Step ${arrival + 3} of `));
    expect(await teacher.evaluate(() => history.length)).toBe(before);

    await checkPage(teacher, 'review-replay-projector', () => teacher.getByTestId('replay-caption').waitFor());
    await teacher.getByLabel('Language · 语言').selectOption('zh-CN');
    await expect.poll(() => caption(teacher), WAIT).toMatch(new RegExp(`^第 ${arrival + 3} 步，共 ${total} 步：`));
    await teacher.getByLabel('Language · 语言').selectOption('en');
    await teacher.setViewportSize(PHONE);
    expect(await fitsPhone(teacher), `the replay fits a phone: ${await overflowing(teacher)}`).toBeLessThanOrEqual(PHONE.width);
    await teacher.screenshot({ path: new URL('review-replay-phone-en.png', OUT).pathname, fullPage: true });
    await teacher.getByLabel('Language · 语言').selectOption('zh-CN');
    await teacher.screenshot({ path: new URL('review-replay-phone-zh-CN.png', OUT).pathname, fullPage: true });
    await teacher.getByLabel('Language · 语言').selectOption('en');
    await teacher.setViewportSize(PROJECTOR);
  });

  it('downloads: the CSV grade book (BOM, header, a row per student, formulas neutralised), the JSON and a trace', async () => {
    await teacher.goto(`${app.url}/#/review/${code}`);
    await teacher.locator('.review-round').first().waitFor();
    const save = async (click: () => Promise<void>) => {
      const [download] = await Promise.all([teacher.waitForEvent('download'), click()]);
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    };
    const csv = await save(() => teacher.getByTestId('download-csv').click());
    expect(csv.name).toBe(`synack-${code}.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.bytes.subarray(3).toString('utf8').split(/\r?\n/).filter((l) => l !== '');
    expect(lines[0]).toMatch(/^nickname,/);
    expect(lines).toHaveLength(1 + 4);
    const eqLine = lines.find((l) => l.includes('=1+2'))!;
    expect(eqLine.startsWith('=')).toBe(false);
    expect(eqLine).toMatch(/^"?'=1\+2/);
    await expect.poll(() => teacher.locator('.download-status').textContent(), WAIT).toBe(`✓ Downloaded synack-${code}.csv.`);

    const json = await save(() => teacher.getByTestId('download-json').click());
    const doc = JSON.parse(json.bytes.toString('utf8')) as { format: string; report: ClassReport; log: unknown[] };
    expect(doc.format).toBe('synack-class/1');
    expect(doc.report.students).toHaveLength(4);
    expect(doc.log.length).toBeGreaterThan(20);

    const trace = await save(() => teacher.getByTestId('download-trace').first().click());
    expect(trace.name).toMatch(/\.trace\.json$/);
    const t = JSON.parse(trace.bytes.toString('utf8')) as { name: string; steps: unknown[] };
    expect(t.steps.length).toBeGreaterThan(5);
    // The key never went into an address.
    expect(await teacher.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/api/')))).not.toEqual(
      expect.arrayContaining([expect.stringContaining(key)]),
    );
  });

  it('delete: asked first (Cancel keeps it, focus returns), then the data is gone, the key forgotten and the report is 404', async () => {
    await teacher.goto(`${app.url}/#/review/${code}`);
    await teacher.locator('.review-round').first().waitFor();
    const open = teacher.getByRole('button', { name: 'Delete the class’s data…' });
    await open.click();
    const question = teacher.getByRole('group', { name: `Are you sure? Class ${code} and all its data will be deleted for good.` });
    await question.waitFor();
    await expect.poll(() => teacher.evaluate(() => document.activeElement?.textContent), WAIT).toBe('Cancel');
    await teacher.keyboard.press('Enter'); // Cancel
    await expect.poll(() => teacher.evaluate(() => document.activeElement?.textContent), WAIT).toBe('Delete the class’s data…');
    expect(await api<ClassReport>(`/rooms/${code}/report`)).toMatchObject({ code });

    await open.click();
    await teacher.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => teacher.getByTestId('review-deleted').textContent().catch(() => null), WAIT)
      .toBe(`✓ The data of class ${code} was deleted from the server, and this browser forgot its key.`);
    const res = await fetch(`${app.url}/api/rooms/${code}/report`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'room/not-found' });
    expect(await teacher.evaluate((c) => Object.keys(JSON.parse(localStorage.getItem('synack.keys') ?? '{}')).includes(c), code)).toBe(false);
    expect(await seriousViolations(teacher)).toEqual([]);
    // Past classes no longer list it.
    await teacher.goto(`${app.url}/#/review`);
    await expect.poll(() => teacher.locator('.past-list, .muted').first().count(), WAIT).toBe(1);
    expect(await teacher.locator(`.past-room[data-code="${code}"]`).count()).toBe(0);
  });
});
