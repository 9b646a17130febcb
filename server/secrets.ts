/** Server-side randomness and hashing: room codes, teacher keys, seat tokens, ISNs. */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Join-code alphabet: no look-alikes (0/O, 1/I/L), so a code read off a projector is typed right. */
export const ROOM_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ROOM_CODE_LENGTH = 6;

/** A fresh six-character room code. */
export function newRoomCode(): string {
  let code = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++) code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

/** A fresh secret (teacher key or seat token): 24 random bytes, base64url. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** SHA-256 hex of a secret: the only form in which keys and tokens are stored or logged. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two hashes (hex strings). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A uniform random number in [0, 1) from the crypto source (ISNs, pairings). */
export function cryptoRandom(): number {
  return randomBytes(6).readUIntBE(0, 6) / 2 ** 48;
}
