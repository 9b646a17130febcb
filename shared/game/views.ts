/**
 * What each viewer is shown: the schemas (zod, the one validator) and types of the student
 * view and the teacher view. A student sees their own endpoint, what reached it and the
 * wire, never the partner's endpoint nor any secret; the teacher sees everything but secrets.
 * `viewFor` (view-for.ts) computes them from a room.
 */
import { z } from 'zod';
import { autoFromHints, autoKey } from '../protocol-constants.ts';
import { FLAGS, IGNORE_REASONS, REASON_CODES, TCP_STATES } from '../tcp/types.ts';
import { SCENARIO_IDS } from './model.ts';
import { ORACLE_WAITS, ORACLE_WHYS } from './oracle.ts';
import { sideSchema as side, u32Schema as u32 } from '../tcp/schema.ts';

export { autoFromHints, autoKey };

const count = z.number().int().min(0);
const int = z.number().int();
const tcpState = z.enum(TCP_STATES);
const flags = z.array(z.enum(FLAGS));
const timerName = z.enum(['rtx', 'time-wait']);

/** A segment without its id (as sent, or as refused). */
export const segmentViewSchema = z.strictObject({ from: side, flags, seq: u32, ack: u32, len: count });
/** A segment on the wire, with its id (unique within the pair's connection). */
export const wireSegmentSchema = z.strictObject({ id: count, from: side, flags, seq: u32, ack: u32, len: count });
export type WireSegment = z.infer<typeof wireSegmentSchema>;

export const refusalFactsSchema = z.strictObject({
  state: tcpState,
  side,
  field: z.enum(['seq', 'ack', 'flags', 'len']).optional(),
  expected: z.union([z.number(), z.string()]).optional(),
  given: z.union([z.number(), z.string()]).optional(),
});

export const arrivalSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('accepted'), id: count, segment: segmentViewSchema, to: side, before: tcpState, after: tcpState }),
  z.strictObject({ outcome: z.literal('ignored'), id: count, segment: segmentViewSchema, to: side, state: tcpState, why: z.enum(IGNORE_REASONS) }),
]);

const localized = z.strictObject({ en: z.string(), 'zh-CN': z.string() });
export type Localized = z.infer<typeof localized>;

/** The round as everyone sees it, with the scenario's title and goal in both languages. */
export const roundViewSchema = z.strictObject({
  number: count,
  status: z.enum(['lobby', 'running', 'paused', 'ended']),
  scenario: z.enum(SCENARIO_IDS),
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  speedBonus: z.boolean(),
  title: localized,
  goal: localized,
  /** Which side is expected to send first. */
  firstMover: z.enum(['client', 'server', 'both']),
  /** Students may buy Hints this round (always in practice rooms; in class when the teacher allowed them). */
  hints: z.boolean(),
});
export type RoundView = z.infer<typeof roundViewSchema>;

/** Ranked: equal scores share a rank (1, 1, 3). Students see nickname and score only. */
export const leaderboardEntrySchema = z.strictObject({ rank: z.number().int().min(1), nickname: z.string(), score: int, bot: z.boolean() });
export type LeaderboardEntry = z.infer<typeof leaderboardEntrySchema>;

// ---------------------------------------------------------------------------------------
// Student view
// ---------------------------------------------------------------------------------------

/** The student's own endpoint. `numbers` only at level 1 (at levels 2–3 the student works them out). */
export const ownEndpointSchema = z.strictObject({
  side,
  state: tcpState,
  /**
   * This side's ISN: before its SYN is sent, the one suggested for it (at level 3 a random
   * 32-bit number); once sent, the one it chose (its ISS), which is what the machine holds it to.
   */
  isn: u32,
  /** True once this side sent its SYN: `isn` is then its ISS. */
  isnChosen: z.boolean(),
  timers: z.strictObject({ rtx: z.boolean(), timeWait: z.boolean() }),
  bytesReceived: count,
  numbers: z.strictObject({
    iss: u32.nullable(), irs: u32.nullable(), sndUna: u32, sndNxt: u32, rcvNxt: u32,
  }).nullable(),
});
export type OwnEndpoint = z.infer<typeof ownEndpointSchema>;

/** One step of the pair's ladder diagram as one side sees it. */
export const ladderEntrySchema = z.discriminatedUnion('kind', [
  /** A segment either side put on the wire (the wire is visible to both). */
  z.strictObject({ kind: z.literal('sent'), logSeq: count, segment: wireSegmentSchema }),
  /** One of this student's own moves that was refused. */
  z.strictObject({ kind: z.literal('refused'), logSeq: count, segment: segmentViewSchema, code: z.enum(REASON_CODES), facts: refusalFactsSchema }),
  /** A segment that reached this student's endpoint, with what it did there. */
  z.strictObject({ kind: z.literal('arrived'), logSeq: count, arrival: arrivalSchema }),
  /** A segment that reached the partner: what it did there is not shown. */
  z.strictObject({ kind: z.literal('delivered'), logSeq: count, to: side, id: count }),
  // No 'dropped': an endpoint never learns that a segment was lost; its timer tells it.
  /** One of this student's own timers expired. */
  z.strictObject({ kind: z.literal('timer'), logSeq: count, side, timer: timerName }),
]);
export type LadderEntry = z.infer<typeof ladderEntrySchema>;

