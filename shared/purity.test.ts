/** shared/ is pure: no I/O, no clock, no randomness, no timers (time and randomness come in events). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.dirname(fileURLToPath(import.meta.url));
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"]node:/, 'a node: import'],
  [/from\s+['"](fs|path|os|crypto|ws|express|better-sqlite3)['"]/, 'an I/O module'],
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew\s+Date\s*\(/, 'new Date()'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'a timer'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
  // ("window" is a TCP word, so it is not checked.)
  [/\b(document|localStorage|sessionStorage)\.|\b(fetch|XMLHttpRequest|WebSocket)\s*\(/, 'the DOM or the network'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

it('shared/ source files use no I/O, clock, randomness or timers', () => {
  const files = sources(root);
  expect(files.length).toBeGreaterThan(5);
  const found: string[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const [re, what] of FORBIDDEN) if (re.test(text)) found.push(`${path.relative(root, f)}: ${what}`);
  }
  expect(found).toEqual([]);
});
