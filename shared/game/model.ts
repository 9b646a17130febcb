/**
 * The game's data model: a room, its seats and pairs, the round, each pair's TCP game,
 * and the events of the room's append-only log. The room's state is a fold of
 * `applyEvent` (room.ts) over its log; everything here is plain JSON.
 *
 * This file is the contract between shared/game (the pure rules), the server (which
 * runs rooms, stores the log and schedules effects) and the client (which renders views).
 */
import type { Timings } from './timings.ts';
import type { Connection, Effect, InFlight, ReasonCode, RefusalFacts, Segment, Side, TcpState, Arrival } from '../tcp/types.ts';

export type Level = 1 | 2 | 3;
export type RoomKind = 'class' | 'practice';

/** Scenario ids, from the product's list; the catalogue (scenarios.ts) describes each. */
export const SCENARIO_IDS = [
  'handshake', 'teardown', 'lifecycle', 'server-closes', 'half-close', 'simultaneous-open',
  'simultaneous-close', 'lost-segment', 'lost-final-ack', 'refused', 'abort',
] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export type RoundStatus = 'lobby' | 'running' | 'paused' | 'ended';

/**
 * Who asked for an event: the teacher (or practice host: the key holder), a seat, or the
 * server itself (wire, timers, automatic pairing). The same string goes in the log's actor
 * column. applyEvent authorizes teacher actions with it.
 */
export type Actor = 'teacher' | 'server' | `seat:${string}`;

export interface Seat {
  id: string;               // e.g. "s1", "s2": assigned in join order
  nickname: string;
  /** SHA-256 hex of the seat token; the token itself is never stored or shown. */
  tokenHash: string;
  removed: boolean;
  /** A seat the server plays with the oracle (bot/add): it never connects, and is always present. */
  bot: boolean;
  score: number;
  streak: number;
  mistakes: number;
  legalMoves: number;
}

export interface Mistake {
  seatId: string;
  code: ReasonCode;
  facts: RefusalFacts;
  segment: Omit<Segment, 'from'> & { from: Side };
  logSeq: number;           // the room log sequence number of the refused move
}

/** One entry of a pair's history, enough to redraw the ladder diagram move by move. */
export type PairHistoryEntry =
  | { kind: 'sent'; logSeq: number; seatId: string; segment: InFlight }
  | { kind: 'refused'; logSeq: number; seatId: string; segment: Segment; code: ReasonCode; facts: RefusalFacts }
  | { kind: 'arrived'; logSeq: number; arrival: Arrival }
  | { kind: 'dropped'; logSeq: number; from: Side; id: number }
  | { kind: 'timer'; logSeq: number; side: Side; timer: 'rtx' | 'time-wait' };

export interface PairGame {
  connection: Connection;
  /**
   * Per side: the log seq of the last event that changed what that side knows (its own
   * endpoint, or a segment arriving to it). A move carries its side's value; any other is
   * stale. Per side, so that the partner's move (e.g. crossing FINs) does not make it stale.
   */
  stateSeq: Record<Side, number>;
  /** Ids of segments in flight that the scenario will lose (the server drops instead of delivering them). */
  toLose: number[];
  history: PairHistoryEntry[];
  handshakeDone: boolean;
  teardownDone: boolean;
  /** True once the scenario's goal is reached. */
  finished: boolean;
  /** The ISN each side uses at levels 1–2 (passed in as randomness at round start). */
  isn: Record<Side, number>;
  score: number;
  /** Per side: the stateSeq at which that side last bought a hint (hint/given); the hint is shown while it is still that. */
  hinted: Record<Side, number | null>;
}

export interface Pair {
  id: string;               // "p1", "p2", …
  seats: Record<Side, string>; // role → seat id
  game: PairGame | null;    // null until a round starts with this pair in it
}

export interface Round {
  number: number;           // 0 before the first round
  status: RoundStatus;
  scenario: ScenarioId;
  level: Level;
  speedBonus: boolean;
  /** The teacher allows Hints in this class round (practice rooms always have them). */
  hints: boolean;
}

