/**
 * The student table's feedback lines, from the ladder in their view: what they sent, what was
 * refused, what reached them and their own timers. Never that a segment was lost: a real
 * endpoint does not learn that (the view has no such entry), its retransmission timer tells
 * it, and that is what is said, with the segment to send again at levels 1–2. Pure.
 */
import type { LadderEntry } from '../../../shared/game/views.ts';
import type { Segment, Side, TcpState } from '../../../shared/tcp/types.ts';
import type { FeedbackItem } from './feedback.ts';

/** A student view's game, as much of it as the feedback needs. */
export interface FeedbackSource {
  level: 1 | 2 | 3;
  side: Side;
  state: TcpState;
  ladder: readonly LadderEntry[];
}

/** Sequence space a segment takes: its data, and one each for SYN and FIN. */
const occupies = (s: Pick<Segment, 'flags' | 'len'>) => s.len + (s.flags.includes('SYN') ? 1 : 0) + (s.flags.includes('FIN') ? 1 : 0);
/** `a` comes after `b` in sequence space (mod 2^32). */
const after = (a: number, b: number) => ((a - b) | 0) > 0;

/**
 * The segment `side`'s retransmission timer found unacknowledged: the oldest it sent that
 * takes sequence space and that no segment reaching it has acknowledged yet (its latest copy).
 */
export function unacknowledged(sent: readonly Segment[], acked: number | null): Segment | null {
  const oldest = sent.find((s) => occupies(s) > 0 && (acked === null || after((s.seq + occupies(s)) >>> 0, acked)));
  if (!oldest) return null;
  return [...sent].reverse().find((s) => s.seq === oldest.seq && occupies(s) > 0) ?? oldest;
}

/** Feedback lines from the view's ladder, in order. */
export function feedbackFromLadder({ level, side, state, ladder }: FeedbackSource): FeedbackItem[] {
  const items: FeedbackItem[] = [];
  const sent: Segment[] = [];
  let acked: number | null = null;
  for (const e of ladder) {
    switch (e.kind) {
      case 'sent':
        if (e.segment.from === side) {
          const { id: _id, ...segment } = e.segment;
          sent.push(segment);
          items.push({ id: e.logSeq, kind: 'sent', side, segment });
        }
        break;
      case 'refused':
        items.push({ id: e.logSeq, kind: 'refused', side, segment: e.segment, code: e.code, facts: e.facts });
        break;
      case 'arrived': {
        const a = e.arrival;
        if (a.outcome === 'accepted' && a.segment.flags.includes('ACK') && (acked === null || after(a.segment.ack, acked))) acked = a.segment.ack;
        items.push({ id: e.logSeq, kind: 'arrival', arrival: a });
        break;
      }
      case 'timer':
        if (e.timer === 'time-wait') items.push({ id: e.logSeq, kind: 'timer', side: e.side, state });
        // Level 3 says only that the timer expired: which segment to resend is the student's work.
        else items.push({ id: e.logSeq, kind: 'rtx', side: e.side, segment: level < 3 ? unacknowledged(sent, acked) : null });
        break;
      case 'delivered':
        break;
    }
  }
  return items;
}
