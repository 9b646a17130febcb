import { describe, expect, it } from 'vitest';
import { POINTS, legalMovePoints, leaderboard, pairLeaderboard, refusedMovePoints, speedPoints, streakMultiplier } from './scoring.ts';
import { RoomSim } from './sim.ts';
import { SCENARIO_IDS } from './model.ts';
import { SCRIPTS, scriptEvent } from './scripts.ts';

describe('scoring', () => {
  it('the streak multiplier grows every three progressing moves, capped', () => {
    expect([0, 1, 2, 3, 5, 6, 9, 100].map(streakMultiplier)).toEqual([1, 1, 1, 1.5, 1.5, 2, 2, 2]);
  });

  it('a progressing legal move earns base points, numbers at levels 2–3, times the streak', () => {
    expect(legalMovePoints({ progress: true, streak: 0, level: 1, speedBonus: false })).toMatchObject({ points: 10, streak: 1 });
    expect(legalMovePoints({ progress: true, streak: 0, level: 2, speedBonus: false })).toMatchObject({ points: 15, streak: 1 });
    expect(legalMovePoints({ progress: true, streak: 3, level: 3, speedBonus: false })).toMatchObject({ points: 23, streak: 4 });
    expect(legalMovePoints({ progress: true, streak: 6, level: 1, speedBonus: false }).points).toBe(20);
  });

  it('a legal move without progress earns nothing and keeps the streak', () => {
    expect(legalMovePoints({ progress: false, streak: 4, level: 3, speedBonus: true, elapsedMs: 0 })).toMatchObject({ points: 0, streak: 4 });
  });

  it('speed counts only when the round has it, and only when time is passed in', () => {
    expect(legalMovePoints({ progress: true, streak: 0, level: 1, speedBonus: false, elapsedMs: 0 }).points).toBe(10);
    expect(legalMovePoints({ progress: true, streak: 0, level: 1, speedBonus: true }).points).toBe(10);
    expect(legalMovePoints({ progress: true, streak: 0, level: 1, speedBonus: true, elapsedMs: 0 }).points).toBe(10 + POINTS.speedMax);
    expect(speedPoints(POINTS.speedWindowMs / 2)).toBe(Math.round(POINTS.speedMax / 2));
    expect(speedPoints(POINTS.speedWindowMs * 3)).toBe(0);
    expect(speedPoints(-1)).toBe(0);
    expect(speedPoints(Number.NaN)).toBe(0);
  });

  it('a refused move costs points and resets the streak', () => {
    expect(refusedMovePoints()).toEqual({ points: POINTS.refusedMove, streak: 0 });
    expect(POINTS.refusedMove).toBeLessThan(0);
  });

  it('the speed bonus reaches the room when the round turns it on', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.must({ type: 'round/started', scenario: 'handshake', level: 1, speedBonus: true, isns: { p1: { client: 100, server: 1000 } }, by: 'teacher' });
    const r = sim.apply({ ...sim.moveEvent('s1', ['SYN']), elapsedMs: 0 });
    expect(r.ok && r.verdict).toEqual({ ok: true, segmentId: 1, points: 10 + POINTS.speedMax });
  });

  it('leaderboards rank by score with shared ranks, skip removed seats, and rank pairs', () => {
    const sim = new RoomSim();
    for (const [id, n] of [['s1', 'Ada'], ['s2', 'Lin'], ['s3', 'Sam'], ['s4', 'Kim']] as const) sim.join(id, n);
    sim.pair('p1', 's1', 's2');
    sim.pair('p2', 's3', 's4');
    sim.start('handshake');
    sim.play('s3', ['SYN']);
    sim.play('s1', ['ACK']);
    expect(leaderboard(sim.room).map((e) => [e.rank, e.nickname, e.score])).toEqual([
      ['1', 'Sam', 10], ['2', 'Lin', 0], ['2', 'Kim', 0], ['4', 'Ada', -5],
    ].map(([r, n, s]) => [Number(r), n, s]));
    sim.must({ type: 'seat/removed', seatId: 's2', by: 'teacher' });
    expect(leaderboard(sim.room).map((e) => e.nickname)).toEqual(['Sam', 'Kim', 'Ada']);
    expect(pairLeaderboard(sim.room).map((e) => [e.rank, e.pairId, e.nicknames, e.score])).toEqual([[1, 'p2', 'Sam & Kim', 10]]);
  });
});

describe('scores that add up', () => {
  it('a pair\'s game score is exactly what its two players earned in that game, in every scenario (a refusal included)', () => {
    for (const scenario of SCENARIO_IDS) {
      const sim = new RoomSim();
      sim.join('s1', 'Ada');
      sim.join('s2', 'Lin');
      sim.pair('p1', 's1', 's2');
      // A first round, so the class scores hold more than this game.
      sim.start('handshake', 1);
      for (const step of SCRIPTS.handshake) { const ev = scriptEvent(sim.room, 'p1', step); if (ev) sim.apply(ev); }
      sim.apply({ type: 'round/ended', by: 'teacher' });
      const before = sim.room.seats.map((s) => s.score);
      sim.start(scenario, 1);
      sim.play('s1', ['SYN', 'ACK', 'FIN']);
      for (const step of SCRIPTS[scenario]) { const ev = scriptEvent(sim.room, 'p1', step); if (ev) sim.apply(ev); }
      const game = sim.room.pairs[0]!.game!;
      expect(game.finished, scenario).toBe(true);
      const earned = sim.room.seats.reduce((sum, s, i) => sum + s.score - before[i]!, 0);
      expect(game.score, scenario).toBe(earned);
      expect(pairLeaderboard(sim.room)[0]!.score, scenario).toBe(earned);
    }
  });
});
