/**
 * The connection so far as a flow graph, in the manner of Wireshark's: the client's and
 * the server's time lines, one arrow per segment from when it was sent to when it arrived,
 * labelled with its flags and numbers. A lost segment stops half way with ✕; a refused
 * move is a short dashed stub marked ✗; a segment still in flight is dashed. Screen
 * readers get the same story as an ordered list.
 */
import type { JSX } from 'preact';
import type { Side } from '../../../shared/tcp/types.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';
import type { LadderEntry } from '../lib/ladder.ts';
import { flagsLabel, numbersLabel, segmentLabel } from '../lib/segment.ts';

const WIDTH = 360;
const X: Record<Side, number> = { client: 64, server: 318 };
const TOP = 44;
const ROW = 46;

interface Props {
  entries: LadderEntry[];
  /** How a time is written in the left column and in the list; `row` counts the drawing's rows from 0. */
  timeLabel: (at: number, row: number) => string;
  headingId?: string;
  /** Said when there is nothing to draw yet (the table asks the player to send; a replay at its start does not). */
  emptyText?: string;
  /** A time to mark as "now" (a replay's step): its row is shaded and its time label bold. */
  current?: number;
}

const sideName = (t: Translate, side: Side) => t(side === 'client' ? 'side.client.lower' : 'side.server.lower');

/** The ordered-list sentence for one entry. */
function describeEntry(e: LadderEntry, t: Translate, timeLabel: (at: number) => string): string {
  if (e.kind === 'refused') {
    return t('ladder.refused', { time: timeLabel(e.at), from: sideName(t, e.from), segment: segmentLabel(e.segment), code: e.code });
  }
  if (e.kind === 'timer') {
    return e.timer === 'rtx'
      ? t('ladder.rtx', { time: timeLabel(e.at), side: sideName(t, e.side) })
      : t('ladder.timer', { time: timeLabel(e.at), side: sideName(t, e.side), state: e.state ?? 'CLOSED' });
  }
  const sent = t('ladder.sent', { time: timeLabel(e.sentAt), from: sideName(t, e.from), segment: segmentLabel(e.segment) });
  const to = sideName(t, e.from === 'client' ? 'server' : 'client');
  const end = e.end;
  let rest: string;
  if (!end) rest = t('ladder.inFlight');
  else if (end.outcome === 'lost') rest = t('ladder.lost', { time: timeLabel(end.at) });
  else if (end.outcome === 'delivered') rest = t('ladder.delivered', { time: timeLabel(end.at), to });
  else if (end.outcome === 'ignored') rest = t('ladder.ignored', { time: timeLabel(end.at), to });
  else if (end.before === end.after) rest = t('ladder.arrivedSame', { time: timeLabel(end.at), to, state: end.after });
  else rest = t('ladder.arrived', { time: timeLabel(end.at), to, before: end.before, after: end.after });
  return `${sent}; ${rest}.`;
}

export function LadderDiagram({ entries, timeLabel: timeLabelOf, headingId = 'ladder-title', emptyText, current }: Props) {
  const { t } = useI18n();
  // Rows are the distinct times in use, so long pauses take no room.
  const times = new Set<number>();
  for (const e of entries) {
    if (e.kind === 'segment') { times.add(e.sentAt); if (e.end) times.add(e.end.at); } else times.add(e.at);
  }
  const rows = [...times].sort((a, b) => a - b);
  const y = (at: number) => TOP + rows.indexOf(at) * ROW + ROW / 2;
  const timeLabel = (at: number) => timeLabelOf(at, rows.indexOf(at));
  // Room below the last row for a two-line label.
  const height = TOP + Math.max(rows.length, 1) * ROW + 20;
  // Rows where a refusal or a timer writes its note: an arrow's label keeps clear of them.
  const marks = entries.filter((e) => e.kind !== 'segment').map((e) => y((e as { at: number }).at));
  const now = current !== undefined && rows.includes(current) ? current : null;

  return (
    <section class="panel ladder" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('ladder.title')}</h2>
      {entries.length === 0 && <p class="muted">{emptyText ?? t('ladder.empty')}</p>}
      <div class="ladder-scroll">
        <svg viewBox={`0 0 ${WIDTH} ${height}`} aria-hidden="true" class="ladder-svg" style={{ aspectRatio: `${WIDTH} / ${height}` }}>
          <defs>
            <marker id="ladder-arrow-client" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0 0 L10 5 L0 10 z" class="lad-head-client" />
            </marker>
            <marker id="ladder-arrow-server" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0 0 L10 5 L0 10 z" class="lad-head-server" />
            </marker>
          </defs>
          <text x={X.client} y="18" text-anchor="middle" class="lad-host">{t('side.client')}</text>
          <text x={X.server} y="18" text-anchor="middle" class="lad-host">{t('side.server')}</text>
          {now !== null && <rect x="0" y={y(now) - ROW / 2} width={WIDTH} height={ROW} class="lad-current" />}
          <line x1={X.client} y1="28" x2={X.client} y2={height} class="lad-life" />
          <line x1={X.server} y1="28" x2={X.server} y2={height} class="lad-life" />
          {rows.map((at) => (
            <text key={`t${at}`} x="4" y={y(at) + 4} class={at === now ? 'lad-time lad-time-now' : 'lad-time'}>{timeLabel(at)}</text>
          ))}
          {entries.map((e, i) => <LadderEntrySvg key={i} e={e} y={y} t={t} marks={marks} />)}
        </svg>
      </div>
      <ol class="sr-only" aria-label={t('ladder.listLabel')}>
        {entries.map((e, i) => <li key={i}>{describeEntry(e, t, timeLabel)}</li>)}
      </ol>
    </section>
  );
}

