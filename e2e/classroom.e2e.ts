/**
 * A class in real Chromium against the real game server: a teacher and students, each in
 * their own browser context, playing through real sockets. The full lifecycle by clicking
 * with the teacher's grid following, a refusal explained in Chinese, a loss on the teacher's
 * grid, a reload mid-round, a server restart, a handshake by keyboard alone, axe on every
 * page in both languages, and screenshots at phone and projector sizes.
 */
import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, OUT } from './support/suite.ts';
import { initialConnection, step } from '../shared/tcp/machine.ts';
import { explainRefusal } from '../shared/tcp/reasons.ts';
import type { Segment, Side } from '../shared/tcp/types.ts';
import { seriousViolations } from './support/axe.ts';
import { PHONE, PROJECTOR } from './support/browser.ts';
import { classOfTwo as classOfTwoIn, hostClass, joinByCode, latestExplanation, play, roleOf, untilState, untilTeacherSees, type TableOptions } from './support/classroom.ts';
import { tabTo } from './support/sandbox.ts';
import { focused, neverWithin, textNow, untilFocused, untilFocusIsOn, WAIT } from './support/wait.ts';

const suite = browserSuite({ announce: true });
const { person } = suite;
const classOfTwo = (opts: TableOptions = {}) => classOfTwoIn(suite, opts);

const score = async (page: Page) => Number(await page.getByTestId('my-score').textContent());

const ON_BOARD = 'on the board with their own score';
/** Whether the leaderboard on `board` has a row for `name` ending in the score `scorer`'s own page shows now. */
async function onBoard(board: Page, name: string, scorer: Page): Promise<string> {
  const mine = await score(scorer);
  const rows = await board.locator('section[aria-labelledby="board-title"] tbody tr').allTextContents();
  return rows.some((r) => r.includes(name) && r.endsWith(String(mine))) ? ON_BOARD : `${name} with ${mine} not in ${JSON.stringify(rows)}`;
}

/** The explanation shared/tcp gives for this move from the initial connection (computed, not copied). */
function refusalOf(move: Segment, lang: 'en' | 'zh-CN'): string {
  const r = step(initialConnection(), { type: 'send', segment: move });
  if (r.ok) throw new Error('expected a refusal');
  return explainRefusal(r.code, r.facts, lang);
}

