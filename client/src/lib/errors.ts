/** Server and client error codes in the reader's language (the server's English message as a fallback). */
import type { MessageKey, Translate } from '../i18n/index.tsx';

const KNOWN = [
  'room/not-found', 'room/closed', 'room/full', 'nickname/empty', 'nickname/too-long', 'nickname/bad-characters', 'nickname/taken',
  'auth/bad-key', 'auth/bad-token', 'seat/removed', 'move/stale-state', 'move/round-not-running', 'move/not-paired',
  'move/game-finished', 'rate/limited', 'client/offline', 'client/timeout', 'pair/none-free', 'pair/in-game', 'round/already-running',
] as const;

/** The words for an error code. */
export function errorText(code: string, message: string, t: Translate): string {
  return (KNOWN as readonly string[]).includes(code) ? t(`err.${code}` as MessageKey) : t('err.generic', { message });
}
