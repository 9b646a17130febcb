/**
 * The room reducer: `applyEvent(room, event)` is pure and never throws. An event that may
 * not happen (unknown seat, stale state, a locked room, …) returns `ok: false` with a
 * code and changes nothing; the server does not log it. Who may ask for an event is not
 * the reducer's question: decide.ts answers it before an event exists. Everything else returns the next
 * room and the effects the server must run (deliver a segment later, start or stop a timer).
 * A move the TCP machine refuses is `ok: true` with a refused verdict: it is logged, costs
 * points and goes into the pair's history. The room is a fold of applyEvent over its log.
 */
import { timeWaitProblem } from './timings.ts';
import { peerOf, segmentLength, step } from '../tcp/machine.ts';
import type { Connection, Effect, Endpoint, InFlight, Segment, Side } from '../tcp/types.ts';
import { ERROR_CODES, checkNickname, type ErrorCode } from '../protocol.ts';
import { PRACTICE_SEATS } from '../protocol-constants.ts';
import { roomEventSchema } from './events.ts';
import type {
  Actor, Level, MoveVerdict, Pair, PairGame, PairHistoryEntry, Room, RoomEffect, RoomEvent, ScenarioId, Seat,
} from './model.ts';
import { SCENARIOS, bothEstablished, pickIsns, startConnection, teardownComplete } from './scenarios.ts';
import { POINTS, legalMovePoints, refusedMovePoints } from './scoring.ts';

export type ApplyResult =
  | { ok: true; room: Room; effects: RoomEffect[]; verdict?: MoveVerdict }
  | { ok: false; code: ErrorCode; message: string };

type Fail = { ok: false; code: ErrorCode; message: string };
type Next = { ok: true; room: Room; effects: RoomEffect[]; verdict?: MoveVerdict };

const fail = (code: ErrorCode, message: string): Fail => ({ ok: false, code, message });

/** A room as its `room/created` event makes it (log seq 1). */
export function createRoom(ev: RoomEvent & { type: 'room/created' }): Room {
  return {
    code: ev.code,
    kind: ev.kind,
    keyHash: ev.keyHash,
    createdAt: ev.at,
    seats: [],
    pairs: [],
    round: { number: 0, status: 'lobby', scenario: 'lifecycle', level: 1, speedBonus: false, hints: false },
    seq: 1,
    closed: false,
    locked: false,
    mistakes: [],
    pairSerial: 0,
    timings: ev.timings ? { ...ev.timings } : null,
  };
}

/** Apply one event: the next room and its effects, or a refusal that changes nothing. Never throws. */
export function applyEvent(room: Room, ev: RoomEvent): ApplyResult {
  const parsed = roomEventSchema.safeParse(ev);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(ERROR_CODES.eventInvalid, `malformed ${String((ev as { type?: unknown } | null)?.type)} event: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  if (room.closed) return fail(ERROR_CODES.roomClosed, 'the room is closed');
  const seq = room.seq + 1;
  let r: Next | Fail;
  try {
    r = reduce(room, ev, seq);
  } catch (e) {
    // Not reachable by design; a refusal is better than a crashed room.
    return fail(ERROR_CODES.internal, `internal error applying ${ev.type}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!r.ok) return r;
  return { ...r, room: { ...r.room, seq } };
}

/** Thrown by replayLog when a log cannot be replayed (it does not start with room/created, or an event is refused). */
export class ReplayError extends Error {
  constructor(readonly index: number, readonly code: ErrorCode | 'replay/no-room', message: string) {
    super(`event ${index}: ${code}: ${message}`);
    this.name = 'ReplayError';
  }
}

/**
 * The room an event log describes: createRoom on the first, applyEvent on the rest. A log
 * only holds accepted events, so a refusal means a damaged log: it throws ReplayError.
 */
