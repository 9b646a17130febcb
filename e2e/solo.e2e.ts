/**
 * Playing alone against a bot, in real Chromium against the real game server: a whole
 * lifecycle by keyboard alone in Chinese; lost final ACK at level 1 won by retransmitting
 * the FIN from the hand; a Hint; a stuck game restarted; a teacher's bots; axe and
 * screenshots of the new screens.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, OUT } from './support/suite.ts';
import { minTimeWaitMs } from '../shared/game/timings.ts';
import { seriousViolations } from './support/axe.ts';
import { PHONE, PROJECTOR } from './support/browser.ts';
import { hostClass, myState, play, untilState } from './support/classroom.ts';
import { tabTo } from './support/sandbox.ts';
import { textNow, untilFocused, WAIT } from './support/wait.ts';

/** A bot that answers quickly (a person still sees each step), and a retransmission timer short enough to wait for. */
const latencyMs = 300;
const rtxMs = 2000;
const TIMINGS = { latencyMs, rtxMs, timeWaitMs: minTimeWaitMs({ latencyMs, rtxMs }) + 1000, botThinkMs: 300 };

const suite = browserSuite({ server: TIMINGS });
const { person } = suite;

const feedbackCount = async (page: Page): Promise<number> => Number(await page.locator('section.feedback').getAttribute('data-count'));
const finished = (page: Page) => page.locator('.play-me .play-done');

/** Start a solo game by mouse from the start page (English). */
async function soloByMouse(page: Page, o: { nickname: string; side: 'client' | 'server'; scenario: string; level: 1 | 2 | 3 }): Promise<void> {
  await page.goto(`${suite.app.url}/`);
  const form = page.getByTestId('solo-form');
  await form.locator('input[name="solo-nickname"]').fill(o.nickname);
  await page.getByTestId(`solo-role-${o.side}`).check();
  await page.getByTestId('solo-scenario').selectOption(o.scenario);
  await page.getByTestId('solo-level').selectOption(String(o.level));
  await page.getByTestId('solo-submit').click();
  await page.locator('.play-head').waitFor();
  await expect.poll(() => page.locator('.play-head .role-badge').getAttribute('data-role'), WAIT).toBe(o.side);
  await expect.poll(async () => (await page.getByTestId('partner-bot').count()) > 0, WAIT).toBe(true);
}

