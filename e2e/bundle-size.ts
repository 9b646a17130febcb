// `npx tsx e2e/bundle-size.ts`: prints the gzipped size of the JavaScript and CSS that index.html loads (the student
// page's entry and everything it imports statically), and fails above the budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/client', import.meta.url));
const BUDGET_KB = 80;
const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
const refs = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
let js = 0;
let css = 0;
const seen = new Set<string>();
const visit = (file: string): void => {
  if (seen.has(file)) return;
  seen.add(file);
  const text = readFileSync(path.join(DIST, file));
  const gz = gzipSync(text, { level: 9 }).length;
  if (file.endsWith('.css')) css += gz; else js += gz;
  if (file.endsWith('.js')) {
    // Static imports of other chunks (dynamic import() chunks are loaded only on their page).
    for (const m of text.toString().matchAll(/(?:^|[;\n])\s*import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(`assets/${m[1]}`);
  }
};
refs.forEach(visit);
// The teacher's pages are chunks of their own: none of their code may reach the student page.
const LAZY_MARKERS = { 'the replay': 'replay-controls', 'the class overview': 'misc-teach', 'past classes': 'past-list' };
const entryJs = [...seen].filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(DIST, f), 'utf8')).join('\n');
const leaked = Object.entries(LAZY_MARKERS).filter(([, marker]) => entryJs.includes(marker)).map(([page]) => page);
if (leaked.length) {
  console.error(`bundle: the start page loads code of ${leaked.join(', ')}: import those pages lazily (lazyPage in main.tsx)`);
  process.exit(1);
}
const kb = (n: number) => (n / 1024).toFixed(1);
console.log(`bundle: start page JavaScript ${kb(js)} KB gzipped (budget ${BUDGET_KB} KB), CSS ${kb(css)} KB gzipped, ${seen.size} files`);
if (js / 1024 > BUDGET_KB) {
  console.error(`bundle: over budget by ${kb(js - BUDGET_KB * 1024)} KB`);
  process.exit(1);
}
