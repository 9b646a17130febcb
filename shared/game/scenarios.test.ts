import { describe, expect, it } from 'vitest';
import type { Flag } from '../tcp/types.ts';
import { SCENARIO_IDS, type ScenarioId } from './model.ts';
import { oldestInFlight, replayLog } from './room.ts';
import { SCENARIOS, handshakeConnection, pickIsns, startConnection } from './scenarios.ts';
import { RoomSim } from './sim.ts';
import { viewFor } from './view-for.ts';

/**
 * A script: 'c FLAGS[:len]' / 's FLAGS[:len]' plays a card at level 1 (numbers from the hints),
 * 'c rtx' / 's rtx' plays the hinted retransmission, 'd' delivers the oldest segment in flight,
 * 'D' everything in flight, 'x' drops the oldest (by the server), 'T c rtx' fires a timer.
 */
function run(scenario: ScenarioId, script: string[]): RoomSim {
  const sim = new RoomSim();
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  sim.start(scenario, 1, { p1: { client: 100, server: 1000 } });
  const seatOf = { c: 's1', s: 's2' } as const;
  for (const stepText of script) {
    const [a, b, c] = stepText.split(' ');
    const fail: (why: string) => never = (why) => { throw new Error(`${scenario}: step "${stepText}": ${why}`); };
    if (a === 'd') {
      const r = sim.deliver('p1');
      if (!r.ok) fail(r.code);
    } else if (a === 'D') {
      sim.deliverAll('p1');
    } else if (a === 'x') {
      const head = oldestInFlight(sim.room, 'p1') ?? fail('nothing in flight');
      sim.must({ type: 'wire/dropped', pairId: 'p1', ...head, by: 'server' });
    } else if (a === 'T') {
      sim.must({ type: 'timer/fired', pairId: 'p1', side: b === 'c' ? 'client' : 'server', timer: c as 'rtx' | 'time-wait' });
    } else if (a === 'c' || a === 's') {
      const seatId = seatOf[a];
      let r;
      if (b === 'rtx') {
        const hint = viewFor(sim.room, { role: 'student', seatId }, [])?.pair?.game?.hints?.retransmit ?? fail('no retransmission hint');
        r = sim.play(seatId, hint.flags, hint.len, { seq: hint.seq, ack: hint.ack });
      } else {
        const [flags, len] = (b ?? '').split(':');
        r = sim.play(seatId, (flags ?? '').split('+') as Flag[], Number(len ?? 0));
      }
      if (!r.ok) fail(r.code);
      if (!r.verdict?.ok) fail(`refused: ${r.verdict && !r.verdict.ok ? r.verdict.code : '?'}`);
    } else {
      fail('unknown step');
    }
  }
  return sim;
}

const handshake = ['c SYN', 'd', 's SYN+ACK', 'd', 'c ACK', 'd'];
const clientCloses = ['c FIN+ACK', 'd', 's ACK', 'd', 's FIN+ACK', 'd', 'c ACK', 'd'];
const serverCloses = ['s FIN+ACK', 'd', 'c ACK', 'd', 'c FIN+ACK', 'd', 's ACK', 'd'];

const SCRIPTS: Record<ScenarioId, string[]> = {
  'handshake': handshake,
  'teardown': clientCloses,
  'lifecycle': [...handshake, 'c ACK+PSH:5', 'd', 's ACK+PSH:3', 'd', 'c ACK', 'd', ...clientCloses],
  'server-closes': serverCloses,
  'half-close': ['c FIN+ACK', 'd', 's ACK', 'd', 's ACK+PSH:5', 'd', 'c ACK', 'd', 's FIN+ACK', 'd', 'c ACK', 'd'],
  'simultaneous-open': ['c SYN', 's SYN', 'D', 'c SYN+ACK', 's SYN+ACK', 'D'],
  'simultaneous-close': ['c FIN+ACK', 's FIN+ACK', 'D', 'c ACK', 's ACK', 'D'],
  'lost-segment': ['c ACK+PSH:4', 'x', 'T c rtx', 'c rtx', 'd'],
  'lost-final-ack': ['c FIN+ACK', 'd', 's ACK', 'd', 's FIN+ACK', 'd', 'c ACK', 'x', 'T s rtx', 's rtx', 'd', 'c ACK', 'd'],
  'refused': ['c SYN', 'd', 's RST+ACK', 'd'],
  'abort': ['c RST', 'd'],
};