describe('playing alone against a bot', () => {
  it('a student plays a whole connection against the bot by keyboard alone, in Chinese, with no refused move', async () => {
    const { page } = await person({ locale: 'zh-CN', viewport: PHONE });
    await page.goto(`${suite.app.url}/`);
    await expect.poll(() => page.locator('#solo-title').textContent(), WAIT).toBe('独自与机器人对战');
    const keys = page.keyboard;
    // The form by keyboard: the nickname, the role (arrow keys move the radio), the scenario (arrows in the list).
    await tabTo(page, 'input[name="solo-nickname"]');
    await keys.type('小明');
    await tabTo(page, '[data-testid="solo-role-client"]');
    await keys.press('ArrowDown');
    await expect.poll(() => page.getByTestId('solo-role-server').isChecked(), WAIT).toBe(true);
    await keys.press('ArrowUp');
    await expect.poll(() => page.getByTestId('solo-role-client').isChecked(), WAIT).toBe(true);
    await tabTo(page, '[data-testid="solo-scenario"]');
    // handshake → teardown → lifecycle: the whole life of a connection.
    await keys.press('ArrowDown');
    await keys.press('ArrowDown');
    await expect.poll(() => page.getByTestId('solo-scenario').inputValue(), WAIT).toBe('lifecycle');
    await tabTo(page, '[data-testid="solo-submit"]');
    await keys.press('Enter');
    await page.locator('.play-head').waitFor();
    await expect.poll(() => page.locator('.play-head .role-badge').textContent(), WAIT).toBe('客户端');
    await expect.poll(() => textNow(page.getByTestId('partner-bot')), WAIT).toContain('机器人');

    // Each turn: wait until the table offers a correct move (or the goal is reached), pick it
    // with its number key, send it with Enter, and wait for the move to be in the view.
    await page.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await untilFocused(page, 'body');
    const sent: string[] = [];
    for (let turn = 0; turn < 12; turn++) {
      await expect.poll(async () => (await finished(page).count()) > 0
        || (await page.locator('[data-testid="hand-suggestion"]:not([disabled])').count()) > 0, WAIT).toBe(true);
      if (await finished(page).count() > 0) break;
      const suggestion = page.getByTestId('hand-suggestion').first();
      sent.push((await suggestion.locator('.suggestion-segment').textContent()) ?? '');
      const before = await feedbackCount(page);
      await keys.press('1');
      await expect.poll(() => suggestion.getAttribute('aria-pressed'), WAIT).toBe('true');
      await keys.press('Enter');
      await expect.poll(() => feedbackCount(page), WAIT).toBeGreaterThan(before);
    }
    await expect.poll(() => textNow(finished(page)), WAIT).toContain('目标达成');
    // SYN, the ACK of the SYN+ACK, data, (its ACK), FIN, the last ACK: a handshake and a teardown.
    expect(sent[0]).toMatch(/^SYN seq=\d+$/);
    expect(sent.some((s) => s.startsWith('FIN+ACK'))).toBe(true);
    expect(await myState(page)).toBe('TIME_WAIT');
    expect(await page.locator('.feedback-list .fb-wrong').count()).toBe(0);
    await page.screenshot({ path: new URL('solo-zh-phone.png', OUT).pathname, fullPage: true });
  });

  it('lost final ACK at level 1: the server\'s timer expires and the FIN is retransmitted from the hand, at its own number', async () => {
    const { page } = await person({ viewport: PROJECTOR });
    await soloByMouse(page, { nickname: 'Lin', side: 'server', scenario: 'lost-final-ack', level: 1 });
    // The bot (the client) closes first.
    await untilState(page, 'CLOSE_WAIT');
    await play(page, ['ACK']);
    // Our FIN: its number is the one a retransmission must repeat.
    const hand = page.locator('form.composer');
    const pick = async (flags: string[]) => {
      await hand.getByRole('button', { name: /^(Clear)$/ }).click();
      for (const f of flags) await hand.getByRole('button', { name: f, exact: true }).click();
      await expect.poll(() => textNow(hand.locator('.preview')), WAIT).toMatch(/FIN\+ACK seq=\d+ /);
      return /seq=(\d+)/.exec((await hand.locator('.preview').textContent()) ?? '')?.[1];
    };
    const send = async () => {
      const before = await feedbackCount(page);
      await hand.locator('button[type="submit"]').click();
      await expect.poll(() => feedbackCount(page), WAIT).toBeGreaterThan(before);
    };
    const finSeq = await pick(['FIN', 'ACK']);
    expect(finSeq).toMatch(/^\d+$/);
    await send();
    await untilState(page, 'LAST_ACK');
    // Nobody says the ACK was lost: the retransmission timer expiring does.
    await expect.poll(() => textNow(page.locator('.feedback-list')), WAIT).toContain('Your retransmission timer expired');
    expect(await page.locator('.feedback-list').textContent()).not.toContain('lost');
    // The hand offers the retransmission: FIN and ACK picked, the preview is the old FIN, not SND.NXT.
    expect(await pick(['FIN', 'ACK'])).toBe(finSeq);
    await send();
    // The client, in TIME_WAIT, acknowledges it again; the server closes; the goal is reached.
    await untilState(page, 'CLOSED');
    await expect.poll(() => textNow(finished(page)), WAIT).toContain('Goal reached');
    expect(await page.locator('.feedback-list .fb-wrong').count()).toBe(0);
    // Both copies of the FIN are in the flow graph's text, at the same number.
    const fins = await page.locator('.ladder ol li').allTextContents();
    expect(fins.filter((t) => t.includes(`FIN+ACK seq=${finSeq} `)).length).toBe(2);
    await page.screenshot({ path: new URL('solo-lost-final-ack-projector.png', OUT).pathname, fullPage: true });
  });

  it('a Hint explains the next move for 3 points without playing it; a game that cannot reach its goal says so and restarts', async () => {
    const { page } = await person();
    await soloByMouse(page, { nickname: 'Kim', side: 'client', scenario: 'teardown', level: 2 });
    const score = Number(await page.getByTestId('my-score').textContent());
    await page.getByTestId('hint-button').click();
    await expect.poll(() => textNow(page.getByTestId('hint-text')), WAIT).toMatch(/FIN\+ACK seq=\d+ ack=\d+/);
    await expect.poll(async () => Number(await page.getByTestId('my-score').textContent()), WAIT).toBe(score - 3);
    expect(await myState(page)).toBe('ESTABLISHED'); // not played
    const hand = page.locator('form.composer');
    // A FIN with a wrong number is refused, and the hand is cleared: the next card does not
    // carry the FIN along (issue 9, bug 7).
    const pressed = () => hand.locator('button.card[aria-pressed="true"]').count();
    for (const f of ['FIN', 'ACK']) await hand.getByRole('button', { name: f, exact: true }).click();
    await hand.getByLabel('seq', { exact: true }).fill('1');
    await hand.getByLabel('ack', { exact: true }).fill('1');
    const before = await feedbackCount(page);
    await hand.locator('button[type="submit"]').click();
    await expect.poll(() => feedbackCount(page), WAIT).toBeGreaterThan(before);
    await expect.poll(() => page.locator('.feedback-list .fb-wrong').count(), WAIT).toBe(1);
    await expect.poll(pressed, WAIT).toBe(0);
    expect(await hand.getByLabel('seq', { exact: true }).inputValue()).toBe('');
    // An abort in the teardown scenario: both ends are gone, the goal can no longer be reached.
    for (const f of ['RST', 'ACK']) await hand.getByRole('button', { name: f, exact: true }).click();
    // At level 2 the numbers are typed: the hint named them (seq = SND.NXT, ack = RCV.NXT).
    const [, seq, ack] = /seq=(\d+) ack=(\d+)/.exec((await page.getByTestId('hint-text').textContent()) ?? '') ?? [];
    await hand.getByLabel('seq', { exact: true }).fill(seq!);
    await hand.getByLabel('ack', { exact: true }).fill(ack!);
    await hand.locator('button[type="submit"]').click();
    await expect.poll(() => page.getByTestId('stuck-banner').getAttribute('data-reason'), WAIT).toBe('reset');
    await page.getByTestId('restart-game').click();
    await untilState(page, 'ESTABLISHED');
    await expect.poll(() => page.getByTestId('stuck-banner').count(), WAIT).toBe(0);
    expect(await pressed()).toBe(0);
    await page.screenshot({ path: new URL('solo-restarted.png', OUT).pathname, fullPage: true });
  });
});

