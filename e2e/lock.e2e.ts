/**
 * The teacher locks the class once everyone is in, and a removed student's browser says it
 * was removed: real Chromium, the real server, one browser context per person.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite, OUT } from './support/suite.ts';
import { seriousViolations } from './support/axe.ts';
import { PHONE, PROJECTOR } from './support/browser.ts';
import { hostClass, joinByCode } from './support/classroom.ts';
import { WAIT } from './support/wait.ts';

const suite = browserSuite({ failOnPageErrors: false });
const { person } = suite;

describe('locking the room', () => {
  it('a locked room turns a late joiner away with the reason; a seated student still reconnects; unlocking lets them in', async () => {
    const { page: teacher } = await person({ viewport: PROJECTOR });
    const code = await hostClass(teacher, suite.app.url);
    const { page: ada } = await person();
    await joinByCode(ada, suite.app.url, code, 'Ada');
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(1);

    const toggle = teacher.getByTestId('lock-toggle');
    await expect.poll(() => teacher.getByTestId('lock-state').textContent(), WAIT).toContain('Open: new students can join');
    await toggle.click();
    await expect.poll(() => teacher.getByTestId('lock-state').textContent(), WAIT).toContain('Locked: new students cannot join');
    await expect.poll(() => toggle.textContent(), WAIT).toBe('Unlock the room');
    // The button keeps the focus while its words change.
    await expect.poll(() => teacher.evaluate(() => document.activeElement?.getAttribute('data-testid')), WAIT).toBe('lock-toggle');
    await teacher.screenshot({ path: new URL('host-locked-projector.png', OUT).pathname });

    const { page: late } = await person({ locale: 'zh-CN', viewport: PHONE });
    await late.goto(`${suite.app.url}/join/${code}`);
    await late.locator('input[name="nickname"]').fill('迟到的');
    await late.getByRole('button', { name: '加入' }).click();
    await expect.poll(() => late.locator('#join-error').textContent().catch(() => null), WAIT).toContain('老师已锁定这个房间');
    await late.screenshot({ path: new URL('join-locked-phone-zh.png', OUT).pathname });
    expect(await seriousViolations(late)).toEqual([]);

    // Ada reloads: her seat resumes, lock or not.
    await ada.reload();
    await ada.locator('.play-head').waitFor();
    await expect.poll(() => ada.locator('.play-head .who').textContent(), WAIT).toBe('Ada');

    expect(await seriousViolations(teacher)).toEqual([]);
    await toggle.click();
    await expect.poll(() => teacher.getByTestId('lock-state').textContent(), WAIT).toContain('Open: new students can join');
    await late.getByRole('button', { name: '加入' }).click();
    await late.locator('.play-head').waitFor();
    await expect.poll(() => teacher.locator('.host-seats tbody tr').count(), WAIT).toBe(2);
  });
});

describe('a removed student', () => {
  it('is told they were removed, even on the start page, and is not offered a fresh seat; their nickname stays taken', async () => {
    const { page: teacher } = await person({ viewport: PROJECTOR });
    const code = await hostClass(teacher, suite.app.url);
    const { page: sam } = await person();
    await joinByCode(sam, suite.app.url, code, 'Sam');
    const row = teacher.locator('.host-seats tbody tr', { hasText: 'Sam' });
    await row.waitFor();
    teacher.once('dialog', (d) => { void d.accept(); });
    await row.getByRole('button', { name: 'Remove Sam' }).click();
    await expect.poll(() => sam.locator('[data-conn="closed"]').textContent().catch(() => null), WAIT)
      .toContain('The teacher removed your seat from the room.');

    // The table page after a reload: the reason, and no "Join the room" button.
    await sam.reload();
    await expect.poll(() => sam.locator('[data-testid="session-error"]').textContent().catch(() => null), WAIT)
      .toContain('The teacher removed your seat (Sam)');
    expect(await sam.getByRole('link', { name: 'Join the room' }).count()).toBe(0);

    // The join link on the projector: the same, and Join is off for this room.
    await sam.goto(`${suite.app.url}/join/${code}`);
    await expect.poll(() => sam.getByTestId('join-removed').textContent().catch(() => null), WAIT).toContain('The teacher removed you (Sam)');
    await expect.poll(() => sam.getByRole('button', { name: 'Join', exact: true }).isDisabled(), WAIT).toBe(true);
    expect(await seriousViolations(sam)).toEqual([]);
    await sam.screenshot({ path: new URL('start-removed.png', OUT).pathname });

    // Another browser cannot take "Sam" back either.
    const { page: other } = await person();
    await other.goto(`${suite.app.url}/join/${code}`);
    await other.locator('input[name="nickname"]').fill('sam');
    await other.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => other.locator('#join-error').textContent().catch(() => null), WAIT).toContain('That nickname is taken in this room');
  });
});
