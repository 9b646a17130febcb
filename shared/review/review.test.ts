import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../tcp/types.ts';
import { replayTrace } from '../tcp/trace.ts';
import type { Actor, LogEntry, RoomEvent } from '../game/model.ts';
import { MISCONCEPTIONS, MISCONCEPTION_IDS, ungroupedCodes } from '../game/misconceptions.ts';
import { RoomSim } from '../game/sim.ts';
import { pairRoundReplay, replayToTrace } from './replay.ts';
import { buildReport } from './report.ts';

/** The sim's accepted events as log rows, with the actor the server would write. */
function logOf(sim: RoomSim): LogEntry[] {
  return sim.log.map((event: RoomEvent, i) => {
    const actor: Actor = 'by' in event ? event.by : event.type === 'move' ? `seat:${event.seatId}` : event.type === 'seat/joined' ? `seat:${event.seatId}` : 'server';
    return { seq: i + 1, at: 1_767_225_600_000 + i * 1000, actor, event };
  });
}

/** A class of four: p1 plays a whole lifecycle with two refused moves, p2 a handshake and stops. */
function playedClass(): RoomSim {
  const sim = new RoomSim();
  for (const [id, n] of [['s1', 'Ada'], ['s2', 'Lin'], ['s3', 'Sam'], ['s4', 'Kim']] as const) sim.join(id, n);
  sim.pair('p1', 's1', 's2');
  sim.pair('p2', 's3', 's4');
  sim.start('lifecycle', 1, { p1: { client: 100, server: 1000 }, p2: { client: 200, server: 2000 } });
  const must = (seat: string, flags: Parameters<RoomSim['play']>[1], len = 0) => {
    const r = sim.play(seat, flags, len);
    if (!r.ok || !r.verdict?.ok) throw new Error(`${seat} ${flags.join('+')} was not legal`);
  };
  // p1: the client ACKs before the SYN+ACK came (refused), then plays right.
  must('s1', ['SYN']);
  expect(sim.play('s1', ['ACK'])).toMatchObject({ ok: true, verdict: { ok: false, code: 'segment/ack-before-synack' } });
  sim.deliverAll('p1');
  must('s2', ['SYN', 'ACK']); sim.deliverAll('p1');
  must('s1', ['ACK']); sim.deliverAll('p1');
  must('s1', ['ACK', 'PSH'], 5); sim.deliverAll('p1');
  must('s2', ['ACK', 'PSH'], 3); sim.deliverAll('p1');
  must('s1', ['ACK']); sim.deliverAll('p1');
  must('s1', ['FIN', 'ACK']); sim.deliverAll('p1');
  // The server ACKs the FIN off by one (refused), then right.
  const view = sim.moveEvent('s2', ['ACK']);
  expect(sim.play('s2', ['ACK'], 0, { ack: view.segment.ack - 1 })).toMatchObject({ ok: true, verdict: { ok: false } });
  must('s2', ['ACK']); sim.deliverAll('p1');
  must('s2', ['FIN', 'ACK']); sim.deliverAll('p1');
  must('s1', ['ACK']); sim.deliverAll('p1');
  // p2: a handshake, then the teacher loses the client's next segment.
  must('s3', ['SYN']); sim.deliverAll('p2');
  must('s4', ['SYN', 'ACK']); sim.deliverAll('p2');
  must('s3', ['ACK']);
  sim.must({ type: 'wire/dropped', pairId: 'p2', from: 'client', id: 3, by: 'teacher' });
  sim.must({ type: 'round/ended', by: 'teacher' });
  return sim;
}

