/**
 * The real server on 127.0.0.1, a temporary DATA_DIR and real WebSocket clients: a teacher
 * and two students play; refused moves; crossed FINs; a reconnect mid-round.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { replayLog } from '../shared/game/room.ts';
import { viewFor } from '../shared/game/view-for.ts';
import { POINTS } from '../shared/game/scoring.ts';
import { CLOSE_CODES } from '../shared/protocol.ts';
import { startServer, type RunningServer } from './server.ts';
import {
  lastView, openRoom, play, resume, student, teacher, waitState, waitView, type Msg, type TestClient,
} from './test-client.ts';

let dataDir: string;
let srv: RunningServer;
const clients: TestClient[] = [];
const track = <T extends TestClient | { c: TestClient }>(x: T): T => { clients.push('c' in x ? x.c : x); return x; };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synack-game-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, latencyMs: 50, timeWaitMs: 1000, rtxMs: 60_000, warn: () => {} });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await srv.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function logOf(code: string, key: string): Promise<{ seq: number; at: number; actor: string; event: Msg }[]> {
  const res = await fetch(`${srv.url}/api/rooms/${code}/log`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: { seq: number; at: number; actor: string; event: Msg }[] }).events;
}

/** A class room with a teacher and two students paired as client and server, a round of `scenario` running. */
async function classRound(scenario: string, server: RunningServer = srv) {
  const { code, key } = await openRoom(server.url);
  const t = track(await teacher(server.wsUrl, code, key));
  const a = track(await student(server.wsUrl, code, 'Ada'));
  const b = track(await student(server.wsUrl, code, 'Lin'));
  t.send({ type: 'pair/set', client: a.seatId, server: b.seatId });
  t.send({ type: 'round/start', scenario, level: 1, speedBonus: false });
  for (const s of [a, b]) await waitView(s.c, (v) => v.round.status === 'running' && v.pair?.game != null, 5000, 'round running');
  return { code, key, t, a, b };
}

