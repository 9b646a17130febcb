import { describe, expect, it } from 'vitest';
import type { Segment, Side } from '../../../shared/tcp/types.ts';
import type { LadderEntry } from './ladder.ts';
import { BASE_ROW, boxesMeet, layoutLadder, textWidth } from './ladder-layout.ts';

const seg = (from: Side, flags: Segment['flags'], seq: number, ack: number, len = 0): Segment => ({ from, flags, seq, ack, len });
const arrow = (id: number, s: Segment, sentAt: number, at: number): LadderEntry =>
  ({ kind: 'segment', id, from: s.from, segment: s, sentAt, end: { at, outcome: 'delivered' } });
const note = () => '✗ FIN · refused';

/** Every pair of placed labels (and notes) that meet. */
function meetings(entries: LadderEntry[]): Array<[number, number]> {
  const boxes = layoutLadder(entries, note).labels.flatMap((l) => [l.label.box, ...(l.note ? [l.note.box] : [])]);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (boxesMeet(boxes[i]!, boxes[j]!)) out.push([i, j]);
  return out;
}

describe('layoutLadder', () => {
  it('keeps the usual row height when nothing is close', () => {
    const l = layoutLadder([arrow(1, seg('client', ['SYN'], 100, 0), 1, 2), arrow(2, seg('server', ['SYN', 'ACK'], 300, 101), 3, 4)], note);
    expect(l.rowHeight).toBe(BASE_ROW);
    expect(l.labels[0]!.label.y).toBeLessThan(l.labels[1]!.label.y);
  });

  it('keeps labels apart when a FIN follows three-line data within one latency (both arrive at the same time too)', () => {
    const data = seg('client', ['PSH', 'ACK'], 601, 5001, 1000);
    const fin = seg('client', ['FIN', 'ACK'], 1601, 5001);
    expect(meetings([arrow(1, data, 1, 3), arrow(2, fin, 2, 4)])).toEqual([]);
    expect(meetings([arrow(1, data, 1, 3), arrow(2, fin, 2, 3)])).toEqual([]);
  });

  it('keeps labels apart in a simultaneous open at level 3 (ten-digit numbers), with a segment still in flight', () => {
    const c = seg('client', ['SYN'], 4_000_000_001, 0);
    const s = seg('server', ['SYN'], 3_999_999_999, 0);
    const inFlight: LadderEntry = { kind: 'segment', id: 3, from: 'client', segment: seg('client', ['SYN', 'ACK'], 4_000_000_001, 4_000_000_000), sentAt: 4 };
    expect(meetings([arrow(1, c, 1, 3), arrow(2, s, 2, 3), inFlight])).toEqual([]);
  });

  it('keeps an arrow\'s label off a refusal\'s note in a row it crosses', () => {
    const refused: LadderEntry = { kind: 'refused', from: 'client', segment: seg('client', ['FIN'], 101, 0), at: 2, code: 'segment/fin-before-established' };
    expect(meetings([arrow(1, seg('server', ['SYN', 'ACK'], 300, 101), 1, 3), refused])).toEqual([]);
  });

  it('measures CJK characters a full em wide', () => {
    expect(textWidth('被拒绝', 12)).toBe(36);
    expect(textWidth('ab', 10)).toBeCloseTo(12.4);
  });
});
