import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS, type ScenarioId } from './model.ts';
import { replayLog } from './room.ts';
import { SCENARIOS, handshakeConnection, pickIsns, startConnection } from './scenarios.ts';
import { SCRIPTS, SCRIPT_PARTS, scriptEvent } from './scripts.ts';
import { RoomSim } from './sim.ts';

/** Play a script (scripts.ts) in a fresh room: two students, one pair, a level-1 round of the scenario. */
function run(scenario: ScenarioId, script: readonly string[]): RoomSim {
  const sim = new RoomSim();
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  sim.start(scenario, 1, { p1: { client: 100, server: 1000 } });
  for (const stepText of script) {
    const ev = scriptEvent(sim.room, 'p1', stepText);
    if (!ev) throw new Error(`${scenario}: step "${stepText}" cannot be played`);
    const r = sim.apply(ev);
    if (!r.ok) throw new Error(`${scenario}: step "${stepText}": ${r.code}`);
    if (r.verdict && !r.verdict.ok) throw new Error(`${scenario}: step "${stepText}" refused: ${r.verdict.code}`);
  }
  return sim;
}

const { handshake, clientCloses, serverCloses } = SCRIPT_PARTS;

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
