/**
 * `decide(room, viewer, command, context)`: the one place that says who may ask for what,
 * and turns a request into the events to append. Pure: randomness (pairings, ISNs), the
 * clock's reading (the speed bonus) and the server's limits come in through `context`.
 *
 * The server's loop is decide → apply (room.ts `applyEvent`) → append → effects. A refusal
 * here, or a refusal by the reducer of one of the events, is answered with its code and
 * nothing is logged. The reducer does not check permissions again: every event in a log was
 * decided here (or made by the server itself: deliveries, timers).
 */
import type { Side } from '../tcp/types.ts';
import { ERROR_CODES, checkNickname, type ClientMessage, type ErrorCode } from '../protocol.ts';
import type { Actor, Room, RoomEvent } from './model.ts';
import {
  applyEvent, autoPairEvents, hintsAllowed, nextSeatId, oldestInFlight, pairOfSeat, pairSetEvent, roundStartEvent, seatActor, seatById, unpairedSeats,
} from './room.ts';
import { pickIsns } from './scenarios.ts';
import { timeWaitProblem, type Timings } from './timings.ts';
import type { Viewer } from './view-for.ts';

/** Messages a room handles once a connection is in it (everything but the door and ping). */
export type RoomCommand = Exclude<ClientMessage, { type: 'hello' | 'join' | 'resume' | 'ping' }>;
export type RoomCommandType = RoomCommand['type'];

/** A join, as the server hands it over: the nickname typed, and the hash of the token it made. */
export interface JoinRequest { type: 'join'; nickname: string; tokenHash: string }

/**
 * Who may send each command, besides the teacher (the key holder), who may send any:
 * - `nobody`: only the teacher;
 * - `practice`: a player of a practice room too;
 * - `practice-own-pair`: a player of a practice room, for the pair they are in;
 * - `practice-self`: a player of a practice room, for their own seat;
 * - `player`: a seated student only (the teacher plays no seat).
 */
export type Permission = 'nobody' | 'practice' | 'practice-own-pair' | 'practice-self' | 'player';

/** The one table of who may send what. Adding a message adds a line here (the type insists). */
export const PERMISSIONS = {
  'move': 'player',
  'pair/auto': 'practice',
  'pair/set': 'nobody',
  'pair/swap': 'practice-own-pair',
  'pair/dissolve': 'nobody',
  'pair/restart': 'practice-own-pair',
  'bot/add': 'practice',
  'hint/ask': 'player',
  'seat/rename': 'practice-self',
  'seat/remove': 'nobody',
  'round/start': 'practice',
  'round/pause': 'practice',
  'round/resume': 'practice',
  'round/end': 'practice',
  'wire/drop': 'practice-own-pair',
  'room/close': 'nobody',
  'room/lock': 'nobody',
  'room/unlock': 'nobody',
  'room/timings': 'practice',
} as const satisfies { [K in RoomCommandType]: Permission };

/** What the server passes in: its randomness, its limits, and the speed-bonus clock. */
export interface DecideContext {
  /** Uniform in [0, 1): pairings and ISNs. */
  random: () => number;
  /** Most seats (not removed) a class room takes. */
  maxSeats: number;
  /** For the speed bonus: how long this side has had to think (active time), or null. */
  elapsedMs?: (pairId: string, side: Side) => number | null;
  /** The hash of a fresh random secret: a bot's seat token, which nobody holds. */
  secretHash?: () => string;
  /** The server's wire and TCP timings: a lost final ACK round is refused when they cannot show it. */
  timings?: Timings;
}

/** An event to append, with who asked for it (the log's actor column). */
export interface Decided { event: RoomEvent; actor: Actor }

export type Decision =
  | { ok: true; events: Decided[] }
  | { ok: false; code: ErrorCode; message: string };

const refuse = (code: ErrorCode, message: string): Decision => ({ ok: false, code, message });
const events = (actor: Actor, ...evs: RoomEvent[]): Decision => ({ ok: true, events: evs.map((event) => ({ event, actor })) });

/** May this viewer send this command in this room? null when allowed, else the refusal. */
export function authorize(room: Room, viewer: Viewer, cmd: RoomCommand): Decision & { ok: false } | null {
  const permission: Permission = PERMISSIONS[cmd.type];
  if (viewer.role === 'teacher') {
    return permission === 'player' ? { ok: false, code: ERROR_CODES.moveNotYourSeat, message: 'only a player moves, for their own seat' } : null;
  }
  const seat = seatById(room, viewer.seatId);
  if (!seat) return { ok: false, code: ERROR_CODES.seatNotFound, message: `no seat ${viewer.seatId} in this room` };
  if (seat.removed) return { ok: false, code: ERROR_CODES.seatRemoved, message: 'this seat was removed by the teacher' };
  if (permission === 'player') return null;
  if (permission === 'nobody' || room.kind !== 'practice') {
    return { ok: false, code: ERROR_CODES.notTeacher, message: `only the teacher may send ${cmd.type}` };
  }
  if (permission === 'practice-own-pair' && 'pairId' in cmd && pairOfSeat(room, seat.id)?.pair.id !== cmd.pairId) {
    return { ok: false, code: ERROR_CODES.notTeacher, message: 'you may only change your own pair' };
  }
  if (permission === 'practice-self' && 'seatId' in cmd && cmd.seatId !== seat.id) {
    return { ok: false, code: ERROR_CODES.notTeacher, message: 'you may only rename yourself' };
  }
  return null;
}

