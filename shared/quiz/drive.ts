/**
 * Plays planned segments through the shared machine: each is sent with the numbers a correct
 * endpoint puts on it (`autoNumbers`) and delivered at once. The number questions read their
 * answers from what this sends, and the bank's tests replay order questions with it.
 */
import { autoNumbers, initialConnection, step } from '../tcp/machine.ts';
import type { Connection, ReasonCode, Segment, Side } from '../tcp/types.ts';
import type { PlannedSegment } from './types.ts';

export type Driven =
  | { ok: true; connection: Connection; sent: Segment[] }
  /** `index`: the planned segment that was refused on sending, or ignored on arrival. */
  | { ok: false; index: number; code: ReasonCode | 'arrival/ignored'; connection: Connection };

/** Sends and delivers each planned segment in turn; stops at the first one refused or not accepted. */
export function sendAndDeliver(start: Connection, planned: readonly PlannedSegment[], isn: Record<Side, number>): Driven {
  let conn = start;
  const sent: Segment[] = [];
  for (const [index, p] of planned.entries()) {
    const ep = conn[p.from];
    const n = autoNumbers(ep, p.flags, isn[p.from]);
    const segment: Segment = { from: p.from, flags: [...p.flags], seq: n.seq, ack: n.ack, len: p.len ?? 0 };
    const s = step(conn, { type: 'send', segment });
    if (!s.ok) return { ok: false, index, code: s.code, connection: conn };
    const d = step(s.connection, { type: 'deliver', from: p.from });
    if (!d.ok) return { ok: false, index, code: d.code, connection: conn };
    if (d.arrival?.outcome !== 'accepted') return { ok: false, index, code: 'arrival/ignored', connection: conn };
    conn = d.connection;
    sent.push(segment);
  }
  return { ok: true, connection: conn, sent };
}

/** The three segments of a handshake, client first. */
export const HANDSHAKE: readonly PlannedSegment[] = [
  { from: 'client', flags: ['SYN'] },
  { from: 'server', flags: ['SYN', 'ACK'] },
  { from: 'client', flags: ['ACK'] },
];

/** Both ends ESTABLISHED after a handshake with these ISNs, or the refusal (never, for a correct machine). */
export function establishedWith(isn: Record<Side, number>): Driven {
  return sendAndDeliver(initialConnection(), HANDSHAKE, isn);
}
