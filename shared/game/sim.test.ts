import { describe, expect, it } from 'vitest';
import { replayLog } from './room.ts';
import { RoomSim } from './sim.ts';

describe('RoomSim', () => {
  it('seats twelve students (s1 … s12) with distinct token hashes, pairs them all and plays every handshake', () => {
    const sim = new RoomSim();
    const seats = Array.from({ length: 12 }, (_, i) => `s${i + 1}`);
    // s1 and s10, s11, s12 once padded to the same token hash: the join of s10 was refused.
    for (const id of seats) sim.join(id, `Student ${id}`);
    const hashes = sim.room.seats.map((s) => s.tokenHash);
    expect(new Set(hashes).size).toBe(seats.length);
    for (const h of hashes) expect(h).toHaveLength(64);

    const pairs = Array.from({ length: seats.length / 2 }, (_, i) => ({ id: `p${i + 1}`, client: seats[2 * i]!, server: seats[2 * i + 1]! }));
    for (const p of pairs) sim.pair(p.id, p.client, p.server);
    sim.start('handshake');
    for (const p of pairs) {
      expect(sim.play(p.client, ['SYN'])).toMatchObject({ ok: true, verdict: { ok: true } });
      sim.deliverAll(p.id);
      expect(sim.play(p.server, ['SYN', 'ACK'])).toMatchObject({ ok: true, verdict: { ok: true } });
      sim.deliverAll(p.id);
      expect(sim.play(p.client, ['ACK'])).toMatchObject({ ok: true, verdict: { ok: true } });
      sim.deliverAll(p.id);
      expect(sim.state(p.id)).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    }
    expect(replayLog(sim.log)).toEqual(sim.room);
  });
});