const classFull = (room: Room, ctx: DecideContext): Decision | null =>
  room.kind === 'class' && room.seats.filter((s) => !s.removed).length >= ctx.maxSeats
    ? refuse(ERROR_CODES.roomFull, `this class has ${ctx.maxSeats} students, the most a room takes`)
    : null;

/** The first free name "Bot 1", "Bot 2", … (a student may already be called that). */
export function botNickname(room: Room): string {
  const taken = room.seats.map((s) => s.nickname);
  for (let n = 1; n <= room.seats.length + 1; n++) {
    const name = `Bot ${n}`;
    if (checkNickname(name, taken).ok) return name;
  }
  return `Bot ${room.seats.length + 2}`;
}

/** A bot's seat/joined, and the room as it will be with it (to pair it on). */
function botJoin(room: Room, ctx: DecideContext): { ok: true; decided: Decided; room: Room } | (Decision & { ok: false }) {
  const full = classFull(room, ctx);
  if (full && !full.ok) return full;
  if (!ctx.secretHash) return { ok: false, code: ERROR_CODES.internal, message: 'this server cannot seat bots' };
  const seatId = nextSeatId(room);
  const event: RoomEvent = { type: 'seat/joined', seatId, nickname: botNickname(room), tokenHash: ctx.secretHash(), bot: true };
  const r = applyEvent(room, event);
  if (!r.ok) return { ok: false, code: r.code, message: r.message };
  return { ok: true, decided: { event, actor: 'server' }, room: r.room };
}

/** A new seat: refused when the class is full; a practice room pairs its two players at once. */
export function decideJoin(room: Room, req: JoinRequest, ctx: DecideContext, seatId: string): Decision {
  const full = classFull(room, ctx);
  if (full) return full;
  const joined: Decided = { event: { type: 'seat/joined', seatId, nickname: req.nickname, tokenHash: req.tokenHash }, actor: seatActor(seatId) };
  if (room.kind !== 'practice' || unpairedSeats(room).length !== 1) return { ok: true, events: [joined] };
  // The one waiting player and the newcomer: the pairing is computed on the room as it will
  // be once the seat exists, so its ids and ISNs are those the reducer expects.
  const waiting = unpairedSeats(room)[0]!;
  const withNewcomer: Room = { ...room, seats: [...room.seats, { ...waiting, id: seatId, nickname: req.nickname, tokenHash: req.tokenHash, bot: false }] };
  const pairing = autoPairEvents(withNewcomer, ctx.random, 'server').map((event): Decided => ({ event, actor: 'server' }));
  return { ok: true, events: [joined, ...pairing] };
}