export function replayLog(events: readonly RoomEvent[]): Room {
  const first = events[0];
  if (!first || first.type !== 'room/created') throw new ReplayError(0, 'replay/no-room', 'a log starts with room/created');
  let room = createRoom(first);
  for (let i = 1; i < events.length; i++) {
    const r = applyEvent(room, events[i]!);
    if (!r.ok) throw new ReplayError(i, r.code, r.message);
    room = r.room;
  }
  return room;
}

// ---------------------------------------------------------------------------------------
// Helpers the server needs
// ---------------------------------------------------------------------------------------

/** The actor string of a seat. */
export const seatActor = (seatId: string): Actor => `seat:${seatId}`;

/** The seat with this token hash (removed seats included: the caller refuses them with 'seat/removed'). */
export function seatByTokenHash(room: Room, tokenHash: string): Seat | undefined {
  return room.seats.find((s) => s.tokenHash === tokenHash);
}

/** The seat with this id. */
export function seatById(room: Room, seatId: string): Seat | undefined {
  return room.seats.find((s) => s.id === seatId);
}

/** The pair a seat is in, and its side, or undefined. */
export function pairOfSeat(room: Room, seatId: string): { pair: Pair; side: Side } | undefined {
  for (const pair of room.pairs) {
    if (pair.seats.client === seatId) return { pair, side: 'client' };
    if (pair.seats.server === seatId) return { pair, side: 'server' };
  }
  return undefined;
}

/** The id the next joining seat gets. */
export const nextSeatId = (room: Room): string => `s${room.seats.length + 1}`;
/** The id the next formed pair gets (ids are never reused, so late deliveries cannot hit a new pair). */
export const nextPairId = (room: Room): string => `p${room.pairSerial + 1}`;

/** Seats not removed and in no pair, in join order. */
export function unpairedSeats(room: Room): Seat[] {
  return room.seats.filter((s) => !s.removed && !pairOfSeat(room, s.id));
}

const roundActive = (room: Room): boolean => room.round.status === 'running' || room.round.status === 'paused';

/** One segment in flight. `lost`: the scenario loses it, so the server drops it (`wire/dropped`) instead of delivering it. */
export interface InFlightEntry { pairId: string; from: Side; id: number; segment: Segment; lost: boolean }

/**
 * Every segment in flight, per pair, oldest first in each direction: after a restart the
 * server schedules each one's delivery (or loss) again. Empty unless a round is running or paused.
 */
export function inFlight(room: Room): InFlightEntry[] {
  if (!roundActive(room)) return [];
  const out: InFlightEntry[] = [];
  for (const pair of room.pairs) {
    const game = pair.game;
    if (!game) continue;
    for (const from of ['client', 'server'] as const) {
      for (const f of game.connection.wire[from]) {
        out.push({ pairId: pair.id, from, id: f.id, segment: f.segment, lost: game.toLose.includes(f.id) });
      }
    }
  }
  return out;
}

/** The oldest segment in flight in a pair, either direction (what `wire/drop` loses), or null. */
export function oldestInFlight(room: Room, pairId: string): { from: Side; id: number } | null {
  const wire = room.pairs.find((p) => p.id === pairId)?.game?.connection.wire;
  if (!wire) return null;
  const c = wire.client[0];
  const s = wire.server[0];
  if (c && (!s || c.id < s.id)) return { from: 'client', id: c.id };
  return s ? { from: 'server', id: s.id } : null;
}

/** A TCP timer the machine has running. */
export interface RunningTimer { pairId: string; side: Side; timer: 'rtx' | 'time-wait' }

/** Every TCP timer running in the room (to start again after a restart). Empty unless a round is running or paused. */
export function runningTimers(room: Room): RunningTimer[] {
  if (!roundActive(room)) return [];
  const out: RunningTimer[] = [];
  for (const pair of room.pairs) {
    if (!pair.game) continue;
    for (const side of ['client', 'server'] as const) {
      const ep = pair.game.connection[side];
      if (ep.rtxTimer) out.push({ pairId: pair.id, side, timer: 'rtx' });
      if (ep.timeWaitTimer && ep.state === 'TIME_WAIT') out.push({ pairId: pair.id, side, timer: 'time-wait' });
    }
  }
  return out;
}