describe('a class plays over real sockets', () => {
  it('plays a full lifecycle (handshake, data, teardown) and the teacher view follows every step', async () => {
    const { code, key, t, a, b } = await classRound('lifecycle');
    const teacherWelcomeSeq = t.messages.find((m) => m.type === 'welcome')!.seq as number;

    const ok = async (c: TestClient, flags: string[], len = 0) => {
      const r = await play(c, flags, len);
      expect(r.type, JSON.stringify(r)).toBe('move/result');
      expect(r.verdict.ok, JSON.stringify(r.verdict)).toBe(true);
      return r;
    };
    await ok(a.c, ['SYN']);
    await waitState(b.c, 'SYN_RECEIVED');
    await ok(b.c, ['SYN', 'ACK']);
    await waitState(a.c, 'ESTABLISHED');
    await ok(a.c, ['ACK']);
    await waitState(b.c, 'ESTABLISHED');
    await ok(a.c, ['ACK', 'PSH'], 5);
    await waitView(b.c, (v) => v.pair.game.endpoint.bytesReceived === 5, 5000, 'server received 5 bytes');
    await ok(b.c, ['ACK', 'PSH'], 3);
    await waitView(a.c, (v) => v.pair.game.endpoint.bytesReceived === 3, 5000, 'client received 3 bytes');
    await ok(a.c, ['FIN', 'ACK']);
    await waitState(b.c, 'CLOSE_WAIT');
    await ok(b.c, ['ACK']);
    await waitState(a.c, 'FIN_WAIT_2');
    await ok(b.c, ['FIN', 'ACK']);
    await waitState(a.c, 'TIME_WAIT');
    await ok(a.c, ['ACK']);
    await waitState(b.c, 'CLOSED');
    const done = await waitView(a.c, (v) => v.pair.game.finished, 5000, 'goal reached');
    expect(done.pair.game.handshakeDone && done.pair.game.teardownDone).toBe(true);
    // TIME_WAIT's 2MSL runs on the server and is logged.
    await waitState(a.c, 'CLOSED', 5000);

    // The teacher saw the states of both ends in order (pushes are coalesced to at most one
    // per TEACHER_EVERY_MS, so a short-lived state may be folded into the next), ending in the last.
    const tv = await waitView(t, (v) => v.pairs[0]?.game?.connection.client.state === 'CLOSED', 5000, 'teacher sees CLOSED');
    const seen = { client: [] as string[], server: [] as string[] };
    const seqs: number[] = [];
    for (const m of t.messages) {
      if (m.type !== 'view') continue;
      seqs.push(m.seq);
      const conn = m.view.pairs[0]?.game?.connection;
      if (!conn) continue;
      for (const side of ['client', 'server'] as const) if (seen[side].at(-1) !== conn[side].state) seen[side].push(conn[side].state);
    }
    const inOrder = (got: string[], all: string[]) => {
      expect(got.at(-1)).toBe(all.at(-1));
      let i = 0;
      for (const s of got) { while (i < all.length && all[i] !== s) i++; expect(i, `${s} out of order in ${got.join(' → ')}`).toBeLessThan(all.length); i++; }
    };
    inOrder(seen.client, ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    inOrder(seen.server, ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);

    const log = await logOf(code, key);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    // Views come in log order and end at the log's last event (events landing together share one view).
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    expect(seqs[0]).toBeGreaterThan(teacherWelcomeSeq);
    expect(seqs.at(-1)).toBe(log.at(-1)!.seq);
    expect(log.filter((e) => e.event.type === 'move')).toHaveLength(9);
    expect(log.filter((e) => e.event.type === 'wire/delivered')).toHaveLength(9);
    expect(log.some((e) => e.event.type === 'timer/fired' && e.event.timer === 'time-wait')).toBe(true);
    expect(log.find((e) => e.event.type === 'seat/joined')!.event.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    // Replay of the log gives exactly the live room, and the teacher's last view is the replayed room's view.
    const live = srv.hub.live(code)!.room;
    const replayed = replayLog(log.map((e) => e.event as never));
    expect(replayed).toEqual(live);
    expect(tv).toEqual(viewFor(replayed, { role: 'teacher' }, new Set([a.seatId, b.seatId])));
    // After its welcome the teacher is sent only teacher/update messages (merged above), never a whole view.
    const pushes = t.messages.filter((m) => m.type === 'view');
    expect(pushes.length).toBeGreaterThan(3);
    expect(pushes.every((m) => m.update?.type === 'teacher/update')).toBe(true);
    // A move's update carries its own pair, not the class.
    expect(pushes.every((m) => (m.update.pairs ?? []).length <= 1)).toBe(true);
    const scores = tv.seats.map((s: Msg) => s.score);
    console.log(`lifecycle: ${log.length} events logged, scores ${scores.join(' / ')}`);
    expect(Math.min(...scores)).toBeGreaterThan(0);
  });

  it('the teacher sets the room\'s timers between rounds: the log has them, and the next round\'s wire takes the new latency', async () => {
    const { code, key } = await openRoom(srv.url);
    const t = track(await teacher(srv.wsUrl, code, key));
    expect(lastView(t).room.timings).toEqual({ latencyMs: 50, rtxMs: 60_000, timeWaitMs: 1000 });
    const a = track(await student(srv.wsUrl, code, 'Ada'));
    const b = track(await student(srv.wsUrl, code, 'Lin'));
    t.send({ type: 'pair/set', client: a.seatId, server: b.seatId });
    // Breaking the 2MSL rule is refused with the reason.
    t.send({ type: 'room/timings', latencyMs: 400, rtxMs: 2000, timeWaitMs: 3000 });
    const refused = await t.waitFor((m) => m.type === 'error' && m.ref === 'room/timings', 5000, 'the refusal');
    expect(refused.code).toBe('round/time-wait-too-short');
    t.send({ type: 'room/timings', latencyMs: 400, rtxMs: 2000, timeWaitMs: 8000 });
    await waitView(t, (v) => v.room.timings?.latencyMs === 400, 5000, 'the new timers');
    t.send({ type: 'round/start', scenario: 'handshake', level: 1, speedBonus: false });
    await waitState(a.c, 'CLOSED');
    await waitView(a.c, (v) => v.round.status === 'running' && v.pair?.game != null);
    expect((await play(a.c, ['SYN'])).type).toBe('move/result');
    await waitState(b.c, 'SYN_RECEIVED', 5000);
    // During the round the timers stay as they are.
    t.send({ type: 'room/timings', latencyMs: 100, rtxMs: 2000, timeWaitMs: 8000 });
    expect((await t.waitFor((m) => m.type === 'error' && m.ref === 'room/timings', 5000, 'refused in a round')).code).toBe('round/already-running');
    const log = await logOf(code, key);
    expect(log.find((e) => e.event.type === 'room/created')!.event.timings).toEqual({ latencyMs: 50, rtxMs: 60_000, timeWaitMs: 1000 });
    expect(log.find((e) => e.event.type === 'room/timings-set')!.event).toMatchObject({ latencyMs: 400, rtxMs: 2000, timeWaitMs: 8000, by: 'teacher' });
    const sent = log.find((e) => e.event.type === 'move')!;
    const arrived = log.find((e) => e.event.type === 'wire/delivered')!;
    expect(arrived.at - sent.at).toBeGreaterThanOrEqual(400);
  });

  it('refuses illegal moves with their reason, explanation facts and points, and logs them', async () => {
    const { code, key, t, a, b } = await classRound('lifecycle');
    // The client is CLOSED: there is no SYN to acknowledge.
    const r1 = await play(a.c, ['SYN', 'ACK']);
    expect(r1.type).toBe('move/result');
    expect(r1.verdict).toMatchObject({ ok: false, code: 'segment/synack-without-syn', facts: { state: 'CLOSED', side: 'client' }, points: POINTS.refusedMove });
    // The server LISTENs: nothing to close.
    const r2 = await play(b.c, ['FIN', 'ACK']);
    expect(r2.verdict.ok).toBe(false);
    expect(r2.verdict.code).toMatch(/^segment\//);
    expect(r2.verdict.facts.state).toBe('LISTEN');
    const av = await waitView(a.c, (v) => v.you.mistakes === 1, 5000, 'one mistake');
    expect(av.you.score).toBe(POINTS.refusedMove);
    expect(av.mistakes.map((m: Msg) => m.code)).toEqual(['segment/synack-without-syn']);
    expect(av.pair.game.endpoint.state).toBe('CLOSED');
    // Still playable after the refusals: the SYN goes; the server answers with a wrong ack number.
    expect((await play(a.c, ['SYN'])).verdict.ok).toBe(true);
    const bv = await waitState(b.c, 'SYN_RECEIVED');
    const rightAck = bv.pair.game.hints.auto['SYN+ACK'].ack as number;
    const r3 = await play(b.c, ['SYN', 'ACK'], 0, { ack: rightAck + 1 });
    expect(r3.verdict).toMatchObject({ ok: false, facts: { state: 'SYN_RECEIVED', field: 'ack', expected: rightAck, given: rightAck + 1 } });

    const tv = await waitView(t, (v) => v.mistakes.length === 3, 5000, 'teacher sees 3 mistakes');
    expect(tv.commonMistakes.reduce((n: number, m: Msg) => n + m.count, 0)).toBe(3);
    expect(tv.seats.map((s: Msg) => s.mistakes)).toEqual([1, 2]);
    const log = await logOf(code, key);
    expect(log.filter((e) => e.event.type === 'move')).toHaveLength(4);
    expect((await play(b.c, ['SYN', 'ACK'])).verdict.ok).toBe(true);
    await waitState(a.c, 'ESTABLISHED');
  });

  it('crosses FINs: both send FIN within the latency and go through CLOSING to TIME_WAIT', async () => {
    const slow = await startServer({ port: 0, host: '127.0.0.1', dataDir: path.join(dataDir, 'slow'), latencyMs: 600, timeWaitMs: 300, rtxMs: 60_000, warn: () => {} });
    try {
      const { t, a, b } = await classRound('simultaneous-close', slow);
      for (const s of [a, b]) await waitState(s.c, 'ESTABLISHED');
      const [ra, rb] = await Promise.all([play(a.c, ['FIN', 'ACK']), play(b.c, ['FIN', 'ACK'])]);
      expect(ra.verdict.ok && rb.verdict.ok).toBe(true);
      // Both FINs were on the wire together.
      const both = await waitView(t, (v) => {
        const w = v.pairs[0]?.game?.connection.wire;
        return w && w.client.length === 1 && w.server.length === 1;
      }, 5000, 'both FINs in flight');
      expect(both.pairs[0].game.connection.client.state).toBe('FIN_WAIT_1');
      expect(both.pairs[0].game.connection.server.state).toBe('FIN_WAIT_1');
      for (const s of [a, b]) await waitState(s.c, 'CLOSING');
      const [aa, ba] = await Promise.all([play(a.c, ['ACK']), play(b.c, ['ACK'])]);
      expect(aa.verdict.ok && ba.verdict.ok).toBe(true);
      for (const s of [a, b]) await waitState(s.c, 'TIME_WAIT');
      const fin = await waitView(a.c, (v) => v.pair.game.finished, 5000, 'goal reached');
      expect(fin.pair.game.teardownDone).toBe(true);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await slow.close();
    }
  });

  it('a reconnect mid-round resumes the seat: same seat, score and cards in flight; the wire waits while a player is away', async () => {
    const slow = await startServer({ port: 0, host: '127.0.0.1', dataDir: path.join(dataDir, 'resume'), latencyMs: 400, timeWaitMs: 300, rtxMs: 60_000, warn: () => {} });
    try {
      const { code, t, a, b } = await classRound('lifecycle', slow);
      await play(a.c, ['SYN', 'ACK']); // a refused move first, so the score is not zero
      const r = await play(a.c, ['SYN']);
      expect(r.verdict.ok).toBe(true);
      const before = lastView(a.c);
      // The network drops: no closing handshake.
      a.c.terminate();
      await waitView(t, (v) => v.seats.find((s: Msg) => s.seatId === a.seatId)?.connected === false, 5000, 'teacher sees Ada away');
      const rt = slow.hub.live(code)!;
      expect(rt.pendingTasks().filter((x) => x.key.startsWith('wire:'))).toEqual([expect.objectContaining({ paused: true })]);
      // Well past the latency, the SYN has still not arrived.
      await new Promise((res) => setTimeout(res, 800));
      expect(lastView(b.c).pair.game.endpoint.state).toBe('LISTEN');
      expect(lastView(b.c).pair.partner.connected).toBe(false);

      const again = track(await resume(slow.wsUrl, code, a.token, before.seq));
      const w = again.messages.find((m) => m.type === 'welcome')!;
      expect(w.you).toEqual({ role: 'student', seatId: a.seatId });
      expect(w.view.you.score).toBe(before.you.score);
      expect(w.view.you.score).not.toBe(0);
      expect(w.view.pair.side).toBe('client');
      expect(w.view.pair.game.endpoint.state).toBe('SYN_SENT');
      expect(w.view.pair.game.wire.mine).toHaveLength(1);
      expect(w.view.pair.game.wire.mine[0].flags).toEqual(['SYN']);
      // Back: the wire moves again and the game carries on.
      await waitState(b.c, 'SYN_RECEIVED');
      expect((await play(b.c, ['SYN', 'ACK'])).verdict.ok).toBe(true);
      await waitState(again, 'ESTABLISHED');

      // A second connection with the same token replaces this one.
      const third = track(await resume(slow.wsUrl, code, a.token));
      const closed = await again.closed;
      expect(closed.code).toBe(CLOSE_CODES['seat/replaced']);
      expect((await play(third, ['ACK'])).verdict.ok).toBe(true);
      await waitState(b.c, 'ESTABLISHED');
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await slow.close();
    }
  });

  it('pausing the round holds the wire; resuming releases it', async () => {
    const { code, t, a, b } = await classRound('handshake');
    t.send({ type: 'round/pause' });
    await waitView(a.c, (v) => v.round.status === 'paused');
    const refused = await play(a.c, ['SYN']);
    expect(refused).toMatchObject({ type: 'error', code: 'move/round-not-running' });
    t.send({ type: 'round/resume' });
    await waitView(a.c, (v) => v.round.status === 'running');
    expect((await play(a.c, ['SYN'])).verdict.ok).toBe(true);
    t.send({ type: 'round/pause' });
    await waitView(b.c, (v) => v.round.status === 'paused');
    expect(srv.hub.live(code)!.pendingTasks().filter((x) => !x.paused)).toEqual([]);
    t.send({ type: 'round/resume' });
    await waitState(b.c, 'SYN_RECEIVED');
  });

  it('a practice room pairs its two players at once, and either may run rounds but not act as the teacher', async () => {
    const { code, key } = await openRoom(srv.url, 'practice');
    const a = track(await student(srv.wsUrl, code, 'Ada'));
    const b = track(await student(srv.wsUrl, code, 'Lin'));
    const av = await waitView(a.c, (v) => v.pair != null, 5000, 'paired');
    expect(av.pair.partner.nickname).toBe('Lin');
    // A third person with the code is turned away: the two friends' rounds are theirs.
    await expect(student(srv.wsUrl, code, 'Sam')).rejects.toThrow(/room\/full/);
    b.c.send({ type: 'round/start', scenario: 'handshake', level: 1, speedBonus: false });
    const started = await waitView(a.c, (v) => v.round.status === 'running' && v.pair.game != null);
    const first = started.pair.side === 'client' ? a : b;
    const second = first === a ? b : a;
    for (const msg of [{ type: 'pair/dissolve', pairId: 'p1' }, { type: 'seat/remove', seatId: second.seatId }, { type: 'room/close' }]) {
      first.c.send(msg);
      const e = await first.c.waitFor((m) => m.type === 'error', 5000, msg.type);
      expect(e.code, msg.type).toBe('auth/not-teacher');
    }
    expect((await play(first.c, ['SYN'])).verdict.ok).toBe(true);
    await waitState(second.c, 'SYN_RECEIVED');
    expect((await play(second.c, ['SYN', 'ACK'])).verdict.ok).toBe(true);
    await waitState(first.c, 'ESTABLISHED');
    expect((await play(first.c, ['ACK'])).verdict.ok).toBe(true);
    await waitView(second.c, (v) => v.pair.game.finished);
    second.c.send({ type: 'round/end' });
    await waitView(first.c, (v) => v.round.status === 'ended');
    second.c.send({ type: 'pair/swap', pairId: 'p1' });
    await waitView(first.c, (v) => v.pair.side !== started.pair.side, 5000, 'roles swapped');
    // The host's key still opens the room as its teacher.
    const t = track(await teacher(srv.wsUrl, code, key));
    expect(lastView(t).seats).toHaveLength(2);
  });

  it('with the speed bonus on, a quick legal move earns more, and the log records how long the mover took', async () => {
    const { code, key, t, a } = await classRound('handshake');
    t.send({ type: 'round/end' });
    t.send({ type: 'round/start', scenario: 'handshake', level: 1, speedBonus: true });
    await waitView(a.c, (v) => v.round.number === 2 && v.round.status === 'running' && v.round.speedBonus);
    const r = await play(a.c, ['SYN']);
    expect(r.verdict.ok).toBe(true);
    expect(r.verdict.points).toBeGreaterThan(POINTS.legalMove);
    const move = (await logOf(code, key)).filter((e) => e.event.type === 'move').at(-1)!;
    expect(move.event.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(move.event.elapsedMs).toBeLessThan(POINTS.speedWindowMs);
  });
});
