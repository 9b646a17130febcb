/**
 * The wire protocol between the browser and the game server, in one module: the version,
 * the frame limit, the zod schemas (and inferred types) of every client→server and
 * server→client message, the error and close code tables, one JSON example per message,
 * `parseClientMessage` (size → JSON → schema) and the nickname rule.
 *
 * Who sends a move, and for which pair, comes from the connection (the seat it joined or
 * resumed), never from the message.
 */
import { TIMING_LIMITS } from './game/timings.ts';
import { z } from 'zod';
import { REASON_CODES } from './tcp/types.ts';
import { flagSetSchema, sideSchema, u32Schema as u32 } from './tcp/schema.ts';
import { SCENARIO_IDS } from './game/model.ts';
import { SCENARIOS } from './game/scenarios.ts';
import {
  refusalFactsSchema, teacherPairSchema, teacherSeatSchema, teacherViewSchema, viewSchema, type RoundView, type StudentView, type TeacherView,
} from './game/views.ts';

export {
  PROTOCOL_VERSION, MAX_FRAME_BYTES, NICKNAME_MAX, NICKNAME_MAX_UNITS, MAX_SEGMENT_LEN, PRACTICE_SEATS, CLOSE_CODES, RECONNECTABLE_CLOSE_CODES,
  normalizeRoomCode, type CloseCodeName,
} from './protocol-constants.ts';
import { PROTOCOL_VERSION, MAX_FRAME_BYTES, MAX_SEGMENT_LEN, NICKNAME_MAX_UNITS } from './protocol-constants.ts';

// ---------------------------------------------------------------------------------------
// Code tables
// ---------------------------------------------------------------------------------------

