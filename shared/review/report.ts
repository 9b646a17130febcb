/**
 * A class's report, folded from its log with the room reducer: per round the pairs and who
 * reached the goal how fast, per student moves, legal share, refusals by misconception,
 * handshakes, teardowns and points per round, and the misconceptions with their moments.
 * Points are counted where the reducer puts them, seat by seat, so every total is the sum
 * of its parts (a pair's round score is exactly its two students' points in it). Pure.
 */
import type { ReasonCode } from '../tcp/types.ts';
import type { LogEntry, PairGame, Room } from '../game/model.ts';
import { MISCONCEPTION_IDS, misconceptionOf, type MisconceptionId } from '../game/misconceptions.ts';
import { foldLog } from './replay.ts';
import type { ClassReport, ReportMisconception, ReportPairRound, ReportRound, ReportStudent } from './types.ts';

/** The report of a room from its whole log (room/created first). */
export function buildReport(log: readonly LogEntry[]): ClassReport {
  const first = log[0];
  if (!first || first.event.type !== 'room/created') throw new Error('a log starts with room/created');
  const rounds: ReportRound[] = [];
  const students = new Map<string, ReportStudent>();
  const pairRounds = new Map<string, ReportPairRound>();
  /** Per pair round: how many history entries its replay has so far (to link a moment to its step). */
  const stepsOf = new Map<string, number>();
  const misc = new Map<MisconceptionId, ReportMisconception>();
  let last: Room | null = null;
  let lastAt = first.at;

  const student = (room: Room, seatId: string): ReportStudent => {
    let s = students.get(seatId);
    if (!s) {
      const seat = room.seats.find((x) => x.id === seatId);
      s = {
        seatId, nickname: seat?.nickname ?? seatId, removed: false, score: 0, scoreByRound: {}, moves: 0, legal: 0, refused: 0,
        legalShare: null, refusedByMisconception: {}, handshakes: 0, teardowns: 0, goals: 0,
      };
      students.set(seatId, s);
    }
    return s;
  };
  const roundOf = (n: number) => rounds.find((r) => r.number === n);
  const keyOf = (round: number, pairId: string) => `${round}:${pairId}`;

  for (const { entry, before, after } of foldLog(log)) {
    last = after;
    lastAt = entry.at;
    const ev = entry.event;
    for (const seat of after.seats) student(after, seat.id);

    if (ev.type === 'round/started') {
      rounds.push({ number: after.round.number, scenario: ev.scenario, level: ev.level, speedBonus: ev.speedBonus, startedAt: entry.at, endedAt: null, pairs: [] });
    }
    const round = roundOf(after.round.number);
    if (round && round.endedAt === null && before.round.status !== 'ended' && after.round.status === 'ended') round.endedAt = entry.at;

    // Pairs whose game (re)started with this event.
    if (round) {
      for (const pair of after.pairs) {
        const game = pair.game;
        if (!game) continue;
        const prev = (before.round.number === after.round.number ? before.pairs.find((p) => p.id === pair.id)?.game : undefined) ?? undefined;
        if (game === prev) continue;
        const key = keyOf(round.number, pair.id);
        if (!prev || game.history.length === 0) {
          // The pair's game starts (round start, mid-round pairing) or starts afresh (a swap).
          const nick = (id: string) => after.seats.find((x) => x.id === id)?.nickname ?? id;
          const fresh = { seats: { ...pair.seats }, nicknames: { client: nick(pair.seats.client), server: nick(pair.seats.server) }, startedAt: entry.at, goalAt: null, goalMs: null };
          const known = pairRounds.get(key);
          if (known) Object.assign(known, fresh);
          else {
            const pr: ReportPairRound = { round: round.number, pairId: pair.id, ...fresh, moves: 0, refused: 0, score: 0, steps: 1 };
            pairRounds.set(key, pr);
            round.pairs.push(pr);
          }
          stepsOf.set(key, 0);
        }
        const pr = pairRounds.get(key);
        if (!pr) continue;
        const added = game.history.length - (prev && game.history.length >= prev.history.length ? prev.history.length : 0);
        stepsOf.set(key, (stepsOf.get(key) ?? 0) + Math.max(0, added));
        pr.steps = (stepsOf.get(key) ?? 0) + 1;
        goalAndBonuses(prev, game, pr, entry.at, after);
      }
    }

    // Points, seat by seat, into the round and the pair they were earned in.
    for (const seat of after.seats) {
      const was = before.seats.find((x) => x.id === seat.id);
      const delta = seat.score - (was?.score ?? 0);
      const s = student(after, seat.id);
      s.nickname = seat.nickname;
      s.removed = seat.removed;
      if (delta === 0) continue;
      s.score += delta;
      const n = String(after.round.number);
      s.scoreByRound[n] = (s.scoreByRound[n] ?? 0) + delta;
      const pair = after.pairs.find((p) => p.seats.client === seat.id || p.seats.server === seat.id)
        ?? before.pairs.find((p) => p.seats.client === seat.id || p.seats.server === seat.id);
      const pr = pair ? pairRounds.get(keyOf(after.round.number, pair.id)) : undefined;
      if (pr) pr.score += delta;
    }

    if (ev.type === 'move' && after.seq !== before.seq) {
      const s = student(after, ev.seatId);
      const pr = pairRounds.get(keyOf(after.round.number, ev.pairId));
      s.moves++;
      if (pr) pr.moves++;
      const refusal = after.mistakes.length > before.mistakes.length ? after.mistakes[after.mistakes.length - 1]! : null;
      if (!refusal) { s.legal++; continue; }
      s.refused++;
      if (pr) pr.refused++;
      const id = misconceptionOf(refusal.code);
      s.refusedByMisconception[id] = (s.refusedByMisconception[id] ?? 0) + 1;
      const m = misc.get(id) ?? { id, count: 0, codes: [], students: [], example: null, moments: [] };
      m.count++;
      const c = m.codes.find((x) => x.code === refusal.code);
      if (c) c.count++;
      else m.codes.push({ code: refusal.code as ReasonCode, count: 1 });
      const who = m.students.find((x) => x.seatId === ev.seatId);
      if (who) who.count++;
      else m.students.push({ seatId: ev.seatId, nickname: s.nickname, count: 1 });
      m.example ??= { code: refusal.code, facts: { ...refusal.facts }, segment: { ...refusal.segment, flags: [...refusal.segment.flags] }, seatId: ev.seatId };
      m.moments.push({ round: after.round.number, pairId: ev.pairId, step: stepsOf.get(keyOf(after.round.number, ev.pairId)) ?? 0, logSeq: entry.seq, seatId: ev.seatId, code: refusal.code });
      misc.set(id, m);
    }
  }

  for (const s of students.values()) {
    s.legalShare = s.moves === 0 ? null : s.legal / s.moves;
    for (const m of misc.values()) { const w = m.students.find((x) => x.seatId === s.seatId); if (w) w.nickname = s.nickname; }
  }
  const room = last;
  return {
    code: first.event.code,
    kind: first.event.kind,
    createdAt: first.event.at,
    closed: room?.closed ?? false,
    lastEventAt: lastAt,
    rounds,
    students: [...students.values()],
    misconceptions: MISCONCEPTION_IDS.map((id) => misc.get(id)).filter((m): m is ReportMisconception => !!m).sort((a, b) => b.count - a.count),
  };

  /** Handshakes, teardowns and the goal, credited to both students of the pair when they first happen. */
  function goalAndBonuses(prev: PairGame | undefined, game: PairGame, pr: ReportPairRound, at: number, now: Room): void {
    const fresh = !prev || (game.history.length === 0);
    const was = fresh ? { handshakeDone: false, teardownDone: false, finished: false } : prev;
    for (const seatId of [pr.seats.client, pr.seats.server]) {
      const s = student(now, seatId);
      if (!was.handshakeDone && game.handshakeDone && game.history.length > 0) s.handshakes++;
      if (!was.teardownDone && game.teardownDone) s.teardowns++;
      if (!was.finished && game.finished) s.goals++;
    }
    if (!was.finished && game.finished) {
      pr.goalAt = at;
      pr.goalMs = at - pr.startedAt;
    }
  }
}
