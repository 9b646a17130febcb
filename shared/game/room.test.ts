import { describe, expect, it } from 'vitest';
import type { Flag } from '../tcp/types.ts';
import type { Room, RoomEvent } from './model.ts';
import {
  applyEvent, autoPairEvents, createRoom, inFlight, nextPairId, oldestInFlight, pairOfSeat, replayLog, roundStartEvent,
  runningTimers, seatByTokenHash, ReplayError,
} from './room.ts';
import { POINTS } from './scoring.ts';
import { RoomSim } from './sim.ts';
import { viewFor } from './view-for.ts';
import { studentViewSchema, teacherViewSchema } from './views.ts';

/** Two students paired by the teacher, a level-1 lifecycle round started. */
function lifecycleTable(): RoomSim {
  const sim = new RoomSim();
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  sim.start('lifecycle', 1, { p1: { client: 100, server: 1000 } });
  return sim;
}

const ok = (r: ReturnType<RoomSim['apply']>) => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
};

/** A move must be accepted and legal. */
function legal(sim: RoomSim, seat: string, flags: Flag[], len = 0): number {
  const r = ok(sim.play(seat, flags, len));
  expect(r.verdict, `${seat} ${flags.join('+')}`).toMatchObject({ ok: true });
  return r.verdict!.points;
}

