/**
 * What the review pages read: a class's report (per round, per pair, per student, the
 * misconceptions) and a replay (one TCP connection stepped event by event with both ends
 * revealed). The same replay shape serves a pair's round from the log and a TCP stream from
 * a Wireshark capture. Plain JSON; computed in shared/ (report.ts, replay.ts), served by the
 * HTTP API (shared/api.ts) or, for captures, computed in the browser.
 */
import type { Arrival, ReasonCode, RefusalFacts, Segment, Side, TcpState } from '../tcp/types.ts';
import type { Level, RoomKind, ScenarioId } from '../game/model.ts';
import type { MisconceptionId } from '../game/misconceptions.ts';

/** One endpoint as the review shows it (both ends are revealed after class). */
export interface ReplayEndpoint {
  state: TcpState;
  /** null until this end has sent its SYN. */
  iss: number | null;
  irs: number | null;
  sndUna: number;
  sndNxt: number;
  rcvNxt: number;
  /** The retransmission timer is running. */
  rtx: boolean;
  /** The TIME_WAIT (2MSL) timer is running. */
  timeWait: boolean;
  bytesReceived: number;
}

/** A segment on the wire in a replay step. */
export interface ReplayWireSegment { id: number; from: Side; flags: Segment['flags']; seq: number; ack: number; len: number }

/** What happened at a step (null at step 0, the starting position). */
export type ReplayEvent =
  | { kind: 'send'; segment: Segment }
  | { kind: 'deliver'; from: Side }
  | { kind: 'drop'; from: Side }
  | { kind: 'timeout'; side: Side };

/** One step of a replay: the event, the machine's verdict, and both ends and the wire after it. */
export interface ReplayStep {
  /** 0 is the starting position; 1… the events in order. */
  index: number;
  event: ReplayEvent | null;
  /** For a send: legal, or refused with the reason (explainRefusal gives the words). A refused send changes nothing. */
  verdict: { ok: true } | { ok: false; code: ReasonCode; facts: RefusalFacts } | null;
  /** For a deliver: what the segment did on arrival. */
  arrival: Arrival | null;
  endpoints: Record<Side, ReplayEndpoint>;
  wire: Record<Side, ReplayWireSegment[]>;
  /** From a room's log: its seq, time, the player who moved, and the points the move earned. */
  logSeq?: number;
  at?: number;
  seatId?: string;
  nickname?: string;
  points?: number;
  /** The teacher (or the scenario) lost this segment, rather than the wire. */
  by?: 'teacher' | 'scenario' | 'server';
  /** From a capture: Wireshark-style relative numbers of the segment sent, and the packet's number and time. */
  relative?: { seq: number; ack: number };
  packet?: { number: number; timeUs: number };
}

/** A replay: where it comes from, the two ends, and the steps. */
export interface Replay {
  source: 'room' | 'capture';
  title: string;
  names: Record<Side, string>;
  steps: ReplayStep[];
  /** Room rounds: which round, pair and scenario. */
  round?: number;
  pairId?: string;
  scenario?: ScenarioId;
  level?: Level;
  /** Captures: what the conversion ignored (window updates, options, …), in words. */
  ignored?: string[];
}

/** A misconception as the class made it. */
export interface ReportMisconception {
  id: MisconceptionId;
  count: number;
  /** The reason codes it groups that occurred, with their counts. */
  codes: { code: ReasonCode; count: number }[];
  /** Who made it, with how many times. */
  students: { seatId: string; nickname: string; count: number }[];
  /** One refused move to explain in class: the code and its facts, as the student saw it. */
  example: { code: ReasonCode; facts: RefusalFacts; segment: Segment; seatId: string } | null;
  /** Every moment it happened: open the replay there. */
  moments: { round: number; pairId: string; step: number; logSeq: number; seatId: string; code: ReasonCode }[];
}

/** One pair in one round. */
export interface ReportPairRound {
  round: number;
  pairId: string;
  seats: Record<Side, string>;
  nicknames: Record<Side, string>;
  /** When the pair's game started (the round start, or when they were paired mid-round), ms since the epoch. */
  startedAt: number;
  /** When the goal was reached, or null. */
  goalAt: number | null;
  /** goalAt − startedAt, or null. */
  goalMs: number | null;
  moves: number;
  refused: number;
  /** Points the two students earned in this pair in this round: exactly the sum of theirs. */
  score: number;
  /** Steps of the pair's replay (for links). */
  steps: number;
}

/** One round of the class. */
export interface ReportRound {
  number: number;
  scenario: ScenarioId;
  level: Level;
  speedBonus: boolean;
  startedAt: number;
  endedAt: number | null;
  pairs: ReportPairRound[];
}

/** One student over the whole class. */
export interface ReportStudent {
  seatId: string;
  nickname: string;
  removed: boolean;
  bot?: boolean;
  /** Total points (the score the class saw). */
  score: number;
  /** Points per round number (rounds they earned or lost points in). */
  scoreByRound: Record<string, number>;
  moves: number;
  legal: number;
  refused: number;
  /** legal / moves, or null before any move. */
  legalShare: number | null;
  refusedByMisconception: Partial<Record<MisconceptionId, number>>;
  handshakes: number;
  teardowns: number;
  /** Rounds in which their pair reached the goal. */
  goals: number;
}

/** GET /api/rooms/:code/report. */
export interface ClassReport {
  code: string;
  kind: RoomKind;
  createdAt: number;
  closed: boolean;
  /** The time of the last logged event. */
  lastEventAt: number;
  rounds: ReportRound[];
  students: ReportStudent[];
  misconceptions: ReportMisconception[];
}
