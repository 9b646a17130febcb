/**
 * A small drawing of the RFC 9293 state diagram (section 3.3.2, figure 5): the eleven
 * states and the main transitions, the current state lit (fill, thick double outline and a
 * "you are here" marker, never colour alone), the transitions out of it drawn thick and
 * dashed, and the same facts as text for screen readers.
 */
import type { TcpState } from '../../../shared/tcp/types.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

interface Node { x: number; y: number }
const W = 112;
const H = 26;
/** Extra height of the current state's box, for its "you are here" line. */
const HERE = 15;

/** Box centres in a 380×482 view box; columns at 72, 190 and 308. */
const NODES: Record<TcpState, Node> = {
  CLOSED: { x: 190, y: 24 },
  LISTEN: { x: 72, y: 94 },
  SYN_RECEIVED: { x: 72, y: 164 },
  SYN_SENT: { x: 308, y: 164 },
  ESTABLISHED: { x: 190, y: 234 },
  FIN_WAIT_1: { x: 72, y: 304 },
  CLOSE_WAIT: { x: 308, y: 304 },
  FIN_WAIT_2: { x: 72, y: 374 },
  CLOSING: { x: 190, y: 374 },
  LAST_ACK: { x: 308, y: 374 },
  TIME_WAIT: { x: 72, y: 444 },
};

export type TransitionKind = 'send' | 'recv' | 'timer' | 'app';

export interface Transition {
  from: TcpState;
  to: TcpState;
  kind: TransitionKind;
  label: MessageKey;
  /** Waypoints for edges routed around the drawing (back to CLOSED). */
  via?: Array<[number, number]>;
}

/** The main transitions of the diagram. */
export const TRANSITIONS: readonly Transition[] = [
  { from: 'CLOSED', to: 'LISTEN', kind: 'app', label: 'tr.passiveOpen' },
  { from: 'CLOSED', to: 'SYN_SENT', kind: 'send', label: 'tr.activeOpen' },
  { from: 'LISTEN', to: 'SYN_RECEIVED', kind: 'recv', label: 'tr.recvSyn' },
  { from: 'SYN_SENT', to: 'SYN_RECEIVED', kind: 'recv', label: 'tr.simOpen' },
  { from: 'SYN_SENT', to: 'ESTABLISHED', kind: 'recv', label: 'tr.recvSynAck' },
  { from: 'SYN_RECEIVED', to: 'ESTABLISHED', kind: 'recv', label: 'tr.recvAck' },
  { from: 'SYN_RECEIVED', to: 'FIN_WAIT_1', kind: 'send', label: 'tr.sendFin' },
  { from: 'ESTABLISHED', to: 'FIN_WAIT_1', kind: 'send', label: 'tr.sendFin' },
  { from: 'ESTABLISHED', to: 'CLOSE_WAIT', kind: 'recv', label: 'tr.recvFin' },
  { from: 'FIN_WAIT_1', to: 'FIN_WAIT_2', kind: 'recv', label: 'tr.recvAckOfFin' },
  { from: 'FIN_WAIT_1', to: 'CLOSING', kind: 'recv', label: 'tr.recvFin' },
  { from: 'FIN_WAIT_2', to: 'TIME_WAIT', kind: 'recv', label: 'tr.recvFin' },
  { from: 'CLOSING', to: 'TIME_WAIT', kind: 'recv', label: 'tr.recvAckOfFin' },
  { from: 'CLOSE_WAIT', to: 'LAST_ACK', kind: 'send', label: 'tr.sendFin' },
  { from: 'LAST_ACK', to: 'CLOSED', kind: 'recv', label: 'tr.recvAckOfFin', via: [[373, 374], [373, 24]] },
  { from: 'TIME_WAIT', to: 'CLOSED', kind: 'timer', label: 'tr.timeWait', via: [[6, 444], [6, 24]] },
];

/** Moves that are right in a state but keep it there. */
const STAY: Partial<Record<TcpState, MessageKey>> = {
  SYN_RECEIVED: 'stay.SYN_RECEIVED', ESTABLISHED: 'stay.ESTABLISHED', CLOSE_WAIT: 'stay.CLOSE_WAIT',
  FIN_WAIT_2: 'stay.FIN_WAIT_2', TIME_WAIT: 'stay.TIME_WAIT',
};

/** The transitions out of a state. */
export const transitionsFrom = (state: TcpState): Transition[] => TRANSITIONS.filter((tr) => tr.from === state);

