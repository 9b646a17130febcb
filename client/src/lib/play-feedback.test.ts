import { describe, expect, it } from 'vitest';
import { inFlight } from '../../../shared/game/room.ts';
import { RoomSim } from '../../../shared/game/sim.ts';
import { viewFor } from '../../../shared/game/view-for.ts';
import { translator } from '../i18n/index.tsx';
import { describe as describeItem } from './feedback.ts';
import { feedbackFromLadder, unacknowledged } from './play-feedback.ts';

/** lost-segment: the client's data is lost on the wire and its retransmission timer expires. */
function lostData(level: 1 | 2 | 3) {
  const sim = new RoomSim();
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  sim.start('lost-segment', level, { p1: { client: 800, server: 300 } });
  const ep = sim.room.pairs[0]!.game!.connection.client;
  const r = sim.play('s1', ['ACK', 'PSH'], 5, { seq: ep.sndNxt, ack: ep.rcvNxt });
  expect(r.ok && r.verdict?.ok).toBe(true);
  const lost = inFlight(sim.room).find((f) => f.lost)!;
  sim.must({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: lost.id, by: 'server' });
  sim.must({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'rtx' });
  const items = (seatId: string) => {
    const view = viewFor(sim.room, { role: 'student', seatId }, [])!;
    const game = view.pair!.game!;
    return feedbackFromLadder({ level, side: view.pair!.side, state: game.endpoint.state, ladder: game.ladder });
  };
  return { client: items('s1'), server: items('s2') };
}

describe('the student table\'s feedback', () => {
  it('never says a segment was lost; the sender hears that its retransmission timer expired, naming the segment at level 2', () => {
    const { client, server } = lostData(2);
    expect([...client, ...server].some((i) => i.kind === 'lost')).toBe(false);
    const last = client[client.length - 1]!;
    expect(last).toMatchObject({ kind: 'rtx', side: 'client', segment: { from: 'client', flags: ['ACK', 'PSH'], seq: 801, len: 5 } });
    const en = describeItem(last, translator('en'), 'en');
    expect(en.text).toBe('Your retransmission timer expired: PSH+ACK seq=801 ack=301 len=5 was not acknowledged in time; send it again.');
    expect(en.announcement).toBe(en.text);
    expect(describeItem(last, translator('zh-CN'), 'zh-CN').text).toContain('超时重传计时器');
    // The partner's timer is none of the server's business, and nothing reached it.
    expect(server.map((i) => i.kind)).toEqual([]);
  });

  it('at level 3 says only that the timer expired', () => {
    const { client } = lostData(3);
    const last = client[client.length - 1]!;
    expect(last).toMatchObject({ kind: 'rtx', segment: null });
    expect(describeItem(last, translator('en'), 'en').text).toBe('Your retransmission timer expired.');
  });

  it('finds the oldest unacknowledged segment, its latest copy, across the 32-bit wrap', () => {
    const syn = { from: 'client' as const, flags: ['SYN' as const], seq: 0xffffffff, ack: 0, len: 0 };
    const data = { from: 'client' as const, flags: ['ACK' as const], seq: 0, ack: 5, len: 3 };
    expect(unacknowledged([syn, data], null)).toEqual(syn);
    expect(unacknowledged([syn, data], 0)).toEqual(data);
    expect(unacknowledged([syn, data], 3)).toBeNull();
    const again = { ...data, ack: 9 };
    expect(unacknowledged([syn, data, again], 0)).toEqual(again);
  });
});
