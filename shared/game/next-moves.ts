/**
 * What the oracle's answer becomes on a student's screen: the state diagram's lit moves, the
 * bought hint (with the state its move leads to), and whether the game is stuck (no correct
 * move is left to either side and nothing more can happen). Pure.
 */
import { step } from '../tcp/machine.ts';
import type { Segment, Side, TcpState } from '../tcp/types.ts';
import type { PairGame, ScenarioId } from './model.ts';
import { oracleMoves, type OracleMove, type OracleWait, type OracleWhy } from './oracle.ts';
import type { Hint, StuckReason } from './views.ts';

/** The state `side` is in after sending `segment` now (its current state if the machine refused it). */
export function stateAfter(game: PairGame, side: Side, segment: Segment): TcpState {
  const r = step(game.connection, { type: 'send', segment });
  return r.ok ? r.connection[side].state : game.connection[side].state;
}

const card = (s: Segment) => ({ flags: [...s.flags], seq: s.seq, ack: s.ack, len: s.len });

/** The diagram's lit moves: flags and where each leads, or what the side waits for. */
export function diagramMoves(game: PairGame, moves: readonly OracleMove[], side: Side): {
  moves: { flags: Segment['flags']; to: TcpState; why: OracleWhy }[]; wait: OracleWait | null;
} {
  const sends = moves.flatMap((m) => (m.kind === 'send' ? [{ flags: [...m.segment.flags], to: stateAfter(game, side, m.segment), why: m.why }] : []));
  const wait = moves.find((m) => m.kind === 'wait');
  return { moves: sends, wait: sends.length === 0 && wait?.kind === 'wait' ? wait.for : null };
}

/** The oracle's numbered moves for the level-1 hand. */
export function handMoves(moves: readonly OracleMove[]): { flags: Segment['flags']; seq: number; ack: number; len: number; why: OracleWhy }[] {
  return moves.flatMap((m) => (m.kind === 'send' ? [{ ...card(m.segment), why: m.why }] : []));
}

/** The hint for `side` now: its first correct move, with its numbers and the state it leads to. */
export function hintFor(game: PairGame, scenario: ScenarioId, side: Side): Hint {
  const first = oracleMoves(game, scenario, side)[0] ?? { kind: 'wait', for: 'arrival' };
  if (first.kind === 'wait') return { kind: 'wait', for: first.for };
  return { kind: 'send', segment: card(first.segment), why: first.why, to: stateAfter(game, side, first.segment) };
}

/**
 * Why the game cannot reach its goal any more, or null while it can (or did): nothing is in
 * flight, no timer runs on either side, and the oracle has no segment for either side to send.
 */
export function stuckReason(game: PairGame, scenario: ScenarioId): StuckReason | null {
  if (game.finished) return null;
  const { client, server, wire } = game.connection;
  if (wire.client.length > 0 || wire.server.length > 0) return null;
  for (const ep of [client, server]) if (ep.rtxTimer || (ep.timeWaitTimer && ep.state === 'TIME_WAIT')) return null;
  for (const side of ['client', 'server'] as const) {
    if (oracleMoves(game, scenario, side).some((m) => m.kind === 'send' || m.for === 'goal')) return null;
  }
  if (client.reset || server.reset) return 'reset';
  if (client.state === 'CLOSED' && (server.state === 'CLOSED' || server.state === 'LISTEN')) return 'closed';
  return 'nothing-left';
}
