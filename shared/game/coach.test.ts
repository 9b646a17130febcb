/**
 * Issue 9's scenario fixes, hints, restarts and bot seats, in the pure game: each test here
 * failed before its fix (the goal tests by reaching the old goal, the view tests by showing
 * the old view).
 */
import { describe, expect, it } from 'vitest';
import type { Flag } from '../tcp/types.ts';
import { decide, botNickname, type DecideContext, type Decided } from './decide.ts';
import type { Room } from './model.ts';
import { POINTS } from './scoring.ts';
import { SCENARIOS } from './scenarios.ts';
import { RoomSim } from './sim.ts';
import { hintFor } from './next-moves.ts';
import { minTimeWaitMs, timeWaitProblem } from './timings.ts';
import { viewFor } from './view-for.ts';
import { applyEvent } from './room.ts';

const goodTimings = { latencyMs: 1500, rtxMs: 5000, timeWaitMs: 20_000 };
let secrets = 0;
const ctx: DecideContext = { random: () => 0.25, maxSeats: 10, secretHash: () => (++secrets).toString(16).padStart(64, 'b'), timings: goodTimings };

function pairRoom(kind: 'class' | 'practice' = 'class'): RoomSim {
  const sim = new RoomSim(kind);
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  return sim;
}

const game = (sim: RoomSim) => sim.room.pairs[0]!.game!;
const studentGame = (sim: RoomSim, seatId: string) => viewFor(sim.room, { role: 'student', seatId }, [])!.pair!.game!;
const ok = (sim: RoomSim, r: ReturnType<RoomSim['apply']>) => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  if (r.verdict && !r.verdict.ok) throw new Error(`refused: ${r.verdict.code}`);
  return sim;
};
const play = (sim: RoomSim, seat: string, flags: Flag[], len = 0, o: Partial<{ seq: number; ack: number }> = {}) => ok(sim, sim.play(seat, flags, len, o));
/** Commit decided events on the sim, as the server would. */
function commit(sim: RoomSim, events: readonly Decided[]): void {
  for (const d of events) sim.must(d.event);
}

/** Lost final ACK up to the loss: the client closed, both FINs acknowledged but the last ACK dropped. */
function untilFinalAckLost(sim: RoomSim): void {
    sim.start('lost-final-ack', 1, { p1: { client: 100, server: 1000 } });
    play(sim, 's1', ['FIN', 'ACK']); sim.deliverAll('p1');
    play(sim, 's2', ['ACK']); sim.deliverAll('p1');
    play(sim, 's2', ['FIN', 'ACK']); sim.deliverAll('p1');
    play(sim, 's1', ['ACK']);
    const dropped = game(sim).connection.wire.client[0]!;
    sim.must({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: dropped.id, by: 'server' });
}