/** Error codes of `error` messages (and of `applyEvent` refusals). Namespaced, stable. */
export const ERROR_CODES = {
  /** The frame is larger than MAX_FRAME_BYTES (the connection is also closed). */
  frameTooLarge: 'frame/too-large',
  /** The frame is not JSON (or is binary). */
  frameNotJson: 'frame/not-json',
  /** JSON, but not a valid message of its type. */
  frameInvalid: 'frame/invalid',
  /** JSON object whose `type` is not a client message type. */
  unknownType: 'message/unknown-type',
  /** hello/join/resume with a protocol version the server does not speak. */
  badVersion: 'protocol/version',
  /** A message that needs a hello/join/resume first, or a second one on the same connection. */
  notJoined: 'auth/not-joined',
  alreadyJoined: 'auth/already-joined',
  badKey: 'auth/bad-key',
  badToken: 'auth/bad-token',
  notTeacher: 'auth/not-teacher',
  roomNotFound: 'room/not-found',
  roomClosed: 'room/closed',
  roomFull: 'room/full',
  /** The teacher locked the room: new joins are refused; seats still resume. */
  roomLocked: 'room/locked',
  /** room/unlock when the room is not locked. */
  roomNotLocked: 'room/not-locked',
  /** The room's log cannot be read or rebuilt (a damaged database file): the room cannot be entered or read. */
  roomDamaged: 'room/damaged',
  seatNotFound: 'seat/not-found',
  seatRemoved: 'seat/removed',
  seatExists: 'seat/exists',
  nicknameEmpty: 'nickname/empty',
  nicknameTooLong: 'nickname/too-long',
  nicknameBadCharacters: 'nickname/bad-characters',
  nicknameTaken: 'nickname/taken',
  moveNotYourSeat: 'move/not-your-seat',
  moveNotPaired: 'move/not-paired',
  moveRoundNotRunning: 'move/round-not-running',
  moveStaleState: 'move/stale-state',
  /** The pair reached the scenario's goal: no more moves until the next round. */
  moveGameFinished: 'move/game-finished',
  pairNotFound: 'pair/not-found',
  /** pair/set names a seat that is already in a pair, or the same seat twice. */
  pairSeatBusy: 'pair/seat-busy',
  pairSameSeat: 'pair/same-seat',
  /** pair/auto with fewer than two unpaired students. */
  pairNoneFree: 'pair/none-free',
  /** pair/swap while the pair is in the middle of a game. */
  pairInGame: 'pair/in-game',
  /** A pair id that is not the next one (ids are never reused). */
  pairBadId: 'pair/bad-id',
  roundAlreadyRunning: 'round/already-running',
  roundNotRunning: 'round/not-running',
  roundNotPaused: 'round/not-paused',
  /** Review: the room has no round with that number. */
  roundNotFound: 'round/not-found',
  /** round/started (or pair/formed mid-round) without an ISN for a pair. */
  roundMissingIsn: 'round/missing-isn',
  /**
   * round/start of lost final ACK while the server's timers cannot show it: 2MSL (TIME_WAIT_MS)
   * is not well above the retransmission timeout plus two wire trips (see shared/game/timings.ts).
   */
  roundTimeWaitTooShort: 'round/time-wait-too-short',
  /** hint/ask in a class round where the teacher did not allow hints. */
  hintOff: 'hint/off',
  /** hint/ask with no game to hint (not in a pair, no round, the goal already reached). */
  hintNoGame: 'hint/no-game',
  /** wire/drop with nothing in flight, or a delivery that is not the oldest in flight. */
  wireEmpty: 'wire/empty',
  wireNotInFlight: 'wire/not-in-flight',
  timerNotRunning: 'timer/not-running',
  /** A log event that is malformed (replay of a damaged log, a server bug). */
  eventInvalid: 'event/invalid',
  rateLimited: 'rate/limited',
  internal: 'server/internal',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
export const ERROR_CODE_VALUES = Object.values(ERROR_CODES) as ErrorCode[];

// ---------------------------------------------------------------------------------------
// Client → server
// ---------------------------------------------------------------------------------------

const version = z.number().int().min(0);
/** Room codes are checked by the server (unknown → 'room/not-found'); normalizeRoomCode first. */
const roomCode = z.string().min(1).max(16);
const seatId = z.string().min(1).max(32);
const pairId = z.string().min(1).max(32);

/** A segment card as the client builds it (`from` is the sender's role, added by the server). */
export const cardSchema = z.strictObject({
  flags: flagSetSchema,
  seq: u32,
  ack: u32,
  len: z.number().int().min(0).max(MAX_SEGMENT_LEN),
});
export type Card = z.infer<typeof cardSchema>;

/** `lastSeq`: the seq of the teacher view this client still holds (from an earlier connection), if any. */
export const helloSchema = z.strictObject({
  type: z.literal('hello'), v: version, code: roomCode, key: z.string().min(1).max(128), lastSeq: z.number().int().min(0).optional(),
});
export const joinSchema = z.strictObject({ type: z.literal('join'), v: version, code: roomCode, nickname: z.string().max(NICKNAME_MAX_UNITS) });
/** `lastSeq`: the seq of the view this client still holds, or 0 when it holds none (a reload). */
export const resumeSchema = z.strictObject({
  type: z.literal('resume'), v: version, code: roomCode, token: z.string().min(1).max(128), lastSeq: z.number().int().min(0),
});
export const moveSchema = z.strictObject({ type: z.literal('move'), stateSeq: z.number().int().min(0), segment: cardSchema });
/** `withBot`: an odd student left over is paired with a new bot. */
export const pairAutoSchema = z.strictObject({ type: z.literal('pair/auto'), withBot: z.boolean().optional() });
/** Start this pair's game again from the scenario's start (fresh ISNs), during a round. */
export const pairRestartSchema = z.strictObject({ type: z.literal('pair/restart'), pairId });
/**
 * Add a bot seat, played by the server. `side`: in a practice room with one player waiting,
 * the bot is paired with them at once and plays this side.
 */
export const botAddSchema = z.strictObject({ type: z.literal('bot/add'), side: sideSchema.optional() });
/** Buy a hint for your side's current state: the next correct move and why (costs points). */
export const hintAskSchema = z.strictObject({ type: z.literal('hint/ask') });
export const pairSetSchema = z.strictObject({ type: z.literal('pair/set'), client: seatId, server: seatId });
export const pairSwapSchema = z.strictObject({ type: z.literal('pair/swap'), pairId });
export const pairDissolveSchema = z.strictObject({ type: z.literal('pair/dissolve'), pairId });
export const seatRenameSchema = z.strictObject({ type: z.literal('seat/rename'), seatId, nickname: z.string().max(NICKNAME_MAX_UNITS) });
export const seatRemoveSchema = z.strictObject({ type: z.literal('seat/remove'), seatId });
export const roundStartSchema = z.strictObject({
  type: z.literal('round/start'),
  scenario: z.enum(SCENARIO_IDS),
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  speedBonus: z.boolean(),
  /** Allow Hints in this round (class rooms; practice rooms always have them). Default false. */
  hints: z.boolean().optional(),
});
export const roundPauseSchema = z.strictObject({ type: z.literal('round/pause') });
export const roundResumeSchema = z.strictObject({ type: z.literal('round/resume') });
export const roundEndSchema = z.strictObject({ type: z.literal('round/end') });
/** Inject a lost segment: the oldest segment in flight in this pair (either direction) is dropped. */
export const wireDropSchema = z.strictObject({ type: z.literal('wire/drop'), pairId });
export const roomCloseSchema = z.strictObject({ type: z.literal('room/close') });
/** Lock the room: new joins are refused with room/locked; existing seats still resume. */
export const roomLockSchema = z.strictObject({ type: z.literal('room/lock') });
export const roomUnlockSchema = z.strictObject({ type: z.literal('room/unlock') });
/**
 * Set the room's timers, between rounds: the wire latency, the retransmission timeout and
 * 2MSL (TIME_WAIT), in ms, within TIMING_LIMITS, keeping 2MSL ≥ 2 × (RTO + 2 × latency)
 * (else round/time-wait-too-short); during a round, round/already-running.
 */
export const roomTimingsSchema = z.strictObject({
  type: z.literal('room/timings'),
  latencyMs: z.number().int().min(TIMING_LIMITS.latencyMs.min).max(TIMING_LIMITS.latencyMs.max),
  rtxMs: z.number().int().min(TIMING_LIMITS.rtxMs.min).max(TIMING_LIMITS.rtxMs.max),
  timeWaitMs: z.number().int().min(TIMING_LIMITS.timeWaitMs.min).max(TIMING_LIMITS.timeWaitMs.max),
});
export const pingSchema = z.strictObject({ type: z.literal('ping'), t: z.number().optional() });

export const clientMessageSchema = z.discriminatedUnion('type', [
  helloSchema, joinSchema, resumeSchema, moveSchema,
  pairAutoSchema, pairSetSchema, pairSwapSchema, pairDissolveSchema, pairRestartSchema, botAddSchema, hintAskSchema,
  seatRenameSchema, seatRemoveSchema,
  roundStartSchema, roundPauseSchema, roundResumeSchema, roundEndSchema,
  wireDropSchema, roomCloseSchema, roomLockSchema, roomUnlockSchema, roomTimingsSchema, pingSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;

/** Schema of each client message type, for dispatch tables. */
export const CLIENT_SCHEMAS = {
  'hello': helloSchema, 'join': joinSchema, 'resume': resumeSchema, 'move': moveSchema,
  'pair/auto': pairAutoSchema, 'pair/set': pairSetSchema, 'pair/swap': pairSwapSchema, 'pair/dissolve': pairDissolveSchema,
  'pair/restart': pairRestartSchema, 'bot/add': botAddSchema, 'hint/ask': hintAskSchema,
  'seat/rename': seatRenameSchema, 'seat/remove': seatRemoveSchema,
  'round/start': roundStartSchema, 'round/pause': roundPauseSchema, 'round/resume': roundResumeSchema, 'round/end': roundEndSchema,
  'wire/drop': wireDropSchema, 'room/close': roomCloseSchema, 'room/lock': roomLockSchema, 'room/unlock': roomUnlockSchema,
  'room/timings': roomTimingsSchema, 'ping': pingSchema,
} as const satisfies { [K in ClientMessageType]: z.ZodType<ClientMessageOf<K>> };
export const CLIENT_MESSAGE_TYPES = Object.keys(CLIENT_SCHEMAS) as ClientMessageType[];

// ---------------------------------------------------------------------------------------
// Server → client
// ---------------------------------------------------------------------------------------

const verdictSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), segmentId: z.number().int().min(0), points: z.number().int() }),
  /** The machine refused the move: the reason code and its facts (explainRefusal turns them into text), and the points it cost. */
  z.strictObject({ ok: z.literal(false), code: z.enum(REASON_CODES), facts: refusalFactsSchema, points: z.number().int() }),
]);