describe('a full lifecycle at level 1', () => {
  it('plays handshake, data both ways and teardown by folding events, with states, scores and views', () => {
    const sim = lifecycleTable();
    const pts = { s1: 0, s2: 0 };

    // Handshake.
    pts.s1 += legal(sim, 's1', ['SYN']);
    expect(sim.effects).toEqual([
      { type: 'wire/in-flight', pairId: 'p1', from: 'client', id: 1 },
      { type: 'tcp', pairId: 'p1', effect: { type: 'timer-start', side: 'client', timer: 'rtx' } },
    ]);
    expect(sim.state('p1')).toEqual({ client: 'SYN_SENT', server: 'LISTEN' });
    expect(inFlight(sim.room)).toEqual([{ pairId: 'p1', from: 'client', id: 1, segment: { from: 'client', flags: ['SYN'], seq: 100, ack: 0, len: 0 }, lost: false }]);
    expect(runningTimers(sim.room)).toEqual([{ pairId: 'p1', side: 'client', timer: 'rtx' }]);
    ok(sim.deliver('p1'));
    expect(sim.state('p1')).toEqual({ client: 'SYN_SENT', server: 'SYN_RECEIVED' });

    // The client's view never shows the server's state.
    const clientView = viewFor(sim.room, { role: 'student', seatId: 's1' }, ['s1', 's2'])!;
    expect(JSON.stringify(clientView)).not.toContain('SYN_RECEIVED');
    expect(clientView.pair?.game?.ladder.at(-1)).toEqual({ kind: 'delivered', logSeq: sim.room.seq, to: 'server', id: 1 });

    pts.s2 += legal(sim, 's2', ['SYN', 'ACK']);
    ok(sim.deliver('p1'));
    pts.s1 += legal(sim, 's1', ['ACK']);
    ok(sim.deliver('p1'));
    expect(sim.state('p1')).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    const game = () => sim.room.pairs[0]!.game!;
    expect(game().handshakeDone).toBe(true);

    // Data both ways.
    pts.s1 += legal(sim, 's1', ['ACK', 'PSH'], 5);
    ok(sim.deliver('p1'));
    pts.s2 += legal(sim, 's2', ['ACK', 'PSH'], 3);
    ok(sim.deliver('p1'));
    pts.s1 += legal(sim, 's1', ['ACK']);
    ok(sim.deliver('p1'));
    expect(game().connection.server.bytesReceived).toBe(5);
    expect(game().connection.client.bytesReceived).toBe(3);

    // Teardown, client first.
    pts.s1 += legal(sim, 's1', ['FIN', 'ACK']);
    ok(sim.deliver('p1'));
    expect(sim.state('p1')).toEqual({ client: 'FIN_WAIT_1', server: 'CLOSE_WAIT' });
    expect(JSON.stringify(viewFor(sim.room, { role: 'student', seatId: 's1' }, []))).not.toContain('CLOSE_WAIT');
    pts.s2 += legal(sim, 's2', ['ACK']);
    ok(sim.deliver('p1'));
    expect(sim.state('p1')).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
    pts.s2 += legal(sim, 's2', ['FIN', 'ACK']);
    ok(sim.deliver('p1'));
    expect(sim.state('p1')).toEqual({ client: 'TIME_WAIT', server: 'LAST_ACK' });
    expect(sim.effects).toContainEqual({ type: 'tcp', pairId: 'p1', effect: { type: 'timer-start', side: 'client', timer: 'time-wait' } });
    expect(JSON.stringify(viewFor(sim.room, { role: 'student', seatId: 's1' }, []))).not.toContain('LAST_ACK');
    expect(game().finished).toBe(false);
    pts.s1 += legal(sim, 's1', ['ACK']);
    ok(sim.deliver('p1'));
    expect(sim.state('p1')).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    expect(game()).toMatchObject({ teardownDone: true, finished: true });

    // 2MSL later the client is CLOSED too.
    ok(sim.apply({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'time-wait' }));
    expect(sim.state('p1')).toEqual({ client: 'CLOSED', server: 'CLOSED' });
    expect(runningTimers(sim.room)).toEqual([]);

    // Scores: every move made progress; the streak multiplier reaches ×1.5 at the fourth move.
    expect(pts).toEqual({ s1: 10 + 10 + 10 + 15 + 15 + 15, s2: 10 + 10 + 10 + 15 });
    const bonus = POINTS.handshake + POINTS.teardown + POINTS.goal;
    expect(sim.seat('s1')).toMatchObject({ score: pts.s1 + bonus, streak: 6, legalMoves: 6, mistakes: 0 });
    expect(sim.seat('s2')).toMatchObject({ score: pts.s2 + bonus, streak: 4, legalMoves: 4, mistakes: 0 });
    // The pair's score is what its two players earned: each got the bonuses.
    expect(game().score).toBe(pts.s1 + pts.s2 + 2 * bonus);

    // A finished game takes no more moves.
    expect(sim.play('s1', ['SYN'])).toMatchObject({ ok: false, code: 'move/game-finished' });

    // Views.
    const presence = new Set(['s1']);
    const sv = viewFor(sim.room, { role: 'student', seatId: 's2' }, presence)!;
    expect(studentViewSchema.safeParse(sv).success).toBe(true);
    expect(sv.pair).toMatchObject({ pairId: 'p1', side: 'server', partner: { nickname: 'Ada', connected: true } });
    expect(sv.pair?.game?.endpoint).toMatchObject({ side: 'server', state: 'CLOSED', isn: 1000 });
    expect(sv.leaderboard).toEqual([
      { rank: 1, nickname: 'Ada', score: pts.s1 + bonus, bot: false },
      { rank: 2, nickname: 'Lin', score: pts.s2 + bonus, bot: false },
    ]);
    const svJson = JSON.stringify(sv);
    for (const s of sim.room.seats) expect(svJson).not.toContain(s.tokenHash);
    expect(svJson).not.toContain(sim.room.keyHash);
    expect(svJson).not.toContain('tokenHash');
    // The partner's arrivals are reduced to "delivered": no state names of theirs.
    expect(sv.pair?.game?.ladder.filter((e) => e.kind === 'arrived').every((e) => e.kind === 'arrived' && e.arrival.to === 'server')).toBe(true);

    const tv = viewFor(sim.room, { role: 'teacher' }, presence);
    expect(teacherViewSchema.safeParse(tv).success).toBe(true);
    const tvJson = JSON.stringify(tv);
    expect(tvJson).not.toContain(sim.room.seats[0]!.tokenHash);
    expect(tvJson).not.toContain(sim.room.keyHash);
    expect(tv.seats.map((s) => [s.seatId, s.connected, s.pairId, s.side])).toEqual([['s1', true, 'p1', 'client'], ['s2', false, 'p1', 'server']]);
    expect(tv.pairs[0]!.game!.connection.server.state).toBe('CLOSED');
    // Ten segments were sent (ids are given in order from 1): the teacher's last move is the tenth.
    expect(game().history.filter((e) => e.kind === 'sent')).toHaveLength(10);
    expect(tv.pairs[0]!.game!.lastMove).toMatchObject({ kind: 'sent', seatId: 's1', segment: { id: 10 } });
    expect(tv.pairs[0]!.game!.lastMove).toEqual([...game().history].reverse().find((e) => e.kind === 'sent'));
    expect(tv.unpaired).toEqual([]);
    expect(tv.pairLeaderboard).toEqual([{ rank: 1, pairId: 'p1', nicknames: 'Ada & Lin', score: game().score }]);

    // Replay gives the same room.
    expect(replayLog(sim.log)).toEqual(sim.room);
  });

  it('shows numbers and hints at level 1 only', () => {
    const sim = lifecycleTable();
    const v1 = viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!;
    expect(v1.pair?.game?.endpoint.numbers).toEqual({ iss: null, irs: null, sndUna: 0, sndNxt: 0, rcvNxt: 0 });
    expect(v1.pair?.game?.hints?.auto['SYN']).toEqual({ seq: 100, ack: 0 });
    ok(sim.apply({ type: 'round/ended', by: 'teacher' }));
    sim.start('lifecycle', 2, { p1: { client: 300, server: 4000 } });
    const v2 = viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!;
    expect(v2.pair?.game?.endpoint).toMatchObject({ isn: 300, numbers: null });
    expect(v2.pair?.game?.hints).toBeNull();
    expect(studentViewSchema.safeParse(v2).success).toBe(true);
  });

  it('offers the retransmission card after a loss', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('lost-segment', 1, { p1: { client: 100, server: 1000 } });
    expect(sim.state('p1')).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    legal(sim, 's1', ['ACK', 'PSH'], 4);
    // The scenario loses the client's first data segment: the server is told to drop it.
    expect(sim.effects[0]).toEqual({ type: 'wire/in-flight', pairId: 'p1', from: 'client', id: 4, lost: true });
    expect(inFlight(sim.room)[0]).toMatchObject({ id: 4, lost: true });
    const drop = sim.must({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: 4, by: 'server' });
    expect(drop.effects).toEqual([{ type: 'wire/cancel', pairId: 'p1', from: 'client', id: 4 }]);
    // Retransmitting before the timer expires is legal but earns nothing.
    const hints = viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!.pair!.game!.hints!;
    expect(hints.retransmit).toEqual({ flags: ['ACK', 'PSH'], seq: 101, ack: 1001, len: 4 });
    ok(sim.apply({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'rtx' }));
    const r = ok(sim.play('s1', ['ACK', 'PSH'], 4, { seq: 101, ack: 1001 }));
    expect(r.verdict).toMatchObject({ ok: true, points: 10 });
    expect(sim.effects[0]).toEqual({ type: 'wire/in-flight', pairId: 'p1', from: 'client', id: 5 });
    ok(sim.deliver('p1'));
    // Delivered, but not yet acknowledged back: the goal needs the lost bytes recovered end to end.
    expect(sim.room.pairs[0]!.game!.finished).toBe(false);
    legal(sim, 's2', ['ACK']);
    ok(sim.deliver('p1'));
    expect(sim.room.pairs[0]!.game!.finished).toBe(true);
    expect(replayLog(sim.log)).toEqual(sim.room);
  });
});

