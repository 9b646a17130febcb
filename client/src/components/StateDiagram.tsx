/**
 * A small drawing of the RFC 9293 state diagram (section 3.3.2, figure 5): the eleven
 * states and the main transitions, the current state lit (fill, thick double outline and a
 * "you are here" marker, never colour alone), and the moves it is given (`moves`: the
 * oracle's on the play page, what the machine accepts in the sandbox) drawn thick, dashed
 * and labelled with their flags: along a drawn edge, along an edge drawn for the occasion
 * when the figure has none (a RST back to CLOSED), or as "↻" in the current state's box when
 * the move keeps it there. The same facts, or what there is to wait for, as text for screen readers.
 */
import type { Flag, TcpState } from '../../../shared/tcp/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { flagsLabel } from '../lib/segment.ts';

interface Node { x: number; y: number }
const W = 112;
const H = 26;
/** Extra height of the current state's box, for its "you are here" line. */
const HERE = 15;
/** And for its "↻" line: the moves that keep the state. */
const STAY = 14;

/**
 * Centres of the states' first lines in a 380×556 view box: columns at 72, 190 and 308, rows
 * 80 apart (the current state's box is taller, and a lit edge's label still fits below it).
 */
const NODES: Record<TcpState, Node> = {
  CLOSED: { x: 190, y: 24 },
  LISTEN: { x: 72, y: 104 },
  SYN_RECEIVED: { x: 72, y: 184 },
  SYN_SENT: { x: 308, y: 184 },
  ESTABLISHED: { x: 190, y: 264 },
  FIN_WAIT_1: { x: 72, y: 344 },
  CLOSE_WAIT: { x: 308, y: 344 },
  FIN_WAIT_2: { x: 72, y: 424 },
  CLOSING: { x: 190, y: 424 },
  LAST_ACK: { x: 308, y: 424 },
  TIME_WAIT: { x: 72, y: 504 },
};
const VIEW_H = 556;
/** Half the gap between two rows of boxes: where a routed edge's label sits. */
const ROW_GAP_MID = 40;

export type TransitionKind = 'send' | 'recv' | 'timer' | 'app';

export interface Transition {
  from: TcpState;
  to: TcpState;
  kind: TransitionKind;
  /** Waypoints for edges routed around the drawing (back to CLOSED). */
  via?: Array<[number, number]>;
}

/** The main transitions of the figure (drawn always; lit only when a move given goes along one). */
export const TRANSITIONS: readonly Transition[] = [
  { from: 'CLOSED', to: 'LISTEN', kind: 'app' },
  { from: 'CLOSED', to: 'SYN_SENT', kind: 'send' },
  { from: 'LISTEN', to: 'SYN_RECEIVED', kind: 'recv' },
  { from: 'SYN_SENT', to: 'SYN_RECEIVED', kind: 'recv' },
  { from: 'SYN_SENT', to: 'ESTABLISHED', kind: 'recv' },
  { from: 'SYN_RECEIVED', to: 'ESTABLISHED', kind: 'recv' },
  { from: 'SYN_RECEIVED', to: 'FIN_WAIT_1', kind: 'send' },
  { from: 'ESTABLISHED', to: 'FIN_WAIT_1', kind: 'send' },
  { from: 'ESTABLISHED', to: 'CLOSE_WAIT', kind: 'recv' },
  { from: 'FIN_WAIT_1', to: 'FIN_WAIT_2', kind: 'recv' },
  { from: 'FIN_WAIT_1', to: 'CLOSING', kind: 'recv' },
  { from: 'FIN_WAIT_2', to: 'TIME_WAIT', kind: 'recv' },
  { from: 'CLOSING', to: 'TIME_WAIT', kind: 'recv' },
  { from: 'CLOSE_WAIT', to: 'LAST_ACK', kind: 'send' },
  { from: 'LAST_ACK', to: 'CLOSED', kind: 'recv', via: [[373, 424], [373, 24]] },
  { from: 'TIME_WAIT', to: 'CLOSED', kind: 'timer', via: [[6, 504], [6, 24]] },
];

/** A move to light: its flags, the state it leads to and, on the play page, a few words on why. */
export interface LitMove { flags: readonly Flag[]; to: TcpState; why?: string }

/**
 * The way an edge the figure does not draw is drawn for the occasion: back to CLOSED (a RST)
 * along the left or right margin (inside the figure's own margin edges), ESTABLISHED straight
 * up between the columns; any other pair straight across.
 */
