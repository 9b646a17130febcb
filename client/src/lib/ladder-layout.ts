/**
 * Where the flow graph puts each row and each label, in drawing units, so that no two labels
 * meet: an arrow's label goes at the first place along the arrow that is clear of the labels
 * already placed (the notes of refusals, timers and ignored segments, the labels of segments
 * in flight, and earlier arrows' labels); when no place along some arrow is clear, the rows
 * are spaced further apart and everything is placed again. Pure: the diagram draws what it says.
 */
import type { Side } from '../../../shared/tcp/types.ts';
import type { LadderEntry } from './ladder.ts';
import { flagsLabel, numbersLabel } from './segment.ts';

export const LADDER_WIDTH = 360;
export const LANE_X: Record<Side, number> = { client: 64, server: 318 };
export const LADDER_TOP = 44;
/** The usual row height; rows grow from it only when labels would otherwise meet. */
export const BASE_ROW = 46;
const MAX_ROW = BASE_ROW * 4;
/** Font sizes of the label classes (styles.css), in drawing units. */
const FLAGS_PX = 14;
const NUMS_PX = 13;
const NOTE_PX = 12;
/** The white halo drawn behind each label (stroke-width 4), and a little air. */
const PAD = 3;
/** Longer number labels than this are split in two. */
const NUMS_ONE_LINE = 24;
/** Where along its arrow a label may go, best first: near the middle, clear of the arrowheads (else the rows grow). */
const ALONG = [0.5, 0.4, 0.6, 0.3, 0.7] as const;

export interface Box { x0: number; y0: number; x1: number; y1: number }

/** A generous width of `s` in a monospace font of `px` (CJK characters take a full em). */
export function textWidth(s: string, px: number): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? px : px * 0.62;
  return w;
}

/** True when the two boxes share some area. */
export const boxesMeet = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** "seq=… ack=… len=…" → ["seq=…", "ack=… len=…"] when too long for one line. */
export function numberLines(nums: string): string[] {
  const i = nums.indexOf(' ');
  return nums.length <= NUMS_ONE_LINE || i < 0 ? [nums] : [nums.slice(0, i), nums.slice(i + 1)];
}

/** Where one entry's text goes: `x`, `y` (the flags' baseline for a segment, the note's for the others), its anchor and box. */
export interface LabelPlace { x: number; y: number; anchor: 'start' | 'middle' | 'end'; box: Box }

export interface LadderLayout {
  rowHeight: number;
  height: number;
  /** The y of a time's row. */
  y: (at: number) => number;
  rows: number[];
  /** Per entry (same index): its label's place; for an ignored segment also its note's. */
  labels: Array<{ label: LabelPlace; note?: LabelPlace }>;
}

/** A segment label's box: the flags line at baseline `y`, the numbers 21 below, centred or anchored at `x`. */
function segmentBox(x: number, y: number, anchor: LabelPlace['anchor'], flags: string, lines: string[]): Box {
  const w = Math.max(textWidth(flags, FLAGS_PX), ...lines.map((l) => textWidth(l, NUMS_PX)));
  const left = anchor === 'middle' ? x - w / 2 : anchor === 'start' ? x : x - w;
  return { x0: left - PAD, x1: left + w + PAD, y0: y - FLAGS_PX - PAD, y1: y + 21 + 4 + (lines.length - 1) * 14 + PAD };
}

function noteBox(x: number, y: number, anchor: 'start' | 'end', text: string, px = NOTE_PX): Box {
  const w = textWidth(text, px);
  const left = anchor === 'start' ? x : x - w;
  return { x0: left - PAD, x1: left + w + PAD, y0: y - px - PAD, y1: y + 4 + PAD };
}

/**
 * Lay the entries out. `noteText` gives the words of an entry's note (a refusal's mark, a
 * timer's, an ignored segment's): they are translated, and their width counts.
 */
export function layoutLadder(entries: readonly LadderEntry[], noteText: (e: LadderEntry) => string): LadderLayout {
  const times = new Set<number>();
  for (const e of entries) {
    if (e.kind === 'segment') { times.add(e.sentAt); if (e.end) times.add(e.end.at); } else times.add(e.at);
  }
  const rows = [...times].sort((a, b) => a - b);
  let best: LadderLayout | null = null;
  for (let row = BASE_ROW; row <= MAX_ROW; row += 12) {
    const { layout, clear } = tryLayout(entries, rows, row, noteText);
    best = layout;
    if (clear) break;
  }
  return best!;
}

