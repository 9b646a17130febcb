/** Driving the sandbox page (#/sandbox) the way a person does: by its buttons and fields. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Flag, Side } from '../../shared/tcp/types.ts';
import { WAIT } from './wait.ts';

export const hand = (page: Page, side: Side): Locator => page.locator(`form.composer[data-side="${side}"]`);
export const card = (page: Page, side: Side, flag: Flag): Locator => hand(page, side).getByRole('button', { name: flag, exact: true });
export const stateOf = (page: Page, side: Side): Promise<string | null> => page.locator(`.side-${side} .state-badge-value`).textContent();
export const lane = (page: Page, from: Side): Locator => page.locator(`.wire-from-${from}`);
/** The segments in flight from `from`, oldest first, as "SYN+ACK seq=300 ack=101". */
export const inFlight = (page: Page, from: Side): Promise<string[]> =>
  lane(page, from).locator('.wire-seg').evaluateAll((els) => els.map((e) => e.getAttribute('data-label') ?? ''));
export const latestFeedback = (page: Page): Locator => page.locator('.feedback-list > li.fb-latest');
/** How many feedback lines there are (shown or not). */
export const feedbackCount = async (page: Page): Promise<number> => Number(await page.locator('section.feedback').getAttribute('data-count'));

/** Wait until `side`'s endpoint is in `state`. */
export async function untilState(page: Page, side: Side, state: string): Promise<void> {
  await expect.poll(() => stateOf(page, side), WAIT).toBe(state);
}

/** Press flag cards, then Send. */
export async function sendByClicking(page: Page, side: Side, flags: Flag[]): Promise<void> {
  for (const f of flags) await card(page, side, f).click();
  await hand(page, side).getByRole('button', { name: /^(Send|发送)$/ }).click();
}

/** Deliver the oldest segment in flight from `from`. */
export async function deliver(page: Page, from: Side): Promise<void> {
  await lane(page, from).getByRole('button', { name: /Deliver|送达/ }).click();
}

/**
 * Press Tab (or Shift+Tab) until the focused element matches `selector`; fail after `max` presses.
 * Tab moves the focus as part of the key press, so each look follows the press it checks.
 */
export async function tabTo(page: Page, selector: string, { back = false, max = 80 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  const where = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`Tab never reached ${selector} in ${max} presses (focus is on ${where})`);
}