export function adHocVia(from: TcpState, to: TcpState): Array<[number, number]> | undefined {
  if (to !== 'CLOSED') return undefined;
  const n = NODES[from];
  if (n.x < 190) return [[12, n.y], [12, 30]];
  if (n.x > 190) return [[368, n.y], [368, 30]];
  if (from === 'ESTABLISHED') return undefined;
  // CLOSING: below its (tall, current) box, then up the right margin.
  return [[n.x, n.y + 57], [368, n.y + 57], [368, 30]];
}

/** The drawn edge from `from` to `to`, or one made for the occasion. */
function edgeFor(from: TcpState, to: TcpState): Transition & { adHoc: boolean } {
  const drawn = TRANSITIONS.find((tr) => tr.from === from && tr.to === to);
  if (drawn) return { ...drawn, adHoc: false };
  const via = adHocVia(from, to);
  return { from, to, kind: 'send', adHoc: true, ...(via ? { via } : {}) };
}

/** A state's box: its centre and half sizes. The current state's is taller (`tall`: its height). */
interface Box { x: number; y: number; hw: number; hh: number }
const boxOf = (s: TcpState, tall: number | null): Box => {
  const n = NODES[s];
  const h = tall ?? H;
  return { x: n.x, y: n.y - H / 2 + h / 2, hw: W / 2, hh: h / 2 };
};

/**
 * Where the line from the centre of box `a` towards point `b` leaves the box (`pad` outside
 * it); straight out of a side when `b` is level with the box (a routed edge's first leg).
 */
function exitPoint(a: Box, b: { x: number; y: number }, pad = 0): [number, number] {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const hw = a.hw + pad;
  const hh = a.hh + pad;
  if (Math.abs(dy) <= a.hh && Math.abs(dx) > hw) return [a.x + Math.sign(dx) * hw, b.y];
  const scale = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return [a.x + dx * scale, a.y + dy * scale];
}

function edgePoints(tr: Transition, box: (s: TcpState) => Box): Array<[number, number]> {
  const a = box(tr.from);
  const b = box(tr.to);
  if (tr.via) {
    const first = tr.via[0]!;
    const last = tr.via[tr.via.length - 1]!;
    return [exitPoint(a, { x: first[0], y: first[1] }), ...tr.via, exitPoint(b, { x: last[0], y: last[1] }, 2)];
  }
  return [exitPoint(a, b), exitPoint(b, a, 2)];
}

/**
 * Where an edge's label goes: a straight edge's at its middle, beside the line on the side it
 * heads to (so it keeps off the box it leaves); a routed one's beside its first margin leg, in
 * the gap above the row it leaves from (the middle of the margin would sit on another box).
 */
function labelAt(pts: Array<[number, number]>): { x: number; y: number; anchor: 'start' | 'middle' | 'end' } {
  if (pts.length > 2) {
    const v = pts[1]!;
    if (v[0] < 60) return { x: v[0] + 4, y: v[1] - ROW_GAP_MID + 2, anchor: 'start' };
    if (v[0] > 320) return { x: v[0] - 4, y: v[1] - ROW_GAP_MID + 2, anchor: 'end' };
    const corner = pts[2]!;
    return { x: corner[0] - 4, y: corner[1] + 14, anchor: 'end' };
  }
  const [a, b] = [pts[0]!, pts[1]!];
  const x = (a[0] + b[0]) / 2;
  const y = (a[1] + b[1]) / 2;
  const dx = b[0] - a[0];
  if (Math.abs(dx) < 10) return x >= 190 ? { x: x + 6, y, anchor: 'start' } : { x: x - 6, y, anchor: 'end' };
  return { x: dx < 0 ? x - 4 : x + 4, y: y + 6, anchor: dx < 0 ? 'end' : 'start' };
}

interface DiagramProps {
  state: TcpState;
  idPrefix: string;
  heading?: string;
  /** The moves to light, from the current state. */
  moves: readonly LitMove[];
  /** Said when there is no move: what to wait for. */
  waitText?: string;
  /** The text list's title (default: the legal next moves from the state). */
  listTitle?: string;
}