describe('refused moves', () => {
  it('are all kept in the room, while the teacher view stays the same size however many there are', () => {
    const sim = lifecycleTable();
    const REPEATS = 65;
    const pairSize = () => JSON.stringify(viewFor(sim.room, { role: 'teacher' }, []).pairs[0]).length;
    // After 15 and after 65 (the counts and log seqs have as many digits then; the score one more).
    for (let i = 0; i < 15; i++) ok(sim.play('s1', ['SYN', 'ACK']));
    const first = pairSize();
    for (let i = 15; i < REPEATS; i++) ok(sim.play('s1', ['SYN', 'ACK']));
    expect(sim.room.pairs[0]!.game!.history).toHaveLength(REPEATS);
    const tv = viewFor(sim.room, { role: 'teacher' }, []);
    // The pair's entry carries the latest move and a count, not the history (a pair's replay reads the log).
    expect(tv.pairs[0]!.game!.lastMove).toEqual(sim.room.pairs[0]!.game!.history.at(-1));
    expect(tv.pairs[0]!.game!.mistakes).toBe(REPEATS);
    // A digit more in the score, not 50 more entries.
    expect(pairSize()).toBeLessThanOrEqual(first + 2);
  });

  it('are logged, recorded in the pair history and cost points', () => {
    const sim = lifecycleTable();
    const before = sim.room;
    const r = ok(sim.play('s1', ['SYN', 'ACK']));
    expect(r.verdict).toEqual({
      ok: false, code: 'segment/synack-without-syn', facts: { state: 'CLOSED', side: 'client', field: 'flags', given: 'SYN+ACK' }, points: POINTS.refusedMove,
    });
    expect(sim.room.seq).toBe(before.seq + 1);
    expect(sim.log.at(-1)?.type).toBe('move');
    expect(sim.seat('s1')).toMatchObject({ score: POINTS.refusedMove, mistakes: 1, streak: 0, legalMoves: 0 });
    const game = sim.room.pairs[0]!.game!;
    expect(game.history).toEqual([{
      kind: 'refused', logSeq: sim.room.seq, seatId: 's1', segment: { from: 'client', flags: ['SYN', 'ACK'], seq: 100, ack: 0, len: 0 },
      code: 'segment/synack-without-syn', facts: { state: 'CLOSED', side: 'client', field: 'flags', given: 'SYN+ACK' },
    }]);
    expect(game.connection).toEqual(before.pairs[0]!.game!.connection);
    // A refusal does not change the state, so the same stateSeq still plays.
    expect(game.stateSeq).toEqual(before.pairs[0]!.game!.stateSeq);
    expect(sim.room.mistakes).toHaveLength(1);
    expect(r.effects).toEqual([]);

    // The student sees their mistake; the partner does not.
    expect(viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!.mistakes).toHaveLength(1);
    const partner = viewFor(sim.room, { role: 'student', seatId: 's2' }, [])!;
    expect(partner.mistakes).toEqual([]);
    expect(partner.pair?.game?.ladder).toEqual([]);
    const tv = viewFor(sim.room, { role: 'teacher' }, []);
    expect(tv.commonMistakes).toEqual([{ code: 'segment/synack-without-syn', count: 1 }]);
    expect(tv.pairs[0]!.game!.mistakes).toBe(1);

    // The streak restarts after a refusal.
    legal(sim, 's1', ['SYN']);
    expect(sim.seat('s1')).toMatchObject({ score: POINTS.refusedMove + POINTS.legalMove, streak: 1 });
  });

  it('typed numbers that are wrong are refused at level 2, right ones earn the numbers bonus', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('handshake', 2, { p1: { client: 200, server: 3000 } });
    expect(ok(sim.play('s1', ['SYN'], 0, { seq: 200, ack: 0 })).verdict).toEqual({ ok: true, segmentId: 1, points: POINTS.legalMove + POINTS.numbers });
    ok(sim.deliver('p1'));
    const wrong = ok(sim.play('s2', ['SYN', 'ACK'], 0, { seq: 3000, ack: 200 }));
    expect(wrong.verdict).toMatchObject({ ok: false, code: 'segment/ack-off-by-one', facts: { expected: 201, given: 200 } });
    expect(ok(sim.play('s2', ['SYN', 'ACK'], 0, { seq: 3000, ack: 201 })).verdict).toMatchObject({ ok: true });
  });

  it('a repeated ACK is legal but earns nothing and keeps the streak', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('teardown');
    expect(legal(sim, 's1', ['ACK'])).toBe(0);
    expect(legal(sim, 's1', ['ACK'])).toBe(0);
    expect(sim.seat('s1')).toMatchObject({ score: 0, streak: 0, legalMoves: 2 });
  });
});