function tryLayout(entries: readonly LadderEntry[], rows: number[], row: number, noteText: (e: LadderEntry) => string): { layout: LadderLayout; clear: boolean } {
  const index = new Map(rows.map((at, i) => [at, i]));
  const y = (at: number) => LADDER_TOP + (index.get(at) ?? 0) * row + row / 2;
  const height = LADDER_TOP + Math.max(rows.length, 1) * row + 20;
  const placed: Box[] = [];
  const labels: LadderLayout['labels'] = entries.map(() => ({ label: { x: 0, y: 0, anchor: 'middle', box: { x0: 0, y0: 0, x1: 0, y1: 0 } } }));
  let clear = true;
  const put = (p: LabelPlace) => { if (placed.some((b) => boxesMeet(b, p.box))) clear = false; placed.push(p.box); return p; };

  // First what has one place only: notes, and the labels of segments in flight.
  entries.forEach((e, i) => {
    if (e.kind === 'timer') {
      const right = e.side === 'client';
      const x = LANE_X[e.side] + (right ? 8 : -8);
      const anchor = right ? 'start' : 'end';
      labels[i] = { label: put({ x, y: y(e.at) + 4, anchor, box: noteBox(x, y(e.at) + 4, anchor, noteText(e)) }) };
      return;
    }
    const from = LANE_X[e.from];
    const dir = e.from === 'client' ? 1 : -1;
    const anchor = dir > 0 ? 'start' : 'end';
    if (e.kind === 'refused') {
      const x = from + dir * 76;
      labels[i] = { label: put({ x, y: y(e.at) + 5, anchor, box: noteBox(x, y(e.at) + 5, anchor, noteText(e)) }) };
      return;
    }
    const to = LANE_X[e.from === 'client' ? 'server' : 'client'];
    if (!e.end) {
      // Just past the short arrow's tip, towards the receiver, within its own row.
      const x = from + (to - from) * 0.35 + dir * 8;
      const y0 = y(e.sentAt) + 2;
      labels[i] = { label: put({ x, y: y0, anchor, box: segmentBox(x, y0, anchor, flagsLabel(e.segment), numberLines(numbersLabel(e.segment))) }) };
    } else if (e.end.outcome === 'ignored') {
      const x = to - dir * 6;
      const ny = y(e.end.at) + 16;
      const a = dir > 0 ? 'end' : 'start';
      labels[i] = { ...labels[i]!, note: put({ x, y: ny, anchor: a, box: noteBox(x, ny, a, noteText(e)) }) };
    }
  });
  // Then each arrow's label, at the first clear place along it.
  entries.forEach((e, i) => {
    if (e.kind !== 'segment' || !e.end) return;
    const from = LANE_X[e.from];
    const to = LANE_X[e.from === 'client' ? 'server' : 'client'];
    const x1 = e.end.outcome === 'lost' ? (from + to) / 2 : to;
    const y0 = y(e.sentAt);
    const y1 = y(e.end.at);
    const flags = flagsLabel(e.segment);
    const lines = numberLines(numbersLabel(e.segment));
    const half = (segmentBox(0, 0, 'middle', flags, lines).x1 - PAD);
    const at = (t: number): LabelPlace => {
      // Between the time lines when it fits there (off the arrowheads), else inside the drawing.
      const [lo, hi] = 2 * half + 12 <= LANE_X.server - LANE_X.client ? [LANE_X.client + 6 + half, LANE_X.server - 6 - half] : [2 + half, LADDER_WIDTH - 2 - half];
      const mx = Math.min(hi, Math.max(lo, from + (x1 - from) * t));
      const my = y0 + (y1 - y0) * t - 6;
      return { x: mx, y: my, anchor: 'middle', box: segmentBox(mx, my, 'middle', flags, lines) };
    };
    const free = ALONG.map(at).find((p) => !placed.some((b) => boxesMeet(b, p.box)));
    labels[i] = { ...labels[i]!, label: put(free ?? at(0.5)) };
  });
  return { layout: { rowHeight: row, height, y, rows, labels }, clear };
}