describe('classroom', () => {
  it('a teacher hosts, two students join and play the full lifecycle by clicking; the teacher sees every state and the leaderboard', async () => {
    const { teacher, client, server, names } = await classOfTwo();

    // The three-way handshake.
    await play(client, ['SYN']);
    await untilState(client, 'SYN_SENT');
    await untilTeacherSees(teacher, 'client', 'SYN_SENT');
    await untilState(server, 'SYN_RECEIVED');
    await untilTeacherSees(teacher, 'server', 'SYN_RECEIVED');
    await play(server, ['SYN', 'ACK']);
    await untilState(client, 'ESTABLISHED');
    await untilTeacherSees(teacher, 'client', 'ESTABLISHED');
    await play(client, ['ACK']);
    await untilState(server, 'ESTABLISHED');
    await untilTeacherSees(teacher, 'server', 'ESTABLISHED');

    // Data both ways.
    const bytesIn = (page: Page) => page.locator('.play-me .endpoint-facts > div:last-child dd').textContent();
    await play(client, ['ACK', 'PSH'], 100);
    await expect.poll(() => bytesIn(server), WAIT).toBe('100');
    await play(server, ['ACK', 'PSH'], 50);
    await expect.poll(() => bytesIn(client), WAIT).toBe('50');
    await expect.poll(() => client.locator('.ladder ol li').allTextContents(), WAIT)
      .toContainEqual(expect.stringMatching(/server sent PSH\+ACK seq=\d+ ack=\d+ len=50; arrived at \d+, client stayed in ESTABLISHED\./));

    // The four-way teardown, client first.
    await play(client, ['FIN', 'ACK']);
    await untilTeacherSees(teacher, 'client', 'FIN_WAIT_1');
    await untilState(server, 'CLOSE_WAIT');
    await untilTeacherSees(teacher, 'server', 'CLOSE_WAIT');
    await play(server, ['ACK']);
    await untilState(client, 'FIN_WAIT_2');
    await untilTeacherSees(teacher, 'client', 'FIN_WAIT_2');
    await play(server, ['FIN', 'ACK']);
    await untilTeacherSees(teacher, 'server', 'LAST_ACK');
    await untilState(client, 'TIME_WAIT');
    await untilTeacherSees(teacher, 'client', 'TIME_WAIT');
    await play(client, ['ACK']);
    await untilState(server, 'CLOSED');
    await untilTeacherSees(teacher, 'server', 'CLOSED');
    // 2MSL (compressed) passes on the server's timer.
    await untilState(client, 'CLOSED');
    await untilTeacherSees(teacher, 'client', 'CLOSED');

    // The goal, the scores and the leaderboards.
    await expect.poll(() => client.locator('.play-me .banner-ok').textContent(), WAIT).toContain('Goal reached');
    await expect.poll(() => client.locator('#announcer').textContent(), WAIT).toContain('Goal reached! Wait for the next round.');
    const goal = teacher.locator('.pair-card .pair-facts > div', { has: teacher.locator('dt', { hasText: /^Goal$/ }) });
    await expect.poll(() => textNow(goal.locator('dd')), WAIT).toBe('✓ reached');
    await expect.poll(() => score(client), WAIT).toBeGreaterThan(0);
    await expect.poll(() => score(server), WAIT).toBeGreaterThan(0);
    // The teacher's board catches up with each student's own score.
    await expect.poll(() => onBoard(teacher, names.client, client), WAIT).toBe(ON_BOARD);
    await expect.poll(() => onBoard(teacher, names.server, server), WAIT).toBe(ON_BOARD);
    await expect.poll(() => textNow(client.locator('section[aria-labelledby="board-title"] tr.me')), WAIT).toContain(`${names.client} (you)`);
    // Nothing went wrong on the way.
    expect(await client.locator('.feedback-list .fb-wrong').count()).toBe(0);
    expect(await server.locator('.feedback-list .fb-wrong').count()).toBe(0);
  });

  it('a refused move shows its explanation, in Chinese for a student whose page is in Chinese', async () => {
    const { client, server, teacher } = await classOfTwo({ zhFor: 'server', scenario: 'handshake' });
    await expect.poll(() => server.locator('html').getAttribute('lang'), WAIT).toBe('zh-CN');
    // The server, LISTENing, tries to close a connection it does not have.
    await play(server, ['FIN']);
    const zh = refusalOf({ from: 'server', flags: ['FIN'], seq: 0, ack: 0, len: 0 }, 'zh-CN');
    expect(zh).toContain('你处于 LISTEN');
    await expect.poll(() => latestExplanation(server), WAIT).toBe(zh);
    await expect.poll(() => textNow(server.locator('.feedback-list > li.fb-latest .fb-tag')), WAIT).toBe('被拒绝：');
    // The English-speaking client's mistake is explained in English.
    await play(client, ['ACK']);
    const en = refusalOf({ from: 'client', flags: ['ACK'], seq: 0, ack: 0, len: 0 }, 'en');
    expect(en).toContain('You are in CLOSED');
    await expect.poll(() => latestExplanation(client), WAIT).toBe(en);
    // A refusal costs points and the teacher sees the mistake.
    await expect.poll(() => score(server), WAIT).toBeLessThan(0);
    await expect.poll(() => teacher.locator('.common-mistakes').textContent(), WAIT).toContain('segment/fin-before-established');
  });

  it('the teacher\'s grid shows the segment the wire lost', async () => {
    const { teacher, client } = await classOfTwo({ scenario: 'lost-segment', start: { client: 'ESTABLISHED', server: 'ESTABLISHED' } });
    await untilTeacherSees(teacher, 'client', 'ESTABLISHED');
    expect(await teacher.getByTestId('pair-lost').count()).toBe(0);
    // The scenario's wire loses the client's first data.
    await play(client, ['ACK', 'PSH'], 4);
    const lost = teacher.getByTestId('pair-lost');
    await expect.poll(() => textNow(lost.locator('dd')), WAIT).toMatch(/^✕ Client: PSH\+ACK seq=\d+ ack=\d+ len=4$/);
    const inFlight = teacher.locator('.pair-card .pair-facts > div', { has: teacher.locator('dt', { hasText: /^In flight$/ }) });
    expect(await textNow(inFlight.locator('dd'))).toBe('—');
  });

  it('the teacher sets the room\'s timers between rounds, held to the 2MSL rule, and they stay set', async () => {
    const { teacher } = await classOfTwo({ scenario: 'handshake' });
    const field = (name: string) => teacher.getByLabel(name, { exact: true });
    const latency = field('Wire latency (s)');
    const rto = field('Retransmission timeout, RTO (s)');
    const msl = field('TIME_WAIT, 2MSL (s)');
    // The room opened with the server's timers; during the round they cannot change.
    expect([await latency.inputValue(), await rto.inputValue(), await msl.inputValue()]).toEqual(['0.4', '5', '12']);
    expect(await msl.isDisabled()).toBe(true);
    await teacher.getByRole('button', { name: 'End the round' }).click();
    await expect.poll(() => msl.isDisabled(), WAIT).toBe(false);
    await latency.fill('1');
    await rto.fill('2');
    await msl.fill('7');
    await teacher.getByTestId('timers-save').click();
    // 2 × (2 + 2 × 1) = 8 s.
    await expect.poll(() => textNow(teacher.getByTestId('timers-problem')), WAIT).toContain('= 8 s');
    await msl.fill('8');
    await teacher.getByTestId('timers-save').click();
    await expect.poll(() => teacher.getByTestId('timers-problem').count(), WAIT).toBe(0);
    await expect.poll(() => textNow(teacher.locator('#timers-rule')), WAIT).toContain('now 8 s');
    // Logged by the server: a reload shows them.
    await teacher.reload();
    await expect.poll(() => field('TIME_WAIT, 2MSL (s)').inputValue().catch(() => ''), WAIT).toBe('8');
    expect([await field('Wire latency (s)').inputValue(), await field('Retransmission timeout, RTO (s)').inputValue()]).toEqual(['1', '2']);
    expect(await seriousViolations(teacher)).toEqual([]);
  });

  it('the teacher\'s screen comes back from a dropped connection with only what it missed, and follows the game on', async () => {
    // The teacher's socket goes through a switch the test can pull; its welcomes are kept.
    let cut = false;
    let live: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
    const welcomes: { since?: number; view?: unknown }[] = [];
    const { teacher, client, server } = await classOfTwo({
      beforeHost: (page) => page.routeWebSocket(/\/ws$/, (ws) => {
        if (cut) { void ws.close({ code: 4000, reason: 'test: network down' }); return; }
        const toServer = ws.connectToServer();
        toServer.onMessage((m) => {
          if (typeof m === 'string' && m.startsWith('{"type":"welcome"')) welcomes.push(JSON.parse(m) as { since?: number; view?: unknown });
          ws.send(m);
        });
        live = { page: ws, server: toServer };
      }),
    });
    await untilTeacherSees(teacher, 'server', 'LISTEN');
    cut = true;
    const l = live!;
    await l.server.close();
    await l.page.close({ code: 4000, reason: 'test: network down' });
    // The game goes on while the projector is away.
    await play(client, ['SYN']);
    await untilState(server, 'SYN_RECEIVED');
    cut = false;
    await untilTeacherSees(teacher, 'server', 'SYN_RECEIVED');
    // It came back with the view it held (a welcome with since and no view, then an update).
    expect(welcomes.length).toBeGreaterThanOrEqual(2);
    expect(welcomes.at(-1)).toMatchObject({ since: expect.any(Number) });
    expect(welcomes.at(-1)!.view).toBeUndefined();
    await play(server, ['SYN', 'ACK']);
    await untilTeacherSees(teacher, 'client', 'ESTABLISHED');
    expect(await teacher.locator('.host-seats tbody tr').count()).toBe(2);
  });

  it('a student reloads mid-round and carries on with the same seat, role and score', async () => {
    const { client, server, teacher, names } = await classOfTwo({ phoneFor: 'client', scenario: 'handshake' });
    await play(client, ['SYN']);
    await untilState(server, 'SYN_RECEIVED');
    await expect.poll(() => score(client), WAIT).toBeGreaterThan(0);
    const before = await score(client);
    await client.reload();
    await client.locator('.play-head').waitFor();
    await expect.poll(() => textNow(client.locator('.play-head .who')), WAIT).toBe(names.client);
    await expect.poll(() => roleOf(client), WAIT).toBe('client');
    await expect.poll(() => score(client), WAIT).toBe(before);
    await untilState(client, 'SYN_SENT');
    // The teacher still has two seats: the reload resumed, it did not join again.
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(2);
    await play(server, ['SYN', 'ACK']);
    await untilState(client, 'ESTABLISHED');
    await play(client, ['ACK']);
    await untilState(server, 'ESTABLISHED');
    await expect.poll(() => score(client), WAIT).toBeGreaterThan(before);
  });

  it('tells students when the connection is lost and when it is back, across a server restart', async () => {
    const { client, server } = await classOfTwo({ scenario: 'handshake' });
    await play(client, ['SYN']);
    await untilState(server, 'SYN_RECEIVED');
    // Down for 4 s: longer than the grace in which a drop goes unmentioned.
    const restarted = suite.app.restart(4000);
    await expect.poll(() => textNow(client.locator('[data-conn="lost"]')), WAIT).toContain('Connection lost. Reconnecting…');
    await expect.poll(() => client.locator('#announcer').textContent(), WAIT).toContain('Connection lost');
    await restarted;
    // Said for a few seconds only: the text is checked while it is there, not after.
    await expect.poll(() => textNow(client.locator('[data-conn="back"]')), WAIT).toContain('Connection is back.');
    // The game carries on where it was.
    await untilState(client, 'SYN_SENT');
    await play(server, ['SYN', 'ACK']);
    await untilState(client, 'ESTABLISHED');
  });

  it('one student plays a whole handshake with the keyboard alone', async () => {
    const { client, server } = await classOfTwo({ scenario: 'handshake' });
    const keys = client.keyboard;
    // The page's shortcuts work from anywhere: S picks SYN, Enter sends.
    await client.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await untilFocused(client, 'body');
    await keys.press('s');
    const syn = client.locator('form.composer').getByRole('button', { name: 'SYN', exact: true });
    await expect.poll(() => syn.getAttribute('aria-pressed'), WAIT).toBe('true');
    await keys.press('Enter');
    await untilState(client, 'SYN_SENT');
    await untilState(server, 'SYN_RECEIVED');
    await play(server, ['SYN', 'ACK']);
    await untilState(client, 'ESTABLISHED');
    // Tab to the ACK card, Space to pick it, Enter to send.
    await tabTo(client, 'form.composer button.card[aria-keyshortcuts="A"]');
    await expect.poll(() => client.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), WAIT).not.toBe('none');
    await keys.press('Space');
    const ack = client.locator('form.composer').getByRole('button', { name: 'ACK', exact: true });
    await expect.poll(() => ack.getAttribute('aria-pressed'), WAIT).toBe('true');
    await keys.press('Enter');
    await untilState(server, 'ESTABLISHED');
    expect(await client.locator('.feedback-list .fb-wrong').count()).toBe(0);
  });

  it('the teacher renames and removes a student; the removed student is told and their seat stops working', async () => {
    const { teacher, client, server, names } = await classOfTwo({ scenario: 'handshake' });
    const row = (name: string) => teacher.locator('.host-seats tbody tr', { hasText: name });
    const nameField = teacher.getByLabel(`New name for ${names.server}`);
    // Focus follows the teacher's actions: into the rename field, back to Rename, to the heading after a removal.
    // (Focus moves in an effect after the render: each is waited for, not read right after the click.)
    await row(names.server).getByRole('button', { name: `Rename ${names.server}` }).click();
    await untilFocusIsOn(nameField);
    expect(await nameField.getAttribute('id')).toMatch(/^rename-/);
    await teacher.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => focused(teacher), WAIT).toBe(`button: Rename ${names.server}`);
    await row(names.server).getByRole('button', { name: `Rename ${names.server}` }).click();
    await untilFocusIsOn(nameField);
    await expect.poll(() => nameField.inputValue(), WAIT).toBe(names.server);
    await nameField.fill('Lin B');
    await nameField.press('Enter');
    await expect.poll(() => server.locator('.play-head .who').textContent(), WAIT).toBe('Lin B');
    await expect.poll(() => focused(teacher), WAIT).toBe('button: Rename Lin B');
    // The round's buttons stay put: focus stays on the one pressed (Pause becomes Resume and back).
    await teacher.locator('#host-round-main').click();
    await expect.poll(() => teacher.locator('#host-round-main').textContent(), WAIT).toContain('Resume');
    await expect.poll(() => focused(teacher), WAIT).toContain('button#host-round-main');
    // The students hear it (screen readers: the live region).
    await expect.poll(() => client.locator('#announcer').textContent(), WAIT).toContain('The round is paused.');
    await teacher.locator('#host-round-main').click();
    await expect.poll(() => teacher.locator('#host-round-main').textContent(), WAIT).toContain('Pause');
    await expect.poll(() => focused(teacher), WAIT).toContain('button#host-round-main');
    await expect.poll(() => server.locator('#announcer').textContent(), WAIT).toContain('The round goes on.');

    teacher.once('dialog', (d) => { void d.accept(); });
    await row(names.client).getByRole('button', { name: `Remove ${names.client}` }).click();
    await expect.poll(() => textNow(client.locator('[data-conn="closed"]')), WAIT)
      .toContain('The teacher removed your seat from the room.');
    // Said to screen readers too; a final close is not "lost, reconnecting" (watched for longer
    // than the 1.5 s grace before "lost" would be said).
    await expect.poll(() => client.locator('#announcer').textContent(), WAIT).toContain('The teacher removed your seat from the room.');
    await neverWithin(client, 2000, '"Connection lost" after a final close', () =>
      document.querySelector('[data-conn="lost"]') !== null || (document.getElementById('announcer')?.textContent ?? '').includes('Connection lost'));
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(1);
    await expect.poll(() => focused(teacher), WAIT).toMatch(/^h2#seats-title: /);
    // A reload does not bring the seat back: the stored token no longer works.
    await client.reload();
    await expect.poll(() => client.locator('main').textContent(), WAIT).toMatch(/removed your seat|no seat in room/);
    expect(await client.locator('.play-head').count()).toBe(0);
  });

  it('a student without storage keeps their seat across drops; removed while away, they are told why on coming back', async () => {
    const { page: teacher } = await person({ viewport: PROJECTOR });
    const code = await hostClass(teacher, suite.app.url);
    const { page: kim } = await person({ viewport: PHONE });
    // No localStorage at all (a locked-down school suite.browser): the seat token lives only in the page.
    await kim.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('storage is disabled', 'SecurityError'); } });
    });
    // The student's socket goes through a switch the test can pull.
    let cut = false;
    let live: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
    await kim.routeWebSocket(/\/ws$/, (ws) => {
      if (cut) { void ws.close({ code: 4000, reason: 'test: network down' }); return; }
      live = { page: ws, server: ws.connectToServer() };
    });
    const drop = async () => {
      cut = true;
      const l = live!;
      live = null;
      await l.server.close();
      await l.page.close({ code: 4000, reason: 'test: network down' });
    };
    const row = () => teacher.locator('.host-seats tbody tr', { hasText: 'Kim' });
    await joinByCode(kim, suite.app.url, code, 'Kim');
    await expect.poll(() => row().locator('.presence').textContent(), WAIT).toBe('online');

    // A drop and a return: the same seat resumes (no second seat, no "join" under the same name).
    await drop();
    await expect.poll(() => row().locator('.presence').textContent(), WAIT).toBe('away');
    cut = false;
    await expect.poll(() => row().locator('.presence').textContent(), WAIT).toBe('online');
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(1);
    await expect.poll(() => textNow(kim.locator('.play-head .who')), WAIT).toBe('Kim');

    // Away again; the teacher removes the seat meanwhile.
    await drop();
    await expect.poll(() => row().locator('.presence').textContent(), WAIT).toBe('away');
    teacher.once('dialog', (d) => { void d.accept(); });
    await row().getByRole('button', { name: 'Remove Kim' }).click();
    await expect.poll(() => row().count(), WAIT).toBe(0);
    cut = false;
    // Coming back, the resume is refused: no stale table, the reason, and no fresh seat
    // offered (only the way to the start page).
    await expect.poll(() => kim.getByRole('alert').textContent().catch(() => null), WAIT).toContain('The teacher removed your seat from this room.');
    expect(await kim.locator('.play-head').count()).toBe(0);
    await expect.poll(() => kim.getByRole('link', { name: 'Back to the start page' }).count(), WAIT).toBe(1);
    expect(await kim.getByRole('link', { name: 'Join the room' }).count()).toBe(0);
    // It does not keep trying: the teacher's list stays empty.
    await neverWithin(teacher, 1500, 'a seat in the teacher\'s list after the removal', () => document.querySelector('.host-seats tbody tr') !== null);
  });

  it('joining again under another nickname takes a fresh seat; "Continue as" resumes the stored one', async () => {
    const { page: teacher } = await person({ viewport: PROJECTOR });
    const code = await hostClass(teacher, suite.app.url);
    const { page: student } = await person();
    await joinByCode(student, suite.app.url, code, 'Max');
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(1);
    // Back to the start page without a reload (the session for the room is still open).
    await student.evaluate((c) => { location.hash = `#/join/${c}`; }, code);
    await student.getByRole('link', { name: 'Continue as Max' }).waitFor();
    await student.getByLabel('Nickname').first().fill('Mia');
    await student.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => student.locator('.play-head .who').textContent().catch(() => null), WAIT).toBe('Mia');
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(2);
    // The stored seat is now Mia's: "Continue as Mia" resumes it, after a reload too.
    await student.goto(`${suite.app.url}/join/${code}`);
    await student.getByRole('link', { name: 'Continue as Mia' }).click();
    await expect.poll(() => student.locator('.play-head .who').textContent().catch(() => null), WAIT).toBe('Mia');
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(2);
  });

  it('two friends practise: one opens a practice room and sends the link, the other joins, they play, swap roles; the room can be reopened by its key', async () => {
    const { page: ada } = await person({ viewport: PHONE });
    await ada.goto(`${suite.app.url}/`);
    await ada.locator('input[name="practice-nickname"]').fill('Ada');
    await ada.getByRole('button', { name: 'Open a practice room' }).click();
    await ada.locator('.play-head').waitFor();
    const shareLink = ada.locator('section[aria-labelledby="practice-title"] a');
    await expect.poll(() => textNow(shareLink), WAIT).toMatch(/\/join\/[A-Z0-9]{6}$/);
    const link = (await shareLink.textContent())!;
    await expect.poll(() => textNow(ada.locator('.waiting')), WAIT).toContain('Waiting for a partner');

    const { page: lin } = await person();
    await lin.goto(link);
    await lin.getByLabel('Nickname').first().fill('Lin');
    await lin.getByRole('button', { name: 'Join' }).click();
    await lin.locator('.play-head').waitFor();
    // A practice room pairs its two players at once; either may start a round.
    await expect.poll(async () => [await roleOf(ada), await roleOf(lin)].sort(), WAIT).toEqual(['client', 'server']);
    const adaRole = await roleOf(ada);
    const linRole = await roleOf(lin);
    await lin.locator('#practice-round-scenario').selectOption('handshake');
    await lin.getByRole('button', { name: 'Start the round' }).click();
    const byRole = { [adaRole]: ada, [linRole]: lin } as Record<Side, Page>;
    await untilState(byRole.client, 'CLOSED');
    await play(byRole.client, ['SYN']);
    await untilState(byRole.server, 'SYN_RECEIVED');
    await play(byRole.server, ['SYN', 'ACK']);
    await untilState(byRole.client, 'ESTABLISHED');
    await play(byRole.client, ['ACK']);
    await untilState(byRole.server, 'ESTABLISHED');
    await expect.poll(() => ada.locator('.play-me .banner-ok').count(), WAIT).toBe(1);
    // Next round with roles swapped.
    await ada.getByRole('button', { name: 'End the round' }).click();
    await expect.poll(() => ada.getByRole('button', { name: 'Swap roles' }).count(), WAIT).toBe(1);
    await ada.getByRole('button', { name: 'Swap roles' }).click();
    await expect.poll(() => roleOf(ada), WAIT).toBe(linRole);
    await ada.getByRole('button', { name: 'Start the next round' }).click();
    await untilState(byRole.client, 'LISTEN'); // the former client now serves
    // Ada holds the room's key: the start page lists the room and reopens it.
    await ada.goto(`${suite.app.url}/#/`);
    const code = link.slice(-6);
    await ada.locator('.keys-list a', { hasText: code }).click();
    await expect.poll(() => ada.locator('main h1').textContent(), WAIT).toBe(`Practice room ${code}`);
    await expect.poll(() => ada.locator('.pair-card').count(), WAIT).toBe(1);
  });

  it('every page passes axe (no serious or critical violations) in English and Chinese, and screenshots are written', async () => {
    const { teacher, client, server } = await classOfTwo({ phoneFor: 'client' });
    await play(client, ['SYN']);
    await untilState(server, 'SYN_RECEIVED');
    await play(server, ['FIN']); // a refusal, so the feedback shows one
    await play(server, ['SYN', 'ACK']);
    await untilState(client, 'ESTABLISHED');
    const pages: Array<[string, Page]> = [['host-projector', teacher], ['play-phone-client', client], ['play-laptop-server', server]];
    for (const lang of ['en', 'zh-CN'] as const) {
      for (const [name, page] of pages) {
        await page.getByLabel('Language · 语言').selectOption(lang);
        await expect.poll(() => page.locator('html').getAttribute('lang'), WAIT).toBe(lang);
        expect(await seriousViolations(page), `${name} in ${lang}`).toEqual([]);
        await page.screenshot({ path: new URL(`${name}-${lang}.png`, OUT).pathname, fullPage: true });
      }
      // The start page (with "your rooms") and the join link page. Every page has a main h1:
      // wait for this page's own (the previous page's is there until the route has rendered).
      await teacher.goto(`${suite.app.url}/#/`);
      await teacher.locator('main.page-start h1').waitFor();
      await expect.poll(() => teacher.locator('.room-list').count(), WAIT).toBeGreaterThan(0);
      expect(await seriousViolations(teacher), `start in ${lang}`).toEqual([]);
      await teacher.screenshot({ path: new URL(`start-projector-${lang}.png`, OUT).pathname });
      await client.goto(`${suite.app.url}/join/ABCDEF`);
      await client.locator('main.page-start h1').waitFor();
      await expect.poll(() => client.getByLabel(/^(Room code|房间代码)$/).first().inputValue(), WAIT).toBe('ABCDEF');
      expect(await seriousViolations(client), `join in ${lang}`).toEqual([]);
      await client.screenshot({ path: new URL(`join-phone-${lang}.png`, OUT).pathname, fullPage: true });
      // Back to the pages for the other language: the host's screen with its pair, the student's table.
      await teacher.goBack();
      await client.goBack();
      await teacher.locator('main.page-host .pair-card').waitFor();
      await client.locator('main.page-play .play-head').waitFor();
    }
    const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
    await expect.poll(() => scrollWidth(client), { ...WAIT, message: 'the student table fits a 360-pixel phone' }).toBeLessThanOrEqual(PHONE.width);
    // The other sizes: the host screen on a phone, the student table on a projector (large text).
    await teacher.setViewportSize(PHONE);
    await expect.poll(() => scrollWidth(teacher), { ...WAIT, message: 'the host screen fits a phone' }).toBeLessThanOrEqual(PHONE.width);
    await teacher.screenshot({ path: new URL('host-phone-zh-CN.png', OUT).pathname, fullPage: true });
    await client.setViewportSize(PROJECTOR);
    await client.getByLabel('大字号').check();
    await client.screenshot({ path: new URL('play-projector-large-zh-CN.png', OUT).pathname });
  });
});