describe('stale moves and crossing segments', () => {
  it('refuses a move made against an older state, changing nothing', () => {
    const sim = lifecycleTable();
    const stale = sim.moveEvent('s1', ['SYN']);
    ok(sim.apply(stale));
    const before = structuredClone(sim.room);
    const again = applyEvent(sim.room, stale);
    expect(again).toMatchObject({ ok: false, code: 'move/stale-state' });
    expect(sim.room).toEqual(before);
  });

  it('the partner\'s move does not make mine stale: FINs can cross (simultaneous close)', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('simultaneous-close');
    const finC = sim.moveEvent('s1', ['FIN', 'ACK']);
    const finS = sim.moveEvent('s2', ['FIN', 'ACK']);
    ok(sim.apply(finC));
    ok(sim.apply(finS));
    expect(sim.state('p1')).toEqual({ client: 'FIN_WAIT_1', server: 'FIN_WAIT_1' });
    sim.deliverAll('p1');
    expect(sim.state('p1')).toEqual({ client: 'CLOSING', server: 'CLOSING' });
    legal(sim, 's1', ['ACK']);
    legal(sim, 's2', ['ACK']);
    sim.deliverAll('p1');
    expect(sim.state('p1')).toEqual({ client: 'TIME_WAIT', server: 'TIME_WAIT' });
    expect(sim.room.pairs[0]!.game!.finished).toBe(true);
    expect(runningTimers(sim.room)).toEqual([
      { pairId: 'p1', side: 'client', timer: 'time-wait' },
      { pairId: 'p1', side: 'server', timer: 'time-wait' },
    ]);
    expect(replayLog(sim.log)).toEqual(sim.room);
  });

  it('but a delivery to me does', () => {
    const sim = lifecycleTable();
    ok(sim.play('s1', ['SYN']));
    const early = sim.moveEvent('s2', ['SYN', 'ACK'], 0, { seq: 1000, ack: 101 });
    ok(sim.deliver('p1'));
    expect(applyEvent(sim.room, early)).toMatchObject({ ok: false, code: 'move/stale-state' });
  });
});

