/**
 * Pure scoring. Accuracy first: points come from legal moves, bonuses from completed
 * handshakes, teardowns and scenario goals, and a streak multiplier; a refused move costs
 * points. Speed counts only where the teacher turned it on (speed scoring shuts out students
 * who use a screen reader), and the time is passed in.
 */
import type { Side } from '../tcp/types.ts';
import type { Level, Room } from './model.ts';

/** Every scoring constant, in one place. */
export const POINTS = {
  /** A legal move that makes progress (see `makesProgress` in room.ts). */
  legalMove: 10,
  /** A legal move that changes nothing new (a repeated ACK, a retransmission before any timeout): no points, streak kept. */
  idleMove: 0,
  /** A move the TCP machine refuses. Scores may go below zero. */
  refusedMove: -5,
  /** A hint (hint/ask): the next correct move explained, for a few points. */
  hint: -3,
  /** Both ends ESTABLISHED for the first time in a game: to each player of the pair. */
  handshake: 30,
  /** Both ends closed gracefully (TIME_WAIT or CLOSED, no reset): to each player. */
  teardown: 30,
  /** The scenario's goal reached: to each player. */
  goal: 50,
  /** Levels 2–3: the player typed seq and ack and they were right (the move was legal and made progress). */
  numbers: 5,
  /** Speed bonus at most, when the round has it: for a move made at once, falling to 0 at `speedWindowMs`. */
  speedMax: 5,
  speedWindowMs: 10_000,
  /** Every `streakStep` consecutive progressing legal moves raise the multiplier by `streakIncrement`, up to `maxMultiplier`. */
  streakStep: 3,
  streakIncrement: 0.5,
  maxMultiplier: 2,
} as const;

/** The multiplier for a move made after `streak` consecutive progressing legal moves: 1, then 1.5 from 3, 2 from 6. */
export function streakMultiplier(streak: number): number {
  return Math.min(POINTS.maxMultiplier, 1 + POINTS.streakIncrement * Math.floor(Math.max(0, streak) / POINTS.streakStep));
}

/** The speed bonus for a move made `elapsedMs` after the mover's state last changed. */
export function speedPoints(elapsedMs: number): number {
  if (!Number.isFinite(elapsedMs) || elapsedMs < 0) return 0;
  return Math.max(0, Math.round(POINTS.speedMax * (1 - elapsedMs / POINTS.speedWindowMs)));
}

export interface LegalMoveInput {
  /** The move changed the sender's state or SND.NXT, or answered something that arrived, or retransmitted after a timeout. */
  progress: boolean;
  /** The seat's streak before this move. */
  streak: number;
  level: Level;
  speedBonus: boolean;
  elapsedMs?: number | undefined;
}

export interface MovePoints {
  points: number;
  /** The seat's streak after the move. */
  streak: number;
  breakdown: { base: number; numbers: number; multiplier: number; speed: number };
}

/** Points for a legal move: (base + numbers bonus) × streak multiplier, plus the speed bonus. */
export function legalMovePoints(m: LegalMoveInput): MovePoints {
  if (!m.progress) return { points: POINTS.idleMove, streak: m.streak, breakdown: { base: 0, numbers: 0, multiplier: 1, speed: 0 } };
  const base = POINTS.legalMove;
  const numbers = m.level >= 2 ? POINTS.numbers : 0;
  const multiplier = streakMultiplier(m.streak);
  const speed = m.speedBonus && m.elapsedMs !== undefined ? speedPoints(m.elapsedMs) : 0;
  return { points: Math.round((base + numbers) * multiplier) + speed, streak: m.streak + 1, breakdown: { base, numbers, multiplier, speed } };
}

/** Points for a refused move (a deduction); the streak drops to 0. */
export function refusedMovePoints(): { points: number; streak: number } {
  return { points: POINTS.refusedMove, streak: 0 };
}

export interface SeatRank { rank: number; seatId: string; nickname: string; score: number; bot: boolean }
export interface PairRank { rank: number; pairId: string; nicknames: string; score: number; seats: Record<Side, string> }

/** Competition ranking (1, 1, 3) of items already sorted best first. */
function rank<T extends { score: number }>(sorted: T[]): (T & { rank: number })[] {
  let prevScore: number | null = null;
  let prevRank = 0;
  return sorted.map((item, i) => {
    const r = prevScore !== null && item.score === prevScore ? prevRank : i + 1;
    prevScore = item.score;
    prevRank = r;
    return { ...item, rank: r };
  });
}

/** The room's students (removed seats excluded) by score, best first; ties keep join order and share a rank. */
export function leaderboard(room: Room): SeatRank[] {
  const seats = room.seats
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => !s.removed)
    .sort((a, b) => b.s.score - a.s.score || a.i - b.i)
    .map(({ s }) => ({ seatId: s.id, nickname: s.nickname, score: s.score, bot: s.bot }));
  return rank(seats);
}

/** The room's current pairs by the score of their current game, best first. */
export function pairLeaderboard(room: Room): PairRank[] {
  const nicknames = new Map(room.seats.map((s) => [s.id, s.nickname]));
  const nick = (id: string) => nicknames.get(id) ?? id;
  const pairs = room.pairs
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (b.p.game?.score ?? 0) - (a.p.game?.score ?? 0) || a.i - b.i)
    .map(({ p }) => ({
      pairId: p.id, seats: { ...p.seats }, nicknames: `${nick(p.seats.client)} & ${nick(p.seats.server)}`, score: p.game?.score ?? 0,
    }));
  return rank(pairs);
}
