/** Recovery on start: every open room is rebuilt from its log; a damaged log costs only its own room. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.ts';
import { openSqliteStore } from './store.ts';
import { openRoom, student, teacher, waitView, type TestClient } from './test-client.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'synack-recover-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('recovery', () => {
  it('rebuilds open rooms, skips closed ones, and reports a room whose log cannot be replayed', async () => {
    const warnings: string[] = [];
    const opts = { port: 0, host: '127.0.0.1', dataDir, latencyMs: 50, timeWaitMs: 300, rtxMs: 60_000, warn: (m: string) => { warnings.push(m); } };
    let srv = await startServer(opts);
    const good = await openRoom(srv.url);
    const damaged = await openRoom(srv.url);
    const closed = await openRoom(srv.url);
    const halfClosed = await openRoom(srv.url);
    const clients: TestClient[] = [];
    const t = await teacher(srv.wsUrl, good.code, good.key);
    const s = await student(srv.wsUrl, good.code, 'Ada');
    const tc = await teacher(srv.wsUrl, closed.code, closed.key);
    clients.push(t, s.c, tc);
    tc.send({ type: 'room/close' });
    await tc.closed;
    await srv.close();

    // A row the reducer refuses: a move by a seat that never joined.
    const store = openSqliteStore(dataDir);
    store.appendEvent(damaged.code, { seq: 2, at: 1, actor: 'seat:s9', event: { type: 'move', pairId: 'p1', seatId: 's9', stateSeq: 1, segment: { from: 'client', flags: ['SYN'], seq: 1, ack: 0, len: 0 } } });
    // Killed between logging room/closed and marking the row closed: the log decides.
    store.appendEvent(halfClosed.code, { seq: 2, at: 1, actor: 'teacher', event: { type: 'room/closed', by: 'teacher' } });
    store.close();

    srv = await startServer(opts);
    try {
      expect(srv.recovered.rooms).toBe(1);
      expect(srv.recovered.failed.map((f) => f.code)).toEqual([damaged.code]);
      expect(warnings.some((w) => w.includes(damaged.code))).toBe(true);
      const back = await teacher(srv.wsUrl, good.code, good.key);
      clients.push(back);
      const v = await waitView(back, () => true);
      expect(v.seats.map((x: { nickname: string; connected: boolean }) => [x.nickname, x.connected])).toEqual([['Ada', false]]);
      expect(await (await fetch(`${srv.url}/api/rooms/${closed.code}`)).json()).toMatchObject({ open: false });
      expect(await (await fetch(`${srv.url}/api/rooms/${halfClosed.code}`)).json()).toMatchObject({ open: false });
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await srv.close();
    }
  });
});
