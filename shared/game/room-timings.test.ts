/**
 * A room's own timers: the server's defaults logged when it opens, changed by the teacher
 * between rounds only, always within the limits and the 2MSL rule, and the ones a round is
 * judged by.
 */
import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { RoomSim } from './sim.ts';
import { replayLog } from './room.ts';
import { viewFor } from './view-for.ts';
import { minTimeWaitMs } from './timings.ts';
import { ERROR_CODES } from '../protocol.ts';

const DEFAULTS = { latencyMs: 1000, rtxMs: 3000, timeWaitMs: 20000 };
const ctx = { random: () => 0.5, maxSeats: 100, timings: DEFAULTS };
const teacher = { role: 'teacher' } as const;

function room(): RoomSim {
  const sim = new RoomSim('class', 'K7QM2X', DEFAULTS);
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  return sim;
}

describe('room timings', () => {
  it('a room opens with the server\'s timings, and the teacher view shows them', () => {
    const sim = room();
    expect(sim.room.timings).toEqual(DEFAULTS);
    expect(viewFor(sim.room, teacher, []).room.timings).toEqual(DEFAULTS);
    // An older log, without them: null (the server's defaults apply).
    expect(new RoomSim().room.timings).toBeNull();
  });

  it('the teacher sets them between rounds; the event is logged and replays', () => {
    const sim = room();
    const set = decide(sim.room, teacher, { type: 'room/timings', latencyMs: 500, rtxMs: 2000, timeWaitMs: 9000 }, ctx);
    expect(set.ok).toBe(true);
    if (!set.ok) return;
    expect(set.events.map((e) => e.event)).toEqual([{ type: 'room/timings-set', latencyMs: 500, rtxMs: 2000, timeWaitMs: 9000, by: 'teacher' }]);
    expect(sim.apply(set.events[0]!.event).ok).toBe(true);
    expect(sim.room.timings).toEqual({ latencyMs: 500, rtxMs: 2000, timeWaitMs: 9000 });
    expect(replayLog(sim.log)).toEqual(sim.room);
  });

  it('not during a round, not breaking 2MSL ≥ 2 × (RTO + 2 × latency), not by a student of a class', () => {
    const sim = room();
    sim.start('handshake');
    const during = sim.apply({ type: 'room/timings-set', latencyMs: 500, rtxMs: 2000, timeWaitMs: 9000, by: 'teacher' });
    expect(during).toMatchObject({ ok: false, code: ERROR_CODES.roundAlreadyRunning });
    sim.apply({ type: 'round/ended', by: 'teacher' });
    const min = minTimeWaitMs({ latencyMs: 500, rtxMs: 2000 });
    expect(min).toBe(6000);
    const short = sim.apply({ type: 'room/timings-set', latencyMs: 500, rtxMs: 2000, timeWaitMs: min - 1, by: 'teacher' });
    expect(short).toMatchObject({ ok: false, code: ERROR_CODES.roundTimeWaitTooShort });
    expect(short.ok ? '' : short.message).toContain('6000');
    expect(sim.apply({ type: 'room/timings-set', latencyMs: 500, rtxMs: 2000, timeWaitMs: min, by: 'teacher' }).ok).toBe(true);
    // Outside the limits the event itself is malformed.
    expect(sim.apply({ type: 'room/timings-set', latencyMs: 500, rtxMs: 50, timeWaitMs: 9000, by: 'teacher' })).toMatchObject({ ok: false, code: ERROR_CODES.eventInvalid });
    const byStudent = decide(sim.room, { role: 'student', seatId: 's1' }, { type: 'room/timings', latencyMs: 500, rtxMs: 2000, timeWaitMs: 9000 }, ctx);
    expect(byStudent).toMatchObject({ ok: false, code: ERROR_CODES.notTeacher });
  });

  it('a lost final ACK round is judged by the room\'s timers, not the server\'s', () => {
    // The server's defaults break the rule; the room's own keep it.
    const badServer = { ...ctx, timings: { latencyMs: 1000, rtxMs: 3000, timeWaitMs: 5000 } };
    const sim = room();
    expect(decide(sim.room, teacher, { type: 'round/start', scenario: 'lost-final-ack', level: 1, speedBonus: false }, badServer).ok).toBe(true);
    const old = new RoomSim();
    old.join('s1', 'Ada');
    old.join('s2', 'Lin');
    old.pair('p1', 's1', 's2');
    expect(decide(old.room, teacher, { type: 'round/start', scenario: 'lost-final-ack', level: 1, speedBonus: false }, badServer)).toMatchObject({ ok: false, code: ERROR_CODES.roundTimeWaitTooShort });
  });
});