/**
 * Pair every unpaired seat two by two, in an order shuffled by `random` (values in [0, 1)),
 * as pair/formed events to apply in order: the choices are in the events, so replay needs no
 * randomness. With a round running, each carries ISNs for the round's level. An odd seat is left.
 */
export function autoPairEvents(room: Room, random: () => number, by: Actor): RoomEvent[] {
  const free = unpairedSeats(room).map((s) => s.id);
  for (let i = free.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [free[i], free[j]] = [free[j]!, free[i]!];
  }
  const events: RoomEvent[] = [];
  for (let i = 0; i + 1 < free.length; i += 2) {
    const pairId = `p${room.pairSerial + 1 + events.length}`;
    const ev: RoomEvent = { type: 'pair/formed', pairId, client: free[i]!, server: free[i + 1]!, by };
    events.push(roundActive(room) ? { ...ev, isn: pickIsns(room.round.level, random) } : ev);
  }
  return events;
}

/** The pair/formed event for pair/set: the next pair id, and ISNs when a round is running. */
export function pairSetEvent(room: Room, client: string, server: string, random: () => number, by: Actor): RoomEvent {
  const ev: RoomEvent = { type: 'pair/formed', pairId: nextPairId(room), client, server, by };
  return roundActive(room) ? { ...ev, isn: pickIsns(room.round.level, random) } : ev;
}

/** The round/started event for round/start: fresh ISNs for every pair of the room. */
export function roundStartEvent(
  room: Room, opts: { scenario: ScenarioId; level: Level; speedBonus: boolean; hints?: boolean }, random: () => number, by: Actor,
): RoomEvent {
  const isns: Record<string, Record<Side, number>> = {};
  for (const p of room.pairs) isns[p.id] = pickIsns(opts.level, random);
  const ev: RoomEvent = { type: 'round/started', scenario: opts.scenario, level: opts.level, speedBonus: opts.speedBonus, isns, by };
  return opts.hints ? { ...ev, hints: true } : ev;
}

// ---------------------------------------------------------------------------------------
// The reducer
// ---------------------------------------------------------------------------------------

const replaceSeat = (room: Room, seat: Seat): Room => ({ ...room, seats: room.seats.map((s) => (s.id === seat.id ? seat : s)) });
const replacePair = (room: Room, pair: Pair): Room => ({ ...room, pairs: room.pairs.map((p) => (p.id === pair.id ? pair : p)) });
const addScore = (room: Room, seatId: string, points: number): Room => {
  const seat = seatById(room, seatId);
  return seat ? replaceSeat(room, { ...seat, score: seat.score + points }) : room;
};

function newGame(scenario: ScenarioId, isn: Record<Side, number>, seq: number): PairGame {
  const connection = startConnection(scenario, isn);
  return {
    connection,
    stateSeq: { client: seq, server: seq },
    history: [],
    handshakeDone: bothEstablished(connection),
    teardownDone: false,
    finished: false,
    isn: { client: isn.client, server: isn.server },
    score: 0,
    toLose: [],
    hinted: { client: null, server: null },
  };
}

/** Students may buy hints in this room's round: always in practice, in class when the teacher allowed it. */
export const hintsAllowed = (room: Room): boolean => room.kind === 'practice' || room.round.hints;

const tcpEffects = (pairId: string, effects: readonly Effect[]): RoomEffect[] =>
  effects.map((effect) => ({ type: 'tcp', pairId, effect }));

const cancelTimers = (room: Room): RoomEffect[] =>
  room.pairs.filter((p) => p.game).map((p) => ({ type: 'pair/cancel-timers', pairId: p.id }));

