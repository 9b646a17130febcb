/**
 * Resume with lastSeq: a connection that comes back naming the view it still holds is sent
 * only what it missed — nothing for a student whose view did not change, a teacher/update
 * for a teacher — and a snapshot when the server cannot know what it holds. Real server,
 * real sockets.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROTOCOL_VERSION } from '../shared/protocol.ts';
import { applyTeacherUpdate } from '../shared/game/teacher-feed.ts';
import { startServer, type RunningServer } from './server.ts';
import { classWithPair, connect, lastView, play, waitView, type Msg, type TestClient } from './test-client.ts';

let dataDir: string;
let srv: RunningServer;
const clients: TestClient[] = [];
const track = (c: TestClient): TestClient => { clients.push(c); return c; };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synack-resume-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, latencyMs: 50, timeWaitMs: 120_200, rtxMs: 60_000, warn: () => {} });
});
afterEach(async () => { await Promise.all(clients.splice(0).map((c) => c.close())); });
afterAll(async () => {
  await srv.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The seq of the latest view a client holds (welcome, view, or merged teacher/update). */
const heldSeq = (c: TestClient): number => {
  const m = [...c.messages].reverse().find((x) => (x.type === 'view' || x.type === 'welcome') && x.view);
  return m!.seq as number;
};

/** Send the first message on a new connection and wait for its welcome (or error). */
async function enter(msg: Record<string, unknown>): Promise<{ c: TestClient; welcome: Msg }> {
  const c = track(await connect(srv.wsUrl));
  c.send({ v: PROTOCOL_VERSION, ...msg });
  const welcome = await c.waitFor((m) => m.type === 'welcome' || m.type === 'error', 5000, 'welcome');
  return { c, welcome };
}

/** Wait until the server has noticed a dropped connection (the seat shows away to the teacher). */
const away = (t: TestClient, seatId: string) => waitView(t, (v) => v.seats.some((s: Msg) => s.seatId === seatId && !s.connected), 5000, `${seatId} away`);

describe('resume with lastSeq', () => {
  it('a student whose view did not change is welcomed without a view; one whose view changed gets the snapshot', async () => {
    const { code, t, a, b } = await classWithPair(srv.url, srv.wsUrl);
    for (const c of [t, a.c, b.c]) track(c);
    // Once the leaderboard has caught up with both joins (a second view at the same seq, so
    // that seq is ambiguous), the next event gives the seat exactly one view at its seq.
    await waitView(a.c, (v) => v.leaderboard.length === 2, 5000, 'the board with both');
    t.send({ type: 'round/pause' });
    const view = await waitView(a.c, (v) => v.round.status === 'paused');
    const held = heldSeq(a.c);
    a.c.terminate();
    await away(t, a.seatId);

    const back = await enter({ type: 'resume', code, token: a.token, lastSeq: held });
    expect(back.welcome).toMatchObject({ type: 'welcome', seq: held, since: held });
    expect(back.welcome.view).toBeUndefined();
    // What it kept is what a snapshot would say now.
    const fresh = await enter({ type: 'resume', code, token: a.token, lastSeq: 0 });
    expect(fresh.welcome.since).toBeUndefined();
    expect(fresh.welcome.view).toEqual(view);

    // Now the view changes while the seat is away: the comeback gets a snapshot.
    const seqBefore = heldSeq(fresh.c);
    fresh.c.terminate();
    await away(t, a.seatId);
    t.send({ type: 'round/resume' });
    await waitView(t, (v) => v.round.status === 'running');
    const later = await enter({ type: 'resume', code, token: a.token, lastSeq: seqBefore });
    expect(later.welcome.since).toBeUndefined();
    expect(later.welcome.view.round.status).toBe('running');
  });

  it('a teacher coming back is sent what changed since the view it holds: its merge equals a fresh snapshot', async () => {
    const { code, key, t, a, b } = await classWithPair(srv.url, srv.wsUrl);
    for (const c of [t, a.c, b.c]) track(c);
    const held = heldSeq(t);
    const old = lastView(t);
    await t.close();
    // The game moves on while the teacher is away.
    expect((await play(a.c, ['SYN'])).type).toBe('move/result');
    await waitView(b.c, (v) => v.pair.game.endpoint.state === 'SYN_RECEIVED');

    const back = await enter({ type: 'hello', code, key, lastSeq: held });
    expect(back.welcome).toMatchObject({ type: 'welcome', seq: held, since: held });
    expect(back.welcome.view).toBeUndefined();
    const update = await back.c.waitFor((m) => m.type === 'teacher/update', 5000, 'the update since');
    expect(update.pairs).toHaveLength(1);
    const merged = applyTeacherUpdate(old, update as never);

    const fresh = await enter({ type: 'hello', code, key });
    expect(fresh.welcome.since).toBeUndefined();
    expect(merged).toEqual(fresh.welcome.view);
    expect(merged.pairs[0]?.game?.connection.server.state).toBe('SYN_RECEIVED');
  });

  it('a lastSeq the server cannot vouch for (none, or not a view it sent) gets a snapshot', async () => {
    const { code, key, t, a, b } = await classWithPair(srv.url, srv.wsUrl);
    for (const c of [t, a.c, b.c]) track(c);
    for (const lastSeq of [0, heldSeq(t) + 100]) {
      const teacher = await enter({ type: 'hello', code, key, lastSeq });
      expect(teacher.welcome.view?.role, `teacher lastSeq ${lastSeq}`).toBe('teacher');
      const student = await enter({ type: 'resume', code, token: a.token, lastSeq });
      expect(student.welcome.view?.role, `student lastSeq ${lastSeq}`).toBe('student');
    }
  });
});
