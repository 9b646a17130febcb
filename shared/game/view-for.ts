/**
 * `viewFor`: the view of a room for one viewer, computed in shared/ so the server sends
 * each person exactly what they may see. A student's view is censored: their own endpoint,
 * what reached it, the wire, their own mistakes, and no secrets; the partner's endpoint (its
 * state, its numbers, what segments did on arrival there) is never in it. Presence (who is
 * connected) is runtime knowledge the server passes in.
 */
import { autoNumbers, peerOf, segmentLength } from '../tcp/machine.ts';
import type { Endpoint, Flag, InFlight, Side } from '../tcp/types.ts';
import type { Mistake, Pair, PairGame, PairHistoryEntry, Room, Round, Seat } from './model.ts';
import { hintsAllowed, pairOfSeat, seatById } from './room.ts';
import { SCENARIOS } from './scenarios.ts';
import { oracleMoves } from './oracle.ts';
import { diagramMoves, handMoves, hintFor, stuckReason } from './next-moves.ts';
import type { ScenarioId } from './model.ts';
import { leaderboard, pairLeaderboard, type SeatRank } from './scoring.ts';
import {
  STUDENT_BOARD_TOP, STUDENT_MISTAKES, TEACHER_MISTAKES, autoKey,
  type Hints, type LadderEntry, type RoundView, type StudentGame, type StudentView, type TeacherPair, type TeacherSeat, type TeacherView,
  type WireSegment,
} from './views.ts';

type TeacherGame = NonNullable<TeacherPair['game']>;

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
  // The teacher's leaderboards are kept per seats array (see teacherBoard), not taken from `shared`.
  if (viewer.role === 'teacher') return teacherView(room, presence);
  return studentView(room, viewer.seatId, presence, shared?.room === room ? shared : viewShared(room));
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

/**
 * The teacher's view is rebuilt on every push, but most of a class does not change between
 * two: a pair's entry is kept per Pair object (the reducer replaces a pair only when it
 * changes) with what else it depends on, and an unchanged pair gives the same object as last
 * time. So does a seat, and so do the room-wide lists kept per array they come from. The
 * teacher feed (teacher-feed.ts) then finds what changed by identity, at no cost. Nothing
 * here may be changed in place by a caller: views are read and serialised, never edited.
 */
interface PairMemo {
  entry: TeacherPair;
  scenario: ScenarioId;
  nicknames: Record<Side, string>;
  connected: Record<Side, boolean>;
  bots: Record<Side, boolean>;
}
const pairMemo = new WeakMap<Pair, PairMemo>();
const seatMemo = new WeakMap<Seat, { entry: TeacherSeat; connected: boolean; pairId: string | null; side: Side | null }>();
const mistakesMemo = new WeakMap<Mistake[], Pick<TeacherView, 'mistakes' | 'commonMistakes'>>();
const boardMemo = new WeakMap<Seat[], TeacherView['leaderboard']>();
const pairBoardMemo = new WeakMap<Pair[], { seats: Seat[]; board: TeacherView['pairLeaderboard'] }>();
const roundMemo = new WeakMap<Round, { kind: Room['kind']; view: RoundView }>();

const sameSides = <T>(a: Record<Side, T>, b: Record<Side, T>) => a.client === b.client && a.server === b.server;

function teacherPair(p: Pair, scenario: ScenarioId, nicknames: Record<Side, string>, connected: Record<Side, boolean>, bots: Record<Side, boolean>): TeacherPair {
  const m = pairMemo.get(p);
  if (m && m.scenario === scenario && sameSides(m.nicknames, nicknames) && sameSides(m.connected, connected) && sameSides(m.bots, bots)) return m.entry;
  const entry: TeacherPair = {
    pairId: p.id,
    seats: { ...p.seats },
    nicknames,
    connected,
    bots,
    game: p.game ? teacherGame(p.game, scenario) : null,
  };
  pairMemo.set(p, { entry, scenario, nicknames, connected, bots });
  return entry;
}

function teacherSeat(s: Seat, connected: boolean, pairId: string | null, side: Side | null): TeacherSeat {
  const m = seatMemo.get(s);
  if (m && m.connected === connected && m.pairId === pairId && m.side === side) return m.entry;
  const entry: TeacherSeat = {
    seatId: s.id, nickname: s.nickname, removed: s.removed, bot: s.bot, connected,
    score: s.score, streak: s.streak, mistakes: s.mistakes, legalMoves: s.legalMoves, pairId, side,
  };
  seatMemo.set(s, { entry, connected, pairId, side });
  return entry;
}

function teacherMistakes(mistakes: Mistake[]): Pick<TeacherView, 'mistakes' | 'commonMistakes'> {
  let m = mistakesMemo.get(mistakes);
  if (m) return m;
  const counts = new Map<string, number>();
  for (const x of mistakes) counts.set(x.code, (counts.get(x.code) ?? 0) + 1);
  m = {
    mistakes: mistakes.slice(-TEACHER_MISTAKES).map((x) => ({ ...x, facts: { ...x.facts }, segment: segmentOnly(x.segment) })),
    commonMistakes: [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code, count]) => ({ code: code as TeacherView['commonMistakes'][number]['code'], count })),
  };
  mistakesMemo.set(mistakes, m);
  return m;
}