describe('seats', () => {
  it('a removed seat cannot move, its pair is dissolved, and its token is still found (to be refused)', () => {
    const sim = lifecycleTable();
    const move = sim.moveEvent('s1', ['SYN']);
    const r = sim.must({ type: 'seat/removed', seatId: 's1', by: 'teacher' });
    expect(r.effects).toEqual([{ type: 'pair/cancel-timers', pairId: 'p1' }]);
    expect(sim.room.pairs).toEqual([]);
    expect(applyEvent(sim.room, move)).toMatchObject({ ok: false, code: 'seat/removed' });
    expect(seatByTokenHash(sim.room, sim.seat('s1').tokenHash)).toMatchObject({ id: 's1', removed: true });
    expect(viewFor(sim.room, { role: 'student', seatId: 's1' }, [])).toBeNull();
    // The nickname stays taken: the removed student cannot come back as "themselves".
    expect(sim.apply({ type: 'seat/joined', seatId: 's3', nickname: 'ada', tokenHash: 'h3' })).toMatchObject({ ok: false, code: 'nickname/taken' });
    sim.join('s3', 'Ada B');
    expect(viewFor(sim.room, { role: 'teacher' }, []).unpaired.map((s) => s.seatId)).toEqual(['s2', 's3']);
    expect(sim.apply({ type: 'seat/renamed', seatId: 's3', nickname: 'ADA', by: 'teacher' })).toMatchObject({ ok: false, code: 'nickname/taken' });
  });

  it('a locked room refuses new seats until it is unlocked; locking twice is refused', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.must({ type: 'room/locked', by: 'teacher' });
    expect(sim.room.locked).toBe(true);
    expect(sim.apply({ type: 'room/locked', by: 'teacher' })).toMatchObject({ ok: false, code: 'room/locked' });
    expect(sim.apply({ type: 'seat/joined', seatId: 's2', nickname: 'Lin', tokenHash: 'h2' })).toMatchObject({ ok: false, code: 'room/locked' });
    sim.must({ type: 'room/unlocked', by: 'teacher' });
    expect(sim.apply({ type: 'room/unlocked', by: 'teacher' })).toMatchObject({ ok: false, code: 'room/not-locked' });
    sim.join('s2', 'Lin');
    expect(sim.room.seats.map((x) => x.nickname)).toEqual(['Ada', 'Lin']);
  });

  it('nickname rules apply to joins and renames', () => {
    const sim = new RoomSim();
    sim.join('s1', '  Ada  ');
    expect(sim.seat('s1').nickname).toBe('Ada');
    const join = (seatId: string, nickname: string) => sim.apply({ type: 'seat/joined', seatId, nickname, tokenHash: `t-${seatId}-${nickname.length}` });
    expect(join('s2', 'ADA')).toMatchObject({ ok: false, code: 'nickname/taken' });
    expect(join('s2', '   ')).toMatchObject({ ok: false, code: 'nickname/empty' });
    expect(join('s2', 'x'.repeat(21))).toMatchObject({ ok: false, code: 'nickname/too-long' });
    expect(join('s2', 'a\u0000')).toMatchObject({ ok: false, code: 'nickname/bad-characters' });
    sim.join('s2', 'Lin');
    expect(sim.apply({ type: 'seat/renamed', seatId: 's2', nickname: 'ada', by: 'teacher' })).toMatchObject({ ok: false, code: 'nickname/taken' });
    // Renaming to a different case of one's own name is fine.
    sim.must({ type: 'seat/renamed', seatId: 's2', nickname: 'LIN', by: 'teacher' });
    expect(sim.seat('s2').nickname).toBe('LIN');
  });
});