/** Award first-time handshake, teardown and goal bonuses for a pair after its game changed. */
function settle(room: Room, pairId: string): Room {
  const pair = room.pairs.find((p) => p.id === pairId);
  if (!pair?.game) return room;
  let game = pair.game;
  let bonus = 0;
  if (!game.handshakeDone && bothEstablished(game.connection)) {
    game = { ...game, handshakeDone: true };
    bonus += POINTS.handshake;
  }
  if (!game.teardownDone && teardownComplete(game)) {
    game = { ...game, teardownDone: true };
    bonus += POINTS.teardown;
  }
  if (!game.finished && SCENARIOS[room.round.scenario].goalReached(game)) {
    game = { ...game, finished: true };
    bonus += POINTS.goal;
  }
  if (game === pair.game) return room;
  // Each player gets the bonus, and a pair's score is what its two players earned in this game.
  let next = replacePair(room, { ...pair, game: { ...game, score: game.score + 2 * bonus } });
  if (bonus !== 0) {
    next = addScore(next, pair.seats.client, bonus);
    next = addScore(next, pair.seats.server, bonus);
  }
  return next;
}

/**
 * A legal move makes progress when it changed the sender's state or SND.NXT, carries RST,
 * answers something that arrived since the sender last sent, or retransmits after the
 * retransmission timer expired. Anything else (ACKing nothing new, retransmitting early)
 * is legal but earns nothing, so points cannot be farmed by repeating a card.
 */
export function makesProgress(game: PairGame, side: Side, before: Endpoint, after: Endpoint, seg: Segment): boolean {
  if (seg.flags.includes('RST')) return true;
  if (after.state !== before.state || after.sndNxt !== before.sndNxt) return true;
  const occupies = segmentLength(seg) > 0;
  if (occupies && !before.rtxTimer) return true;
  for (let i = game.history.length - 1; i >= 0; i--) {
    const e = game.history[i]!;
    if (e.kind === 'sent' && e.segment.segment.from === side) return false;
    if (e.kind === 'arrived' && e.arrival.to === side) return true;
  }
  return false;
}

