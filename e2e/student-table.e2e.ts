/**
 * The student table as a student on a phone meets it: the verdict of a move is shown where
 * Send was pressed; a final close (removed, room closed) leaves only the banner and the way
 * back; the flow graph's labels never overlap, however close the segments leave.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { initialConnection, step } from '../shared/tcp/machine.ts';
import { explainRefusal } from '../shared/tcp/reasons.ts';
import type { Segment } from '../shared/tcp/types.ts';
import { seriousViolations } from './support/axe.ts';
import { PHONE } from './support/browser.ts';
import { classOfTwo, play, untilState } from './support/classroom.ts';
import { browserSuite, OUT } from './support/suite.ts';
import { textNow, WAIT } from './support/wait.ts';

const suite = browserSuite();
/** Screenshots go with the other specs' (e2e/output), to be looked at. */
const SHOTS = fileURLToPath(OUT).replace(/\/$/, '');

/** The explanation shared/tcp gives for this move from the initial connection (computed, not copied). */
function refusalOf(move: Segment, lang: 'en' | 'zh-CN'): string {
  const r = step(initialConnection(), { type: 'send', segment: move });
  if (r.ok) throw new Error('expected a refusal');
  return explainRefusal(r.code, r.facts, lang);
}

type Box = { x: number; y: number; width: number; height: number };
const intersect = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Each label of the flow graph (an arrow's flags and numbers together, a refusal's or timer's note) as a box on the screen. */
async function ladderLabels(page: Page): Promise<Array<{ text: string; box: Box }>> {
  return page.locator('.play-ladder svg').evaluate((svg) => {
    const boxOf = (els: Element[]) => {
      const rs = els.map((e) => e.getBoundingClientRect());
      const x = Math.min(...rs.map((r) => r.left));
      const y = Math.min(...rs.map((r) => r.top));
      return { x, y, width: Math.max(...rs.map((r) => r.right)) - x, height: Math.max(...rs.map((r) => r.bottom)) - y };
    };
    const out: Array<{ text: string; box: { x: number; y: number; width: number; height: number } }> = [];
    for (const g of svg.querySelectorAll('g.lad-segment')) {
      const texts = [...g.querySelectorAll('text.lad-flags, text.lad-nums')];
      out.push({ text: texts.map((t) => t.textContent).join(' '), box: boxOf(texts) });
      for (const note of g.querySelectorAll('text.lad-note')) out.push({ text: note.textContent ?? '', box: boxOf([note]) });
    }
    for (const t of svg.querySelectorAll('text.lad-mark, text.lad-timer')) out.push({ text: t.textContent ?? '', box: boxOf([t]) });
    return out;
  });
}

/** From now on, record in the page (window.overlapsSeen) every overlap any drawing of the flow graph shows. */
async function watchOverlaps(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { overlapsSeen: string[] }).overlapsSeen = seen;
    const check = () => {
      const svg = document.querySelector('.play-ladder svg');
      if (!svg) return;
      const boxes: Array<{ text: string; r: { left: number; top: number; right: number; bottom: number } }> = [];
      const union = (els: Element[]) => {
        const rs = els.map((e) => e.getBoundingClientRect());
        return { left: Math.min(...rs.map((r) => r.left)), top: Math.min(...rs.map((r) => r.top)), right: Math.max(...rs.map((r) => r.right)), bottom: Math.max(...rs.map((r) => r.bottom)) };
      };
      for (const g of svg.querySelectorAll('g.lad-segment')) {
        const texts = [...g.querySelectorAll('text.lad-flags, text.lad-nums')];
        boxes.push({ text: texts.map((t) => t.textContent).join(' '), r: union(texts) });
      }
      for (const t of svg.querySelectorAll('text.lad-mark, text.lad-timer, text.lad-note')) boxes.push({ text: t.textContent ?? '', r: union([t]) });
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!.r;
          const b = boxes[j]!.r;
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) seen.push(`"${boxes[i]!.text}" overlaps "${boxes[j]!.text}"`);
        }
      }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** The pairs of labels that overlap, described. */
function overlaps(labels: Array<{ text: string; box: Box }>): string[] {
  const found: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (intersect(labels[i]!.box, labels[j]!.box)) found.push(`"${labels[i]!.text}" overlaps "${labels[j]!.text}"`);
    }
  }
  return found;
}