function teacherBoard(room: Room): TeacherView['leaderboard'] {
  // The leaderboard is a function of the seats alone (their scores, names and order).
  let b = boardMemo.get(room.seats);
  if (!b) {
    b = leaderboard(room).map(({ rank, seatId, nickname, score, bot }) => ({ rank, seatId, nickname, score, bot }));
    boardMemo.set(room.seats, b);
  }
  return b;
}

function teacherPairBoard(room: Room): TeacherView['pairLeaderboard'] {
  const m = pairBoardMemo.get(room.pairs);
  if (m && m.seats === room.seats) return m.board;
  const board = pairLeaderboard(room).map(({ rank, pairId, nicknames, score }) => ({ rank, pairId, nicknames, score }));
  pairBoardMemo.set(room.pairs, { seats: room.seats, board });
  return board;
}

function teacherRound(room: Room): RoundView {
  const m = roundMemo.get(room.round);
  if (m && m.kind === room.kind) return m.view;
  const view = roundView(room);
  roundMemo.set(room.round, { kind: room.kind, view });
  return view;
}

function teacherView(room: Room, presence: Presence): TeacherView {
  // Maps, not finds: the teacher's view is rebuilt on every change, and a class of 200 must
  // not cost 200 × 100 look-ups each time.
  const seatsById = new Map(room.seats.map((s) => [s.id, s]));
  const nick = (id: string) => seatsById.get(id)?.nickname ?? '';
  const bot = (id: string) => seatsById.get(id)?.bot ?? false;
  const seatPair = new Map<string, { pairId: string; side: Side }>();
  for (const p of room.pairs) {
    seatPair.set(p.seats.client, { pairId: p.id, side: 'client' });
    seatPair.set(p.seats.server, { pairId: p.id, side: 'server' });
  }
  return {
    role: 'teacher',
    room: { code: room.code, kind: room.kind, closed: room.closed, locked: room.locked, createdAt: room.createdAt, timings: room.timings ? { ...room.timings } : null },
    round: teacherRound(room),
    seats: room.seats.map((s) => {
      const ps = seatPair.get(s.id);
      return teacherSeat(s, isConnected(presence, s.id), ps?.pairId ?? null, ps?.side ?? null);
    }),
    pairs: room.pairs.map((p) => teacherPair(
      p,
      room.round.scenario,
      { client: nick(p.seats.client), server: nick(p.seats.server) },
      { client: isConnected(presence, p.seats.client), server: isConnected(presence, p.seats.server) },
      { client: bot(p.seats.client), server: bot(p.seats.server) },
    )),
    unpaired: room.seats
      .filter((s) => !s.removed && !seatPair.has(s.id))
      .map((s) => ({ seatId: s.id, nickname: s.nickname, connected: isConnected(presence, s.id), bot: s.bot })),
    leaderboard: teacherBoard(room),
    pairLeaderboard: teacherPairBoard(room),
    ...teacherMistakes(room.mistakes),
  };
}

/** The game as the host screen shows it: states, the wire, the latest move and loss, the score; no endpoint numbers, no history. */
function teacherGame(game: PairGame, scenario: ScenarioId): NonNullable<TeacherPair['game']> {
  let lastMove: TeacherGame['lastMove'] = null;
  let drop: (PairHistoryEntry & { kind: 'dropped' }) | null = null;
  let mistakes = 0;
  for (let i = game.history.length - 1; i >= 0; i--) {
    const e = game.history[i]!;
    if (e.kind === 'refused') mistakes++;
    if (!lastMove && (e.kind === 'sent' || e.kind === 'refused')) lastMove = e;
    if (!drop && e.kind === 'dropped') drop = e;
  }
  let lost: TeacherGame['lost'] = null;
  if (drop) {
    const id = drop.id;
    const sent = game.history.find((e): e is PairHistoryEntry & { kind: 'sent' } => e.kind === 'sent' && e.segment.id === id);
    lost = { logSeq: drop.logSeq, id, from: drop.from, segment: sent ? segmentOnly(sent.segment.segment) : null };
  }
  const { client, server, wire } = game.connection;
  return {
    // The wire's arrays are not copied: a room is never changed in place (the reducer makes
    // new objects), and the server serialises the view at once.
    connection: { client: { state: client.state }, server: { state: server.state }, wire: { client: wire.client, server: wire.server } },
    stateSeq: { ...game.stateSeq },
    lastMove,
    lost,
    handshakeDone: game.handshakeDone,
    teardownDone: game.teardownDone,
    finished: game.finished,
    isn: { ...game.isn },
    score: game.score,
    mistakes,
    stuck: stuckReason(game, scenario),
  };
}