describe('bots in a class', () => {
  it('the teacher adds two bots, pairs them and they play the handshake to its goal on the projector', async () => {
    const { page: teacher } = await person({ viewport: PROJECTOR });
    await hostClass(teacher, suite.app.url);
    await teacher.getByTestId('add-bot').click();
    await teacher.getByTestId('add-bot').click();
    await expect.poll(() => teacher.locator('[data-testid="bot-badge"]').count(), WAIT).toBeGreaterThanOrEqual(2);
    await teacher.getByRole('button', { name: 'Pair automatically' }).click();
    await expect.poll(() => teacher.locator('.pair-card').count(), WAIT).toBe(1);
    await teacher.locator('#host-round-scenario').selectOption('handshake');
    await teacher.getByRole('button', { name: 'Start the round' }).click();
    await expect.poll(() => teacher.locator('.pair-card .pair-state[data-side="client"]').first().textContent(), WAIT).toBe('ESTABLISHED');
    await expect.poll(() => teacher.locator('.pair-card .pair-state[data-side="server"]').first().textContent(), WAIT).toBe('ESTABLISHED');
    await teacher.screenshot({ path: new URL('host-bots-projector.png', OUT).pathname, fullPage: true });
  });

  it('the new screens have no serious or critical axe violations, in both languages', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      const { page } = await person({ locale });
      await page.goto(`${suite.app.url}/`);
      await page.getByTestId('solo-form').waitFor();
      expect(await seriousViolations(page), `start page ${locale}`).toEqual([]);
      await soloByMouse(page, { nickname: `Axe${locale.slice(0, 2)}`, side: 'client', scenario: 'handshake', level: 1 });
      await expect.poll(async () => (await page.getByTestId('hand-suggestion').count()) > 0, WAIT).toBe(true);
      expect(await seriousViolations(page), `solo table ${locale}`).toEqual([]);
    }
  });
});
