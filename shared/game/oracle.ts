/**
 * The oracle of correct play: for one side of a pair's game, the correct next moves in the
 * round's scenario, from what that endpoint knows only — its own TCB, the segments it sent,
 * what reached it, and whether its own retransmission timer expired — never the partner's
 * hidden state. Pure. The first move is the one to play; `wait` says what for.
 *
 * It is meant as the single source for the bot, the level-1 hand, the hint and the state
 * diagram's lit moves (issue 9); today the tests use it to prove every scenario winnable.
 */
import { segmentLength } from '../tcp/machine.ts';
import type { Endpoint, Flag, Segment, Side } from '../tcp/types.ts';
import type { PairGame, ScenarioId } from './model.ts';
import { SCENARIOS } from './scenarios.ts';

/** Why the oracle proposes a move: a key for the hint's words. */
export const ORACLE_WHYS = ['answer-reset', 'open', 'answer-syn', 'retransmit', 'acknowledge', 'send-data', 'close', 'abort'] as const;
export type OracleWhy = (typeof ORACLE_WHYS)[number];

/** What the side waits for when it has nothing to send. */
export const ORACLE_WAITS = ['arrival', 'rtx', 'time-wait', 'goal'] as const;
export type OracleWait = (typeof ORACLE_WAITS)[number];

export type OracleMove =
  | { kind: 'send'; segment: Segment; why: OracleWhy }
  | { kind: 'wait'; for: OracleWait };

/** Bytes of data each side sends when its scenario asks for data (small, so level 2 stays easy to add). */
export const ORACLE_DATA_LEN: Record<Side, number> = { client: 5, server: 3 };

/** What one endpoint knows of its game. */
interface Known {
  side: Side;
  ep: Endpoint;
  isn: number;
  /** Segments this side sent, in order. */
  sent: Segment[];
  /** How many of this side's history entries came after its last send, and whether one was an arrival occupying sequence space. */
  arrivedSinceSend: { occupying: boolean };
  /** Its retransmission timer expired since its last send. */
  rtxExpired: boolean;
  /** Data bytes this side sent in CLOSE_WAIT (half-close). */
  sentInCloseWait: number;
}

function known(game: PairGame, side: Side): Known {
  const sent: Segment[] = [];
  let occupying = false;
  let rtxExpired = false;
  let sentInCloseWait = 0;
  for (const e of game.history) {
    if (e.kind === 'sent' && e.segment.segment.from === side) {
      sent.push(e.segment.segment);
      occupying = false;
      rtxExpired = false;
    } else if (e.kind === 'arrived' && e.arrival.to === side) {
      if (segmentLength(e.arrival.segment) > 0) occupying = true;
    } else if (e.kind === 'timer' && e.side === side && e.timer === 'rtx') {
      rtxExpired = true;
    }
  }
  // Data sent from CLOSE_WAIT: the moves after this side entered CLOSE_WAIT (its FIN not yet sent).
  let inCloseWait = false;
  for (const e of game.history) {
    if (e.kind === 'arrived' && e.arrival.to === side && e.arrival.outcome === 'accepted' && e.arrival.after === 'CLOSE_WAIT') inCloseWait = true;
    if (inCloseWait && e.kind === 'sent' && e.segment.segment.from === side) {
      const s = e.segment.segment;
      if (s.flags.includes('FIN')) inCloseWait = false;
      else sentInCloseWait += s.len;
    }
  }
  return { side, ep: game.connection[side], isn: game.isn[side], sent, arrivedSinceSend: { occupying }, rtxExpired, sentInCloseWait };
}

const seg = (from: Side, flags: Flag[], seq: number, ack: number, len = 0): Segment => ({ from, flags, seq, ack: flags.includes('ACK') ? ack : 0, len });

/** The oldest unacknowledged segment this side sent (its latest copy), to send again. */
function retransmission(k: Known): Segment | null {
  const { ep } = k;
  if (ep.sndUna === ep.sndNxt) return null;
  for (let i = k.sent.length - 1; i >= 0; i--) {
    const s = k.sent[i]!;
    if (s.seq === ep.sndUna && segmentLength(s) > 0) {
      const flags = [...s.flags];
      // In SYN_SENT a SYN is sent alone; otherwise the copy acknowledges what has come since.
      return seg(k.side, flags, s.seq, ep.rcvNxt, s.len);
    }
  }
  return null;
}

/** Which scenarios open actively from this side, send data, and close first. */
function plan(scenario: ScenarioId, side: Side) {
  const opens = scenario === 'simultaneous-open' || ((scenario === 'handshake' || scenario === 'lifecycle' || scenario === 'refused') && side === 'client');
  const dataWhenOpen = scenario === 'lifecycle' || (scenario === 'lost-segment' && side === 'client');
  const dataInCloseWait = scenario === 'half-close' && side === 'server';
  const closesFirst =
    scenario === 'simultaneous-close'
    || (side === 'client' && ['teardown', 'lifecycle', 'half-close', 'lost-final-ack'].includes(scenario))
    || (side === 'server' && scenario === 'server-closes');
  const closesAtAll = !['handshake', 'simultaneous-open', 'lost-segment', 'refused', 'abort'].includes(scenario);
  const aborts = scenario === 'abort' && side === 'client';
  return { opens, dataWhenOpen, dataInCloseWait, closesFirst, closesAtAll, aborts };
}