export function StateDiagram({ state, idPrefix, heading, moves, waitText, listTitle }: DiagramProps) {
  const { t } = useI18n();
  const stays = moves.filter((m) => m.to === state);
  const leaving = moves.filter((m) => m.to !== state);
  // One lit edge per state reached, labelled with every flag set that goes there.
  const targets = [...new Set(leaving.map((m) => m.to))];
  const lit = targets.map((to) => ({
    edge: edgeFor(state, to),
    label: leaving.filter((m) => m.to === to).map((m) => flagsLabel({ flags: [...m.flags], len: 0 })).join(' / '),
  }));
  const litKeys = new Set(lit.filter((l) => !l.edge.adHoc).map((l) => `${l.edge.from}-${l.edge.to}`));
  const nextTargets = new Set(targets);
  const listId = `${idPrefix}-next`;
  const markerId = `${idPrefix}-arrow`;
  const markerNextId = `${idPrefix}-arrow-next`;
  const stayLabel = stays.map((m) => flagsLabel({ flags: [...m.flags], len: 0 })).join(' · ');
  const tall = H + HERE + (stays.length > 0 ? STAY : 0);
  const box = (s: TcpState) => boxOf(s, s === state ? tall : null);
  return (
    <figure class="state-diagram" data-state={state}>
      {heading && <figcaption class="diagram-caption">{heading}</figcaption>}
      <svg viewBox={`0 0 380 ${VIEW_H}`} role="img" aria-label={t('diagram.aria', { state })} aria-describedby={listId}>
        <defs>
          <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0 L10 5 L0 10 z" class="sd-arrowhead" />
          </marker>
          <marker id={markerNextId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0 0 L10 5 L0 10 z" class="sd-arrowhead-next" />
          </marker>
        </defs>
        {TRANSITIONS.map((tr) => {
          const isNext = litKeys.has(`${tr.from}-${tr.to}`);
          return (
            <polyline
              key={`${tr.from}-${tr.to}`}
              points={edgePoints(tr, box).map((p) => p.join(',')).join(' ')}
              class={isNext ? 'sd-edge sd-edge-next' : 'sd-edge'}
              marker-end={`url(#${isNext ? markerNextId : markerId})`}
            />
          );
        })}
        {lit.filter((l) => l.edge.adHoc).map((l) => (
          <polyline
            key={`adhoc-${l.edge.to}`}
            points={edgePoints(l.edge, box).map((p) => p.join(',')).join(' ')}
            class="sd-edge sd-edge-next sd-edge-adhoc"
            data-edge={`${l.edge.from}-${l.edge.to}`}
            marker-end={`url(#${markerNextId})`}
          />
        ))}
        {(Object.keys(NODES) as TcpState[]).map((s) => {
          const n = NODES[s];
          const current = s === state;
          const cls = current ? 'sd-node sd-current' : nextTargets.has(s) ? 'sd-node sd-next' : 'sd-node';
          const height = current ? tall : H;
          return (
            <g key={s} class={cls} data-node={s}>
              {current && <rect x={n.x - W / 2 - 5} y={n.y - H / 2 - 5} width={W + 10} height={height + 10} rx="8" class="sd-halo" />}
              <rect x={n.x - W / 2} y={n.y - H / 2} width={W} height={height} rx="5" />
              <text x={n.x} y={n.y + 4} text-anchor="middle">{s}</text>
              {current && <text x={n.x} y={n.y + 4 + HERE} text-anchor="middle" class="sd-here">▲ {t('diagram.here')}</text>}
              {/* The moves that keep the state, inside its box (squeezed to fit when they are many). */}
              {current && stays.length > 0 && (
                <text
                  x={n.x} y={n.y + 4 + HERE + STAY} text-anchor="middle" class="sd-here sd-stay-label"
                  {...(stayLabel.length > 15 ? { textLength: W - 8, lengthAdjust: 'spacingAndGlyphs' } : {})}
                >↻ {stayLabel}</text>
              )}
            </g>
          );
        })}
        {lit.map((l) => {
          const at = labelAt(edgePoints(l.edge, box));
          return <text key={`l-${l.edge.to}`} x={at.x} y={at.y + 4} text-anchor={at.anchor} class="sd-edge-label">▲ {l.label}</text>;
        })}
      </svg>
      <div class="diagram-next" id={listId}>
        <p class="diagram-next-title">{listTitle ?? t('diagram.next', { state })}</p>
        {moves.length === 0 ? <p class="diagram-wait">{waitText}</p> : (
          <ul>
            {leaving.map((m) => (
              <li key={`${m.flags.join('+')}-${m.to}`}>
                <span class="kind">{t('diagram.kind.send')}{t('punct.colon')}</span> {flagsLabel({ flags: [...m.flags], len: 0 })} → <strong>{m.to}</strong>
                {m.why && <> <span class="why">— {m.why}</span></>}
              </li>
            ))}
            {stays.map((m) => (
              <li key={`${m.flags.join('+')}-stay`}>
                <span class="kind">{t('diagram.kind.send')}{t('punct.colon')}</span> {flagsLabel({ flags: [...m.flags], len: 0 })} <span aria-hidden="true">↻</span> <strong>{state}</strong> ({t('diagram.stay')})
                {m.why && <> <span class="why">— {m.why}</span></>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </figure>
  );
}
