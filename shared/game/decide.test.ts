import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES, EXAMPLES } from '../protocol.ts';
import { PERMISSIONS, decide, decideJoin, type DecideContext, type RoomCommand } from './decide.ts';
import { applyEvent, nextSeatId } from './room.ts';
import { RoomSim } from './sim.ts';
import type { Viewer } from './view-for.ts';

const ctx: DecideContext = { random: () => 0.5, maxSeats: 3 };
const teacher: Viewer = { role: 'teacher' };
const seat = (seatId: string): Viewer => ({ role: 'student', seatId });

/** A class: s1+s2 in p1 with a lifecycle round running, s3 unpaired, s4 removed. */
function classRoom(): RoomSim {
  const sim = new RoomSim();
  for (const [id, n] of [['s1', 'Ada'], ['s2', 'Lin'], ['s3', 'Sam'], ['s4', 'Kim']] as const) sim.join(id, n);
  sim.pair('p1', 's1', 's2');
  sim.must({ type: 'seat/removed', seatId: 's4', by: 'teacher' });
  sim.start('lifecycle');
  return sim;
}

function practiceRoom(): RoomSim {
  const sim = new RoomSim('practice');
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2', 'seat:s1');
  return sim;
}

const commandExample = (type: keyof typeof PERMISSIONS): RoomCommand => EXAMPLES.client[type] as RoomCommand;

describe('decide: who may send what', () => {
  it('has one permission for every room command of the protocol, and no other', () => {
    const roomCommands = CLIENT_MESSAGE_TYPES.filter((t) => !['hello', 'join', 'resume', 'ping'].includes(t));
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...roomCommands].sort());
  });

  it('in a class room a student may only move and ask for a hint: every other command is the teacher\'s', () => {
    const sim = classRoom();
    for (const type of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      const r = decide(sim.room, seat('s1'), commandExample(type), ctx);
      if (type === 'move') expect(r.ok, type).toBe(true);
      // A class round has no hints unless the teacher allowed them: refused for that, not for who asked.
      else if (type === 'hint/ask') expect(r, type).toMatchObject({ ok: false, code: 'hint/off' });
      else expect(r, type).toMatchObject({ ok: false, code: 'auth/not-teacher' });
    }
  });

  it('the teacher may send every command but a move (they hold no seat)', () => {
    const sim = classRoom();
    for (const type of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      const r = decide(sim.room, teacher, commandExample(type), ctx);
      if (PERMISSIONS[type] === 'player') expect(r, type).toMatchObject({ ok: false, code: 'move/not-your-seat' });
      else expect(r, type).not.toMatchObject({ code: 'auth/not-teacher' });
    }
  });

  it('a removed or unknown seat may do nothing', () => {
    const sim = classRoom();
    expect(decide(sim.room, seat('s4'), { type: 'round/pause' }, ctx)).toMatchObject({ ok: false, code: 'seat/removed' });
    expect(decide(sim.room, seat('s4'), commandExample('move'), ctx)).toMatchObject({ ok: false, code: 'seat/removed' });
    expect(decide(sim.room, seat('s99'), { type: 'round/pause' }, ctx)).toMatchObject({ ok: false, code: 'seat/not-found' });
  });

  it('a practice player runs rounds, swaps and drops in their own pair, renames only themself, and removes no one', () => {
    const sim = practiceRoom();
    const asS2 = (cmd: RoomCommand) => decide(sim.room, seat('s2'), cmd, ctx);
    const start = asS2({ type: 'round/start', scenario: 'handshake', level: 1, speedBonus: false });
    expect(start.ok).toBe(true);
    if (start.ok) for (const d of start.events) sim.must(d.event);
    expect(asS2({ type: 'round/end' }).ok).toBe(true);
    expect(asS2({ type: 'pair/swap', pairId: 'p1' }).ok).toBe(true);
    expect(asS2({ type: 'pair/swap', pairId: 'p9' })).toMatchObject({ ok: false, code: 'auth/not-teacher' });
    expect(asS2({ type: 'seat/rename', seatId: 's2', nickname: 'Lin B' }).ok).toBe(true);
    expect(asS2({ type: 'seat/rename', seatId: 's1', nickname: 'X' })).toMatchObject({ ok: false, code: 'auth/not-teacher' });
    for (const cmd of [{ type: 'seat/remove', seatId: 's1' }, { type: 'room/close' }, { type: 'room/lock' }, { type: 'pair/dissolve', pairId: 'p1' }] as RoomCommand[]) {
      expect(asS2(cmd), cmd.type).toMatchObject({ ok: false, code: 'auth/not-teacher' });
    }
  });

  it('a practice player pairing automatically pairs only themself', () => {
    const sim = new RoomSim('practice');
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    const r = decide(sim.room, seat('s1'), { type: 'pair/auto' }, ctx);
    expect(r.ok && r.events.map((d) => [d.event.type, d.actor])).toEqual([['pair/formed', 'seat:s1']]);
  });
});

