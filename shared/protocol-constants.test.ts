import { describe, expect, it } from 'vitest';
import { autoFromHints, sameFlags } from './protocol-constants.ts';
import { inFlight } from './game/room.ts';
import { RoomSim } from './game/sim.ts';
import { viewFor } from './game/view-for.ts';

const auto = { ACK: { seq: 3002, ack: 701 }, 'none': { seq: 3002, ack: 0 } };

describe('autoFromHints (the level-1 hand\'s numbers)', () => {
  it('compares flag sets in any order, PSH included', () => {
    expect(sameFlags(['FIN', 'ACK'], ['ACK', 'FIN'])).toBe(true);
    expect(sameFlags(['ACK'], ['ACK', 'PSH'])).toBe(false);
    expect(sameFlags(['ACK', 'PSH'], ['PSH', 'ACK'])).toBe(true);
  });

  it('fills an oracle move\'s old seq for a retransmission (FIN+ACK seq=3001 while SND.NXT is 3002)', () => {
    const hints = { auto, retransmit: null, moves: [{ flags: ['FIN', 'ACK'], seq: 3001, ack: 701, len: 0 }] };
    expect(autoFromHints(hints, ['ACK', 'FIN'])).toEqual({ seq: 3001, ack: 701 });
    // A flag set no move has: the new-segment numbers, as before.
    expect(autoFromHints(hints, ['ACK'])).toEqual({ seq: 3002, ack: 701 });
  });

  it('takes the first (best) matching move, then the retransmission card, then auto', () => {
    const retransmit = { flags: ['ACK', 'PSH'], seq: 801, ack: 301, len: 5 };
    const hints = { auto, retransmit, moves: [{ flags: ['ACK'], seq: 806, ack: 301, len: 0 }, { flags: ['ACK'], seq: 1, ack: 1, len: 0 }] };
    expect(autoFromHints(hints, ['ACK'])).toEqual({ seq: 806, ack: 301 });
    expect(autoFromHints(hints, ['PSH', 'ACK'])).toEqual({ seq: 801, ack: 301, len: 5 });
    expect(autoFromHints({ auto }, ['RST'])).toBeNull();
  });

  it('in lost-segment, after the client\'s timer expired, the hand resends the lost data at its own seq and length', () => {
    const sim = new RoomSim();
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('lost-segment', 1, { p1: { client: 800, server: 300 } });
    const played = sim.play('s1', ['ACK', 'PSH'], 5);
    expect(played.ok && played.verdict?.ok).toBe(true);
    const lost = inFlight(sim.room).find((f) => f.lost)!;
    sim.must({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: lost.id, by: 'server' });
    sim.must({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'rtx' });
    const hints = viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!.pair!.game!.hints!;
    expect(autoFromHints(hints, ['PSH', 'ACK'])).toEqual({ seq: 801, ack: 301, len: 5 });
    // A bare ACK is still a new segment: SND.NXT.
    expect(autoFromHints(hints, ['ACK'])).toEqual({ seq: 806, ack: 301 });
  });
});
