/**
 * The teacher feed over real rooms (built through the reducer with RoomSim): an update
 * carries only what changed, and the welcome's view with every update applied in turn is
 * always the latest view. The worked example of docs/protocol.md is what this code gives.
 */
import { describe, expect, it } from 'vitest';
import { EXAMPLES, serverMessageSchema, teacherUpdateSchema, type TeacherUpdate } from '../protocol.ts';
import type { Room } from './model.ts';
import { oldestInFlight } from './room.ts';
import { RoomSim } from './sim.ts';
import { TeacherFeed, applyTeacherUpdate, teacherUpdateText } from './teacher-feed.ts';
import { viewFor, type Presence } from './view-for.ts';
import { teacherViewSchema, type TeacherView } from './views.ts';

const tv = (room: Room, presence: Presence = []): TeacherView => viewFor(room, { role: 'teacher' }, presence);

/** Four students, two pairs, a lifecycle round at level 1. */
function classOfFour(): RoomSim {
  const sim = new RoomSim();
  for (const [id, nick] of [['s1', 'Ada'], ['s2', 'Lin'], ['s3', 'Sam'], ['s4', 'Kim']] as const) sim.join(id, nick);
  sim.pair('p1', 's1', 's2');
  sim.pair('p2', 's3', 's4');
  sim.start('lifecycle', 1, { p1: { client: 100, server: 1000 }, p2: { client: 200, server: 2000 } });
  return sim;
}

/**
 * A teacher connection and its client side: the feed on the server, the view the client
 * holds. `push` sends the room's view as the server would and checks that the client then
 * holds exactly it; it returns the update (null: nothing sent).
 */
class Connection {
  readonly feed = new TeacherFeed();
  held: TeacherView;
  readonly updates: TeacherUpdate[] = [];

  constructor(room: Room, presence: Presence = []) {
    this.held = tv(room, presence);
    this.feed.snapshot(this.held);
  }

  push(room: Room, presence: Presence = []): TeacherUpdate | null {
    const view = tv(room, presence);
    const u = this.feed.update(view, room.seq);
    if (u) {
      expect(teacherUpdateSchema.safeParse(u).success, JSON.stringify(u)).toBe(true);
      // What travels is the text: the client applies what it parses.
      const text = teacherUpdateText(u);
      expect(text).toBe(JSON.stringify(u));
      this.held = applyTeacherUpdate(this.held, JSON.parse(text) as TeacherUpdate);
      this.updates.push(u);
    }
    expect(this.held).toEqual(view);
    expect(JSON.stringify(this.held)).toBe(JSON.stringify(view));
    return u;
  }
}

describe('the teacher view keeps unchanged entries', () => {
  it('the same room and presence give the same pair, seat and list objects', () => {
    const sim = classOfFour();
    const a = tv(sim.room, ['s1']);
    const b = tv(sim.room, ['s1']);
    expect(b).not.toBe(a);
    for (let i = 0; i < a.pairs.length; i++) expect(b.pairs[i]).toBe(a.pairs[i]);
    for (let i = 0; i < a.seats.length; i++) expect(b.seats[i]).toBe(a.seats[i]);
    for (const f of ['round', 'leaderboard', 'pairLeaderboard', 'mistakes', 'commonMistakes'] as const) expect(b[f], f).toBe(a[f]);
  });

  it('a move replaces its pair and its mover only; a presence change, the pair and seat it concerns', () => {
    const sim = classOfFour();
    const a = tv(sim.room, ['s1', 's2', 's3', 's4']);
    sim.play('s1', ['SYN']);
    const b = tv(sim.room, ['s1', 's2', 's3', 's4']);
    expect(b.pairs[0]).not.toBe(a.pairs[0]);
    expect(b.pairs[1]).toBe(a.pairs[1]);
    expect(b.seats.map((s, i) => s === a.seats[i])).toEqual([false, true, true, true]);
    const c = tv(sim.room, ['s1', 's2', 's3']);
    expect(c.pairs[0]).toBe(b.pairs[0]);
    expect(c.pairs[1]).not.toBe(b.pairs[1]);
    expect(c.pairs[1]!.connected).toEqual({ client: true, server: false });
    expect(c.seats.map((s, i) => s === b.seats[i])).toEqual([true, true, true, false]);
  });

  it('a rename reaches the pair entry of the renamed seat (its nickname is part of it)', () => {
    const sim = classOfFour();
    const a = tv(sim.room);
    sim.must({ type: 'seat/renamed', seatId: 's3', nickname: 'Sammy', by: 'teacher' });
    const b = tv(sim.room);
    expect(b.pairs[0]).toBe(a.pairs[0]);
    expect(b.pairs[1]!.nicknames.client).toBe('Sammy');
    expect(b.pairLeaderboard.map((p) => p.nicknames)).toContain('Sammy & Kim');
  });
});

