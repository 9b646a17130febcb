import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Side } from '../tcp/types.ts';
import { SCENARIO_IDS, type Level, type ScenarioId } from './model.ts';
import { oracleMoves } from './oracle.ts';
import { inFlight, runningTimers } from './room.ts';
import { step } from '../tcp/machine.ts';
import { viewFor } from './view-for.ts';
import { SCENARIOS, pickIsns } from './scenarios.ts';
import { RoomSim } from './sim.ts';
import { seededRandom as rng } from '../seeded-random.ts';


/**
 * Both ends play the oracle's first move; the wire delivers (or, where the scenario says, loses)
 * segments in random interleavings with the moves (in the simultaneous scenarios the players
 * are faster than the wire); a retransmission timer fires only when
 * nothing else can happen, and TIME_WAIT's only after that (2MSL is far above an RTO).
 */
function playOut(scenario: ScenarioId, level: Level, seed: number) {
  const random = rng(seed);
  const sim = new RoomSim();
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  sim.start(scenario, level, { p1: pickIsns(level, random) });
  const seatOf: Record<Side, string> = { client: 's1', server: 's2' };
  const refused: string[] = [];
  const mismatches: string[] = [];
  for (let i = 0; i < 300; i++) {
    const game = sim.room.pairs[0]!.game!;
    if (game.finished) break;
    // What each student is shown is the oracle's answer: the diagram's lit moves (flags and the
    // state the machine takes them to) and, at level 1, the hand's numbered moves; and every
    // move the oracle offers, not only the first, is one the machine accepts.
    for (const side of ['client', 'server'] as const) {
      const sends = oracleMoves(game, scenario, side).flatMap((m) => (m.kind === 'send' ? [m] : []));
      const shown = viewFor(sim.room, { role: 'student', seatId: seatOf[side] }, [])!.pair!.game!;
      const expected = sends.map((m) => {
        const r = step(game.connection, { type: 'send', segment: m.segment });
        if (!r.ok) mismatches.push(`${side} ${m.why}: the machine refuses the oracle's ${m.segment.flags.join('+')} (${r.code})`);
        return { flags: m.segment.flags, to: r.ok ? r.connection[side].state : game.connection[side].state, why: m.why };
      });
      if (JSON.stringify(shown.next.moves) !== JSON.stringify(expected)) mismatches.push(`${side}: diagram ${JSON.stringify(shown.next.moves)} ≠ oracle ${JSON.stringify(expected)}`);
      const hand = sends.map((m) => ({ flags: m.segment.flags, seq: m.segment.seq, ack: m.segment.ack, len: m.segment.len, why: m.why }));
      if (level === 1 && JSON.stringify(shown.hints?.moves) !== JSON.stringify(hand)) mismatches.push(`${side}: hand ${JSON.stringify(shown.hints?.moves)} ≠ oracle ${JSON.stringify(hand)}`);
    }
    if (mismatches.length > 0) break;
    type Action = () => void;
    const actions: Action[] = [];
    for (const side of ['client', 'server'] as const) {
      const [m] = oracleMoves(game, scenario, side);
      if (m?.kind !== 'send') continue;
      const segment = m.segment;
      actions.push(() => {
        const r = sim.apply({ type: 'move', pairId: 'p1', seatId: seatOf[side], stateSeq: game.stateSeq[side], segment });
        if (!r.ok) refused.push(`${side} ${m.why}: ${r.code}`);
        else if (r.verdict && !r.verdict.ok) refused.push(`${side} ${m.why} ${segment.flags.join('+')} seq=${segment.seq} ack=${segment.ack}: ${r.verdict.code}`);
      });
    }
    const moves = actions.length;
    for (const from of ['client', 'server'] as const) {
      const head = inFlight(sim.room).find((f) => f.from === from);
      if (!head) continue;
      actions.push(() => {
        sim.must(head.lost
          ? { type: 'wire/dropped', pairId: 'p1', from, id: head.id, by: 'server' }
          : { type: 'wire/delivered', pairId: 'p1', from, id: head.id });
      });
    }
    if (actions.length === 0) {
      const timers = runningTimers(sim.room);
      const t = timers.find((x) => x.timer === 'rtx') ?? timers.find((x) => x.timer === 'time-wait');
      if (!t) break;
      sim.must({ type: 'timer/fired', pairId: 'p1', side: t.side, timer: t.timer });
      continue;
    }
    // Where both ends act at once (simultaneous open and close), each acts before the other's
    // segment arrives: the wire is slower than the players, which is what those scenarios teach.
    const choices = SCENARIOS[scenario].firstMover === 'both' && moves > 0 ? actions.slice(0, moves) : actions;
    choices[Math.floor(random() * choices.length)]!();
    if (refused.length > 0) break;
  }
  const game = sim.room.pairs[0]!.game!;
  return { finished: game.finished, refused, mismatches, states: { client: game.connection.client.state, server: game.connection.server.state } };
}

describe('the oracle', () => {
  for (const scenario of SCENARIO_IDS) {
    for (const level of [1, 2, 3] as const) {
      it(`${scenario} at level ${level}: oracle play on both sides reaches the goal with no refused move, and the diagram and hand show the oracle's moves, for many seeds`, () => {
        fc.assert(fc.property(fc.integer(), (seed) => {
          const r = playOut(scenario, level, seed);
          expect(r.refused, `seed ${seed}`).toEqual([]);
          expect(r.mismatches, `seed ${seed}`).toEqual([]);
          expect(r.finished, `seed ${seed}: ended in ${JSON.stringify(r.states)}`).toBe(true);
        }), { numRuns: 40, seed: 20261201 });
      });
    }
  }

  it('uses only what its own endpoint knows: the partner\'s hidden state does not change its answer', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('handshake', 1, { p1: { client: 100, server: 900 } });
    const game = sim.room.pairs[0]!.game!;
    const before = oracleMoves(game, 'handshake', 'client');
    const altered = { ...game, connection: { ...game.connection, server: { ...game.connection.server, state: 'SYN_RECEIVED' as const, rcvNxt: 12345 } } };
    expect(oracleMoves(altered, 'handshake', 'client')).toEqual(before);
    expect(before[0]).toEqual({ kind: 'send', why: 'open', segment: { from: 'client', flags: ['SYN'], seq: 100, ack: 0, len: 0 } });
  });
});
