/**
 * Replays every trace under shared/tcp/traces/ with replayTrace and compares every step's
 * `expect` ({client, server, ok}). A refused step names its reason in its note
 * ("reason: segment/…"), which must be the reason the machine gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace, type Trace } from './trace.ts';
import { REASON_CODES, type ReasonCode } from './types.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'traces');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

function load(file: string): Trace {
  const parsed = parseTrace(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  return parsed.trace;
}

const reasonIn = (note: string | undefined): string | undefined => note?.match(/reason: (\S+)/)?.[1];

describe('our own traces (shared/tcp/traces)', () => {
  it('include the cases issue 2 lists, legal and illegal', () => {
    for (const name of [
      'handshake.json', 'lifecycle.json', 'server-closes-first.json', 'simultaneous-open.json',
      'simultaneous-close.json', 'half-close.json', 'fin-on-data.json', 'three-way-close.json',
      'retransmission.json', 'fast-retransmit.json', 'lost-final-ack.json', 'syn-retransmission.json',
      'rst-closed-port.json', 'rst-stray-segment.json', 'rst-syn-received.json', 'rst-syn-sent.json',
      'rst-out-of-window.json', 'rst-abort.json', 'wraparound.json',
      'refused-ack-before-synack.json', 'refused-ack-off-by-one.json', 'refused-ack-off-by-one-fin.json',
      'refused-seq-not-advanced.json', 'refused-data-after-fin.json', 'refused-fin-before-synchronized.json',
      'refused-synack-without-syn.json', 'refused-bare-syn-answer.json', 'refused-send-after-reset.json',
      'refused-ack-unreceived.json',
    ]) expect(files).toContain(name);
  });

  for (const file of files) {
    it(file, () => {
      const trace = load(file);
      const { lines } = replayTrace(trace);
      expect(lines).toHaveLength(trace.steps.length);
      trace.steps.forEach((s, i) => {
        const line = lines[i];
        const where = `${file} step ${i}`;
        // Every step of our traces says what it expects, all three parts.
        expect(s.expect, where).toBeDefined();
        expect(Object.keys(s.expect ?? {}).sort(), where).toEqual(['client', 'ok', 'server']);
        expect({ client: line?.client, server: line?.server, ok: line?.ok }, where).toEqual(s.expect);
        const reason = reasonIn(s.note);
        if (s.expect?.ok === false) {
          expect(reason, `${where}: a refused step names its reason in its note`).toBeDefined();
          expect(line?.reason, where).toBe(reason);
          expect(line?.message, where).toBeTruthy();
          // An illegal step leaves both states as they were.
          const prev = i === 0 ? initialStates(trace) : lines[i - 1];
          expect({ client: line?.client, server: line?.server }, where).toEqual({ client: prev?.client, server: prev?.server });
        } else {
          expect(reason, `${where}: a legal step names no reason`).toBeUndefined();
        }
      });
      // A refused-*.json trace is there to show a refusal.
      if (file.startsWith('refused-')) expect(lines.some((l) => !l.ok), file).toBe(true);
    });
  }

  it('together refuse with every reason code a trace can carry (all but segment/invalid, which the schema stops)', () => {
    const seen = new Set<string>();
    for (const file of files) for (const s of load(file).steps) {
      const r = reasonIn(s.note);
      if (r) seen.add(r);
    }
    const missing = REASON_CODES.filter((c: ReasonCode) => c !== 'segment/invalid' && !seen.has(c));
    expect(missing).toEqual([]);
    for (const r of seen) expect(REASON_CODES as readonly string[]).toContain(r);
  });
});

function initialStates(trace: Trace) {
  return { client: trace.initial?.client ?? 'CLOSED', server: trace.initial?.server ?? 'LISTEN' };
}