describe('TeacherFeed', () => {
  it('sends nothing when nothing changed: the same view, or a new view of the same room', () => {
    const sim = classOfFour();
    const c = new Connection(sim.room, ['s1']);
    expect(c.feed.update(c.held, sim.room.seq)).toBeNull();
    expect(c.push(sim.room, ['s1'])).toBeNull();
    // Equal but rebuilt (the memo lost, say): compared as JSON, still nothing.
    const rebuilt = JSON.parse(JSON.stringify(tv(sim.room, ['s1']))) as TeacherView;
    expect(c.feed.update(rebuilt, sim.room.seq)).toBeNull();
    expect(c.feed.updateText(rebuilt, sim.room.seq)).toBeNull();
  });

  it('a move in one pair sends that pair, the mover\'s seat and the leaderboards, nothing else', () => {
    const sim = classOfFour();
    const c = new Connection(sim.room);
    sim.play('s3', ['SYN']);
    const u = c.push(sim.room)!;
    expect(Object.keys(u)).toEqual(['type', 'seq', 'pairs', 'seats', 'set']);
    expect(u.seq).toBe(sim.room.seq);
    expect(u.pairs!.map((p) => p.pairId)).toEqual(['p2']);
    expect(u.pairs![0]!.game!.lastMove).toMatchObject({ kind: 'sent', seatId: 's3' });
    expect(u.seats!.map((s) => s.seatId)).toEqual(['s3']);
    expect(Object.keys(u.set!)).toEqual(['leaderboard', 'pairLeaderboard']);
    // Its delivery changes the pair only (no points are scored by a delivery).
    sim.deliver('p2');
    const d = c.push(sim.room)!;
    expect(Object.keys(d)).toEqual(['type', 'seq', 'pairs']);
    expect(d.pairs![0]!.game!.connection.server.state).toBe('SYN_RECEIVED');
  });

  it('a refused move also sends the room\'s mistakes', () => {
    const sim = classOfFour();
    const c = new Connection(sim.room);
    sim.play('s1', ['SYN', 'ACK']);
    const u = c.push(sim.room)!;
    expect(u.pairs!.map((p) => p.pairId)).toEqual(['p1']);
    expect(u.pairs![0]!.game!.mistakes).toBe(1);
    expect(Object.keys(u.set!)).toEqual(['leaderboard', 'pairLeaderboard', 'mistakes', 'commonMistakes']);
  });

  it('a pair added or removed changes pairOrder; seats and unpaired follow', () => {
    const sim = classOfFour();
    sim.join('s5', 'Bo');
    sim.join('s6', 'Eve');
    const c = new Connection(sim.room);
    sim.pair('p3', 's5', 's6', 'teacher', { client: 300, server: 3000 });
    const added = c.push(sim.room)!;
    expect(added.pairOrder).toEqual(['p1', 'p2', 'p3']);
    expect(added.pairs!.map((p) => p.pairId)).toEqual(['p3']);
    expect(added.pairs![0]!.game).not.toBeNull(); // formed mid-round: its game starts at once
    expect(added.seats!.map((s) => s.seatId)).toEqual(['s5', 's6']);
    expect(added.seatOrder).toBeUndefined();
    expect(added.set!.unpaired).toEqual([]);

    sim.must({ type: 'round/ended', by: 'teacher' });
    c.push(sim.room);
    sim.must({ type: 'pair/dissolved', pairId: 'p1', by: 'teacher' });
    const removed = c.push(sim.room)!;
    expect(removed.pairOrder).toEqual(['p2', 'p3']);
    expect(removed.pairs).toBeUndefined();
    expect(removed.seats!.map((s) => s.seatId)).toEqual(['s1', 's2']);
    expect(c.held.pairs.map((p) => p.pairId)).toEqual(['p2', 'p3']);
  });

  it('a seat joining or removed changes seatOrder', () => {
    const sim = classOfFour();
    const c = new Connection(sim.room);
    sim.join('s5', 'Bo');
    const joined = c.push(sim.room)!;
    expect(joined.seats!.map((s) => s.seatId)).toEqual(['s5']);
    expect(joined.seatOrder).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(joined.pairs).toBeUndefined();
    expect(Object.keys(joined.set!)).toEqual(['unpaired', 'leaderboard']);
    sim.must({ type: 'seat/removed', seatId: 's5', by: 'teacher' });
    const removed = c.push(sim.room)!;
    // A removed seat stays in the teacher's list, marked removed.
    expect(removed.seats!.map((s) => [s.seatId, s.removed])).toEqual([['s5', true]]);
  });

  it('a presence change sends that pair and that seat, and unpaired when the seat waits', () => {
    const sim = classOfFour();
    sim.join('s5', 'Bo');
    const c = new Connection(sim.room, ['s1', 's2', 's3', 's4', 's5']);
    const away = c.push(sim.room, ['s1', 's2', 's3', 's5'])!;
    expect(away.pairs!.map((p) => [p.pairId, p.connected])).toEqual([['p2', { client: true, server: false }]]);
    expect(away.seats!.map((s) => [s.seatId, s.connected])).toEqual([['s4', false]]);
    expect(away.set).toBeUndefined();
    const waiting = c.push(sim.room, ['s1', 's2', 's3'])!;
    expect(waiting.pairs).toBeUndefined();
    expect(waiting.seats!.map((s) => s.seatId)).toEqual(['s5']);
    expect(Object.keys(waiting.set!)).toEqual(['unpaired']);
  });

  it('before any snapshot, an update carries the whole view', () => {
    const sim = classOfFour();
    sim.play('s1', ['SYN']);
    const view = tv(sim.room);
    const u = new TeacherFeed().update(view, sim.room.seq)!;
    const empty: TeacherView = { ...view, pairs: [], seats: [], unpaired: [], leaderboard: [], pairLeaderboard: [], mistakes: [], commonMistakes: [] };
    expect(applyTeacherUpdate(empty, u)).toEqual(view);
  });

  it('applyTeacherUpdate makes a new view and leaves the one given as it was', () => {
    const sim = classOfFour();
    const c = new Connection(sim.room);
    const before = c.held;
    const frozen = structuredClone(before);
    sim.play('s1', ['SYN']);
    c.push(sim.room);
    expect(c.held).not.toBe(before);
    expect(before).toEqual(frozen);
    // Unchanged entries are shared, so a client re-renders only what changed.
    expect(c.held.pairs[1]).toBe(before.pairs[1]);
  });

  it('over a whole class game (moves, losses, timers, restarts, renames, removals), the client always holds the latest view', () => {
    const sim = new RoomSim();
    const names = ['Ada', 'Lin', 'Sam', 'Kim', 'Bo', 'Eve', 'Zoë'];
    names.forEach((n, i) => sim.join(`s${i + 1}`, n));
    const everyone = names.map((_, i) => `s${i + 1}`);
    let presence = everyone;
    const c = new Connection(sim.room, presence);
    const push = () => c.push(sim.room, presence);
    for (const [id, a, b] of [['p1', 's1', 's2'], ['p2', 's3', 's4'], ['p3', 's5', 's6']] as const) { sim.pair(id, a, b); push(); }
    sim.start('lifecycle', 1);
    push();
    // The three pairs play the lifecycle in turns (Sam sends a second SYN: refused); the server
    // delivers, loses, and times out.
    const turns: [string, string, Parameters<RoomSim['play']>[1], number?][] = [
      ['p1', 's1', ['SYN']], ['p2', 's3', ['SYN']], ['p3', 's5', ['SYN']],
      ['p1', 's2', ['SYN', 'ACK']], ['p2', 's4', ['SYN', 'ACK']], ['p3', 's6', ['SYN', 'ACK']],
      ['p1', 's1', ['ACK']], ['p2', 's3', ['ACK']], ['p3', 's5', ['ACK']],
      ['p1', 's1', ['ACK', 'PSH'], 4], ['p2', 's3', ['SYN']], ['p3', 's5', ['ACK', 'PSH'], 2],
    ];
    let n = 0;
    for (const [pairId, seat, flags, len] of turns) {
      sim.play(seat, flags, len ?? 0);
      push();
      if (++n % 4 === 0) presence = everyone.filter((_, i) => (i + n) % 3 !== 0);
      const head = oldestInFlight(sim.room, pairId);
      if (head && pairId === 'p3' && flags.includes('PSH')) {
        // p3's data is lost; the sender's timer expires and it sends the data again.
        sim.must({ type: 'wire/dropped', pairId, from: head.from, id: head.id, by: 'teacher' });
        expect(push()!.pairs!.find((p) => p.pairId === 'p3')!.game!.lost).toMatchObject({ id: head.id, from: head.from, segment: { flags } });
        sim.must({ type: 'timer/fired', pairId, side: head.from, timer: 'rtx' });
        push();
        expect(sim.play(seat, flags, len ?? 0)).toMatchObject({ verdict: { ok: true } });
        push();
      }
      if (oldestInFlight(sim.room, pairId)) sim.deliverAll(pairId);
      push();
    }
    expect([sim.state('p1'), sim.state('p3')]).toEqual([{ client: 'ESTABLISHED', server: 'ESTABLISHED' }, { client: 'ESTABLISHED', server: 'ESTABLISHED' }]);
    expect(sim.room.pairs[2]!.game!.connection.server.bytesReceived).toBe(2); // the retransmission arrived
    expect(sim.room.mistakes.map((m) => m.seatId)).toEqual(['s3']);
    // Pushes are coalesced on the server: several events between two updates.
    sim.play('s2', ['ACK', 'PSH'], 3);
    sim.deliverAll('p1');
    sim.play('s1', ['ACK']);
    sim.must({ type: 'seat/renamed', seatId: 's2', nickname: 'Linh', by: 'teacher' });
    push();
    sim.must({ type: 'pair/restarted', pairId: 'p2', isn: { client: 7, server: 70 }, by: 'teacher' });
    push();
    sim.must({ type: 'round/paused', by: 'teacher' });
    push();
    sim.must({ type: 'round/resumed', by: 'teacher' });
    sim.must({ type: 'room/locked', by: 'teacher' });
    push();
    sim.must({ type: 'round/ended', by: 'teacher' });
    push();
    sim.must({ type: 'pair/dissolved', pairId: 'p2', by: 'teacher' });
    sim.must({ type: 'seat/removed', seatId: 's3', by: 'teacher' });
    sim.pair('p4', 's7', 's4');
    push();
    sim.start('handshake', 2);
    push();
    presence = [];
    expect(push()).not.toBeNull();
    expect(push()).toBeNull();
    // Every kind of change went through updates, and each held only part of the view.
    expect(c.updates.some((u) => u.pairOrder)).toBe(true);
    expect(c.updates.some((u) => u.seatOrder)).toBe(false); // nobody joined after the snapshot
    expect(c.updates.filter((u) => u.set?.mistakes).length).toBe(1); // Sam's second SYN
    const fullBytes = JSON.stringify(tv(sim.room)).length;
    const moves = c.updates.filter((u) => u.pairs?.length === 1 && !u.pairOrder);
    expect(moves.length).toBeGreaterThan(20);
    for (const u of moves) expect(teacherUpdateText(u).length).toBeLessThan(fullBytes / 2);
    expect(teacherViewSchema.safeParse(c.held).success).toBe(true);
  });
});

