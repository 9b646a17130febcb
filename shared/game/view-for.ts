/**
 * `viewFor`: the view of a room for one viewer, computed in shared/ so the server sends
 * each person exactly what they may see. A student's view is censored: their own endpoint,
 * what reached it, the wire, their own mistakes, and no secrets; the partner's endpoint (its
 * state, its numbers, what segments did on arrival there) is never in it. Presence (who is
 * connected) is runtime knowledge the server passes in.
 */
import { autoNumbers, peerOf, segmentLength } from '../tcp/machine.ts';
import type { Endpoint, Flag, InFlight, Side } from '../tcp/types.ts';
import type { PairGame, PairHistoryEntry, Room } from './model.ts';
import { hintsAllowed, pairOfSeat, seatById } from './room.ts';
import { SCENARIOS } from './scenarios.ts';
import { oracleMoves } from './oracle.ts';
import { diagramMoves, handMoves, hintFor, stuckReason } from './next-moves.ts';
import type { ScenarioId } from './model.ts';
import { leaderboard, pairLeaderboard, type SeatRank } from './scoring.ts';
import {
  STUDENT_BOARD_TOP, STUDENT_MISTAKES, TEACHER_HISTORY, TEACHER_MISTAKES, autoKey,
  type Hints, type LadderEntry, type RoundView, type StudentGame, type StudentView, type TeacherView, type WireSegment,
} from './views.ts';

export type Viewer = { role: 'teacher' } | { role: 'student'; seatId: string };
/** Connected seat ids. */
export type Presence = ReadonlySet<string> | readonly string[];

const isConnected = (presence: Presence, seatId: string): boolean =>
  Array.isArray(presence) ? presence.includes(seatId) : (presence as ReadonlySet<string>).has(seatId);

/**
 * What every view of one room state has in common, computed once: the server builds the
 * views of a whole class from one, so a push costs one sort, not one per student.
 */
export interface ViewShared { room: Room; leaderboard: SeatRank[]; rankOf: Map<string, number> }

/** The shared part of the views of this room state. */
export function viewShared(room: Room): ViewShared {
  const board = leaderboard(room);
  return { room, leaderboard: board, rankOf: new Map(board.map((e, i) => [e.seatId, i])) };
}

/** The teacher's view of the room. */
export function viewFor(room: Room, viewer: { role: 'teacher' }, presence: Presence, shared?: ViewShared): TeacherView;
/** A student's view, or null when the seat does not exist or was removed. */
export function viewFor(room: Room, viewer: { role: 'student'; seatId: string }, presence: Presence, shared?: ViewShared): StudentView | null;
export function viewFor(room: Room, viewer: Viewer, presence: Presence, shared?: ViewShared): TeacherView | StudentView | null;
export function viewFor(room: Room, viewer: Viewer, presence: Presence, shared?: ViewShared): TeacherView | StudentView | null {
  const common = shared?.room === room ? shared : viewShared(room);
  return viewer.role === 'teacher' ? teacherView(room, presence, common) : studentView(room, viewer.seatId, presence, common);
}

/**
 * A student's leaderboard: the top STUDENT_BOARD_TOP, and their own line below when they are
 * not among them. Bounded, so a class of 200 does not send every student 200 lines on every
 * change (and a join, with its score of 0, changes nobody else's board once the top is full).
 */
function studentBoard(shared: ViewShared, seatId: string): StudentView['leaderboard'] {
  const line = ({ rank, nickname, score, bot }: SeatRank) => ({ rank, nickname, score, bot });
  const top = shared.leaderboard.slice(0, STUDENT_BOARD_TOP).map(line);
  const mine = shared.rankOf.get(seatId);
  if (mine !== undefined && mine >= STUDENT_BOARD_TOP) top.push(line(shared.leaderboard[mine]!));
  return top;
}

function roundView(room: Room): RoundView {
  const s = SCENARIOS[room.round.scenario];
  return {
    number: room.round.number,
    status: room.round.status,
    scenario: room.round.scenario,
    level: room.round.level,
    speedBonus: room.round.speedBonus,
    title: { ...s.title },
    goal: { ...s.goal },
    firstMover: s.firstMover,
    hints: hintsAllowed(room),
  };
}

const wireSegment = (f: InFlight): WireSegment => ({
  id: f.id, from: f.segment.from, flags: [...f.segment.flags], seq: f.segment.seq, ack: f.segment.ack, len: f.segment.len,
});

const segmentOnly = (s: { from: Side; flags: Flag[]; seq: number; ack: number; len: number }) =>
  ({ from: s.from, flags: [...s.flags], seq: s.seq, ack: s.ack, len: s.len });

// ---------------------------------------------------------------------------------------
// Student
// ---------------------------------------------------------------------------------------