describe('misconceptions', () => {
  it('every reason code belongs to exactly one misconception', () => {
    expect(ungroupedCodes()).toEqual([]);
    for (const code of REASON_CODES) {
      const owners = MISCONCEPTION_IDS.filter((id) => (MISCONCEPTIONS[id].codes as readonly string[]).includes(code));
      expect(owners, code).toHaveLength(1);
    }
  });

  it('each has a title and what to teach in both languages', () => {
    for (const id of MISCONCEPTION_IDS) {
      for (const lang of ['en', 'zh-CN'] as const) {
        expect(MISCONCEPTIONS[id].title[lang].length, `${id} ${lang}`).toBeGreaterThan(3);
        expect(MISCONCEPTIONS[id].teach[lang].length, `${id} ${lang}`).toBeGreaterThan(20);
      }
    }
  });
});

describe('pair replay from the log', () => {
  it('is what the room saw: one step per history entry, the same logSeqs, the same final connection', () => {
    const sim = playedClass();
    const r = pairRoundReplay(logOf(sim), 'p1', 1);
    if (!r.ok) throw new Error(r.code);
    const game = sim.room.pairs.find((p) => p.id === 'p1')!.game!;
    expect(r.replay.steps).toHaveLength(game.history.length + 1);
    expect(r.replay.steps.slice(1).map((s) => s.logSeq)).toEqual(game.history.map((h) => h.logSeq));
    const last = r.replay.steps.at(-1)!;
    expect(last.endpoints.client.state).toBe(game.connection.client.state);
    expect(last.endpoints.server.state).toBe(game.connection.server.state);
    expect(last.endpoints.client.sndNxt).toBe(game.connection.client.sndNxt);
    expect(last.endpoints.server.rcvNxt).toBe(game.connection.server.rcvNxt);
    expect(r.replay.names).toEqual({ client: 'Ada', server: 'Lin' });
    // The refused moves are steps with their verdict and who made them.
    const refused = r.replay.steps.filter((s) => s.verdict && !s.verdict.ok);
    expect(refused.map((s) => [s.nickname, s.verdict && !s.verdict.ok ? s.verdict.code : null])).toEqual([
      ['Ada', 'segment/ack-before-synack'], ['Lin', 'segment/ack-off-by-one'],
    ]);
    expect(refused.every((s) => (s.points ?? 0) < 0)).toBe(true);
  });

  it('a teacher\'s loss is a drop step by the teacher; unknown rounds and pairs are named', () => {
    const sim = playedClass();
    const r = pairRoundReplay(logOf(sim), 'p2', 1);
    if (!r.ok) throw new Error(r.code);
    expect(r.replay.steps.at(-1)).toMatchObject({ event: { kind: 'drop', from: 'client' }, by: 'teacher' });
    expect(pairRoundReplay(logOf(sim), 'p2', 7)).toEqual({ ok: false, code: 'round/not-found' });
    expect(pairRoundReplay(logOf(sim), 'p9', 1)).toEqual({ ok: false, code: 'pair/not-found' });
  });

  it('exported as a trace, replay judges it with the same verdicts and ends in the same states', () => {
    const sim = playedClass();
    for (const pairId of ['p1', 'p2']) {
      const r = pairRoundReplay(logOf(sim), pairId, 1);
      if (!r.ok) throw new Error(r.code);
      const trace = replayToTrace(r.replay);
      const judged = replayTrace(trace);
      const refusedInGame = r.replay.steps.filter((s) => s.verdict && !s.verdict.ok).map((s) => (s.verdict as { code: string }).code);
      expect(judged.lines.filter((l) => !l.ok).map((l) => l.reason)).toEqual(refusedInGame);
      const game = sim.room.pairs.find((p) => p.id === pairId)!.game!;
      expect(judged.connection.client.state).toBe(game.connection.client.state);
      expect(judged.connection.server.state).toBe(game.connection.server.state);
    }
  });

  it('a scenario that starts ESTABLISHED exports the handshake that put it there', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('teardown', 1, { p1: { client: 300, server: 3000 } });
    sim.play('s1', ['FIN', 'ACK']);
    sim.deliverAll('p1');
    const r = pairRoundReplay(logOf(sim), 'p1', 1);
    if (!r.ok) throw new Error(r.code);
    const trace = replayToTrace(r.replay);
    expect(trace.steps[0]).toEqual({ send: { from: 'client', flags: ['SYN'], seq: 300, ack: 0, len: 0 } });
    const judged = replayTrace(trace);
    expect(judged.lines.every((l) => l.ok)).toBe(true);
    expect([judged.connection.client.state, judged.connection.server.state]).toEqual(['FIN_WAIT_1', 'CLOSE_WAIT']);
  });
});