function reduce(room: Room, ev: RoomEvent, seq: number): Next | Fail {
  const ok = (next: Room, effects: RoomEffect[] = [], verdict?: MoveVerdict): Next =>
    verdict ? { ok: true, room: next, effects, verdict } : { ok: true, room: next, effects };

  switch (ev.type) {
    case 'room/created':
      return fail(ERROR_CODES.eventInvalid, 'the room already exists');

    case 'seat/joined': {
      if (seatById(room, ev.seatId)) return fail(ERROR_CODES.seatExists, `seat ${ev.seatId} already exists`);
      if (room.seats.some((s) => s.tokenHash === ev.tokenHash)) return fail(ERROR_CODES.eventInvalid, 'that token is already a seat\'s');
      // Whoever has a practice room's code could otherwise join and run the two friends' rounds.
      if (room.kind === 'practice' && room.seats.filter((s) => !s.removed).length >= PRACTICE_SEATS) {
        return fail(ERROR_CODES.roomFull, `a practice room seats ${PRACTICE_SEATS} players`);
      }
      if (room.locked) return fail(ERROR_CODES.roomLocked, 'the teacher locked this room: no new students can join');
      // A removed student's nickname stays taken, so they cannot come back as "themselves".
      const nick = checkNickname(ev.nickname, room.seats.map((s) => s.nickname));
      if (!nick.ok) return fail(nick.code, nick.message);
      const seat: Seat = {
        id: ev.seatId, nickname: nick.nickname, tokenHash: ev.tokenHash, removed: false, bot: ev.bot === true,
        score: 0, streak: 0, mistakes: 0, legalMoves: 0,
      };
      return ok({ ...room, seats: [...room.seats, seat] });
    }

    case 'seat/renamed': {
      const seat = seatById(room, ev.seatId);
      if (!seat) return fail(ERROR_CODES.seatNotFound, `no seat ${ev.seatId}`);
      if (seat.removed) return fail(ERROR_CODES.seatRemoved, `seat ${ev.seatId} was removed`);
      const nick = checkNickname(ev.nickname, room.seats.filter((s) => s.id !== seat.id).map((s) => s.nickname));
      if (!nick.ok) return fail(nick.code, nick.message);
      return ok(replaceSeat(room, { ...seat, nickname: nick.nickname }));
    }

    case 'seat/removed': {
      const seat = seatById(room, ev.seatId);
      if (!seat) return fail(ERROR_CODES.seatNotFound, `no seat ${ev.seatId}`);
      if (seat.removed) return fail(ERROR_CODES.seatRemoved, `seat ${ev.seatId} was already removed`);
      let next = replaceSeat(room, { ...seat, removed: true, streak: 0 });
      const effects: RoomEffect[] = [];
      const ps = pairOfSeat(room, seat.id);
      // The partner is left alone: the pair is dissolved and the partner can be paired again.
      if (ps) {
        next = { ...next, pairs: next.pairs.filter((p) => p.id !== ps.pair.id) };
        effects.push({ type: 'pair/cancel-timers', pairId: ps.pair.id });
      }
      return ok(next, effects);
    }

    case 'pair/formed': {
      if (ev.pairId !== nextPairId(room)) return fail(ERROR_CODES.pairBadId, `the next pair id is ${nextPairId(room)}, not ${ev.pairId}`);
      if (ev.client === ev.server) return fail(ERROR_CODES.pairSameSeat, 'a pair needs two different seats');
      for (const id of [ev.client, ev.server]) {
        const seat = seatById(room, id);
        if (!seat) return fail(ERROR_CODES.seatNotFound, `no seat ${id}`);
        if (seat.removed) return fail(ERROR_CODES.seatRemoved, `seat ${id} was removed`);
        if (pairOfSeat(room, id)) return fail(ERROR_CODES.pairSeatBusy, `seat ${id} is already in a pair`);
      }
      let game: PairGame | null = null;
      if (roundActive(room)) {
        if (!ev.isn) return fail(ERROR_CODES.roundMissingIsn, 'a pair formed during a round needs its ISNs');
        game = newGame(room.round.scenario, ev.isn, seq);
      }
      const pair: Pair = { id: ev.pairId, seats: { client: ev.client, server: ev.server }, game };
      return ok({ ...room, pairs: [...room.pairs, pair], pairSerial: room.pairSerial + 1 });
    }

    case 'pair/swapped': {
      const pair = room.pairs.find((p) => p.id === ev.pairId);
      if (!pair) return fail(ERROR_CODES.pairNotFound, `no pair ${ev.pairId}`);
      const g = pair.game;
      if (roundActive(room) && g && g.history.length > 0 && !g.finished) {
        return fail(ERROR_CODES.pairInGame, 'this pair is in the middle of a game: swap roles when it is finished or between rounds');
      }
      // Swapped roles start the game afresh (mid-round) or wait for the next round.
      const game = roundActive(room) && g ? newGame(room.round.scenario, g.isn, seq) : null;
      const swapped: Pair = { ...pair, seats: { client: pair.seats.server, server: pair.seats.client }, game };
      return ok(replacePair(room, swapped), g ? [{ type: 'pair/cancel-timers', pairId: pair.id }] : []);
    }

    case 'pair/restarted': {
      if (!roundActive(room)) return fail(ERROR_CODES.roundNotRunning, 'a game restarts during a round');
      const pair = room.pairs.find((p) => p.id === ev.pairId);
      if (!pair) return fail(ERROR_CODES.pairNotFound, `no pair ${ev.pairId}`);
      // Points already earned stay with the players; the game (and its pair score) starts afresh.
      const next = replacePair(room, { ...pair, game: newGame(room.round.scenario, ev.isn, seq) });
      return ok(settle(next, pair.id), [{ type: 'pair/cancel-timers', pairId: pair.id }]);
    }

    case 'hint/given': {
      if (room.round.status !== 'running') return fail(ERROR_CODES.roundNotRunning, 'no round is running');
      if (!hintsAllowed(room)) return fail(ERROR_CODES.hintOff, 'the teacher did not allow hints in this round');
      const seat = seatById(room, ev.seatId);
      const ps = seat && !seat.removed ? pairOfSeat(room, seat.id) : undefined;
      if (!seat || !ps || ps.pair.id !== ev.pairId || !ps.pair.game || ps.pair.game.finished) {
        return fail(ERROR_CODES.hintNoGame, 'there is no game of yours to hint');
      }
      const game = ps.pair.game;
      // Not a change of state: stateSeq stays, so a move being made is not made stale.
      const next = replacePair(room, { ...ps.pair, game: { ...game, hinted: { ...game.hinted, [ps.side]: game.stateSeq[ps.side] }, score: game.score + POINTS.hint } });
      return ok(replaceSeat(next, { ...seat, score: seat.score + POINTS.hint }));
    }

    case 'pair/dissolved': {
      const pair = room.pairs.find((p) => p.id === ev.pairId);
      if (!pair) return fail(ERROR_CODES.pairNotFound, `no pair ${ev.pairId}`);
      return ok({ ...room, pairs: room.pairs.filter((p) => p.id !== pair.id) }, [{ type: 'pair/cancel-timers', pairId: pair.id }]);
    }

    case 'round/started': {
      if (roundActive(room)) return fail(ERROR_CODES.roundAlreadyRunning, 'a round is already running: end it first');
      const missing = room.pairs.find((p) => !ev.isns[p.id]);
      if (missing) return fail(ERROR_CODES.roundMissingIsn, `no ISNs for pair ${missing.id}`);
      const effects = cancelTimers(room);
      const pairs = room.pairs.map((p) => ({ ...p, game: newGame(ev.scenario, ev.isns[p.id]!, seq) }));
      const round = {
        number: room.round.number + 1, status: 'running' as const, scenario: ev.scenario, level: ev.level, speedBonus: ev.speedBonus, hints: ev.hints === true,
      };
      let next: Room = { ...room, pairs, round };
      // A starting position may already meet a goal (never in the catalogue, but keep bonuses consistent).
      for (const p of pairs) next = settle(next, p.id);
      return ok(next, effects);
    }

    case 'round/paused': {
      if (room.round.status !== 'running') return fail(ERROR_CODES.roundNotRunning, 'no round is running');
      return ok({ ...room, round: { ...room.round, status: 'paused' } });
    }

    case 'round/resumed': {
      if (room.round.status !== 'paused') return fail(ERROR_CODES.roundNotPaused, 'the round is not paused');
      return ok({ ...room, round: { ...room.round, status: 'running' } });
    }

    case 'round/ended': {
      if (!roundActive(room)) return fail(ERROR_CODES.roundNotRunning, 'no round is running');
      return ok({ ...room, round: { ...room.round, status: 'ended' } }, cancelTimers(room));
    }

    case 'room/timings-set': {
      if (roundActive(room)) return fail(ERROR_CODES.roundAlreadyRunning, 'the timers change between rounds: end the round first');
      const timings = { latencyMs: ev.latencyMs, rtxMs: ev.rtxMs, timeWaitMs: ev.timeWaitMs };
      const problem = timeWaitProblem(timings);
      if (problem) return fail(ERROR_CODES.roundTimeWaitTooShort, problem);
      return ok({ ...room, timings });
    }

    case 'room/locked':
      return room.locked ? fail(ERROR_CODES.roomLocked, 'the room is already locked') : ok({ ...room, locked: true });

    case 'room/unlocked':
      return room.locked ? ok({ ...room, locked: false }) : fail(ERROR_CODES.roomNotLocked, 'the room is not locked');

    case 'room/closed': {
      const round = roundActive(room) ? { ...room.round, status: 'ended' as const } : room.round;
      return ok({ ...room, closed: true, round }, cancelTimers(room));
    }

    case 'move': return move(room, ev, seq);

    case 'wire/delivered': {
      if (room.round.status !== 'running') return fail(ERROR_CODES.roundNotRunning, 'the wire waits while the round is not running');
      const found = gameOf(room, ev.pairId);
      if (!found.ok) return found;
      const { pair, game } = found;
      const head = game.connection.wire[ev.from][0];
      if (!head || head.id !== ev.id) return fail(ERROR_CODES.wireNotInFlight, `segment ${ev.id} is not the oldest in flight from the ${ev.from}`);
      const r = step(game.connection, { type: 'deliver', from: ev.from });
      if (!r.ok || !r.arrival) return fail(ERROR_CODES.wireNotInFlight, 'nothing to deliver');
      const to = peerOf(ev.from);
      const next: PairGame = {
        ...game,
        connection: r.connection,
        stateSeq: { ...game.stateSeq, [to]: seq },
        history: [...game.history, { kind: 'arrived', logSeq: seq, arrival: r.arrival }],
        toLose: game.toLose.filter((id) => id !== ev.id),
      };
      return ok(settle(replacePair(room, { ...pair, game: next }), pair.id), tcpEffects(pair.id, r.effects));
    }

    case 'wire/dropped': {
      if (!roundActive(room)) return fail(ERROR_CODES.roundNotRunning, 'no round is running');
      const found = gameOf(room, ev.pairId);
      if (!found.ok) return found;
      const { pair, game } = found;
      const head = game.connection.wire[ev.from][0];
      if (!head) return fail(ERROR_CODES.wireEmpty, `nothing is in flight from the ${ev.from}`);
      if (head.id !== ev.id) return fail(ERROR_CODES.wireNotInFlight, `segment ${ev.id} is not the oldest in flight from the ${ev.from}`);
      const r = step(game.connection, { type: 'drop', from: ev.from });
      if (!r.ok) return fail(ERROR_CODES.wireEmpty, 'nothing to drop');
      const next: PairGame = {
        ...game,
        connection: r.connection,
        history: [...game.history, { kind: 'dropped', logSeq: seq, from: ev.from, id: ev.id }],
        toLose: game.toLose.filter((id) => id !== ev.id),
      };
      return ok(settle(replacePair(room, { ...pair, game: next }), pair.id), [{ type: 'wire/cancel', pairId: pair.id, from: ev.from, id: ev.id }]);
    }

    case 'timer/fired': {
      if (room.round.status !== 'running') return fail(ERROR_CODES.roundNotRunning, 'timers wait while the round is not running');
      const found = gameOf(room, ev.pairId);
      if (!found.ok) return found;
      const { pair, game } = found;
      const ep = game.connection[ev.side];
      const running = ev.timer === 'rtx' ? ep.rtxTimer : ep.timeWaitTimer && ep.state === 'TIME_WAIT';
      if (!running) return fail(ERROR_CODES.timerNotRunning, `the ${ev.side}'s ${ev.timer} timer is not running`);
      const r = step(game.connection, { type: 'timeout', side: ev.side });
      if (!r.ok) return fail(ERROR_CODES.timerNotRunning, 'the timer could not fire');
      const next: PairGame = {
        ...game,
        connection: r.connection,
        stateSeq: { ...game.stateSeq, [ev.side]: seq },
        history: [...game.history, { kind: 'timer', logSeq: seq, side: ev.side, timer: ev.timer }],
      };
      return ok(settle(replacePair(room, { ...pair, game: next }), pair.id), tcpEffects(pair.id, r.effects));
    }

    default: {
      const never: never = ev;
      return fail(ERROR_CODES.eventInvalid, `unknown event ${String((never as { type?: unknown }).type)}`);
    }
  }
}