describe('the student table', () => {
  it('on a phone, the verdict of a move is shown by the Send button, in view, in English and Chinese; the page passes axe', async () => {
    const { client, server } = await classOfTwo(suite, { scenario: 'handshake', phoneFor: 'server' });
    const verdict = server.getByTestId('move-verdict');
    const inView = async () => {
      const box = await verdict.boundingBox();
      return !!box && box.y >= 0 && box.y + box.height <= PHONE.height;
    };
    // The server, LISTENing, tries to close a connection it does not have.
    for (const lang of ['en', 'zh-CN'] as const) {
      await server.getByLabel('Language · 语言').selectOption(lang);
      await expect.poll(() => server.locator('html').getAttribute('lang'), WAIT).toBe(lang);
      const explanation = refusalOf({ from: 'server', flags: ['FIN'], seq: 0, ack: 0, len: 0 }, lang);
      await play(server, ['FIN']);
      await expect.poll(() => textNow(verdict), WAIT).toContain(explanation);
      expect(await verdict.getAttribute('data-verdict')).toBe('refused');
      expect(await textNow(verdict)).toContain(lang === 'en' ? 'Refused' : '被拒绝');
      await expect.poll(inView, { ...WAIT, message: `the verdict is within the ${PHONE.height}-pixel-high window` }).toBe(true);
      // Screen readers hear the refusal once: from the page's announcer, not again from the verdict line.
      await expect.poll(() => server.locator('#announcer').textContent(), WAIT).toContain(explanation);
      expect((await server.locator('#announcer').textContent())!.split(explanation).length - 1).toBe(1);
      expect(await server.locator('[role="status"], [role="alert"], [aria-live]').evaluateAll((els) => els.filter((e) => e.textContent?.includes('LISTEN')).map((e) => e.id))).toEqual(['announcer']);
      // The Send button is described by its verdict.
      const describedBy = await server.locator('form.composer button[type="submit"]').getAttribute('aria-describedby');
      expect(describedBy?.split(' ')).toContain(await verdict.getAttribute('id'));
      expect(await seriousViolations(server), `refused, ${lang}`).toEqual([]);
      await server.screenshot({ path: `${SHOTS}/play-phone-refused-${lang}.png` });
    }
    // An accepted move: a short confirmation, in view too.
    await play(client, ['SYN']);
    await untilState(server, 'SYN_RECEIVED');
    await play(server, ['SYN', 'ACK']);
    await expect.poll(() => verdict.getAttribute('data-verdict'), WAIT).toBe('accepted');
    await expect.poll(() => textNow(verdict), WAIT).toMatch(/^✓ 已接受：SYN\+ACK seq=\d+ ack=\d+/);
    await expect.poll(inView, WAIT).toBe(true);
    // The announcer says the accepted move already (the view's feedback line): the verdict line is not a second live region.
    await expect.poll(() => server.locator('#announcer').textContent(), WAIT).toMatch(/服务器发送了 SYN\+ACK seq=\d+ ack=\d+/);
    expect(await verdict.evaluate((el) => [el.getAttribute('role'), el.getAttribute('aria-live'), el.closest('[aria-live]')?.id ?? null])).toEqual([null, null, null]);
    expect(await seriousViolations(server), 'accepted, zh-CN').toEqual([]);
    await server.screenshot({ path: `${SHOTS}/play-phone-accepted-zh-CN.png` });
    await server.getByLabel('Language · 语言').selectOption('en');
    await expect.poll(() => textNow(verdict), WAIT).toMatch(/^✓ Accepted: SYN\+ACK seq=\d+ ack=\d+/);
    await server.screenshot({ path: `${SHOTS}/play-phone-accepted-en.png` });
  });

  it('removed while playing, or the room closed: only the banner with its reason and the way back, no stale table', async () => {
    const { teacher, client, server, names } = await classOfTwo(suite, { scenario: 'handshake', phoneFor: 'client' });
    await play(client, ['SYN']);
    await untilState(server, 'SYN_RECEIVED');
    const noTable = async (page: Page) => ({
      table: await page.locator('.play-head, .play-grid, .round-summary, .leaderboard').count(),
      back: await page.getByRole('link', { name: /^(Back to the start page|返回首页)$/ }).count(),
    });
    teacher.once('dialog', (d) => { void d.accept(); });
    await teacher.locator('.host-seats tbody tr', { hasText: names.client }).getByRole('button', { name: `Remove ${names.client}` }).click();
    await expect.poll(() => textNow(client.locator('[data-conn="closed"]')), WAIT).toContain('The teacher removed your seat from the room.');
    await expect.poll(() => noTable(client), WAIT).toEqual({ table: 0, back: 1 });
    expect(await client.locator('main').textContent()).not.toMatch(/Partner|online|running/);
    expect(await seriousViolations(client), 'removed, en').toEqual([]);
    await client.screenshot({ path: `${SHOTS}/play-phone-removed-en.png` });
    await client.getByLabel('Language · 语言').selectOption('zh-CN');
    await expect.poll(() => client.locator('html').getAttribute('lang'), WAIT).toBe('zh-CN');
    await expect.poll(() => noTable(client), WAIT).toEqual({ table: 0, back: 1 });
    expect(await seriousViolations(client), 'removed, zh-CN').toEqual([]);
    await client.screenshot({ path: `${SHOTS}/play-phone-removed-zh-CN.png` });

    // The teacher closes the room: the other student is told so, and sees no table either.
    teacher.once('dialog', (d) => { void d.accept(); });
    await teacher.getByRole('button', { name: 'Close the room' }).click();
    await expect.poll(() => textNow(server.locator('[data-conn="closed"]')), WAIT).toContain('The room was closed.');
    await expect.poll(() => noTable(server), WAIT).toEqual({ table: 0, back: 1 });
    expect(await seriousViolations(server), 'room closed, en').toEqual([]);
    await server.setViewportSize(PHONE);
    await server.screenshot({ path: `${SHOTS}/play-phone-room-closed-en.png` });
    await server.getByLabel('Language · 语言').selectOption('zh-CN');
    await expect.poll(() => server.locator('html').getAttribute('lang'), WAIT).toBe('zh-CN');
    expect(await seriousViolations(server), 'room closed, zh-CN').toEqual([]);
    await server.screenshot({ path: `${SHOTS}/play-phone-room-closed-zh-CN.png` });
  });

  /** No two labels of either student's flow graph overlap, at phone and at laptop width. */
  async function labelsApart(pages: Page[], segments: number): Promise<void> {
    const arrived = (page: Page) => page.locator('.play-ladder g.lad-segment:not([data-outcome="in-flight"])').count();
    for (const page of pages) {
      await expect.poll(() => arrived(page), WAIT).toBe(segments);
      for (const size of [PHONE, { width: 1280, height: 900 }]) {
        await page.setViewportSize(size);
        const labels = await ladderLabels(page);
        expect(labels.length).toBeGreaterThanOrEqual(segments);
        expect(overlaps(labels), `at ${size.width} px`).toEqual([]);
      }
      await page.setViewportSize(PHONE);
    }
  }

  it('the flow graph\'s labels do not overlap in a simultaneous open (the SYNs cross), on a phone and a laptop', async () => {
    const { client, server } = await classOfTwo(suite, { scenario: 'simultaneous-open', phoneFor: 'client', start: { client: 'CLOSED', server: 'CLOSED' } });
    // Every drawing on the way counts, not only the last (one SYN arrived, the other still in flight).
    await watchOverlaps(client);
    await Promise.all([play(client, ['SYN']), play(server, ['SYN'])]);
    await untilState(client, 'SYN_RECEIVED');
    await untilState(server, 'SYN_RECEIVED');
    await Promise.all([play(client, ['SYN', 'ACK']), play(server, ['SYN', 'ACK'])]);
    await untilState(client, 'ESTABLISHED');
    await untilState(server, 'ESTABLISHED');
    await labelsApart([client, server], 4);
    expect(await client.evaluate(() => (window as unknown as { overlapsSeen: string[] }).overlapsSeen)).toEqual([]);
    await client.locator('.play-ladder').screenshot({ path: `${SHOTS}/ladder-simultaneous-open-phone-en.png` });
  });

  it('the flow graph\'s labels do not overlap when a FIN follows data within one latency, on a phone and a laptop', async () => {
    const { client, server } = await classOfTwo(suite, { scenario: 'teardown', phoneFor: 'client', start: { client: 'ESTABLISHED', server: 'ESTABLISHED' } });
    // 1000 bytes: the numbers no longer fit one line, so each label is three lines high.
    await play(client, ['ACK', 'PSH'], 1000);
    await play(client, ['FIN', 'ACK']);
    await untilState(server, 'CLOSE_WAIT');
    await labelsApart([client, server], 2);
    await client.locator('.play-ladder').screenshot({ path: `${SHOTS}/ladder-data-fin-phone-en.png` });
    await client.getByLabel('Language · 语言').selectOption('zh-CN');
    await expect.poll(() => client.locator('html').getAttribute('lang'), WAIT).toBe('zh-CN');
    expect(overlaps(await ladderLabels(client)), 'in Chinese').toEqual([]);
    expect(await seriousViolations(client), 'flow graph, zh-CN').toEqual([]);
    await client.screenshot({ path: `${SHOTS}/play-phone-ladder-zh-CN.png`, fullPage: true });
    await server.setViewportSize({ width: 1280, height: 900 });
    await server.locator('.play-ladder').screenshot({ path: `${SHOTS}/ladder-data-fin-laptop-server-en.png` });
  });
});
