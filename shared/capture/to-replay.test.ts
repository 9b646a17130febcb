import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../tcp/trace.ts';
import { readCapture, streamTrace } from './capture.ts';
import { streamReplay } from './to-replay.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const streamOf = (name: string, n = 0) => {
  const r = readCapture(new Uint8Array(readFileSync(path.join(dir, name))));
  if (!r.ok) throw new Error(r.code);
  const st = streamTrace(r.capture, n);
  if (!st.ok) throw new Error(st.code);
  return st;
};

describe('a capture stream in the replay view', () => {
  it.each(['normal-close.pcap', 'retransmit.pcap', 'refused.pcap', 'half-close.pcapng', 'ipv6.pcap'])('%s: every step judged as replay judges it, ending in the same states', (name) => {
    const st = streamOf(name);
    const replay = streamReplay(st, name);
    const judged = replayTrace(st.trace);
    const refusedSteps = replay.steps.filter((s) => s.verdict && !s.verdict.ok).length;
    expect(refusedSteps).toBe(judged.lines.filter((l) => !l.ok).length);
    const last = replay.steps.at(-1)!;
    expect([last.endpoints.client.state, last.endpoints.server.state]).toEqual([judged.connection.client.state, judged.connection.server.state]);
    expect(replay.source).toBe('capture');
    expect(replay.names).toEqual({ client: st.client, server: st.server });
  });

  it('each segment sent carries its frame, time and Wireshark\'s relative numbers', () => {
    const st = streamOf('normal-close.pcap');
    const sends = streamReplay(st, 'x').steps.filter((s) => s.event?.kind === 'send');
    expect(sends.length).toBe(st.segments.filter((s) => s.step !== null).length);
    expect(sends[0]).toMatchObject({ relative: { seq: 0 }, packet: { number: st.segments[0]!.frame } });
    expect(sends.every((s) => s.packet && s.relative)).toBe(true);
    // The SYN+ACK's relative ack is 1: the client's SYN took one sequence number.
    expect(sends[1]!.relative).toEqual({ seq: 0, ack: 1 });
  });
});