/** The correct next moves of `side` in its pair's game, best first. */
export function oracleMoves(game: PairGame, scenario: ScenarioId, side: Side): OracleMove[] {
  if (game.finished || SCENARIOS[scenario].goalReached(game)) return [{ kind: 'wait', for: 'goal' }];
  const k = known(game, side);
  const { ep } = k;
  const p = plan(scenario, side);
  const moves: OracleMove[] = [];

  // A segment arrived for no connection: answer it with the RST it is owed (RFC 9293 3.10.7.1).
  const owed = ep.owedResets[0];
  if (owed) {
    moves.push(owed.seqFromAck !== null
      ? { kind: 'send', segment: seg(side, ['RST'], owed.seqFromAck, 0), why: 'answer-reset' }
      : { kind: 'send', segment: seg(side, ['RST', 'ACK'], 0, owed.ackOfEnd ?? 0), why: 'answer-reset' });
    return moves;
  }

  // The retransmission timer expired with something unacknowledged: send it again.
  if (k.rtxExpired) {
    const again = retransmission(k);
    if (again) return [{ kind: 'send', segment: again, why: 'retransmit' }];
  }

  switch (ep.state) {
    case 'CLOSED':
      if (p.opens && !ep.reset && k.sent.length === 0) return [{ kind: 'send', segment: seg(side, ['SYN'], k.isn, 0), why: 'open' }];
      return [{ kind: 'wait', for: 'arrival' }];
    case 'LISTEN':
      return [{ kind: 'wait', for: 'arrival' }];
    case 'SYN_SENT':
      return [{ kind: 'wait', for: ep.rtxTimer ? 'rtx' : 'arrival' }];
    case 'SYN_RECEIVED':
      if (ep.iss === null) return [{ kind: 'send', segment: seg(side, ['SYN', 'ACK'], k.isn, ep.rcvNxt), why: 'answer-syn' }];
      // Simultaneous open: the SYN that crossed ours is answered with our SYN, now acknowledging it.
      if (k.arrivedSinceSend.occupying) return [{ kind: 'send', segment: seg(side, ['SYN', 'ACK'], ep.iss, ep.rcvNxt), why: 'answer-syn' }];
      return [{ kind: 'wait', for: ep.rtxTimer ? 'rtx' : 'arrival' }];
    default:
      break;
  }

  const ackNow = seg(side, ['ACK'], ep.sndNxt, ep.rcvNxt);
  const allAcked = ep.sndUna === ep.sndNxt;
  const finSent = ep.finSeq !== null;

  if (p.aborts && ep.state === 'ESTABLISHED') {
    return [{ kind: 'send', segment: seg(side, ['RST', 'ACK'], ep.sndNxt, ep.rcvNxt), why: 'abort' }];
  }

  // What this side's scenario asks it to send now, if anything.
  let action: OracleMove | null = null;
  const dataSent = k.sent.some((s) => s.len > 0);
  if (ep.state === 'ESTABLISHED') {
    if (p.dataWhenOpen && !dataSent) {
      action = { kind: 'send', segment: seg(side, ['ACK', 'PSH'], ep.sndNxt, ep.rcvNxt, ORACLE_DATA_LEN[side]), why: 'send-data' };
    } else if (p.closesFirst && !finSent && allAcked && (scenario !== 'lifecycle' || ep.bytesReceived > 0)) {
      action = { kind: 'send', segment: seg(side, ['FIN', 'ACK'], ep.sndNxt, ep.rcvNxt), why: 'close' };
    }
  } else if (ep.state === 'CLOSE_WAIT' && p.closesAtAll) {
    if (p.dataInCloseWait && k.sentInCloseWait === 0) {
      action = { kind: 'send', segment: seg(side, ['ACK', 'PSH'], ep.sndNxt, ep.rcvNxt, ORACLE_DATA_LEN[side]), why: 'send-data' };
    } else if (!finSent && allAcked && (scenario !== 'lifecycle' || dataSent)) {
      action = { kind: 'send', segment: seg(side, ['FIN', 'ACK'], ep.sndNxt, ep.rcvNxt), why: 'close' };
    }
  }

  // Something that takes sequence space reached us since we last sent: it wants an ACK. The
  // ACK goes first (a FIN is acknowledged before this side closes, as the four-way teardown
  // teaches); data and FIN carry the ack anyway.
  if (k.arrivedSinceSend.occupying && ep.state !== 'ESTABLISHED') moves.push({ kind: 'send', segment: ackNow, why: 'acknowledge' });
  else if (k.arrivedSinceSend.occupying && !action) moves.push({ kind: 'send', segment: ackNow, why: 'acknowledge' });
  if (action) moves.push(action);
  if (moves.length > 0) return moves;
  if (ep.state === 'TIME_WAIT') return [{ kind: 'wait', for: 'time-wait' }];
  return [{ kind: 'wait', for: ep.rtxTimer && !allAcked ? 'rtx' : 'arrival' }];
}