describe('fix 1: lost final ACK needs a 2MSL well above the RTO, and its goal needs the FIN answered from TIME_WAIT', () => {
  it('the rule: 2MSL ≥ 2 × (RTO + 2 × latency); the old defaults (2MSL 4 s, RTO 5 s) break it, the new ones keep it', () => {
    expect(minTimeWaitMs({ latencyMs: 1500, rtxMs: 5000 })).toBe(16_000);
    expect(timeWaitProblem({ latencyMs: 1500, rtxMs: 5000, timeWaitMs: 4000 })).toMatch(/^TIME_WAIT_MS 4000 is too short for RTX_MS 5000 and WIRE_LATENCY_MS 1500: .* 16000 ms/);
    expect(timeWaitProblem(goodTimings)).toBeNull();
  });

  it('a lost-final-ack round is refused with round/time-wait-too-short under timings that break the rule; other rounds are not', () => {
    const sim = pairRoom();
    const bad = { ...ctx, timings: { latencyMs: 1500, rtxMs: 5000, timeWaitMs: 4000 } };
    const start = (scenario: 'lost-final-ack' | 'teardown', c: DecideContext) =>
      decide(sim.room, { role: 'teacher' }, { type: 'round/start', scenario, level: 1, speedBonus: false }, c);
    expect(start('lost-final-ack', bad)).toMatchObject({ ok: false, code: 'round/time-wait-too-short' });
    expect(start('teardown', bad).ok).toBe(true);
    expect(start('lost-final-ack', ctx).ok).toBe(true);
  });

  it('an extra ACK sent from TIME_WAIT before any FIN came back closes the server, but is not the lesson: no goal', () => {
    const sim = pairRoom();
    untilFinalAckLost(sim);
    // The client repeats its ACK unprompted; the server closes on it.
    play(sim, 's1', ['ACK']); sim.deliverAll('p1');
    expect(sim.state('p1')).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    // The old goal (a teardown and a drop) would have been reached here.
    expect(game(sim).finished).toBe(false);
  });

  it('the goal is reached when the retransmitted FIN reaches TIME_WAIT, which answers it and restarts 2MSL, and the server closes on that ACK', () => {
    const sim = pairRoom();
    untilFinalAckLost(sim);
    sim.must({ type: 'timer/fired', pairId: 'p1', side: 'server', timer: 'rtx' });
    // The level-1 hand offers the retransmission at the FIN's own number, not SND.NXT.
    const hand = studentGame(sim, 's2').hints!.moves;
    expect(hand[0]).toMatchObject({ flags: ['FIN', 'ACK'], seq: 1000 + 1, why: 'retransmit' });
    play(sim, 's2', ['FIN', 'ACK'], 0, { seq: hand[0]!.seq, ack: hand[0]!.ack });
    ok(sim, sim.deliver('p1'));
    // The FIN arrived in TIME_WAIT: the 2MSL timer starts again.
    expect(sim.effects).toContainEqual({ type: 'tcp', pairId: 'p1', effect: { type: 'timer-start', side: 'client', timer: 'time-wait' } });
    expect(game(sim).finished).toBe(false);
    play(sim, 's1', ['ACK']); sim.deliverAll('p1');
    expect(sim.state('p1')).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    expect(game(sim).finished).toBe(true);
  });
});

describe('fix 2: lost segment is won only when the lost bytes are retransmitted, accepted and acknowledged', () => {
  it('new data sent past the hole is held, not the lost bytes: no goal; the retransmission and its ACK reach it', () => {
    const sim = pairRoom();
    sim.start('lost-segment', 1, { p1: { client: 800, server: 9000 } });
    play(sim, 's1', ['ACK', 'PSH'], 100);
    const dropped = game(sim).connection.wire.client[0]!;
    sim.must({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: dropped.id, by: 'server' });
    // The student sends on with new bytes (seq 901) instead of retransmitting 801.
    play(sim, 's1', ['ACK', 'PSH'], 5, { seq: 901, ack: 9001 });
    ok(sim, sim.deliver('p1'));
    expect(game(sim).connection.server.rcvNxt).toBe(801);
    expect(game(sim).connection.server.bytesReceived).toBe(0);
    // The old goal (data from the client accepted after a loss) was reached here.
    expect(game(sim).finished).toBe(false);
    sim.must({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'rtx' });
    const again = studentGame(sim, 's1').hints!.moves[0]!;
    expect(again).toMatchObject({ seq: 801, len: 100, why: 'retransmit' });
    play(sim, 's1', again.flags, again.len, { seq: again.seq, ack: again.ack });
    sim.deliverAll('p1');
    expect(game(sim).finished).toBe(false); // accepted, not yet acknowledged back
    play(sim, 's2', ['ACK']); sim.deliverAll('p1');
    expect(game(sim).finished).toBe(true);
  });
});

describe('fix 4: the ISN shown follows the SYN the player sent (level 2)', () => {
  it('a server that sends SYN+ACK at ISN+1 is shown that ISN afterwards, and marked as chosen', () => {
    const sim = pairRoom();
    sim.start('handshake', 2, { p1: { client: 300, server: 9000 } });
    expect(studentGame(sim, 's2').endpoint).toMatchObject({ isn: 9000, isnChosen: false });
    play(sim, 's1', ['SYN'], 0, { seq: 300, ack: 0 }); sim.deliverAll('p1');
    play(sim, 's2', ['SYN', 'ACK'], 0, { seq: 9001, ack: 301 });
    expect(studentGame(sim, 's2').endpoint).toMatchObject({ isn: 9001, isnChosen: true });
  });
});