function LadderEntrySvg({ e, y, t, marks }: { e: LadderEntry; y: (at: number) => number; t: Translate; marks: number[] }) {
  if (e.kind === 'timer') {
    const x = X[e.side];
    const right = e.side === 'client';
    return (
      <text x={right ? x + 8 : x - 8} y={y(e.at) + 4} text-anchor={right ? 'start' : 'end'} class="lad-timer">
        {e.timer === 'rtx' ? '◷ RTO' : `◷ 2MSL → ${e.state ?? 'CLOSED'}`}
      </text>
    );
  }
  const from = X[e.from];
  const dir = e.from === 'client' ? 1 : -1;
  if (e.kind === 'refused') {
    const y0 = y(e.at);
    const x1 = from + dir * 70;
    return (
      <g class={`lad-refused lad-from-${e.from}`}>
        <line x1={from} y1={y0} x2={x1} y2={y0} class="lad-seg lad-dashed" />
        <text x={x1 + dir * 6} y={y0 + 5} text-anchor={dir > 0 ? 'start' : 'end'} class="lad-mark">
          ✗ {flagsLabel(e.segment)} · {t('ladder.mark.refused')}
        </text>
      </g>
    );
  }
  const to = X[e.from === 'client' ? 'server' : 'client'];
  const y0 = y(e.sentAt);
  const end = e.end;
  let x1 = to;
  // A segment still in flight is drawn part way, just below where it left: it has not arrived anywhere yet.
  let y1 = end ? y(end.at) : y0 + ROW * 0.6;
  let cls = 'lad-seg';
  let mark: JSX.Element | null = null;
  if (!end) {
    x1 = from + (to - from) * 0.35;
    cls += ' lad-dashed';
  } else if (end.outcome === 'lost') {
    x1 = (from + to) / 2;
    mark = <text x={x1} y={y1 + 6} text-anchor="middle" class="lad-x">✕<title>{t('ladder.mark.lost')}</title></text>;
  } else if (end.outcome === 'ignored') {
    mark = (
      <text x={to - dir * 6} y={y1 + 16} text-anchor={dir > 0 ? 'end' : 'start'} class="lad-note">
        ⊘ {t('ladder.mark.ignored')}
      </text>
    );
  }
  // Long numbers (level 3: ten digits each) go on two lines, seq above ack and len.
  const nums = numbersLabel(e.segment);
  const lines = nums.length > NUMS_ONE_LINE ? splitNumbers(nums) : [nums];
  const arrow = <line x1={from} y1={y0} x2={x1} y2={y1} class={cls} marker-end={end?.outcome === 'lost' ? undefined : `url(#ladder-arrow-${e.from})`} />;
  if (!end) {
    // In flight: the short arrow has no middle to spare, so its label starts just past its
    // tip, towards the receiver, within its own row (the next row's arrow starts 46 below).
    const lx = x1 + dir * 8;
    const anchor = dir > 0 ? 'start' : 'end';
    return (
      <g class={`lad-segment lad-from-${e.from}`} data-outcome="in-flight">
        {arrow}
        <text x={lx} y={y0 + 2} text-anchor={anchor} class="lad-flags">{flagsLabel(e.segment)}</text>
        <text x={lx} y={y0 + 17} text-anchor={anchor} class="lad-nums">
          {lines.map((l, i) => <tspan key={i} x={lx} dy={i === 0 ? 0 : 14}>{l}</tspan>)}
        </text>
      </g>
    );
  }
  // Centred on the arrow (or moved along it, off a row where a refusal or timer writes its
  // note: a move refused while this segment was in flight), but kept inside the drawing.
  const half = (Math.max(...lines.map((l) => l.length), flagsLabel(e.segment).length) * CHAR_W) / 2;
  const clear = (at: number) => {
    const my = y0 + (y1 - y0) * at;
    return marks.every((m) => m < my - 30 || m > my + 22 + (lines.length - 1) * 14);
  };
  const along = [0.5, 0.75, 0.25].find(clear) ?? 0.5;
  const mx = Math.min(WIDTH - 2 - half, Math.max(2 + half, from + (x1 - from) * along));
  const my = y0 + (y1 - y0) * along;
  return (
    <g class={`lad-segment lad-from-${e.from}`} data-outcome={end.outcome}>
      {arrow}
      <text x={mx} y={my - 6} text-anchor="middle" class="lad-flags">{flagsLabel(e.segment)}</text>
      <text x={mx} y={my + 15} text-anchor="middle" class="lad-nums">
        {lines.map((l, i) => <tspan key={i} x={mx} dy={i === 0 ? 0 : 14}>{l}</tspan>)}
      </text>
      {mark}
    </g>
  );
}

/** Longer number labels than this are split in two. */
const NUMS_ONE_LINE = 24;
/** A generous width of one character of a 13-px label, in drawing units. */
const CHAR_W = 7.6;
/** "seq=… ack=… len=…" → ["seq=…", "ack=… len=…"]. */
const splitNumbers = (nums: string): string[] => {
  const i = nums.indexOf(' ');
  return i < 0 ? [nums] : [nums.slice(0, i), nums.slice(i + 1)];
};