describe('the worked example of docs/protocol.md', () => {
  // Ada and Lin paired, Sam (away) and Kim waiting, round 1 started; Ada's SYN; Sam and Kim paired.
  const sim = new RoomSim('class', 'K7QM2X', { latencyMs: 1000, rtxMs: 3000, timeWaitMs: 20000 });
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  sim.join('s3', 'Sam');
  sim.join('s4', 'Kim');
  sim.start('lifecycle', 1, { p1: { client: 100, server: 300 } });
  const presence = ['s1', 's2', 's4'];

  it('is what the reducer, viewFor and TeacherFeed give, message for message', () => {
    const feed = new TeacherFeed();
    const welcome = EXAMPLES.server['welcome (teacher)'];
    expect(welcome.seq).toBe(sim.room.seq);
    expect(welcome.view).toEqual(tv(sim.room, presence));
    feed.snapshot(tv(sim.room, presence));
    sim.play('s1', ['SYN']);
    expect(feed.update(tv(sim.room, presence), sim.room.seq)).toEqual(EXAMPLES.server['teacher/update']);
    sim.pair('p2', 's3', 's4', 'teacher', { client: 2000, server: 5000 });
    expect(feed.update(tv(sim.room, presence), sim.room.seq)).toEqual(EXAMPLES.server['teacher/update (pair added)']);
  });

  it('applied in turn, the updates give valid teacher views', () => {
    let view = EXAMPLES.server['welcome (teacher)'].view as TeacherView;
    for (const name of ['teacher/update', 'teacher/update (pair added)'] as const) {
      const u = EXAMPLES.server[name];
      expect(serverMessageSchema.safeParse(u).success).toBe(true);
      view = applyTeacherUpdate(view, u);
      expect(teacherViewSchema.safeParse(view).success, name).toBe(true);
    }
    expect(view.pairs.map((p) => p.pairId)).toEqual(['p1', 'p2']);
  });
});
