/**
 * shared/ is pure (conventions, habit 1): the same code runs in the browser, on the server
 * and in replays, so it may not do I/O, read the clock, draw random numbers, run timers or
 * touch the DOM. This test scans every .ts under shared/ except tests and fails on any of it.
 * Comments and string contents are left out of the scan ("window" is a TCP word too), and so
 * are property names (`seg.window`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sharedDir = path.dirname(fileURLToPath(import.meta.url));

/** Node's own modules, with and without the node: prefix ("fs", "node:fs", "fs/promises"). */
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Packages that do I/O: the server's, never shared's. */
const IO_PACKAGES = ['ws', 'express', 'better-sqlite3'];

/** The code without comments and without the contents of string and template literals. */
export function stripCommentsAndStrings(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === '\'' || c === '`') {
      // Keep the quotes (module specifiers are checked separately), drop what is inside.
      out += c;
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\') i++;
        else if (src[i] === '\n') out += '\n';
        i++;
      }
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const FORBIDDEN: { what: string; re: RegExp }[] = [
  { what: 'Date.now', re: /\bDate\s*\.\s*now\b/ },
  { what: 'new Date', re: /\bnew\s+Date\b/ },
  { what: 'Math.random', re: /\bMath\s*\.\s*random\b/ },
  { what: 'crypto randomness', re: /\bcrypto\s*\.\s*(getRandomValues|randomUUID)\b/ },
  { what: 'performance.now', re: /\bperformance\s*\.\s*now\b/ },
  { what: 'setTimeout', re: /(?<![.\w$])setTimeout\b/ },
  { what: 'setInterval', re: /(?<![.\w$])setInterval\b/ },
  { what: 'setImmediate', re: /(?<![.\w$])setImmediate\b/ },
  { what: 'queueMicrotask', re: /(?<![.\w$])queueMicrotask\b/ },
  { what: 'process.', re: /(?<![.\w$])process\s*\./ },
  { what: 'window', re: /(?<![.\w$])window\b(?!\s*:)/ },
  { what: 'document', re: /(?<![.\w$])document\b(?!\s*:)/ },
  { what: 'localStorage', re: /(?<![.\w$])(localStorage|sessionStorage)\b/ },
  { what: 'fetch', re: /(?<![.\w$])fetch\s*\(/ },
  { what: 'XMLHttpRequest', re: /(?<![.\w$])XMLHttpRequest\b/ },
  { what: 'WebSocket', re: /\bnew\s+WebSocket\b/ },
  { what: 'require', re: /(?<![.\w$])require\s*\(/ },
];

/** Module specifiers imported or re-exported by a source file (static and dynamic). */
export function importedModules(src: string): string[] {
  const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  for (const re of [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ]) for (const m of code.matchAll(re)) specs.push(m[1] as string);
  return specs;
}

/** What is impure in one source text. */
export function violations(src: string): string[] {
  const found: string[] = [];
  for (const spec of importedModules(src)) {
    const pkg = spec.split('/')[0] as string;
    if (spec.startsWith('node:') || builtins.has(spec) || IO_PACKAGES.includes(pkg)) found.push(`imports ${spec}`);
  }
  const code = stripCommentsAndStrings(src);
  for (const { what, re } of FORBIDDEN) if (re.test(code)) found.push(what);
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (/\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out.sort();
}

describe('shared/ is pure', () => {
  const files = sourceFiles(sharedDir);

  it('finds the shared sources (the scan is not looking at an empty folder)', () => {
    const rel = files.map((f) => path.relative(sharedDir, f));
    expect(rel).toContain(path.join('tcp', 'machine.ts'));
    expect(rel).not.toContain('purity.test.ts');
  });

  it('no .ts under shared/ (tests excepted) does I/O, reads the clock, draws randomness, runs timers or touches the DOM', () => {
    const bad = files
      .map((f) => ({ file: path.relative(sharedDir, f), found: violations(readFileSync(f, 'utf8')) }))
      .filter((v) => v.found.length > 0)
      .map((v) => `${v.file}: ${v.found.join(', ')}`);
    expect(bad).toEqual([]);
  });

  it('the scanner catches each forbidden use (so the test above can fail)', () => {
    const samples: [string, string][] = [
      ["import { readFileSync } from 'node:fs';", 'imports node:fs'],
      ["import fs from 'fs';", 'imports fs'],
      ["export * from 'node:path';", 'imports node:path'],
      ["const m = await import('node:crypto');", 'imports node:crypto'],
      ["import 'node:process';", 'imports node:process'],
      ['const t = Date.now();', 'Date.now'],
      ['const d = new Date(0);', 'new Date'],
      ['const r = Math.random();', 'Math.random'],
      ['setTimeout(() => 1, 5);', 'setTimeout'],
      ['const h = setInterval(f, 5);', 'setInterval'],
      ['if (process.env.X) {}', 'process.'],
      ['window.alert(1);', 'window'],
      ['const el = document.body;', 'document'],
      ['const id = crypto.randomUUID();', 'crypto randomness'],
      ["import { WebSocket } from 'ws';", 'imports ws'],
      ['queueMicrotask(f);', 'queueMicrotask'],
      ["localStorage.setItem('k', 'v');", 'localStorage'],
      ["const s = new WebSocket('ws://x');", 'WebSocket'],
      ['const n = performance.now();', 'performance.now'],
    ];
    for (const [src, want] of samples) expect(violations(src), src).toContain(want);
  });

  it('the scanner ignores the same words in comments, strings and property names', () => {
    const clean = [
      '// never call Date.now() or Math.random() here; no setTimeout, no window',
      '/* process.env and document.title are for the server and the client */',
      "const text = 'outside the receive window: no new Date, no process.exit';",
      'const t = `a ${"document"} in a template`;',
      'const seg = { window: 5 }; const w = seg.window; const p = obj.process.x;',
      "import { step } from './machine.ts';",
    ];
    for (const src of clean) expect(violations(src), src).toEqual([]);
  });
});
