/**
 * `npm run --silent replay -- FILE`: judge a TCP trace with the shared state machine.
 * Prints one JSON line per step; exits 0 if every step was legal, 1 if any was not,
 * 2 if the file cannot be read or is not a valid trace.
 */
import { readFileSync } from 'node:fs';
import { parseTrace, replayTrace } from '../shared/tcp/trace.ts';

function main(argv: string[]): number {
  const file = argv[0];
  if (!file) {
    process.stderr.write('usage: npm run --silent replay -- FILE\n');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    process.stderr.write(`${file} is not JSON: ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const parsed = parseTrace(json);
  if (!parsed.ok) {
    process.stderr.write(`${file}: ${parsed.error}\n`);
    return 2;
  }
  const { lines } = replayTrace(parsed.trace);
  process.stdout.write(lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
  return lines.every((l) => l.ok) ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