describe('pairing and rounds', () => {
  it('auto-pairing is deterministic given its random source, and leaves the odd one out', () => {
    const sim = new RoomSim();
    for (let i = 1; i <= 5; i++) sim.join(`s${i}`, `N${i}`);
    let x = 0.1;
    const random = () => (x = (x * 9301 + 0.49297) % 1);
    const events = autoPairEvents(sim.room, random, 'teacher');
    expect(events).toHaveLength(2);
    x = 0.1;
    expect(autoPairEvents(sim.room, random, 'teacher')).toEqual(events);
    for (const e of events) sim.must(e);
    expect(sim.room.pairs.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(viewFor(sim.room, { role: 'teacher' }, []).unpaired).toHaveLength(1);
  });

  it('a late joiner paired mid-round gets a game at once', () => {
    const sim = lifecycleTable();
    sim.join('s3', 'Sam');
    sim.join('s4', 'Kim');
    const [ev] = autoPairEvents(sim.room, () => 0.5, 'teacher');
    expect(ev).toMatchObject({ type: 'pair/formed', pairId: 'p2', isn: { client: expect.any(Number), server: expect.any(Number) } });
    sim.must(ev!);
    expect(sim.state('p2')).toEqual({ client: 'CLOSED', server: 'LISTEN' });
    legal(sim, pairOfSeat(sim.room, 's3')!.side === 'client' ? 's3' : 's4', ['SYN']);
  });

  it('round/start events carry ISNs for every pair; level 3 uses 32-bit ones', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    const ev = roundStartEvent(sim.room, { scenario: 'handshake', level: 3, speedBonus: false }, () => 0.999999, 'teacher');
    expect(ev).toMatchObject({ isns: { p1: { client: expect.any(Number), server: expect.any(Number) } } });
    sim.must(ev);
    const isn = sim.room.pairs[0]!.game!.isn;
    expect(isn.client).toBeGreaterThan(2 ** 31);
    expect(isn.client).toBeLessThanOrEqual(0xffffffff);
  });

  it('swapping roles between rounds and in a fresh game', () => {
    const sim = lifecycleTable();
    sim.must({ type: 'pair/swapped', pairId: 'p1', by: 'teacher' });
    expect(sim.room.pairs[0]!.seats).toEqual({ client: 's2', server: 's1' });
    legal(sim, 's2', ['SYN']);
    expect(sim.apply({ type: 'pair/swapped', pairId: 'p1', by: 'teacher' })).toMatchObject({ ok: false, code: 'pair/in-game' });
    sim.must({ type: 'round/ended', by: 'teacher' });
    sim.must({ type: 'pair/swapped', pairId: 'p1', by: 'teacher' });
    expect(sim.room.pairs[0]!.game).toBeNull();
  });

  it('a practice room lets its players run rounds and swap their own pair, but not remove anyone', () => {
    const sim = new RoomSim('practice');
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    // Two friends: a third person with the code may not join and run their rounds.
    expect(sim.apply({ type: 'seat/joined', seatId: 's3', nickname: 'Sam', tokenHash: 'h3' })).toMatchObject({ ok: false, code: 'room/full' });
    sim.pair('p1', 's1', 's2', 'seat:s1');
    sim.must({ type: 'round/started', scenario: 'handshake', level: 1, speedBonus: false, isns: { p1: { client: 1, server: 2 } }, by: 'seat:s2' });
    sim.must({ type: 'round/ended', by: 'seat:s1' });
    sim.must({ type: 'pair/swapped', pairId: 'p1', by: 'seat:s2' });
    // Who may do what is decide.ts's question (decide.test.ts), not the reducer's.
  });
});