describe('the class report', () => {
  it('adds up: each student\'s total is their score, each pair\'s round score the sum of its two students\'', () => {
    const sim = playedClass();
    const report = buildReport(logOf(sim));
    for (const seat of sim.room.seats) {
      const s = report.students.find((x) => x.seatId === seat.id)!;
      expect(s.score, seat.nickname).toBe(seat.score);
      expect(Object.values(s.scoreByRound).reduce((a, b) => a + b, 0)).toBe(seat.score);
    }
    const [round] = report.rounds;
    expect(round).toMatchObject({ number: 1, scenario: 'lifecycle', level: 1 });
    for (const pr of round!.pairs) {
      const a = report.students.find((x) => x.seatId === pr.seats.client)!;
      const b = report.students.find((x) => x.seatId === pr.seats.server)!;
      expect(pr.score).toBe((a.scoreByRound['1'] ?? 0) + (b.scoreByRound['1'] ?? 0));
    }
    expect(round!.endedAt).not.toBeNull();
  });

  it('per student: moves, legal share, refusals by misconception, handshakes, teardowns, goals', () => {
    const report = buildReport(logOf(playedClass()));
    const ada = report.students.find((s) => s.nickname === 'Ada')!;
    const lin = report.students.find((s) => s.nickname === 'Lin')!;
    const sam = report.students.find((s) => s.nickname === 'Sam')!;
    expect(ada).toMatchObject({ moves: 7, legal: 6, refused: 1, refusedByMisconception: { 'ack-before-arrival': 1 }, handshakes: 1, teardowns: 1, goals: 1 });
    expect(lin).toMatchObject({ refused: 1, refusedByMisconception: { 'sequence-space': 1 }, goals: 1 });
    expect(ada.legalShare).toBeCloseTo(6 / 7);
    // Sam's last ACK was lost: the server never reached ESTABLISHED, so no handshake.
    expect(sam).toMatchObject({ handshakes: 0, teardowns: 0, goals: 0, refused: 0, moves: 2 });
    const p1 = report.rounds[0]!.pairs.find((p) => p.pairId === 'p1')!;
    expect(p1.goalAt).not.toBeNull();
    expect(p1.goalMs).toBe(p1.goalAt! - p1.startedAt);
    expect(report.rounds[0]!.pairs.find((p) => p.pairId === 'p2')!.goalAt).toBeNull();
  });

  it('misconceptions: count, who, one example, and each moment as a step of the replay', () => {
    const sim = playedClass();
    const log = logOf(sim);
    const report = buildReport(log);
    expect(report.misconceptions.map((m) => [m.id, m.count])).toEqual(expect.arrayContaining([['ack-before-arrival', 1], ['sequence-space', 1]]));
    const m = report.misconceptions.find((x) => x.id === 'sequence-space')!;
    expect(m.students).toEqual([{ seatId: 's2', nickname: 'Lin', count: 1 }]);
    expect(m.example).toMatchObject({ code: 'segment/ack-off-by-one', seatId: 's2', facts: { state: 'CLOSE_WAIT' } });
    const r = pairRoundReplay(log, m.moments[0]!.pairId, m.moments[0]!.round);
    if (!r.ok) throw new Error(r.code);
    const at = r.replay.steps[m.moments[0]!.step]!;
    expect(at.verdict).toMatchObject({ ok: false, code: 'segment/ack-off-by-one' });
    expect(at.logSeq).toBe(m.moments[0]!.logSeq);
  });
});
