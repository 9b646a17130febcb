/**
 * The ladder (flow graph) as data: one entry per segment sent, per refused move and per
 * timer. Built from the sandbox's steps and from the ladder in a student's view; `at` is
 * whatever time unit the page uses (a step number in the sandbox, the room log's sequence number on the table).
 */
import type { LadderEntry as ViewLadderEntry } from '../../../shared/game/views.ts';
import type { Arrival, IgnoreReason, InFlight, ReasonCode, Segment, Side, TcpState } from '../../../shared/tcp/types.ts';

export type SegmentEnd =
  | { at: number; outcome: 'accepted'; before: TcpState; after: TcpState }
  | { at: number; outcome: 'ignored'; state: TcpState; why: IgnoreReason }
  | { at: number; outcome: 'lost' }
  /** It reached the partner; what it did there is the partner's to know. */
  | { at: number; outcome: 'delivered' };

export type LadderEntry =
  | { kind: 'segment'; id: number; from: Side; segment: Segment; sentAt: number; end?: SegmentEnd }
  | { kind: 'refused'; from: Side; segment: Segment; at: number; code: ReasonCode }
  | { kind: 'timer'; side: Side; at: number; timer: 'rtx' | 'time-wait'; state?: TcpState };

/** A segment went on the wire. */
export const ladderSent = (entries: LadderEntry[], sent: InFlight, at: number): LadderEntry[] =>
  [...entries, { kind: 'segment', id: sent.id, from: sent.segment.from, segment: sent.segment, sentAt: at }];

/** A move was refused before it reached the wire. */
export const ladderRefused = (entries: LadderEntry[], segment: Segment, code: ReasonCode, at: number): LadderEntry[] =>
  [...entries, { kind: 'refused', from: segment.from, segment, at, code }];

/** A segment's journey ended: it arrived (and was accepted or ignored) or was lost. */
export function ladderEnded(entries: LadderEntry[], id: number, end: SegmentEnd): LadderEntry[] {
  return entries.map((e) => (e.kind === 'segment' && e.id === id ? { ...e, end } : e));
}

/** The end a delivered segment's arrival stands for. */
export function endOfArrival(arrival: Arrival, at: number): SegmentEnd {
  return arrival.outcome === 'accepted'
    ? { at, outcome: 'accepted', before: arrival.before, after: arrival.after }
    : { at, outcome: 'ignored', state: arrival.state, why: arrival.why };
}

/** A student view's ladder (shared/game/views.ts) as entries to draw; times are log sequence numbers. */
export function ladderFromView(view: readonly ViewLadderEntry[]): LadderEntry[] {
  let out: LadderEntry[] = [];
  for (const e of view) {
    switch (e.kind) {
      case 'sent': {
        const { id, ...segment } = e.segment;
        out = ladderSent(out, { id, segment }, e.logSeq);
        break;
      }
      case 'refused': out = ladderRefused(out, e.segment, e.code, e.logSeq); break;
      case 'arrived': out = ladderEnded(out, e.arrival.id, endOfArrival(e.arrival, e.logSeq)); break;
      case 'delivered': out = ladderEnded(out, e.id, { at: e.logSeq, outcome: 'delivered' }); break;
      case 'timer': out = [...out, { kind: 'timer', side: e.side, at: e.logSeq, timer: e.timer }]; break;
    }
  }
  return out;
}