describe('every error path of applyEvent changes nothing', () => {
  /** A room with: s1+s2 in p1 (running lifecycle round, SYN in flight), s3 unpaired, s4 removed. */
  function busyRoom(): RoomSim {
    const sim = lifecycleTable();
    sim.join('s3', 'Sam');
    sim.join('s4', 'Kim');
    sim.must({ type: 'seat/removed', seatId: 's4', by: 'teacher' });
    ok(sim.play('s1', ['SYN']));
    return sim;
  }

  const cases: Array<[string, (sim: RoomSim) => RoomEvent, string]> = [
    ['malformed event', () => ({ type: 'move', pairId: 'p1' } as unknown as RoomEvent), 'event/invalid'],
    ['unknown event type', () => ({ type: 'nope' } as unknown as RoomEvent), 'event/invalid'],
    ['second room/created', () => ({ type: 'room/created', code: 'X', kind: 'class', keyHash: 'k', at: 0 }), 'event/invalid'],
    ['segment with a bad flag', (s) => ({ ...s.moveEvent('s2', ['ACK']), segment: { from: 'server', flags: ['XYZ'], seq: 0, ack: 0, len: 0 } } as unknown as RoomEvent), 'event/invalid'],
    ['seat id taken', () => ({ type: 'seat/joined', seatId: 's1', nickname: 'New', tokenHash: 'new' }), 'seat/exists'],
    ['token hash taken', (s) => ({ type: 'seat/joined', seatId: 's9', nickname: 'New', tokenHash: s.seat('s1').tokenHash }), 'event/invalid'],
    ['nickname taken', () => ({ type: 'seat/joined', seatId: 's9', nickname: 'sam', tokenHash: 'new' }), 'nickname/taken'],
    ['rename unknown seat', () => ({ type: 'seat/renamed', seatId: 's9', nickname: 'X', by: 'teacher' }), 'seat/not-found'],
    ['rename removed seat', () => ({ type: 'seat/renamed', seatId: 's4', nickname: 'X', by: 'teacher' }), 'seat/removed'],
    ['remove unknown seat', () => ({ type: 'seat/removed', seatId: 's9', by: 'teacher' }), 'seat/not-found'],
    ['remove twice', () => ({ type: 'seat/removed', seatId: 's4', by: 'teacher' }), 'seat/removed'],
    ['pair id not next', () => ({ type: 'pair/formed', pairId: 'p7', client: 's3', server: 's1', by: 'teacher', isn: { client: 1, server: 2 } }), 'pair/bad-id'],
    ['pair id reused', () => ({ type: 'pair/formed', pairId: 'p1', client: 's3', server: 's1', by: 'teacher', isn: { client: 1, server: 2 } }), 'pair/bad-id'],
    ['pair with itself', (s) => ({ type: 'pair/formed', pairId: nextPairId(s.room), client: 's3', server: 's3', by: 'teacher', isn: { client: 1, server: 2 } }), 'pair/same-seat'],
    ['pair a busy seat', (s) => ({ type: 'pair/formed', pairId: nextPairId(s.room), client: 's3', server: 's1', by: 'teacher', isn: { client: 1, server: 2 } }), 'pair/seat-busy'],
    ['pair a removed seat', (s) => ({ type: 'pair/formed', pairId: nextPairId(s.room), client: 's3', server: 's4', by: 'teacher', isn: { client: 1, server: 2 } }), 'seat/removed'],
    ['pair an unknown seat', (s) => ({ type: 'pair/formed', pairId: nextPairId(s.room), client: 's3', server: 's9', by: 'teacher', isn: { client: 1, server: 2 } }), 'seat/not-found'],
    ['pair mid-round without ISNs', (s) => { s.join('s5', 'Eve'); return { type: 'pair/formed', pairId: nextPairId(s.room), client: 's3', server: 's5', by: 'teacher' }; }, 'round/missing-isn'],
    ['swap unknown pair', () => ({ type: 'pair/swapped', pairId: 'p9', by: 'teacher' }), 'pair/not-found'],
    ['swap mid-game', () => ({ type: 'pair/swapped', pairId: 'p1', by: 'teacher' }), 'pair/in-game'],
    ['dissolve unknown pair', () => ({ type: 'pair/dissolved', pairId: 'p9', by: 'teacher' }), 'pair/not-found'],
    ['start a running round', () => ({ type: 'round/started', scenario: 'handshake', level: 1, speedBonus: false, isns: { p1: { client: 1, server: 2 } }, by: 'teacher' }), 'round/already-running'],
    ['resume a running round', () => ({ type: 'round/resumed', by: 'teacher' }), 'round/not-paused'],
    ['move for an unknown seat', (s) => ({ ...s.moveEvent('s2', ['SYN', 'ACK']), seatId: 's9' }), 'seat/not-found'],
    ['move by a removed seat', (s) => ({ ...s.moveEvent('s2', ['SYN', 'ACK']), seatId: 's4' }), 'seat/removed'],
    ['move by an unpaired seat', (s) => ({ ...s.moveEvent('s2', ['SYN', 'ACK']), seatId: 's3' }), 'move/not-paired'],
    ['move for another pair', (s) => ({ ...s.moveEvent('s2', ['SYN', 'ACK']), pairId: 'p9' }), 'move/not-paired'],
    ['move as the other side', (s) => { const m = s.moveEvent('s2', ['SYN', 'ACK']); return { ...m, segment: { ...m.segment, from: 'client' } }; }, 'move/not-your-seat'],
    ['stale move', (s) => s.moveEvent('s1', ['ACK'], 0, { stateSeq: 0 }), 'move/stale-state'],
    ['deliver a segment not in flight', () => ({ type: 'wire/delivered', pairId: 'p1', from: 'server', id: 1 }), 'wire/not-in-flight'],
    ['deliver out of order', () => ({ type: 'wire/delivered', pairId: 'p1', from: 'client', id: 2 }), 'wire/not-in-flight'],
    ['deliver in an unknown pair', () => ({ type: 'wire/delivered', pairId: 'p9', from: 'client', id: 1 }), 'pair/not-found'],
    ['drop from an empty direction', () => ({ type: 'wire/dropped', pairId: 'p1', from: 'server', id: 1, by: 'teacher' }), 'wire/empty'],
    ['drop the wrong id', () => ({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: 9, by: 'teacher' }), 'wire/not-in-flight'],
    ['a timer that is not running', () => ({ type: 'timer/fired', pairId: 'p1', side: 'server', timer: 'rtx' }), 'timer/not-running'],
    ['time-wait outside TIME_WAIT', () => ({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'time-wait' }), 'timer/not-running'],
  ];

  it.each(cases)('%s', (_name, make, code) => {
    const sim = busyRoom();
    const ev = make(sim);
    const before = structuredClone(sim.room);
    const r = applyEvent(sim.room, ev);
    expect(r).toMatchObject({ ok: false, code });
    expect(sim.room).toEqual(before);
  });

  it('while paused: no moves, deliveries or timers; the round cannot be paused twice', () => {
    const sim = busyRoom();
    sim.must({ type: 'round/paused', by: 'teacher' });
    const before = structuredClone(sim.room);
    expect(applyEvent(sim.room, { type: 'round/paused', by: 'teacher' })).toMatchObject({ ok: false, code: 'round/not-running' });
    expect(applyEvent(sim.room, sim.moveEvent('s2', ['SYN', 'ACK']))).toMatchObject({ ok: false, code: 'move/round-not-running' });
    expect(applyEvent(sim.room, { type: 'wire/delivered', pairId: 'p1', from: 'client', id: 1 })).toMatchObject({ ok: false, code: 'round/not-running' });
    expect(applyEvent(sim.room, { type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'rtx' })).toMatchObject({ ok: false, code: 'round/not-running' });
    expect(sim.room).toEqual(before);
    // In flight and timers survive the pause (the server reschedules them from these after a restart).
    expect(inFlight(sim.room)).toHaveLength(1);
    expect(runningTimers(sim.room)).toHaveLength(1);
    sim.must({ type: 'round/resumed', by: 'teacher' });
    ok(sim.deliver('p1'));
  });

  it('after the round ends: no moves; end twice; start needs ISNs for every pair', () => {
    const sim = busyRoom();
    const r = sim.must({ type: 'round/ended', by: 'teacher' });
    expect(r.effects).toEqual([{ type: 'pair/cancel-timers', pairId: 'p1' }]);
    expect(inFlight(sim.room)).toEqual([]);
    expect(applyEvent(sim.room, { type: 'round/ended', by: 'teacher' })).toMatchObject({ ok: false, code: 'round/not-running' });
    expect(applyEvent(sim.room, sim.moveEvent('s2', ['SYN', 'ACK']))).toMatchObject({ ok: false, code: 'move/round-not-running' });
    expect(applyEvent(sim.room, { type: 'wire/dropped', pairId: 'p1', from: 'client', id: 1, by: 'teacher' })).toMatchObject({ ok: false, code: 'round/not-running' });
    expect(applyEvent(sim.room, { type: 'round/started', scenario: 'handshake', level: 1, speedBonus: false, isns: {}, by: 'teacher' })).toMatchObject({ ok: false, code: 'round/missing-isn' });
  });

  it('a closed room refuses everything', () => {
    const sim = busyRoom();
    const r = sim.must({ type: 'room/closed', by: 'teacher' });
    expect(r.effects).toEqual([{ type: 'pair/cancel-timers', pairId: 'p1' }]);
    expect(sim.room.round.status).toBe('ended');
    expect(applyEvent(sim.room, { type: 'seat/joined', seatId: 's9', nickname: 'Late', tokenHash: 'late' })).toMatchObject({ ok: false, code: 'room/closed' });
  });

  it('a move before any round', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    expect(applyEvent(sim.room, { type: 'move', pairId: 'p1', seatId: 's1', stateSeq: 0, segment: { from: 'client', flags: ['SYN'], seq: 1, ack: 0, len: 0 } }))
      .toMatchObject({ ok: false, code: 'move/round-not-running' });
  });
});

