/**
 * Keeps docs/protocol.md's examples equal to shared/protocol.ts's EXAMPLES. Each example in
 * the document sits under a marker `<!-- example client hello -->` (or `server welcome`);
 * `npx tsx server/protocol-doc.ts --write` refreshes every block, and a test fails when
 * the document and the module disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLES } from '../shared/protocol.ts';

export const PROTOCOL_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'protocol.md');

const MARKER = /<!-- example (client|server) ([^>]+?) -->\n```json\n[\s\S]*?\n```/g;

/** The JSON block for one example: client messages on one line, server messages indented. */
export function exampleBlock(side: 'client' | 'server', name: string): string | null {
  const table = EXAMPLES[side] as Record<string, unknown>;
  if (!Object.hasOwn(table, name)) return null;
  const json = side === 'client' ? JSON.stringify(table[name]) : JSON.stringify(table[name], null, 2);
  return `<!-- example ${side} ${name} -->\n\`\`\`json\n${json}\n\`\`\``;
}

/** The document with every example block rewritten from EXAMPLES (unknown names are left as they are). */
export function renderExamples(doc: string): string {
  return doc.replace(MARKER, (whole, side: 'client' | 'server', name: string) => exampleBlock(side, name) ?? whole);
}

/** The example names the document has a block for. */
export function documentedExamples(doc: string): { client: string[]; server: string[] } {
  const out = { client: [] as string[], server: [] as string[] };
  for (const m of doc.matchAll(MARKER)) out[m[1] as 'client' | 'server'].push(m[2]!);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const doc = readFileSync(PROTOCOL_DOC, 'utf8');
  const next = renderExamples(doc);
  if (process.argv.includes('--write')) {
    writeFileSync(PROTOCOL_DOC, next);
    console.log(next === doc ? 'docs/protocol.md: examples already current' : 'docs/protocol.md: examples rewritten');
  } else {
    console.log(next === doc ? 'docs/protocol.md: examples current' : 'docs/protocol.md: examples differ; run with --write');
    process.exitCode = next === doc ? 0 : 1;
  }
}