describe('fix 5: an endpoint is never told a segment was lost', () => {
  it('the student ladders have no drop; the sender sees its timer expire; the teacher sees the loss', () => {
    const sim = pairRoom();
    sim.start('lost-segment', 1, { p1: { client: 100, server: 1000 } });
    play(sim, 's1', ['ACK', 'PSH'], 4);
    const dropped = game(sim).connection.wire.client[0]!;
    sim.must({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: dropped.id, by: 'server' });
    sim.must({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'rtx' });
    for (const s of ['s1', 's2']) expect(studentGame(sim, s).ladder.map((e) => e.kind)).not.toContain('dropped');
    expect(studentGame(sim, 's1').ladder.at(-1)).toMatchObject({ kind: 'timer', side: 'client', timer: 'rtx' });
    expect(viewFor(sim.room, { role: 'teacher' }, []).pairs[0]!.game!.lost)
      .toEqual({ logSeq: sim.room.seq - 1, id: dropped.id, from: 'client', segment: dropped.segment });
  });
});

describe('fix 6: a pair that can no longer reach its goal is told so, and restarts its own game', () => {
  it('an abort in the teardown scenario leaves both ends CLOSED by a reset: stuck, for both students and the teacher', () => {
    const sim = pairRoom('practice');
    sim.start('teardown', 1, { p1: { client: 100, server: 1000 } }, 'seat:s1');
    play(sim, 's1', ['RST', 'ACK']);
    expect(studentGame(sim, 's1').stuck).toBeNull(); // the RST is still on the wire
    sim.deliverAll('p1');
    expect(studentGame(sim, 's1').stuck).toBe('reset');
    expect(studentGame(sim, 's2').stuck).toBe('reset');
    expect(viewFor(sim.room, { role: 'teacher' }, []).pairs[0]!.game!.stuck).toBe('reset');
  });

  it('both ends closed in the handshake scenario (the client gave up with a RST): stuck; pair/restart starts afresh, points kept', () => {
    const sim = pairRoom('practice');
    sim.start('handshake', 1, { p1: { client: 100, server: 1000 } }, 'seat:s1');
    play(sim, 's1', ['SYN']); sim.deliverAll('p1');
    play(sim, 's2', ['SYN', 'ACK']); sim.deliverAll('p1');
    play(sim, 's1', ['RST', 'ACK']); sim.deliverAll('p1');
    expect(studentGame(sim, 's1').stuck).not.toBeNull();
    const score = sim.seat('s1').score;
    const d = decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'pair/restart', pairId: 'p1' }, ctx);
    expect(d.ok).toBe(true);
    commit(sim, (d as { events: Decided[] }).events);
    expect(sim.state('p1')).toEqual({ client: 'CLOSED', server: 'LISTEN' });
    expect(game(sim).history).toEqual([]);
    expect(game(sim).score).toBe(0);
    expect(studentGame(sim, 's1').stuck).toBeNull();
    expect(sim.seat('s1').score).toBe(score);
  });

  it('in a class, only the teacher restarts a pair; a practice player only their own pair', () => {
    const sim = pairRoom('class');
    sim.start('handshake');
    expect(decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'pair/restart', pairId: 'p1' }, ctx)).toMatchObject({ ok: false, code: 'auth/not-teacher' });
    expect(decide(sim.room, { role: 'teacher' }, { type: 'pair/restart', pairId: 'p1' }, ctx).ok).toBe(true);
  });
});