describe('replayLog', () => {
  it('refuses a log that does not start with room/created, or holds a refused event', () => {
    expect(() => replayLog([])).toThrow(ReplayError);
    expect(() => replayLog([{ type: 'round/paused', by: 'teacher' }])).toThrow(ReplayError);
    const created: RoomEvent = { type: 'room/created', code: 'A', kind: 'class', keyHash: 'k', at: 0 };
    expect(() => replayLog([created, { type: 'round/paused', by: 'teacher' }])).toThrow(/round\/not-running/);
  });

  it('starts the log at seq 1', () => {
    const room: Room = createRoom({ type: 'room/created', code: 'A', kind: 'class', keyHash: 'k', at: 5 });
    expect(room).toMatchObject({ seq: 1, createdAt: 5, round: { status: 'lobby', number: 0 } });
    const r = applyEvent(room, { type: 'seat/joined', seatId: 's1', nickname: 'A', tokenHash: 't' });
    expect(r.ok && r.room.seq).toBe(2);
  });

  it('oldestInFlight picks the older direction', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('simultaneous-close');
    ok(sim.play('s2', ['FIN', 'ACK']));
    ok(sim.play('s1', ['FIN', 'ACK']));
    expect(oldestInFlight(sim.room, 'p1')).toEqual({ from: 'server', id: 4 });
  });
});
