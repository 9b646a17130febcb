/**
 * The conformance corpus (../shared/protocol/corpus beside the checkout: segments real TCP
 * stacks sent and accepted) replays with every step legal. Skipped only when that folder
 * does not exist; its files are never copied into this repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace } from './trace.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'protocol', 'corpus');

/** Every *.json below dir, relative to it, sorted. */
function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...jsonFiles(full).map((f) => path.join(name, f)));
    else if (name.endsWith('.json')) out.push(name);
  }
  return out.sort();
}

describe.skipIf(!existsSync(corpusDir))(`conformance corpus (${corpusDir})`, () => {
  const files = existsSync(corpusDir) ? jsonFiles(corpusDir) : [];

  it('holds traces', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file}: every step legal`, () => {
      const parsed = parseTrace(JSON.parse(readFileSync(path.join(corpusDir, file), 'utf8')));
      if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
      const { lines } = replayTrace(parsed.trace);
      expect(lines).toHaveLength(parsed.trace.steps.length);
      const refused = lines.filter((l) => !l.ok).map((l) => `step ${l.step}: ${l.reason} ${l.message}`);
      expect(refused).toEqual([]);
    });
  }
});
