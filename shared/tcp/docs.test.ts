/** docs/tcp-machine.md stays accurate: its tables match the explanation catalogue and the states. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainIgnored, explainRefusal } from './reasons.ts';
import { IGNORE_REASONS, REASON_CODES, TCP_STATES, type RefusalFacts } from './types.ts';

const doc = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'tcp-machine.md'), 'utf8');
/** Facts whose values are the placeholders themselves: the explanation comes back as its template. */
const raw = { state: '{state}', expected: '{expected}', given: '{given}', field: '{field}' } as unknown as RefusalFacts;
const row = (code: string, text: string) => `| \`${code}\` | ${text.replace(/\|/g, '\\|')} |`;

describe('docs/tcp-machine.md', () => {
  it('lists every reason code with its exact English text', () => {
    for (const code of REASON_CODES) expect(doc).toContain(row(code, explainRefusal(code, raw, 'en')));
  });

  it('lists every ignore reason with its exact English text', () => {
    for (const why of IGNORE_REASONS) expect(doc).toContain(row(why, explainIgnored(why, '{state}', 'en')));
  });

  it('describes every state', () => {
    for (const st of TCP_STATES) expect(doc).toMatch(new RegExp(`^\\| ${st} \\|`, 'm'));
  });

  it('names no reason code the machine does not have', () => {
    const named = [...doc.matchAll(/`((?:segment|wire)\/[a-z-]+)`/g)].map((m) => m[1]);
    for (const code of named) expect(REASON_CODES as readonly (string | undefined)[]).toContain(code);
  });
});