function studentView(room: Room, seatId: string, presence: Presence, shared: ViewShared): StudentView | null {
  const seat = seatById(room, seatId);
  if (!seat || seat.removed) return null;
  const ps = pairOfSeat(room, seatId);
  let pair: StudentView['pair'] = null;
  if (ps) {
    const partnerId = ps.pair.seats[peerOf(ps.side)];
    const partner = seatById(room, partnerId);
    pair = {
      pairId: ps.pair.id,
      side: ps.side,
      partner: { nickname: partner?.nickname ?? '', connected: isConnected(presence, partnerId), bot: partner?.bot ?? false },
      game: ps.pair.game ? studentGame(ps.pair.game, ps.side, room.round.level, room.round.scenario) : null,
    };
  }
  return {
    role: 'student',
    room: { code: room.code, kind: room.kind, closed: room.closed },
    round: roundView(room),
    you: {
      seatId: seat.id, nickname: seat.nickname, score: seat.score, streak: seat.streak, mistakes: seat.mistakes, legalMoves: seat.legalMoves,
    },
    pair,
    mistakes: room.mistakes
      .filter((m) => m.seatId === seat.id)
      .slice(-STUDENT_MISTAKES)
      .map((m) => ({ logSeq: m.logSeq, code: m.code, facts: { ...m.facts }, segment: segmentOnly(m.segment) })),
    leaderboard: studentBoard(shared, seat.id),
  };
}

function studentGame(game: PairGame, side: Side, level: number, scenario: ScenarioId): StudentGame {
  const ep = game.connection[side];
  // The oracle uses only what this endpoint knows, so its answer may be shown to this side.
  const moves = oracleMoves(game, scenario, side);
  return {
    stateSeq: game.stateSeq[side],
    endpoint: {
      side,
      state: ep.state,
      // The ISN the player chose with their SYN once sent (the machine holds them to it), the suggested one before.
      isn: ep.iss ?? game.isn[side],
      isnChosen: ep.iss !== null,
      timers: { rtx: ep.rtxTimer, timeWait: ep.timeWaitTimer },
      bytesReceived: ep.bytesReceived,
      numbers: level === 1 ? { iss: ep.iss, irs: ep.irs, sndUna: ep.sndUna, sndNxt: ep.sndNxt, rcvNxt: ep.rcvNxt } : null,
    },
    wire: {
      mine: game.connection.wire[side].map(wireSegment),
      theirs: game.connection.wire[peerOf(side)].map(wireSegment),
    },
    ladder: game.history.flatMap((e) => ladderEntry(e, side)),
    hints: level === 1 ? { ...hintsFor(ep, game, side), moves: handMoves(moves) } : null,
    next: diagramMoves(game, moves, side),
    hint: game.hinted?.[side] === game.stateSeq[side] ? hintFor(game, scenario, side) : null,
    stuck: stuckReason(game, scenario),
    handshakeDone: game.handshakeDone,
    teardownDone: game.teardownDone,
    finished: game.finished,
    score: game.score,
  };
}

/** One history entry as `side` may see it: the partner's refusals, timers and what arrived there stay hidden. */
function ladderEntry(e: PairHistoryEntry, side: Side): LadderEntry[] {
  switch (e.kind) {
    case 'sent': return [{ kind: 'sent', logSeq: e.logSeq, segment: wireSegment(e.segment) }];
    case 'refused':
      return e.segment.from === side
        ? [{ kind: 'refused', logSeq: e.logSeq, segment: segmentOnly(e.segment), code: e.code, facts: { ...e.facts } }]
        : [];
    case 'arrived':
      if (e.arrival.to !== side) return [{ kind: 'delivered', logSeq: e.logSeq, to: e.arrival.to, id: e.arrival.id }];
      return [{
        kind: 'arrived',
        logSeq: e.logSeq,
        arrival: e.arrival.outcome === 'accepted'
          ? { outcome: 'accepted', id: e.arrival.id, segment: segmentOnly(e.arrival.segment), to: e.arrival.to, before: e.arrival.before, after: e.arrival.after }
          : { outcome: 'ignored', id: e.arrival.id, segment: segmentOnly(e.arrival.segment), to: e.arrival.to, state: e.arrival.state, why: e.arrival.why },
      }];
    // A real endpoint never learns that a segment was lost: its retransmission timer tells it.
    case 'dropped': return [];
    case 'timer': return e.side === side ? [{ kind: 'timer', logSeq: e.logSeq, side: e.side, timer: e.timer }] : [];
  }
}

const HINT_FLAG_SETS: Flag[][] = [[], ['SYN'], ['ACK'], ['RST'], ['SYN', 'ACK'], ['ACK', 'RST'], ['SYN', 'RST'], ['SYN', 'ACK', 'RST']];

