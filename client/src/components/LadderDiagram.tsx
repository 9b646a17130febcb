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
import { BASE_ROW, LADDER_WIDTH as WIDTH, LANE_X as X, layoutLadder, numberLines, type LabelPlace } from '../lib/ladder-layout.ts';
import { flagsLabel, numbersLabel, segmentLabel } from '../lib/segment.ts';

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
  // Rows are the distinct times in use, so long pauses take no room; they are spaced further
  // apart only when labels would otherwise meet (segments leaving close together).
  const layout = layoutLadder(entries, (e) => noteText(e, t));
  const { rows, y, height, rowHeight: ROW } = layout;
  const timeLabel = (at: number) => timeLabelOf(at, rows.indexOf(at));
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
          {entries.map((e, i) => <LadderEntrySvg key={i} e={e} y={y} t={t} place={layout.labels[i]!} row={ROW} />)}
        </svg>
      </div>
      <ol class="sr-only" aria-label={t('ladder.listLabel')}>
        {entries.map((e, i) => <li key={i}>{describeEntry(e, t, timeLabel)}</li>)}
      </ol>
    </section>
  );
}

/** The words of an entry's note: a refusal's or timer's mark, an ignored segment's. */
function noteText(e: LadderEntry, t: Translate): string {
  if (e.kind === 'timer') return e.timer === 'rtx' ? '◷ RTO' : `◷ 2MSL → ${e.state ?? 'CLOSED'}`;
  if (e.kind === 'refused') return `✗ ${flagsLabel(e.segment)} · ${t('ladder.mark.refused')}`;
  return `⊘ ${t('ladder.mark.ignored')}`;
}

function LadderEntrySvg({ e, y, t, place, row }: { e: LadderEntry; y: (at: number) => number; t: Translate; place: { label: LabelPlace; note?: LabelPlace }; row: number }) {
  const { label } = place;
  if (e.kind === 'timer') {
    return <text x={label.x} y={label.y} text-anchor={label.anchor} class="lad-timer">{noteText(e, t)}</text>;
  }
  const from = X[e.from];
  const dir = e.from === 'client' ? 1 : -1;
  if (e.kind === 'refused') {
    const y0 = y(e.at);
    const x1 = from + dir * 70;
    return (
      <g class={`lad-refused lad-from-${e.from}`}>
        <line x1={from} y1={y0} x2={x1} y2={y0} class="lad-seg lad-dashed" />
        <text x={label.x} y={label.y} text-anchor={label.anchor} class="lad-mark">{noteText(e, t)}</text>
      </g>
    );
  }
  const to = X[e.from === 'client' ? 'server' : 'client'];
  const y0 = y(e.sentAt);
  const end = e.end;
  let x1 = to;
  // A segment still in flight is drawn part way, just below where it left: it has not arrived anywhere yet.
  const y1 = end ? y(end.at) : y0 + Math.min(row, BASE_ROW) * 0.6;
  let cls = 'lad-seg';
  let mark: JSX.Element | null = null;
  if (!end) {
    x1 = from + (to - from) * 0.35;
    cls += ' lad-dashed';
  } else if (end.outcome === 'lost') {
    x1 = (from + to) / 2;
    mark = <text x={x1} y={y1 + 6} text-anchor="middle" class="lad-x">✕<title>{t('ladder.mark.lost')}</title></text>;
  } else if (end.outcome === 'ignored' && place.note) {
    mark = <text x={place.note.x} y={place.note.y} text-anchor={place.note.anchor} class="lad-note">{noteText(e, t)}</text>;
  }
  // Long numbers (level 3: ten digits each) go on two lines, seq above ack and len.
  const lines = numberLines(numbersLabel(e.segment));
  const arrow = <line x1={from} y1={y0} x2={x1} y2={y1} class={cls} marker-end={end?.outcome === 'lost' ? undefined : `url(#ladder-arrow-${e.from})`} />;
  return (
    <g class={`lad-segment lad-from-${e.from}`} data-outcome={end ? end.outcome : 'in-flight'}>
      {arrow}
      <text x={label.x} y={label.y} text-anchor={label.anchor} class="lad-flags">{flagsLabel(e.segment)}</text>
      <text x={label.x} y={label.y + 21} text-anchor={label.anchor} class="lad-nums">
        {lines.map((l, i) => <tspan key={i} x={label.x} dy={i === 0 ? 0 : 14}>{l}</tspan>)}
      </text>
      {mark}
    </g>
  );
}
