/** Server and client error codes in the reader's language (the server's English message as a fallback). */
import en from '../i18n/en.ts';
import type { MessageKey, Translate } from '../i18n/index.tsx';

/** The words for an error code: its `err.<code>` message when the catalogue has one. */
export function errorText(code: string, message: string, t: Translate): string {
  const key = `err.${code}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey, { message }) : t('err.generic', { message });
}