export const welcomeSchema = z.strictObject({
  type: z.literal('welcome'),
  v: z.number().int(),
  you: z.strictObject({
    role: z.enum(['teacher', 'student']),
    seatId: z.string().optional(),
    /** The seat token: only in the welcome that answers `join`. Keep it to resume. */
    token: z.string().optional(),
  }),
  /** The room log's seq the view reflects; send it back as `lastSeq` when resuming. */
  seq: z.number().int().min(0),
  /** The view: a snapshot of the room as it is now. Absent when `since` is there. */
  view: viewSchema.optional(),
  /**
   * Instead of a view, on a resume or hello whose `lastSeq` names a view the server knows
   * the client holds: keep that view (`seq` is then `since`). A student's is still current; a
   * teacher's `teacher/update` follows with what changed since.
   */
  since: z.number().int().min(0).optional(),
}).refine((m) => (m.view === undefined) !== (m.since === undefined), { message: 'a welcome carries either view or since' });
/** Pushed after every event of the room, to everyone, each with their own view. */
export const viewMessageSchema = z.strictObject({ type: z.literal('view'), seq: z.number().int().min(0), view: viewSchema });
const teacherFields = teacherViewSchema.shape;
/**
 * What changed in the teacher's view since the last welcome or update this connection was
 * sent (shared/game/teacher-feed.ts computes it; `applyTeacherUpdate` folds it in): whole
 * entries of the pairs and seats that are new or changed, the id order of the pairs or seats
 * when it changed (an id no longer listed is gone), and the whole new value of every other
 * top-level field that changed. Absent means unchanged.
 */