function gameOf(room: Room, pairId: string): { ok: true; pair: Pair; game: PairGame } | Fail {
  const pair = room.pairs.find((p) => p.id === pairId);
  if (!pair) return fail(ERROR_CODES.pairNotFound, `no pair ${pairId}`);
  if (!pair.game) return fail(ERROR_CODES.wireNotInFlight, `pair ${pairId} has no game`);
  return { ok: true, pair, game: pair.game };
}

function move(room: Room, ev: RoomEvent & { type: 'move' }, seq: number): Next | Fail {
  const seat = seatById(room, ev.seatId);
  if (!seat) return fail(ERROR_CODES.seatNotFound, `no seat ${ev.seatId}`);
  if (seat.removed) return fail(ERROR_CODES.seatRemoved, 'this seat was removed by the teacher');
  if (room.round.status !== 'running') return fail(ERROR_CODES.moveRoundNotRunning, room.round.status === 'paused' ? 'the round is paused' : 'no round is running');
  const ps = pairOfSeat(room, seat.id);
  if (!ps) return fail(ERROR_CODES.moveNotPaired, 'you are not in a pair yet');
  if (ps.pair.id !== ev.pairId) return fail(ERROR_CODES.moveNotPaired, `you are not in pair ${ev.pairId}`);
  const { pair, side } = ps;
  if (ev.segment.from !== side) return fail(ERROR_CODES.moveNotYourSeat, `you play the ${side}, not the ${ev.segment.from}`);
  const game = pair.game;
  if (!game) return fail(ERROR_CODES.moveRoundNotRunning, 'your pair has no game in this round');
  if (game.finished) return fail(ERROR_CODES.moveGameFinished, 'your pair reached the goal: wait for the next round');
  if (ev.stateSeq !== game.stateSeq[side]) {
    return fail(ERROR_CODES.moveStaleState, `your state changed (now ${game.stateSeq[side]}, your move was made at ${ev.stateSeq}): look again and resend`);
  }
  const segment: Segment = { ...ev.segment, flags: [...ev.segment.flags] };
  const r = step(game.connection, { type: 'send', segment });

  if (!r.ok) {
    const { points, streak } = refusedMovePoints();
    const entry: PairHistoryEntry = { kind: 'refused', logSeq: seq, seatId: seat.id, segment, code: r.code, facts: r.facts };
    let next = replaceSeat(room, { ...seat, score: seat.score + points, streak, mistakes: seat.mistakes + 1 });
    next = replacePair(next, { ...pair, game: { ...game, history: [...game.history, entry], score: game.score + points } });
    next = { ...next, mistakes: [...next.mistakes, { seatId: seat.id, code: r.code, facts: r.facts, segment, logSeq: seq }] };
    return { ok: true, room: next, effects: [], verdict: { ok: false, code: r.code, facts: r.facts, points } };
  }

  const sent: InFlight = r.sent ?? lastSent(r.connection, side);
  const before = game.connection[side];
  const after = r.connection[side];
  const pts = legalMovePoints({
    progress: makesProgress(game, side, before, after, segment),
    streak: seat.streak,
    level: room.round.level,
    speedBonus: room.round.speedBonus,
    elapsedMs: ev.elapsedMs,
  });
  const lost = SCENARIOS[room.round.scenario].loses?.({ game, sent, before: before.state, after: after.state }) ?? false;
  const nextGame: PairGame = {
    ...game,
    connection: r.connection,
    stateSeq: { ...game.stateSeq, [side]: seq },
    history: [...game.history, { kind: 'sent', logSeq: seq, seatId: seat.id, segment: sent }],
    score: game.score + pts.points,
    toLose: lost ? [...game.toLose, sent.id] : game.toLose,
  };
  let next = replaceSeat(room, { ...seat, score: seat.score + pts.points, streak: pts.streak, legalMoves: seat.legalMoves + 1 });
  next = settle(replacePair(next, { ...pair, game: nextGame }), pair.id);
  const inFlightEffect: RoomEffect = lost
    ? { type: 'wire/in-flight', pairId: pair.id, from: side, id: sent.id, lost: true }
    : { type: 'wire/in-flight', pairId: pair.id, from: side, id: sent.id };
  return {
    ok: true,
    room: next,
    effects: [inFlightEffect, ...tcpEffects(pair.id, r.effects)],
    verdict: { ok: true, segmentId: sent.id, points: pts.points },
  };
}

function lastSent(conn: Connection, side: Side): InFlight {
  const w = conn.wire[side];
  return w[w.length - 1]!;
}
