/** 32-bit sequence-number arithmetic (RFC 9293 section 3.4): everything wraps mod 2^32. */

/** a + n mod 2^32. */
export const seqAdd = (a: number, n: number): number => (a + n) >>> 0;
/** The signed distance a - b, valid while the two are within 2^31 of each other. */
export const seqDiff = (a: number, b: number): number => (a - b) | 0;
/** a < b in sequence space. */
export const seqLt = (a: number, b: number): boolean => seqDiff(a, b) < 0;
/** a ≤ b in sequence space. */
export const seqLe = (a: number, b: number): boolean => seqDiff(a, b) <= 0;
/** True when n is an unsigned 32-bit integer. */
export const isU32 = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
