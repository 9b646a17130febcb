/** Every error code the server can send has words in both languages. */
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_VALUES } from '../../../shared/protocol.ts';
import { errorText } from '../lib/errors.ts';
import en from './en.ts';
import { translator } from './index.tsx';
import zhCN from './zh-CN.ts';

describe('error messages', () => {
  it.each(ERROR_CODE_VALUES)('%s has a message in English and in Chinese', (code) => {
    const key = `err.${code}`;
    expect(Object.hasOwn(en, key), `en: ${key}`).toBe(true);
    expect(Object.hasOwn(zhCN, key), `zh-CN: ${key}`).toBe(true);
    expect(errorText(code, 'x', translator('zh-CN'))).toBe(zhCN[key as keyof typeof zhCN].replace('{message}', 'x'));
  });

  it('fall back to the server\'s words for a code the catalogue does not know', () => {
    expect(errorText('made/up', 'it broke', translator('en'))).toBe('Something went wrong: it broke');
  });
});
