/**
 * Replays every trace under shared/tcp/traces/ with replayTrace and compares every step's
 * `expect` ({client, server, ok}). The traces are plain trace format v1; a trace with
 * refused steps says which and why at the end of its description
 * ("Refused: step 2 (segment/ack-off-by-one), …"), and the machine must give that reason.
 * refused-*.json traces show refusals; every other trace is wholly legal (replay exits 0).
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

/** Step index → reason, from "Refused: step 2 (segment/…), step 5 (…)." in the description. */
function refusedIn(trace: Trace): Map<number, string> {
  const list = trace.description?.match(/Refused: (.*)\.$/)?.[1] ?? '';
  return new Map([...list.matchAll(/step (\d+) \(([a-z]+\/[a-z-]+)\)/g)].map((m) => [Number(m[1]), m[2] as string]));
}

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
      'refused-ack-unreceived.json', 'refused-ack-off-by-one-wrap.json',
    ]) expect(files).toContain(name);
  });

  for (const file of files) {
    it(file, () => {
      const trace = load(file);
      const { lines } = replayTrace(trace);
      const refused = refusedIn(trace);
      expect(lines).toHaveLength(trace.steps.length);
      trace.steps.forEach((s, i) => {
        const line = lines[i];
        const where = `${file} step ${i}`;
        // Every step of our traces says what it expects, all three parts.
        expect(s.expect, where).toBeDefined();
        expect(Object.keys(s.expect ?? {}).sort(), where).toEqual(['client', 'ok', 'server']);
        expect({ client: line?.client, server: line?.server, ok: line?.ok }, where).toEqual(s.expect);
        const reason = refused.get(i);
        if (s.expect?.ok === false) {
          expect(reason, `${where}: the description names this refused step's reason`).toBeDefined();
          expect(line?.reason, where).toBe(reason);
          expect(line?.message, where).toBeTruthy();
          // An illegal step leaves both states as they were.
          const prev = i === 0 ? initialStates(trace) : lines[i - 1];
          expect({ client: line?.client, server: line?.server }, where).toEqual({ client: prev?.client, server: prev?.server });
        } else {
          expect(reason, `${where}: the description names a refusal for a legal step`).toBeUndefined();
        }
      });
      expect(lines.some((l) => !l.ok), `${file}: refused-*.json refuse something, the others nothing`)
        .toBe(file.startsWith('refused-'));
    });
  }

  it('together refuse with every reason code a trace can carry (all but segment/invalid, which the schema stops)', () => {
    const seen = new Set<string>();
    for (const file of files) for (const r of refusedIn(load(file)).values()) seen.add(r);
    const missing = REASON_CODES.filter((c: ReasonCode) => c !== 'segment/invalid' && !seen.has(c));
    expect(missing).toEqual([]);
    for (const r of seen) expect(REASON_CODES as readonly string[]).toContain(r);
  });
});

function initialStates(trace: Trace) {
  return { client: trace.initial?.client ?? 'CLOSED', server: trace.initial?.server ?? 'LISTEN' };
}