const numbersPair = z.strictObject({ seq: u32, ack: u32 });

/**
 * Level 1 help: the numbers a correct endpoint puts on a segment, keyed by `autoKey(flags)`
 * (which of SYN, ACK, RST it carries; the rest does not change them), and the segment to
 * send to retransmit the oldest unacknowledged one, if any.
 */
const oracleSegment = z.strictObject({ flags, seq: u32, ack: u32, len: count });
const why = z.enum(ORACLE_WHYS);
const waitFor = z.enum(ORACLE_WAITS);

export const hintsSchema = z.strictObject({
  auto: z.record(z.string(), numbersPair),
  retransmit: oracleSegment.nullable(),
  /** The oracle's correct next segments for this side, best first: the hand offers them (a retransmission included). */
  moves: z.array(oracleSegment.extend({ why })),
});
export type Hints = z.infer<typeof hintsSchema>;

/** A bought hint: the next correct move (with its numbers) and why, or what to wait for. */
export const hintSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('send'), segment: oracleSegment, why, to: tcpState }),
  z.strictObject({ kind: z.literal('wait'), for: waitFor }),
]);
export type Hint = z.infer<typeof hintSchema>;

/**
 * Why a game can no longer reach its goal: nothing is in flight, no timer runs, and no correct
 * move is left to either side. `reset`: a RST ended the connection; `closed`: both ends closed
 * without the goal; `nothing-left`: neither end has anything to send.
 */
export const STUCK_REASONS = ['reset', 'closed', 'nothing-left'] as const;
export type StuckReason = (typeof STUCK_REASONS)[number];

export const studentGameSchema = z.strictObject({
  /** Send this as the move's `stateSeq`. */
  stateSeq: count,
  endpoint: ownEndpointSchema,
  wire: z.strictObject({ mine: z.array(wireSegmentSchema), theirs: z.array(wireSegmentSchema) }),
  ladder: z.array(ladderEntrySchema),
  hints: hintsSchema.nullable(),
  /**
   * The state diagram's lit moves: the oracle's next segments for this side (flags and the
   * state each leads to), or what it waits for. No numbers: at levels 2–3 those are the student's work.
   */
  next: z.strictObject({ moves: z.array(z.strictObject({ flags, to: tcpState, why })), wait: waitFor.nullable() }),
  /** The hint this side bought for its current state, or null. */
  hint: hintSchema.nullable(),
  /** Set when the game cannot reach its goal any more: the pair may restart it (pair/restart). */
  stuck: z.enum(STUCK_REASONS).nullable(),
  handshakeDone: z.boolean(),
  teardownDone: z.boolean(),
  finished: z.boolean(),
  score: int,
});
export type StudentGame = z.infer<typeof studentGameSchema>;

export const studentMistakeSchema = z.strictObject({
  logSeq: count, code: z.enum(REASON_CODES), facts: refusalFactsSchema, segment: segmentViewSchema,
});

export const studentViewSchema = z.strictObject({
  role: z.literal('student'),
  room: z.strictObject({ code: z.string(), kind: z.enum(['class', 'practice']), closed: z.boolean() }),
  round: roundViewSchema,
  you: z.strictObject({
    seatId: z.string(), nickname: z.string(), score: int, streak: count, mistakes: count, legalMoves: count,
  }),
  pair: z.strictObject({
    pairId: z.string(),
    side,
    partner: z.strictObject({ nickname: z.string(), connected: z.boolean(), bot: z.boolean() }),
    game: studentGameSchema.nullable(),
  }).nullable(),
  /** The student's own latest refused moves (at most STUDENT_MISTAKES), oldest first. */
  mistakes: z.array(studentMistakeSchema),
  leaderboard: z.array(leaderboardEntrySchema),
});
export type StudentView = z.infer<typeof studentViewSchema>;

// ---------------------------------------------------------------------------------------
// Teacher view
// ---------------------------------------------------------------------------------------

const inFlightSchema = z.strictObject({ id: count, segment: segmentViewSchema });

/**
 * What the host screen draws of a pair's connection: each end's state and the segments in
 * flight. Not the endpoints' numbers: the screen does not show them, and the view is pushed
 * up to ten times a second (a pair's replay, from the log, has them all).
 */