describe('hints', () => {
  it('practice: a hint costs POINTS.hint, is shown until the side\'s state changes, and names the move and why', () => {
    const sim = pairRoom('practice');
    sim.start('handshake', 2, { p1: { client: 100, server: 1000 } }, 'seat:s1');
    const d = decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'hint/ask' }, ctx);
    commit(sim, (d as { events: Decided[] }).events);
    expect(sim.seat('s1').score).toBe(POINTS.hint);
    const hint = studentGame(sim, 's1').hint;
    expect(hint).toEqual({ kind: 'send', segment: { flags: ['SYN'], seq: 100, ack: 0, len: 0 }, why: 'open', to: 'SYN_SENT' });
    expect(hint).toEqual(hintFor(game(sim), 'handshake', 'client'));
    // Not the partner's: their view has no hint.
    expect(studentGame(sim, 's2').hint).toBeNull();
    play(sim, 's1', ['SYN'], 0, { seq: 100, ack: 0 });
    expect(studentGame(sim, 's1').hint).toBeNull();
  });

  it('class: off unless the teacher started the round with hints', () => {
    const sim = pairRoom('class');
    sim.start('handshake');
    expect(viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!.round.hints).toBe(false);
    expect(decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'hint/ask' }, ctx)).toMatchObject({ ok: false, code: 'hint/off' });
    sim.must({ type: 'round/ended', by: 'teacher' });
    const d = decide(sim.room, { role: 'teacher' }, { type: 'round/start', scenario: 'handshake', level: 1, speedBonus: false, hints: true }, ctx);
    commit(sim, (d as { events: Decided[] }).events);
    expect(viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!.round.hints).toBe(true);
    expect(decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'hint/ask' }, ctx).ok).toBe(true);
  });
});

describe('bot seats', () => {
  it('bot/add in a practice room with one player: a bot seat (logged as one) paired at once on the side asked', () => {
    const sim = new RoomSim('practice');
    sim.join('s1', 'Ada');
    const d = decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'bot/add', side: 'server' }, ctx);
    expect(d.ok).toBe(true);
    const events = (d as { events: Decided[] }).events;
    expect(events[0]).toMatchObject({ actor: 'server', event: { type: 'seat/joined', seatId: 's2', nickname: 'Bot 1', bot: true } });
    commit(sim, events);
    expect(sim.room.pairs[0]!.seats).toEqual({ client: 's1', server: 's2' });
    const view = viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!;
    expect(view.pair!.partner).toMatchObject({ nickname: 'Bot 1', bot: true });
    expect(view.leaderboard.map((l) => l.bot)).toEqual([false, true]);
    // A practice room seats two: a third (bot or friend) is refused.
    expect(decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'bot/add' }, ctx)).toMatchObject({ ok: false, code: 'room/full' });
  });

  it('a bot is named after the first free "Bot n": a student may already be called Bot 1', () => {
    const sim = new RoomSim();
    sim.join('s1', 'bot 1');
    expect(botNickname(sim.room)).toBe('Bot 2');
  });

  it('pair/auto withBot pairs an odd student with a new bot; without it the odd one waits', () => {
    const sim = new RoomSim();
    for (const [id, n] of [['s1', 'Ada'], ['s2', 'Lin'], ['s3', 'Sam']] as const) sim.join(id, n);
    const plain = decide(sim.room, { role: 'teacher' }, { type: 'pair/auto' }, ctx) as { ok: true; events: Decided[] };
    expect(plain.events).toHaveLength(1);
    const d = decide(sim.room, { role: 'teacher' }, { type: 'pair/auto', withBot: true }, ctx) as { ok: true; events: Decided[] };
    commit(sim, d.events);
    expect(sim.room.pairs).toHaveLength(2);
    expect(sim.room.seats.filter((s) => s.bot).map((s) => s.nickname)).toEqual(['Bot 1']);
    const t = viewFor(sim.room, { role: 'teacher' }, []);
    expect(t.unpaired).toEqual([]);
    expect(t.pairs.some((p) => p.bots.client || p.bots.server)).toBe(true);
  });

  it('the log replays to the same room, bots and all (seat/joined with bot: true)', () => {
    const sim = new RoomSim('practice');
    sim.join('s1', 'Ada');
    commit(sim, (decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'bot/add' }, ctx) as { events: Decided[] }).events);
    let room: Room | null = null;
    for (const ev of sim.log) {
      if (ev.type === 'room/created') { room = new RoomSim('practice').room; continue; }
      const r = applyEvent(room!, ev);
      if (!r.ok) throw new Error(r.code);
      room = r.room;
    }
    expect(room!.seats.map((s) => s.bot)).toEqual([false, true]);
  });
});

describe('every scenario: the goal test is not reached by a starting position', () => {
  it('none of the 11 starts finished', () => {
    for (const s of Object.values(SCENARIOS)) {
      const sim = pairRoom();
      sim.start(s.id, 1, { p1: { client: 100, server: 1000 } });
      expect(game(sim).finished, s.id).toBe(false);
    }
  });
});