export const teacherUpdateSchema = z.strictObject({
  type: z.literal('teacher/update'),
  /** The room log's seq the updated view reflects. */
  seq: z.number().int().min(0),
  pairs: z.array(teacherPairSchema).optional(),
  pairOrder: z.array(z.string()).optional(),
  seats: z.array(teacherSeatSchema).optional(),
  seatOrder: z.array(z.string()).optional(),
  set: z.strictObject({
    room: teacherFields.room.optional(),
    round: teacherFields.round.optional(),
    unpaired: teacherFields.unpaired.optional(),
    leaderboard: teacherFields.leaderboard.optional(),
    pairLeaderboard: teacherFields.pairLeaderboard.optional(),
    mistakes: teacherFields.mistakes.optional(),
    commonMistakes: teacherFields.commonMistakes.optional(),
  }).optional(),
});
export type TeacherUpdate = z.infer<typeof teacherUpdateSchema>;
/** The answer to the sender's own `move`, after it was logged. */
export const moveResultSchema = z.strictObject({ type: z.literal('move/result'), verdict: verdictSchema });
export const errorSchema = z.strictObject({
  type: z.literal('error'),
  code: z.enum(ERROR_CODE_VALUES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  /** The type of the offending message, when known. */
  ref: z.string().optional(),
});
export const pongSchema = z.strictObject({ type: z.literal('pong'), t: z.number().optional() });

export const serverMessageSchema = z.discriminatedUnion('type', [
  welcomeSchema, viewMessageSchema, teacherUpdateSchema, moveResultSchema, errorSchema, pongSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

export type ParseResult =
  | { ok: true; msg: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; ref?: string };

/** UTF-8 length of a string without allocating (lone surrogates count 3, as TextEncoder would encode U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** Check one text frame in order — size, JSON, type, schema, version — never throwing. */
export function parseClientMessage(text: string): ParseResult {
  if (typeof text !== 'string') return { ok: false, code: ERROR_CODES.frameNotJson, message: 'frames must be JSON text' };
  // Cheap bound first: a UTF-8 string is at least as many bytes as UTF-16 code units / 1 and at most 3×.
  if (text.length > MAX_FRAME_BYTES || utf8Length(text) > MAX_FRAME_BYTES) {
    return { ok: false, code: ERROR_CODES.frameTooLarge, message: `frames are limited to ${MAX_FRAME_BYTES} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: ERROR_CODES.frameNotJson, message: 'the frame is not valid JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, code: ERROR_CODES.frameInvalid, message: 'a message is a JSON object with a "type"' };
  }
  const type = (json as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return { ok: false, code: ERROR_CODES.frameInvalid, message: 'a message is a JSON object with a string "type"' };
  }
  if (!Object.hasOwn(CLIENT_SCHEMAS, type)) {
    return { ok: false, code: ERROR_CODES.unknownType, message: `unknown message type "${type.slice(0, 40)}"`, ref: type.slice(0, 40) };
  }
  const schema = CLIENT_SCHEMAS[type as ClientMessageType] as z.ZodType<ClientMessage>;
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(message)';
    return { ok: false, code: ERROR_CODES.frameInvalid, message: `invalid ${type}: ${where}: ${issue?.message ?? 'invalid'}`, ref: type };
  }
  const msg = r.data;
  if ('v' in msg && msg.v !== PROTOCOL_VERSION) {
    return { ok: false, code: ERROR_CODES.badVersion, message: `this server speaks protocol version ${PROTOCOL_VERSION}, not ${msg.v}`, ref: type };
  }
  return { ok: true, msg };
}

// ---------------------------------------------------------------------------------------
// Nicknames
// ---------------------------------------------------------------------------------------

// The rule lives in shared/nickname.ts (zod-free, so the join form uses the same one); it is
// re-exported here so the protocol stays one import. Its refusal codes are error codes
// (room.ts passes them to `fail(code: ErrorCode, …)`, so the compiler checks it).
export { checkNickname, graphemeLength, looksAlike, nicknameKey, type NicknameCheck, type NicknameRefusal } from './nickname.ts';

// ---------------------------------------------------------------------------------------
// Examples (tested: every one parses; docs/protocol.md shows them)
// ---------------------------------------------------------------------------------------

const exampleRound: RoundView = {
  number: 1, status: 'running', scenario: 'lifecycle', level: 1, speedBonus: false,
  title: { ...SCENARIOS.lifecycle.title },
  goal: { ...SCENARIOS.lifecycle.goal },
  firstMover: 'client',
  hints: false,
};

const exampleStudentView: StudentView = {
  role: 'student',
  room: { code: 'K7QM2X', kind: 'class', closed: false },
  round: exampleRound,
  you: { seatId: 's1', nickname: 'Ada', score: 10, streak: 1, mistakes: 0, legalMoves: 1 },
  pair: {
    pairId: 'p1',
    side: 'client',
    partner: { nickname: 'Lin', connected: true, bot: false },
    game: {
      stateSeq: 7,
      endpoint: {
        side: 'client', state: 'SYN_SENT', isn: 100, isnChosen: true, timers: { rtx: true, timeWait: false }, bytesReceived: 0,
        numbers: { iss: 100, irs: null, sndUna: 100, sndNxt: 101, rcvNxt: 0 },
      },
      wire: { mine: [{ id: 1, from: 'client', flags: ['SYN'], seq: 100, ack: 0, len: 0 }], theirs: [] },
      ladder: [{ kind: 'sent', logSeq: 7, segment: { id: 1, from: 'client', flags: ['SYN'], seq: 100, ack: 0, len: 0 } }],
      hints: {
        auto: { 'SYN': { seq: 100, ack: 0 }, 'SYN+ACK': { seq: 100, ack: 0 }, 'ACK': { seq: 101, ack: 0 }, 'none': { seq: 101, ack: 0 }, 'RST': { seq: 101, ack: 0 }, 'ACK+RST': { seq: 101, ack: 0 } },
        retransmit: null,
        moves: [],
      },
      next: { moves: [], wait: 'rtx' },
      hint: null,
      stuck: null,
      handshakeDone: false, teardownDone: false, finished: false, score: 10,
    },
  },
  mistakes: [],
  leaderboard: [{ rank: 1, nickname: 'Ada', score: 10, bot: false }, { rank: 2, nickname: 'Lin', score: 0, bot: false }],
};

// The teacher feed's worked example (docs/protocol.md; shared/game/teacher-feed.test.ts
// checks that the reducer, viewFor and TeacherFeed give exactly these): Ada and Lin are
// paired, Sam (away) and Kim wait, and round 1 has started (seq 7); Ada sends her SYN (seq
// 8); the teacher pairs Sam and Kim (seq 9).
type ExampleSeat = TeacherView['seats'][number];
const exampleSeat = (seatId: string, nickname: string, more: Partial<ExampleSeat> = {}): ExampleSeat => ({
  seatId, nickname, removed: false, bot: false, connected: true, score: 0, streak: 0, mistakes: 0, legalMoves: 0, pairId: null, side: null, ...more,
});
type ExampleGame = NonNullable<TeacherView['pairs'][number]['game']>;
const exampleFreshGame = (seq: number, isn: ExampleGame['isn']): ExampleGame => ({
  connection: { client: { state: 'CLOSED' }, server: { state: 'LISTEN' }, wire: { client: [], server: [] } },
  stateSeq: { client: seq, server: seq },
  lastMove: null, lost: null, handshakeDone: false, teardownDone: false, finished: false, isn, score: 0, mistakes: 0, stuck: null,
});
const exampleP1 = {
  pairId: 'p1', seats: { client: 's1', server: 's2' }, nicknames: { client: 'Ada', server: 'Lin' },
  connected: { client: true, server: true }, bots: { client: false, server: false },
} as const;
const exampleSyn: ExampleGame['connection']['wire']['client'][number] = { id: 1, segment: { from: 'client', flags: ['SYN'], seq: 100, ack: 0, len: 0 } };
const exampleBoardLine = (rank: number, seatId: string, nickname: string, score = 0) => ({ rank, seatId, nickname, score, bot: false });

const exampleTeacherView: TeacherView = {
  role: 'teacher',
  room: { code: 'K7QM2X', kind: 'class', closed: false, locked: false, createdAt: 1767225600000, timings: { latencyMs: 1000, rtxMs: 3000, timeWaitMs: 20000 } },
  round: exampleRound,
  seats: [
    exampleSeat('s1', 'Ada', { pairId: 'p1', side: 'client' }),
    exampleSeat('s2', 'Lin', { pairId: 'p1', side: 'server' }),
    exampleSeat('s3', 'Sam', { connected: false }),
    exampleSeat('s4', 'Kim'),
  ],
  pairs: [{ ...exampleP1, game: exampleFreshGame(7, { client: 100, server: 300 }) }],
  unpaired: [
    { seatId: 's3', nickname: 'Sam', connected: false, bot: false },
    { seatId: 's4', nickname: 'Kim', connected: true, bot: false },
  ],
  leaderboard: [exampleBoardLine(1, 's1', 'Ada'), exampleBoardLine(1, 's2', 'Lin'), exampleBoardLine(1, 's3', 'Sam'), exampleBoardLine(1, 's4', 'Kim')],
  pairLeaderboard: [{ rank: 1, pairId: 'p1', nicknames: 'Ada & Lin', score: 0 }],
  mistakes: [],
  commonMistakes: [],
};

/** Ada's SYN: her pair, her seat, and the two leaderboards. */
const exampleTeacherMove: TeacherUpdate = {
  type: 'teacher/update',
  seq: 8,
  pairs: [{
    ...exampleP1,
    game: {
      ...exampleFreshGame(7, { client: 100, server: 300 }),
      connection: { client: { state: 'SYN_SENT' }, server: { state: 'LISTEN' }, wire: { client: [exampleSyn], server: [] } },
      stateSeq: { client: 8, server: 7 },
      lastMove: { kind: 'sent', logSeq: 8, seatId: 's1', segment: exampleSyn },
      score: 10,
    },
  }],
  seats: [exampleSeat('s1', 'Ada', { score: 10, streak: 1, legalMoves: 1, pairId: 'p1', side: 'client' })],
  set: {
    leaderboard: [exampleBoardLine(1, 's1', 'Ada', 10), exampleBoardLine(2, 's2', 'Lin'), exampleBoardLine(2, 's3', 'Sam'), exampleBoardLine(2, 's4', 'Kim')],
    pairLeaderboard: [{ rank: 1, pairId: 'p1', nicknames: 'Ada & Lin', score: 10 }],
  },
};

/** Sam and Kim paired mid-round: the new pair with its game, the new pair order, both seats, who is unpaired, the pair leaderboard. */
const exampleTeacherPairAdded: TeacherUpdate = {
  type: 'teacher/update',
  seq: 9,
  pairs: [{
    pairId: 'p2', seats: { client: 's3', server: 's4' }, nicknames: { client: 'Sam', server: 'Kim' },
    connected: { client: false, server: true }, bots: { client: false, server: false },
    game: exampleFreshGame(9, { client: 2000, server: 5000 }),
  }],
  pairOrder: ['p1', 'p2'],
  seats: [exampleSeat('s3', 'Sam', { connected: false, pairId: 'p2', side: 'client' }), exampleSeat('s4', 'Kim', { pairId: 'p2', side: 'server' })],
  set: {
    unpaired: [],
    pairLeaderboard: [{ rank: 1, pairId: 'p1', nicknames: 'Ada & Lin', score: 10 }, { rank: 2, pairId: 'p2', nicknames: 'Sam & Kim', score: 0 }],
  },
};

/** One JSON example of every message, client and server. */
export const EXAMPLES = {
  client: {
    'hello': { type: 'hello', v: PROTOCOL_VERSION, code: 'K7QM2X', key: 'tk_3q9v7c2m8x4h6p1r5s0t' },
    'join': { type: 'join', v: PROTOCOL_VERSION, code: 'K7QM2X', nickname: 'Ada' },
    'resume': { type: 'resume', v: PROTOCOL_VERSION, code: 'K7QM2X', token: 'st_a8Kq2mZx7Lr4Pw9N', lastSeq: 42 },
    'move': { type: 'move', stateSeq: 7, segment: { flags: ['SYN'], seq: 100, ack: 0, len: 0 } },
    'pair/auto': { type: 'pair/auto' },
    'pair/set': { type: 'pair/set', client: 's1', server: 's2' },
    'pair/swap': { type: 'pair/swap', pairId: 'p1' },
    'pair/dissolve': { type: 'pair/dissolve', pairId: 'p1' },
    'pair/restart': { type: 'pair/restart', pairId: 'p1' },
    'bot/add': { type: 'bot/add', side: 'server' },
    'hint/ask': { type: 'hint/ask' },
    'seat/rename': { type: 'seat/rename', seatId: 's3', nickname: 'Sam W' },
    'seat/remove': { type: 'seat/remove', seatId: 's3' },
    'round/start': { type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false },
    'round/pause': { type: 'round/pause' },
    'round/resume': { type: 'round/resume' },
    'round/end': { type: 'round/end' },
    'wire/drop': { type: 'wire/drop', pairId: 'p1' },
    'room/close': { type: 'room/close' },
    'room/lock': { type: 'room/lock' },
    'room/unlock': { type: 'room/unlock' },
    'room/timings': { type: 'room/timings', latencyMs: 1000, rtxMs: 3000, timeWaitMs: 20000 },
    'ping': { type: 'ping', t: 1767225600000 },
  } satisfies { [K in ClientMessageType]: ClientMessageOf<K> },
  server: {
    'welcome': { type: 'welcome', v: PROTOCOL_VERSION, you: { role: 'student', seatId: 's1', token: 'st_a8Kq2mZx7Lr4Pw9N' }, seq: 7, view: exampleStudentView },
    'welcome (teacher)': { type: 'welcome', v: PROTOCOL_VERSION, you: { role: 'teacher' }, seq: 7, view: exampleTeacherView },
    'welcome (since)': { type: 'welcome', v: PROTOCOL_VERSION, you: { role: 'student', seatId: 's1' }, seq: 42, since: 42 },
    'view': { type: 'view', seq: 7, view: exampleStudentView },
    'teacher/update': exampleTeacherMove,
    'teacher/update (pair added)': exampleTeacherPairAdded,
    'move/result': { type: 'move/result', verdict: { ok: true, segmentId: 1, points: 10 } },
    'move/result (refused)': {
      type: 'move/result',
      verdict: { ok: false, code: 'segment/ack-before-synack', facts: { state: 'SYN_SENT', side: 'client', field: 'flags', given: 'SYN+ACK' }, points: -5 },
    },
    'error': { type: 'error', code: 'move/stale-state', message: 'the state changed before your move arrived: look again and resend', ref: 'move' },
    'pong': { type: 'pong', t: 1767225600000 },
  } satisfies Record<string, ServerMessage>,
} as const;