export interface Room {
  code: string;             // six characters from ROOM_CODE_ALPHABET
  kind: RoomKind;
  /** SHA-256 hex of the teacher (or practice host) key. */
  keyHash: string;
  createdAt: number;        // ms since epoch, from the log
  seats: Seat[];
  pairs: Pair[];
  round: Round;
  /** Log sequence number of the last event applied. */
  seq: number;
  closed: boolean;
  /** The teacher locked the room: new joins are refused (seats resume as before). */
  locked: boolean;
  /** Every refused move of the room, oldest first (teachers review mistakes). */
  mistakes: Mistake[];
  /** How many pairs were ever formed: the next pair id is `p${pairSerial + 1}` (ids are never reused). */
  pairSerial: number;
  /** The wire latency, retransmission timeout and 2MSL this room plays with; null: the server's defaults (a room logged before rooms had their own). */
  timings: Timings | null;
}

/** Everything that can happen to a room; each is one row of the append-only log. */
export type RoomEvent =
  /** `timings`: the server's defaults when the room was opened (absent in older logs). */
  | { type: 'room/created'; code: string; kind: RoomKind; keyHash: string; at: number; timings?: Timings }
  /** The teacher set the room's timers between rounds. */
  | { type: 'room/timings-set'; latencyMs: number; rtxMs: number; timeWaitMs: number; by: Actor }
  /** `bot`: a seat the server plays (its token is a random secret nobody holds). */
  | { type: 'seat/joined'; seatId: string; nickname: string; tokenHash: string; bot?: true }
  | { type: 'seat/renamed'; seatId: string; nickname: string; by: Actor }
  | { type: 'seat/removed'; seatId: string; by: Actor }
  /** `isn` is required when the pair is formed while a round is running or paused (its game starts at once). */
  | { type: 'pair/formed'; pairId: string; client: string; server: string; by: Actor; isn?: Record<Side, number> }
  | { type: 'pair/swapped'; pairId: string; by: Actor }
  | { type: 'pair/dissolved'; pairId: string; by: Actor }
  /** `isns`: pair id → the ISN each side uses, one entry for every pair of the room. */
  | { type: 'round/started'; scenario: ScenarioId; level: Level; speedBonus: boolean; isns: Record<string, Record<Side, number>>; by: Actor; hints?: boolean }
  /** One pair's game starts again from the scenario's start, with fresh ISNs (a stuck game, a replay). */
  | { type: 'pair/restarted'; pairId: string; isn: Record<Side, number>; by: Actor }
  /** A seat bought a hint for its side's current state (it costs POINTS.hint). */
  | { type: 'hint/given'; pairId: string; seatId: string }
  | { type: 'round/paused'; by: Actor }
  | { type: 'round/resumed'; by: Actor }
  | { type: 'round/ended'; by: Actor }
  /** `elapsedMs`: how long the mover took since their side's state last changed, pauses excluded (speed bonus only). */
  | { type: 'move'; pairId: string; seatId: string; stateSeq: number; segment: Segment; elapsedMs?: number }
  | { type: 'wire/delivered'; pairId: string; from: Side; id: number }
  | { type: 'wire/dropped'; pairId: string; from: Side; id: number; by: Actor }
  | { type: 'timer/fired'; pairId: string; side: Side; timer: 'rtx' | 'time-wait' }
  | { type: 'room/locked'; by: Actor }
  | { type: 'room/unlocked'; by: Actor }
  | { type: 'room/closed'; by: Actor };

/** One row of a room's append-only log: its seq, when, who asked, and the event. */
export interface LogEntry {
  seq: number;
  at: number;
  actor: Actor;
  event: RoomEvent;
}

/** What the server must do after an event: effects are data (the reducer runs nothing). */
export type RoomEffect =
  /** A segment left: deliver it (`wire/delivered`) after the latency, or, when `lost`, drop it (`wire/dropped`, by server). */
  | { type: 'wire/in-flight'; pairId: string; from: Side; id: number; lost?: boolean }
  /** A segment left the wire another way (dropped): cancel its scheduled delivery. */
  | { type: 'wire/cancel'; pairId: string; from: Side; id: number }
  | { type: 'tcp'; pairId: string; effect: Effect }
  | { type: 'pair/cancel-timers'; pairId: string };

/** A move's verdict, returned to its sender. */
export type MoveVerdict =
  | { ok: true; segmentId: number; points: number }
  | { ok: false; code: ReasonCode; facts: RefusalFacts; points: number };

export type { TcpState };