export const teacherConnectionSchema = z.strictObject({
  client: z.strictObject({ state: tcpState }),
  server: z.strictObject({ state: tcpState }),
  wire: z.strictObject({ client: z.array(inFlightSchema), server: z.array(inFlightSchema) }),
});

/** A pair's latest move: a segment put on the wire, or a move the machine refused. */
export const lastMoveSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sent'), logSeq: count, seatId: z.string(), segment: inFlightSchema }),
  z.strictObject({ kind: z.literal('refused'), logSeq: count, seatId: z.string(), segment: segmentViewSchema, code: z.enum(REASON_CODES), facts: refusalFactsSchema }),
]);

/**
 * The segment most recently lost on a pair's wire (dropped by the teacher or by the
 * scenario). `segment` is null only when the game's history has no send of it (a segment the
 * scenario put on the wire before the game began).
 */
export const lostSegmentSchema = z.strictObject({ logSeq: count, id: count, from: side, segment: segmentViewSchema.nullable() });

export const teacherMistakeSchema = z.strictObject({
  seatId: z.string(), code: z.enum(REASON_CODES), facts: refusalFactsSchema, segment: segmentViewSchema, logSeq: count,
});

export const teacherSeatSchema = z.strictObject({
  seatId: z.string(),
  nickname: z.string(),
  removed: z.boolean(),
  bot: z.boolean(),
  /** Supplied by the server (presence is runtime, not logged). */
  connected: z.boolean(),
  score: int,
  streak: count,
  mistakes: count,
  legalMoves: count,
  pairId: z.string().nullable(),
  side: side.nullable(),
});

export const teacherPairSchema = z.strictObject({
  pairId: z.string(),
  seats: z.strictObject({ client: z.string(), server: z.string() }),
  nicknames: z.strictObject({ client: z.string(), server: z.string() }),
  connected: z.strictObject({ client: z.boolean(), server: z.boolean() }),
  bots: z.strictObject({ client: z.boolean(), server: z.boolean() }),
  game: z.strictObject({
    connection: teacherConnectionSchema,
    stateSeq: z.strictObject({ client: count, server: count }),
    /** The latest sent or refused move, or null. */
    lastMove: lastMoveSchema.nullable(),
    /** The segment most recently lost, or null. */
    lost: lostSegmentSchema.nullable(),
    handshakeDone: z.boolean(),
    teardownDone: z.boolean(),
    finished: z.boolean(),
    isn: z.strictObject({ client: u32, server: u32 }),
    score: int,
    /** How many of the game's moves were refused. */
    mistakes: count,
    stuck: z.enum(STUCK_REASONS).nullable(),
  }).nullable(),
});

export const teacherViewSchema = z.strictObject({
  role: z.literal('teacher'),
  /** `locked`: new joins are refused (room/lock). */
  room: z.strictObject({
    code: z.string(), kind: z.enum(['class', 'practice']), closed: z.boolean(), locked: z.boolean(), createdAt: count,
    /** The room's wire latency, retransmission timeout and 2MSL in ms; null: the server's defaults (an older room). */
    timings: z.strictObject({ latencyMs: count, rtxMs: count, timeWaitMs: count }).nullable(),
  }),
  round: roundViewSchema,
  seats: z.array(teacherSeatSchema),
  pairs: z.array(teacherPairSchema),
  /** Seats not removed and in no pair, in join order. */
  unpaired: z.array(z.strictObject({ seatId: z.string(), nickname: z.string(), connected: z.boolean(), bot: z.boolean() })),
  leaderboard: z.array(leaderboardEntrySchema.extend({ seatId: z.string() })),
  pairLeaderboard: z.array(z.strictObject({ rank: z.number().int().min(1), pairId: z.string(), nicknames: z.string(), score: int })),
  /** The room's latest refused moves (at most TEACHER_MISTAKES), oldest first. */
  mistakes: z.array(teacherMistakeSchema),
  /** Reason codes of all the room's refused moves, most frequent first. */
  commonMistakes: z.array(z.strictObject({ code: z.enum(REASON_CODES), count: count })),
});
export type TeacherView = z.infer<typeof teacherViewSchema>;
export type TeacherPair = TeacherView['pairs'][number];
export type TeacherSeat = TeacherView['seats'][number];

export const viewSchema = z.discriminatedUnion('role', [studentViewSchema, teacherViewSchema]);
export type View = StudentView | TeacherView;

/** How many of their own refused moves a student view carries. */
/** A student's leaderboard shows this many lines from the top (and their own line when lower). */
export const STUDENT_BOARD_TOP = 10;
export const STUDENT_MISTAKES = 10;
/** How many of the room's refused moves the teacher view carries. */
export const TEACHER_MISTAKES = 50;

