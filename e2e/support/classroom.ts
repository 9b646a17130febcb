/** Driving the start page, the student table and the teacher's host screen as people do. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Flag, Side } from '../../shared/tcp/types.ts';
import { PHONE, PROJECTOR } from './browser.ts';
import type { BrowserSuite } from './suite.ts';
import { textNow, WAIT } from './wait.ts';

/** The teacher opens a class from the start page; returns the room code shown on the projector. */
export async function hostClass(page: Page, baseUrl: string): Promise<string> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: /^(Host a class|创建班级)$/ }).click();
  const shown = page.locator('.join-code [aria-hidden="true"]');
  await expect.poll(async () => (await textNow(shown))?.trim(), WAIT).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
  return (await shown.textContent())!.trim();
}

/** A student joins with the code and a nickname from the start page. */
export async function joinByCode(page: Page, baseUrl: string, code: string, nickname: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel(/^(Room code|房间代码)$/).first().fill(code);
  await page.getByLabel(/^(Nickname|昵称)$/).first().fill(nickname);
  await page.getByRole('button', { name: /^(Join|加入)$/ }).click();
  await page.locator('.play-head').waitFor();
}

/** The student's role once paired (it reads the badge once it is there: poll it to wait for a change). */
export async function roleOf(page: Page): Promise<Side> {
  await page.locator('.play-head .role-badge').waitFor();
  return (await page.locator('.play-head .role-badge').getAttribute('data-role')) as Side;
}

export const myState = (page: Page): Promise<string | null> => page.locator('.play-me .state-badge-value').textContent();

/** Wait until the student's own endpoint is in `state`. */
export async function untilState(page: Page, state: string): Promise<void> {
  await expect.poll(() => myState(page).catch(() => null), WAIT).toBe(state);
}

/** Wait until the teacher's grid shows `side` of the (only) pair in `state`. */
export async function untilTeacherSees(page: Page, side: Side, state: string): Promise<void> {
  await expect.poll(() => page.locator(`.pair-card .pair-state[data-side="${side}"]`).first().textContent().catch(() => null), WAIT).toBe(state);
}

/**
 * Build and send a card by clicking (from a cleared hand); `len` bytes of data when given.
 * Resolves once the server has answered: the Send button is no longer busy (an accepted move
 * has cleared the hand, so the answer cannot clear the next card being built) and the view
 * with the move in it has come (the feedback grew; an arrival alone does not end the wait).
 */
export async function play(page: Page, flags: Flag[], len = 0): Promise<void> {
  const hand = page.locator('form.composer');
  const send = hand.locator('button[type="submit"]');
  await hand.getByRole('button', { name: /^(Clear|清除)$/ }).click();
  const count = async () => Number(await page.locator('section.feedback').getAttribute('data-count'));
  const before = await count();
  for (const f of flags) {
    const card = hand.getByRole('button', { name: f, exact: true });
    await card.click();
    await expect.poll(() => card.getAttribute('aria-pressed'), WAIT).toBe('true');
  }
  if (len) await hand.getByLabel(/^(Data \(bytes\)|数据（字节）)$/).fill(String(len));
  await send.click();
  await expect.poll(async () => ({ busy: await send.getAttribute('aria-busy'), grew: (await count()) > before }), WAIT)
    .toEqual({ busy: 'false', grew: true });
}

/** The text of the newest feedback line's explanation. */
export const latestExplanation = (page: Page): Promise<string | null> => page.locator('.feedback-list > li.fb-latest .fb-explanation').textContent();

/** A teacher and a paired client and server, each on their own page, in a running round. */
export interface Table { teacher: Page; code: string; client: Page; server: Page; names: Record<Side, string> }

export interface TableOptions {
  scenario?: string;
  zhFor?: Side;
  phoneFor?: Side;
  /** The states the scenario starts in (CLOSED and LISTEN by default). */
  start?: Record<Side, string>;
  beforeHost?: (teacher: Page) => Promise<void>;
}

/**
 * A teacher hosts; two students join (the first by the join link); the teacher pairs them by
 * hand and starts a round, and both students see their starting state.
 */
export async function classOfTwo(suite: BrowserSuite, opts: TableOptions = {}): Promise<Table> {
  const { page: teacher } = await suite.person({ viewport: PROJECTOR });
  await opts.beforeHost?.(teacher);
  const code = await hostClass(teacher, suite.app.url);
  const names: Record<Side, string> = { client: `Ada${code.slice(0, 3)}`, server: `Lin${code.slice(0, 3)}` };
  const pages = {} as Record<Side, Page>;
  for (const side of ['client', 'server'] as const) {
    const { page } = await suite.person({
      locale: opts.zhFor === side ? 'zh-CN' : 'en-US',
      viewport: opts.phoneFor === side ? PHONE : { width: 1280, height: 900 },
    });
    if (side === 'client') {
      // The join link on the projector fills the code in.
      await page.goto(`${suite.app.url}/join/${code}`);
      await expect.poll(() => page.getByLabel(/^(Room code|房间代码)$/).first().inputValue(), WAIT).toBe(code);
      await page.getByLabel(/^(Nickname|昵称)$/).first().fill(names[side]);
      await page.getByRole('button', { name: /^(Join|加入)$/ }).click();
      await page.locator('.play-head').waitFor();
    } else {
      await joinByCode(page, suite.app.url, code, names[side]);
    }
    pages[side] = page;
  }
  await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(2);
  const pairForm = teacher.locator('form.manual-pair');
  await pairForm.getByLabel('Client').selectOption({ label: names.client });
  await pairForm.getByLabel('Server').selectOption({ label: names.server });
  await pairForm.getByRole('button', { name: 'Pair them' }).click();
  await teacher.locator('.pair-card').waitFor();
  if (opts.scenario) await teacher.locator('#host-round-scenario').selectOption(opts.scenario);
  await teacher.getByRole('button', { name: 'Start the round' }).click();
  await expect.poll(() => roleOf(pages.client), WAIT).toBe('client');
  await expect.poll(() => roleOf(pages.server), WAIT).toBe('server');
  await untilState(pages.client, opts.start?.client ?? 'CLOSED');
  await untilState(pages.server, opts.start?.server ?? 'LISTEN');
  return { teacher, code, client: pages.client, server: pages.server, names };
}