/** The events a room command asks for, or why it may not happen. Ends in an exhaustive switch. */
export function decide(room: Room, viewer: Viewer, cmd: RoomCommand, ctx: DecideContext): Decision {
  const denied = authorize(room, viewer, cmd);
  if (denied) return denied;
  const by: Actor = viewer.role === 'teacher' ? 'teacher' : seatActor(viewer.seatId);
  switch (cmd.type) {
    case 'move': {
      const seatId = (viewer as { seatId: string }).seatId;
      const ps = pairOfSeat(room, seatId);
      if (!ps) return refuse(ERROR_CODES.moveNotPaired, 'you are not in a pair yet');
      const ev: RoomEvent = {
        type: 'move', pairId: ps.pair.id, seatId, stateSeq: cmd.stateSeq,
        segment: { from: ps.side, flags: [...cmd.segment.flags], seq: cmd.segment.seq, ack: cmd.segment.ack, len: cmd.segment.len },
      };
      if (room.round.speedBonus) {
        const elapsed = ctx.elapsedMs?.(ps.pair.id, ps.side) ?? null;
        if (elapsed !== null) ev.elapsedMs = elapsed;
      }
      return events(by, ev);
    }
    case 'pair/auto': {
      // An odd student left over gets a bot, so nobody waits for a partner.
      let base = room;
      const extra: Decided[] = [];
      if (cmd.withBot && unpairedSeats(room).length % 2 === 1) {
        const bot = botJoin(room, ctx);
        if (!bot.ok) return bot;
        extra.push(bot.decided);
        base = bot.room;
      }
      const pairs = autoPairEvents(base, ctx.random, by)
        // A practice player pairs only themself.
        .filter((ev) => by === 'teacher' || (ev.type === 'pair/formed' && (seatActor(ev.client) === by || seatActor(ev.server) === by)));
      if (pairs.length === 0) return refuse(ERROR_CODES.pairNoneFree, 'fewer than two students are waiting for a partner');
      return { ok: true, events: [...extra, ...pairs.map((event) => ({ event, actor: by }))] };
    }
    case 'bot/add': {
      const bot = botJoin(room, ctx);
      if (!bot.ok) return bot;
      const waiting = unpairedSeats(room);
      // A practice player alone is paired with the bot at once, on the side they did not ask the bot to play.
      if (room.kind !== 'practice' || waiting.length !== 1) return { ok: true, events: [bot.decided] };
      const botId = (bot.decided.event as { seatId: string }).seatId;
      const other = waiting[0]!.id;
      const pairing = cmd.side
        ? [pairSetEvent(bot.room, cmd.side === 'client' ? botId : other, cmd.side === 'client' ? other : botId, ctx.random, 'server')]
        : autoPairEvents(bot.room, ctx.random, 'server');
      return { ok: true, events: [bot.decided, ...pairing.map((event): Decided => ({ event, actor: 'server' }))] };
    }
    case 'hint/ask': {
      const seatId = (viewer as { seatId: string }).seatId;
      const ps = pairOfSeat(room, seatId);
      if (room.round.status !== 'running') return refuse(ERROR_CODES.roundNotRunning, 'hints are given while a round is running');
      if (!hintsAllowed(room)) return refuse(ERROR_CODES.hintOff, 'the teacher did not allow hints in this round');
      if (!ps?.pair.game || ps.pair.game.finished) return refuse(ERROR_CODES.hintNoGame, 'there is no game of yours to hint');
      return events(by, { type: 'hint/given', pairId: ps.pair.id, seatId });
    }
    case 'pair/restart': {
      if (!room.pairs.some((p) => p.id === cmd.pairId)) return refuse(ERROR_CODES.pairNotFound, `no pair ${cmd.pairId}`);
      return events(by, { type: 'pair/restarted', pairId: cmd.pairId, isn: pickIsns(room.round.level, ctx.random), by });
    }
    case 'pair/set': return events(by, pairSetEvent(room, cmd.client, cmd.server, ctx.random, by));
    case 'pair/swap': return events(by, { type: 'pair/swapped', pairId: cmd.pairId, by });
    case 'pair/dissolve': return events(by, { type: 'pair/dissolved', pairId: cmd.pairId, by });
    case 'seat/rename': return events(by, { type: 'seat/renamed', seatId: cmd.seatId, nickname: cmd.nickname, by });
    case 'seat/remove': return events(by, { type: 'seat/removed', seatId: cmd.seatId, by });
    case 'round/start': {
      const timings = room.timings ?? ctx.timings;
      const problem = cmd.scenario === 'lost-final-ack' && timings ? timeWaitProblem(timings) : null;
      if (problem) return refuse(ERROR_CODES.roundTimeWaitTooShort, problem);
      const opts = { scenario: cmd.scenario, level: cmd.level, speedBonus: cmd.speedBonus, hints: cmd.hints === true };
      return events(by, roundStartEvent(room, opts, ctx.random, by));
    }
    case 'round/pause': return events(by, { type: 'round/paused', by });
    case 'round/resume': return events(by, { type: 'round/resumed', by });
    case 'round/end': return events(by, { type: 'round/ended', by });
    case 'wire/drop': {
      if (!room.pairs.some((p) => p.id === cmd.pairId)) return refuse(ERROR_CODES.pairNotFound, `no pair ${cmd.pairId}`);
      const oldest = oldestInFlight(room, cmd.pairId);
      if (!oldest) return refuse(ERROR_CODES.wireEmpty, 'nothing is in flight in that pair');
      return events(by, { type: 'wire/dropped', pairId: cmd.pairId, from: oldest.from, id: oldest.id, by });
    }
    case 'room/close': return events(by, { type: 'room/closed', by });
    case 'room/lock': return events(by, { type: 'room/locked', by });
    case 'room/unlock': return events(by, { type: 'room/unlocked', by });
    case 'room/timings': return events(by, { type: 'room/timings-set', latencyMs: cmd.latencyMs, rtxMs: cmd.rtxMs, timeWaitMs: cmd.timeWaitMs, by });
    default: {
      const never: never = cmd;
      return refuse(ERROR_CODES.unknownType, `unknown message ${(never as { type: string }).type}`);
    }
  }
}