describe('the scenario catalogue', () => {
  it('describes every scenario id, in both languages', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual([...SCENARIO_IDS].sort());
    for (const id of SCENARIO_IDS) {
      const s = SCENARIOS[id];
      expect(s.id).toBe(id);
      for (const text of [s.title.en, s.title['zh-CN'], s.goal.en, s.goal['zh-CN']]) expect(text.trim().length).toBeGreaterThan(1);
      expect(s.goal['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('starts from the right positions', () => {
    const isn = { client: 100, server: 1000 };
    const states = (id: ScenarioId) => {
      const c = startConnection(id, isn);
      return [c.client.state, c.server.state];
    };
    expect(states('handshake')).toEqual(['CLOSED', 'LISTEN']);
    expect(states('lifecycle')).toEqual(['CLOSED', 'LISTEN']);
    expect(states('simultaneous-open')).toEqual(['CLOSED', 'CLOSED']);
    expect(states('refused')).toEqual(['CLOSED', 'CLOSED']);
    for (const id of ['teardown', 'server-closes', 'half-close', 'simultaneous-close', 'lost-segment', 'lost-final-ack', 'abort'] as const) {
      expect(states(id), id).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    }
  });

  it('builds ESTABLISHED by a real handshake with the pair\'s ISNs, wrapping at level 3', () => {
    const c = handshakeConnection({ client: 0xffffffff, server: 7 });
    expect(c.client).toMatchObject({ iss: 0xffffffff, irs: 7, sndUna: 0, sndNxt: 0, rcvNxt: 8, rtxTimer: false });
    expect(c.server).toMatchObject({ iss: 7, irs: 0xffffffff, sndNxt: 8, rcvNxt: 0, rtxTimer: false });
    expect(c.wire).toEqual({ client: [], server: [] });
    expect(c.nextSegmentId).toBe(4);
  });

  it.each(SCENARIO_IDS.map((id) => [id]))('%s: a correct game at level 1 reaches the goal, and only at its end', (id) => {
    const script = SCRIPTS[id];
    const sim = run(id, script);
    const game = sim.room.pairs[0]!.game!;
    expect(game.finished).toBe(true);
    expect(SCENARIOS[id].goalReached(game)).toBe(true);
    // One step short, the goal is not reached.
    const short = run(id, script.slice(0, -1));
    expect(short.room.pairs[0]!.game!.finished).toBe(false);
    expect(replayLog(sim.log)).toEqual(sim.room);
  });

  it('goals depend on the shape, not only the end state', () => {
    // A teardown where the server closes first does not meet "client closes first", and vice versa.
    expect(run('teardown', serverCloses).room.pairs[0]!.game!).toMatchObject({ teardownDone: true, finished: false });
    expect(run('server-closes', clientCloses).room.pairs[0]!.game!).toMatchObject({ teardownDone: true, finished: false });
    // A plain close is not a half-close, and sequential FINs are not a simultaneous close.
    expect(run('half-close', clientCloses).room.pairs[0]!.game!.finished).toBe(false);
    expect(run('simultaneous-close', clientCloses).room.pairs[0]!.game!.finished).toBe(false);
    // A handshake without data is not a lifecycle.
    expect(run('lifecycle', [...handshake, ...clientCloses]).room.pairs[0]!.game!.finished).toBe(false);
    // The client opening alone is not a simultaneous open.
    expect(run('simultaneous-open', ['c SYN', 'd', 's RST+ACK', 'd']).room.pairs[0]!.game!.finished).toBe(false);
  });

  it('pickIsns: small and distinct ranges at levels 1–2, 32-bit at level 3', () => {
    for (const r of [0, 0.5, 0.9999999]) {
      const small = pickIsns(1, () => r);
      expect(small.client % 100).toBe(0);
      expect(small.client).toBeGreaterThanOrEqual(100);
      expect(small.client).toBeLessThanOrEqual(900);
      expect(small.server % 1000).toBe(0);
      expect(small.server).toBeLessThanOrEqual(9000);
      const big = pickIsns(3, () => r);
      expect(big.client).toBeGreaterThanOrEqual(0);
      expect(big.client).toBeLessThanOrEqual(0xffffffff);
      expect(Number.isInteger(big.client)).toBe(true);
    }
  });
});