describe('decide: the events asked for', () => {
  it('a move is the seat\'s own side in its own pair, with the stateSeq it was made at', () => {
    const sim = classRoom();
    const r = decide(sim.room, seat('s2'), { type: 'move', stateSeq: 7, segment: { flags: ['SYN', 'ACK'], seq: 1, ack: 2, len: 0 } }, ctx);
    expect(r).toEqual({
      ok: true,
      events: [{ actor: 'seat:s2', event: { type: 'move', pairId: 'p1', seatId: 's2', stateSeq: 7, segment: { from: 'server', flags: ['SYN', 'ACK'], seq: 1, ack: 2, len: 0 } } }],
    });
    expect(decide(sim.room, seat('s3'), commandExample('move'), ctx)).toMatchObject({ ok: false, code: 'move/not-paired' });
  });

  it('the speed bonus clock goes into the move only when the round counts speed', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.must({ type: 'round/started', scenario: 'handshake', level: 1, speedBonus: true, isns: { p1: { client: 1, server: 2 } }, by: 'teacher' });
    const timed = { ...ctx, elapsedMs: () => 1234 };
    const r = decide(sim.room, seat('s1'), commandExample('move'), timed);
    expect(r.ok && r.events[0]!.event).toMatchObject({ type: 'move', elapsedMs: 1234 });
  });

  it('wire/drop names the oldest segment in flight, and refuses an empty wire or an unknown pair', () => {
    const sim = classRoom();
    expect(decide(sim.room, teacher, { type: 'wire/drop', pairId: 'p1' }, ctx)).toMatchObject({ ok: false, code: 'wire/empty' });
    expect(decide(sim.room, teacher, { type: 'wire/drop', pairId: 'p9' }, ctx)).toMatchObject({ ok: false, code: 'pair/not-found' });
    sim.play('s1', ['SYN']);
    const r = decide(sim.room, teacher, { type: 'wire/drop', pairId: 'p1' }, ctx);
    expect(r.ok && r.events[0]!.event).toEqual({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: 1, by: 'teacher' });
  });

  it('room/lock and room/unlock become room/locked and room/unlocked, by the teacher', () => {
    const sim = classRoom();
    const r = decide(sim.room, teacher, { type: 'room/lock' }, ctx);
    expect(r).toEqual({ ok: true, events: [{ actor: 'teacher', event: { type: 'room/locked', by: 'teacher' } }] });
    expect(decide(sim.room, teacher, { type: 'room/unlock' }, ctx)).toMatchObject({ ok: true, events: [{ event: { type: 'room/unlocked' } }] });
  });
});

describe('decideJoin', () => {
  it('a class room takes maxSeats students (removed ones do not count), then answers room/full', () => {
    const sim = new RoomSim();
    const join = () => decideJoin(sim.room, { type: 'join', nickname: `n${sim.room.seats.length}`, tokenHash: `h${sim.room.seats.length}` }, ctx, nextSeatId(sim.room));
    for (let i = 0; i < 3; i++) {
      const r = join();
      expect(r.ok).toBe(true);
      if (r.ok) sim.must(r.events[0]!.event);
    }
    expect(join()).toMatchObject({ ok: false, code: 'room/full' });
    sim.must({ type: 'seat/removed', seatId: 's1', by: 'teacher' });
    expect(join().ok).toBe(true);
  });

  it('a practice room pairs its second player at once, with events the reducer accepts in order', () => {
    const sim = new RoomSim('practice');
    sim.join('s1', 'Ada');
    const r = decideJoin(sim.room, { type: 'join', nickname: 'Lin', tokenHash: 'h2' }, ctx, 's2');
    expect(r.ok && r.events.map((d) => [d.event.type, d.actor])).toEqual([['seat/joined', 'seat:s2'], ['pair/formed', 'server']]);
    let room = sim.room;
    if (r.ok) {
      for (const d of r.events) {
        const a = applyEvent(room, d.event);
        expect(a.ok).toBe(true);
        if (a.ok) room = a.room;
      }
    }
    expect(room.pairs).toHaveLength(1);
  });
});
