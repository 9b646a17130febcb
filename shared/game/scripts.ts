/**
 * A correct way to play every scenario at level 1, as a short script, and the room event
 * each script step stands for in a given room. The scenario tests, the replay property test
 * and (later) the bot and the docs use them.
 *
 * Steps: 'c FLAGS[:len]' / 's FLAGS[:len]' the client or server plays a card with the
 * numbers level 1 fills in; 'c rtx' / 's rtx' plays the hinted retransmission; 'd' delivers
 * the oldest segment in flight; 'x' loses it; 'T c rtx' / 'T s time-wait' fires a timer.
 */
import { autoNumbers } from '../tcp/machine.ts';
import type { Flag, Side } from '../tcp/types.ts';
import type { Room, RoomEvent, ScenarioId } from './model.ts';
import { oldestInFlight } from './room.ts';
import { hintsFor } from './view-for.ts';

const handshake = ['c SYN', 'd', 's SYN+ACK', 'd', 'c ACK', 'd'];
const clientCloses = ['c FIN+ACK', 'd', 's ACK', 'd', 's FIN+ACK', 'd', 'c ACK', 'd'];
const serverCloses = ['s FIN+ACK', 'd', 'c ACK', 'd', 'c FIN+ACK', 'd', 's ACK', 'd'];

export const SCRIPT_PARTS = { handshake, clientCloses, serverCloses } as const;

/** One correct game per scenario; each ends exactly when the goal is reached. */
export const SCRIPTS: Record<ScenarioId, readonly string[]> = {
  'handshake': handshake,
  'teardown': clientCloses,
  'lifecycle': [...handshake, 'c ACK+PSH:5', 'd', 's ACK+PSH:3', 'd', 'c ACK', 'd', ...clientCloses],
  'server-closes': serverCloses,
  'half-close': ['c FIN+ACK', 'd', 's ACK', 'd', 's ACK+PSH:5', 'd', 'c ACK', 'd', 's FIN+ACK', 'd', 'c ACK', 'd'],
  'simultaneous-open': ['c SYN', 's SYN', 'd', 'd', 'c SYN+ACK', 's SYN+ACK', 'd', 'd'],
  'simultaneous-close': ['c FIN+ACK', 's FIN+ACK', 'd', 'd', 'c ACK', 's ACK', 'd', 'd'],
  'lost-segment': ['c ACK+PSH:4', 'x', 'T c rtx', 'c rtx', 'd', 's ACK', 'd'],
  'lost-final-ack': ['c FIN+ACK', 'd', 's ACK', 'd', 's FIN+ACK', 'd', 'c ACK', 'x', 'T s rtx', 's rtx', 'd', 'c ACK', 'd'],
  'refused': ['c SYN', 'd', 's RST+ACK', 'd'],
  'abort': ['c RST', 'd'],
};

/** The event a script step stands for in this room and pair now, or null when it cannot be formed (no game, nothing in flight, no hint). */
export function scriptEvent(room: Room, pairId: string, stepText: string): RoomEvent | null {
  const pair = room.pairs.find((p) => p.id === pairId);
  const game = pair?.game;
  if (!pair || !game) return null;
  const [a, b, c] = stepText.split(' ');
  if (a === 'd' || a === 'x') {
    const head = oldestInFlight(room, pairId);
    if (!head) return null;
    return a === 'd'
      ? { type: 'wire/delivered', pairId, from: head.from, id: head.id }
      : { type: 'wire/dropped', pairId, from: head.from, id: head.id, by: 'server' };
  }
  const sideOf = (x: string | undefined): Side | null => (x === 'c' ? 'client' : x === 's' ? 'server' : null);
  if (a === 'T') {
    const side = sideOf(b);
    if (!side || (c !== 'rtx' && c !== 'time-wait')) return null;
    return { type: 'timer/fired', pairId, side, timer: c };
  }
  const side = sideOf(a);
  if (!side || !b) return null;
  const ep = game.connection[side];
  let segment;
  if (b === 'rtx') {
    const hint = hintsFor(ep, game, side).retransmit;
    if (!hint) return null;
    segment = { from: side, flags: hint.flags, seq: hint.seq, ack: hint.ack, len: hint.len };
  } else {
    const [flagText, lenText] = b.split(':');
    const flags = (flagText ?? '').split('+') as Flag[];
    const n = autoNumbers(ep, flags, game.isn[side]);
    segment = { from: side, flags, seq: n.seq, ack: n.ack, len: Number(lenText ?? 0) };
  }
  return { type: 'move', pairId, seatId: pair.seats[side], stateSeq: game.stateSeq[side], segment };
}
