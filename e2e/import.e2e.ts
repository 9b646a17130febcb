/**
 * Importing a Wireshark capture in real Chromium: the file is read in the page, its TCP
 * connections are listed, and one opens in the replay view, judged by the shared machine
 * (a real loss-and-retransmit capture is legal; its relative numbers are shown).
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.ts';
import { PHONE, PROJECTOR, type newPerson } from './support/browser.ts';
import { browserSuite, OUT } from './support/suite.ts';
import { WAIT } from './support/wait.ts';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'capture', 'testdata');
const suite = browserSuite({ failOnPageErrors: false });

async function importPage(opts: Parameters<typeof newPerson>[1] = {}): Promise<{ page: Page; errors: string[] }> {
  const p = await suite.person(opts);
  await p.page.goto(`${suite.app.url}/#/import`);
  await p.page.locator('main.page-import h1').waitFor();
  return { page: p.page, errors: p.errors };
}

describe('importing a capture', () => {
  it('a lost and retransmitted segment: listed, opened, judged legal to the end, with relative numbers', async () => {
    const { page, errors } = await importPage({ viewport: PROJECTOR });
    await page.getByTestId('capture-file').setInputFiles(path.join(DATA, 'retransmit.pcap'));
    await expect.poll(() => page.locator('.import-streams .stream-card').count(), WAIT).toBe(1);
    await expect.poll(() => page.locator('.import-streams [role="status"]').textContent(), WAIT).toMatch(/1 TCP connection/);
    await page.getByRole('button', { name: 'Open stream 0' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('import-replay-title');
    await expect.poll(() => page.getByTestId('replay-caption').textContent(), WAIT).toMatch(/^Step 0 of \d+/);
    // Step through with the keyboard: End goes to the last step.
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('replay-caption').textContent(), WAIT).toMatch(/^Step (\d+) of \1/);
    await expect.poll(() => page.getByTestId('replay-state-client').textContent(), WAIT).toMatch(/TIME_WAIT|CLOSED/);
    await expect.poll(() => page.getByTestId('replay-state-server').textContent(), WAIT).toBe('CLOSED');
    // No step of a real Linux capture is refused: the retransmission is judged as Wireshark does.
    const total = Number((await page.getByTestId('replay-caption').textContent())!.match(/of (\d+)/)![1]);
    for (let k = 0; k < total; k++) {
      await page.keyboard.press(k === 0 ? 'Home' : 'ArrowRight');
      await expect.poll(() => page.getByTestId('replay-caption').textContent(), WAIT).toMatch(new RegExp(`^Step ${k} of`));
      expect(await page.getByTestId('replay-caption').textContent(), `step ${k}`).not.toMatch(/refused/);
    }
    // A segment sent shows Wireshark's relative numbers beside the absolute ones.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.replay-facts').textContent(), WAIT).toContain('seq=0 ack=0');
    await page.screenshot({ path: new URL('import-retransmit-projector.png', OUT).pathname, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('two interleaved connections in a pcapng file, in Chinese on a phone; the notes of what was ignored are in Chinese', async () => {
    const { page } = await importPage({ locale: 'zh-CN', viewport: PHONE });
    await page.getByTestId('capture-file').setInputFiles(path.join(DATA, 'interleaved.pcapng'));
    await expect.poll(() => page.locator('.import-streams .stream-card').count(), WAIT).toBe(2);
    await page.getByRole('button', { name: '打开第 1 条流' }).click();
    await expect.poll(() => page.locator('#import-replay-title').textContent(), WAIT).toContain('第 1 条流');
    await expect.poll(() => page.getByTestId('replay-caption').textContent(), WAIT).toMatch(/^第 0 步/);
    await expect.poll(() => page.locator('.replay-ignored').textContent().catch(() => ''), WAIT).toMatch(/忽略|略去|按普通 ACK/);
    await page.screenshot({ path: new URL('import-interleaved-phone-zh.png', OUT).pathname, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
  });

  it('a file that is not a capture gets a clear error, and nothing is uploaded', async () => {
    const { page } = await importPage();
    const requests: string[] = [];
    page.on('request', (r) => { if (r.method() !== 'GET') requests.push(`${r.method()} ${r.url()}`); });
    const junk = path.join(tmpdir(), 'synack-not-a-capture.pcap');
    writeFileSync(junk, 'this is not a capture, only text\n'.repeat(10));
    await page.getByTestId('capture-file').setInputFiles(junk);
    await expect.poll(() => page.getByTestId('capture-error').textContent().catch(() => null), WAIT).toContain('it is not a pcap or pcapng file');
    expect(await page.locator('.import-streams').count()).toBe(0);
    expect(requests).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