/** Where the segment from the centre of box `a` towards point `b` leaves the box. */
function exitPoint(a: Node, b: { x: number; y: number }, pad = 0): [number, number] {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const hw = W / 2 + pad;
  const hh = H / 2 + pad;
  const scale = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return [a.x + dx * scale, a.y + dy * scale];
}

function edgePoints(tr: Transition): Array<[number, number]> {
  const a = NODES[tr.from];
  const b = NODES[tr.to];
  if (tr.via) {
    const first = tr.via[0]!;
    const last = tr.via[tr.via.length - 1]!;
    return [exitPoint(a, { x: first[0], y: first[1] }), ...tr.via, exitPoint(b, { x: last[0], y: last[1] }, 2)];
  }
  return [exitPoint(a, b), exitPoint(b, a, 2)];
}

const midpoint = (pts: Array<[number, number]>): [number, number] => {
  if (pts.length === 2) return [(pts[0]![0] + pts[1]![0]) / 2, (pts[0]![1] + pts[1]![1]) / 2];
  const a = pts[1]!;
  const b = pts[2]!;
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
};

export function StateDiagram({ state, idPrefix, heading }: { state: TcpState; idPrefix: string; heading?: string }) {
  const { t } = useI18n();
  // The player's next moves: an application-only step (the passive open that makes a server
  // LISTEN) is drawn but is not a card anyone can play, so it is not offered as a move.
  const next = transitionsFrom(state).filter((tr) => tr.kind !== 'app');
  const nextTargets = new Set(next.map((tr) => tr.to));
  const listId = `${idPrefix}-next`;
  const markerId = `${idPrefix}-arrow`;
  const markerNextId = `${idPrefix}-arrow-next`;
  return (
    <figure class="state-diagram" data-state={state}>
      {heading && <figcaption class="diagram-caption">{heading}</figcaption>}
      <svg viewBox="0 0 380 482" role="img" aria-label={t('diagram.aria', { state })} aria-describedby={listId}>
        <defs>
          <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0 0 L10 5 L0 10 z" class="sd-arrowhead" />
          </marker>
          <marker id={markerNextId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0 0 L10 5 L0 10 z" class="sd-arrowhead-next" />
          </marker>
        </defs>
        {TRANSITIONS.map((tr) => {
          const isNext = tr.from === state && tr.kind !== 'app';
          const pts = edgePoints(tr);
          return (
            <polyline
              key={`${tr.from}-${tr.to}`}
              points={pts.map((p) => p.join(',')).join(' ')}
              class={isNext ? 'sd-edge sd-edge-next' : 'sd-edge'}
              marker-end={`url(#${isNext ? markerNextId : markerId})`}
            />
          );
        })}
        {(Object.keys(NODES) as TcpState[]).map((s) => {
          const n = NODES[s];
          const current = s === state;
          const cls = current ? 'sd-node sd-current' : nextTargets.has(s) ? 'sd-node sd-next' : 'sd-node';
          return (
            <g key={s} class={cls} data-node={s}>
              {current && <rect x={n.x - W / 2 - 5} y={n.y - H / 2 - 5} width={W + 10} height={H + HERE + 10} rx="8" class="sd-halo" />}
              <rect x={n.x - W / 2} y={n.y - H / 2} width={W} height={current ? H + HERE : H} rx="5" />
              <text x={n.x} y={n.y + 4} text-anchor="middle">{s}</text>
              {current && <text x={n.x} y={n.y + 4 + HERE} text-anchor="middle" class="sd-here">▲ {t('diagram.here')}</text>}
            </g>
          );
        })}
        {next.map((tr) => {
          const [x, y] = midpoint(edgePoints(tr));
          const kindMark = tr.kind === 'send' ? '▲' : tr.kind === 'recv' ? '▼' : '◷';
          const text = tr.kind === 'send' ? `${kindMark} ${t(tr.label)}` : kindMark;
          return <text key={`l-${tr.to}`} x={x} y={y + 4} text-anchor="middle" class="sd-edge-label">{text}</text>;
        })}
      </svg>
      <div class="diagram-next" id={listId}>
        <p class="diagram-next-title">{t('diagram.next', { state })}</p>
        <ul>
          {STAY[state] && (
            <li><span class="kind">{t('diagram.kind.send')}{t('punct.colon')}</span> {t(STAY[state]!)} <span aria-hidden="true">↻</span> <strong>{state}</strong></li>
          )}
          {next.map((tr) => (
            <li key={tr.to}>
              <span class="kind">{t(`diagram.kind.${tr.kind}`)}{t('punct.colon')}</span> {t(tr.label)} → <strong>{tr.to}</strong>
            </li>
          ))}
        </ul>
      </div>
    </figure>
  );
}
