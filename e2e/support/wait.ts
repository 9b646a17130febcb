/**
 * Waiting for the page instead of reading it once: on a loaded machine a render, an effect
 * (focus moves in one), a socket message or a timer lands later than the action that caused
 * it, so every check polls for its condition. Nothing here sleeps to make a test pass.
 */
import { errors, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** How long a check waits for its condition, and how often it looks. */
export const WAIT = { timeout: 15_000, interval: 100 } as const;

/** The element that has the focus, as "tag#id: text" (empty when nothing has it). */
export const focused = (page: Page): Promise<string> => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${el.textContent?.trim() ?? ''}` : '';
});

/** Wait until the focused element matches `selector` (a failure says where the focus is instead). */
export async function untilFocused(page: Page, selector: string): Promise<void> {
  await expect.poll(() => page.evaluate((sel) => {
    const el = document.activeElement;
    return el?.matches(sel) ? sel : `focus on ${el?.outerHTML.slice(0, 120) ?? 'nothing'}`;
  }, selector), WAIT).toBe(selector);
}

/** Wait until the focused element is the one `locator` finds. */
export async function untilFocusIsOn(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((el) => el === document.activeElement).catch(() => false), WAIT).toBe(true);
}

/** The text of what `locator` finds now, or null while it finds nothing (it does not wait: poll it). */
export async function textNow(locator: Locator): Promise<string | null> {
  return (await locator.count()) === 0 ? null : locator.textContent({ timeout: 1000 });
}

/**
 * Something that must not happen: watched in the page (every 50 ms) for `ms`, the time in
 * which it would have happened, so even a brief appearance fails the test.
 */
export async function neverWithin(page: Page, ms: number, what: string, happened: () => boolean): Promise<void> {
  const seen = await page.waitForFunction(happened, undefined, { timeout: ms, polling: 50 }).then(
    () => true,
    (e: unknown) => { if (e instanceof errors.TimeoutError) return false; throw e; },
  );
  expect(seen, `${what} within ${ms} ms`).toBe(false);
}