/** Level 1 help: autoNumbers for every combination that changes them, and the retransmission card (the oracle's moves are added by the view). */
export function hintsFor(ep: Endpoint, game: PairGame, side: Side): Omit<Hints, 'moves'> {
  const auto: Hints['auto'] = {};
  for (const flags of HINT_FLAG_SETS) auto[autoKey(flags)] = autoNumbers(ep, flags, game.isn[side]);
  let retransmit: Omit<Hints, 'moves'>['retransmit'] = null;
  if (ep.sndUna !== ep.sndNxt) {
    // The latest copy this side sent of the oldest unacknowledged segment.
    for (let i = game.history.length - 1; i >= 0; i--) {
      const e = game.history[i]!;
      if (e.kind !== 'sent' || e.segment.segment.from !== side) continue;
      const s = e.segment.segment;
      const occupies = segmentLength(s) > 0;
      if (occupies && s.seq === ep.sndUna) {
        retransmit = { flags: [...s.flags], seq: s.seq, ack: s.flags.includes('ACK') ? ep.rcvNxt : 0, len: s.len };
        break;
      }
    }
  }
  return { auto, retransmit };
}

// ---------------------------------------------------------------------------------------
// Teacher
// ---------------------------------------------------------------------------------------

function teacherView(room: Room, presence: Presence, shared: ViewShared): TeacherView {
  // Maps, not finds: the teacher's view is rebuilt on every change, and a class of 200 must
  // not cost 200 × 100 look-ups each time.
  const nicknames = new Map(room.seats.map((s) => [s.id, s.nickname]));
  const nick = (id: string) => nicknames.get(id) ?? '';
  const bots = new Set(room.seats.filter((s) => s.bot).map((s) => s.id));
  const seatPair = new Map<string, { pairId: string; side: Side }>();
  for (const p of room.pairs) {
    seatPair.set(p.seats.client, { pairId: p.id, side: 'client' });
    seatPair.set(p.seats.server, { pairId: p.id, side: 'server' });
  }
  const counts = new Map<string, number>();
  for (const m of room.mistakes) counts.set(m.code, (counts.get(m.code) ?? 0) + 1);
  return {
    role: 'teacher',
    room: { code: room.code, kind: room.kind, closed: room.closed, locked: room.locked, createdAt: room.createdAt },
    round: roundView(room),
    seats: room.seats.map((s) => {
      const ps = seatPair.get(s.id);
      return {
        seatId: s.id, nickname: s.nickname, removed: s.removed, bot: s.bot, connected: isConnected(presence, s.id),
        score: s.score, streak: s.streak, mistakes: s.mistakes, legalMoves: s.legalMoves,
        pairId: ps?.pairId ?? null, side: ps?.side ?? null,
      };
    }),
    pairs: room.pairs.map((p) => ({
      pairId: p.id,
      seats: { ...p.seats },
      nicknames: { client: nick(p.seats.client), server: nick(p.seats.server) },
      connected: { client: isConnected(presence, p.seats.client), server: isConnected(presence, p.seats.server) },
      bots: { client: bots.has(p.seats.client), server: bots.has(p.seats.server) },
      game: p.game ? teacherGame(p.game, room.round.scenario) : null,
    })),
    unpaired: room.seats
      .filter((s) => !s.removed && !seatPair.has(s.id))
      .map((s) => ({ seatId: s.id, nickname: s.nickname, connected: isConnected(presence, s.id), bot: s.bot })),
    leaderboard: shared.leaderboard.map(({ rank, seatId, nickname, score, bot }) => ({ rank, seatId, nickname, score, bot })),
    pairLeaderboard: pairLeaderboard(room).map(({ rank, pairId, nicknames, score }) => ({ rank, pairId, nicknames, score })),
    mistakes: room.mistakes.slice(-TEACHER_MISTAKES).map((m) => ({ ...m, facts: { ...m.facts }, segment: segmentOnly(m.segment) })),
    commonMistakes: [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, count]) => ({ code: code as TeacherView['commonMistakes'][number]['code'], count })),
  };
}

function teacherGame(game: PairGame, scenario: ScenarioId): NonNullable<TeacherView['pairs'][number]['game']> {
  let lastMove: PairHistoryEntry | null = null;
  for (let i = game.history.length - 1; i >= 0 && !lastMove; i--) {
    const e = game.history[i]!;
    if (e.kind === 'sent' || e.kind === 'refused') lastMove = e;
  }
  return {
    // Not copied: a room is never changed in place (the reducer makes new objects), and the
    // server serialises the view at once. A structuredClone here cost 15 % of a busy server.
    connection: game.connection,
    stateSeq: { ...game.stateSeq },
    // Bounded: the view is pushed on every event, and a student repeating refused moves must
    // not grow it without end. Reviewing a whole game reads the log.
    history: game.history.slice(-TEACHER_HISTORY),
    lastMove,
    handshakeDone: game.handshakeDone,
    teardownDone: game.teardownDone,
    finished: game.finished,
    isn: { ...game.isn },
    score: game.score,
    mistakes: game.history.filter((e) => e.kind === 'refused').length,
    stuck: stuckReason(game, scenario),
  };
}
