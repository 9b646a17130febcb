/** How a segment is written on cards, the wire and the ladder: the same in every language. */
import type { Segment } from '../../../shared/tcp/types.ts';

/** "SYN+ACK" — the flags in a fixed order; "DATA" for bare payload. */
export function flagsLabel(seg: Pick<Segment, 'flags' | 'len'>): string {
  const order = ['SYN', 'FIN', 'RST', 'PSH', 'ACK'] as const;
  const flags = order.filter((f) => seg.flags.includes(f));
  if (flags.length === 0) return seg.len > 0 ? 'DATA' : '∅';
  return flags.join('+');
}

/** "seq=100 ack=301 len=10": ack only when the ACK flag makes it meaningful, len only when > 0. */
export function numbersLabel(seg: Segment): string {
  const parts = [`seq=${seg.seq}`];
  if (seg.flags.includes('ACK')) parts.push(`ack=${seg.ack}`);
  if (seg.len > 0) parts.push(`len=${seg.len}`);
  return parts.join(' ');
}

/** "SYN+ACK seq=300 ack=101". */
export const segmentLabel = (seg: Segment): string => `${flagsLabel(seg)} ${numbersLabel(seg)}`;
