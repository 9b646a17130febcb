/** docs/protocol.md must name every message, error code and close code, and show the current examples. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  CLIENT_MESSAGE_TYPES, CLOSE_CODES, ERROR_CODE_VALUES, EXAMPLES, MAX_FRAME_BYTES, NICKNAME_MAX, PROTOCOL_VERSION,
} from '../shared/protocol.ts';
import { REASON_CODES } from '../shared/tcp/types.ts';
import { PROTOCOL_DOC, documentedExamples, renderExamples } from './protocol-doc.ts';

const doc = readFileSync(PROTOCOL_DOC, 'utf8');
const mentions = (name: string) => doc.includes(`\`${name}\``);

describe('docs/protocol.md', () => {
  it('has a section for every client message type', () => {
    for (const type of CLIENT_MESSAGE_TYPES) expect(doc, type).toContain(`### \`${type}\``);
  });

  it('has a section for every server message type', () => {
    const types = new Set(Object.values(EXAMPLES.server).map((m) => m.type));
    expect(types.size).toBeGreaterThanOrEqual(5);
    for (const type of types) expect(doc, type).toContain(`### \`${type}\``);
  });

  it('shows every example of shared/protocol.ts, exactly as it is now', () => {
    const shown = documentedExamples(doc);
    expect(new Set(shown.client)).toEqual(new Set(Object.keys(EXAMPLES.client)));
    expect(new Set(shown.server)).toEqual(new Set(Object.keys(EXAMPLES.server)));
    // If this fails, run: npx tsx server/protocol-doc.ts --write
    expect(renderExamples(doc)).toBe(doc);
  });

  it('lists every error code, move reason code and close code', () => {
    for (const code of ERROR_CODE_VALUES) expect(mentions(code), code).toBe(true);
    for (const code of REASON_CODES) expect(mentions(code), code).toBe(true);
    for (const [name, code] of Object.entries(CLOSE_CODES)) {
      expect(doc, name).toMatch(new RegExp(`\\| ${code} \\| \`${name}\` \\|`));
    }
  });

  it('states the limits and the version the code uses', () => {
    expect(doc).toContain(`**${MAX_FRAME_BYTES}** UTF-8 bytes`);
    expect(doc).toContain(`1–${NICKNAME_MAX} characters`);
    expect(doc).toContain(`protocol version\n**${PROTOCOL_VERSION}**`);
  });
});
