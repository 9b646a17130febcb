/**
 * The conformance corpus (shared/tcp/corpus: segments real TCP stacks sent and accepted,
 * copied from the course's shared/protocol/corpus with its README and converter) replays
 * with every step legal. It is test data in this repository, so a fresh clone runs it: a
 * missing or empty folder fails, it is never skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace } from './trace.ts';

const corpusDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');

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

const files = existsSync(corpusDir) ? jsonFiles(corpusDir) : [];

describe('conformance corpus (shared/tcp/corpus)', () => {
  it('is in the repository and holds traces', () => {
    expect(existsSync(corpusDir), `${corpusDir} is missing`).toBe(true);
    expect(files.length, `no *.json under ${corpusDir}`).toBeGreaterThan(0);
  });

  it('holds exactly the traces its README lists', () => {
    const readme = readFileSync(path.join(corpusDir, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+\.json)` \|/gm)].map((m) => m[1]!).sort();
    expect(files.map((f) => path.basename(f)).sort()).toEqual(listed);
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
