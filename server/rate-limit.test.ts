import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limit.ts';

describe('token bucket', () => {
  it('allows a burst, then refills at the rate', () => {
    const b = new TokenBucket(20, 40, 0);
    let allowed = 0;
    for (let i = 0; i < 100; i++) if (b.take(0)) allowed++;
    expect(allowed).toBe(40);
    expect(b.take(0)).toBe(false);
    expect(b.take(50)).toBe(true); // 50 ms at 20/s = one token
    expect(b.take(50)).toBe(false);
    let later = 0;
    for (let i = 0; i < 100; i++) if (b.take(10_050)) later++;
    expect(later).toBe(40); // capped at the burst
  });
});
