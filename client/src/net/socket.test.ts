import { describe, expect, it } from 'vitest';
import { backoffDelay } from './socket.ts';

const o = { minDelayMs: 600, growth: 1.6, maxDelayMs: 10_000 };

describe('backoffDelay', () => {
  it('grows from the first delay to the cap', () => {
    const mid = () => 0.5; // no jitter
    expect(backoffDelay(0, o, mid)).toBe(600);
    expect(backoffDelay(1, o, mid)).toBe(960);
    expect(backoffDelay(3, o, mid)).toBe(Math.round(600 * 1.6 ** 3));
    expect(backoffDelay(20, o, mid)).toBe(10_000);
  });

  it('jitters each delay between half and one and a half times its base', () => {
    expect(backoffDelay(0, o, () => 0)).toBe(300);
    expect(backoffDelay(0, o, () => 0.999999)).toBe(900);
    expect(backoffDelay(30, o, () => 0.999999)).toBe(15_000);
  });
});
