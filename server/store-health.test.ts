/**
 * The store tells the truth: /healthz answers 503 with the reason while the store cannot
 * write (a failed write, a damaged file) and 200 again once it can, and says nothing about
 * the rooms; a room whose log cannot be read or rebuilt answers room/damaged over HTTP and
 * on the WebSocket, never room/not-found or a stack trace.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RoomEvent } from '../shared/game/model.ts';
import { PROTOCOL_VERSION } from '../shared/protocol.ts';
import { startServer, type RunningServer } from './server.ts';
import { openSqliteStore } from './store.ts';
import { connect, openRoom, teacher, type Msg, type TestClient } from './test-client.ts';
import {
  garbleMiddleOfRoomB, killChildren, seedPagedStore, seededKey, seededToken, startServerChild, stop,
} from './test-process.ts';

const dirs: string[] = [];
const clients: TestClient[] = [];
const servers: RunningServer[] = [];
const freshDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'synack-health-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  killChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const quiet = { port: 0, host: '127.0.0.1', latencyMs: 50, timeWaitMs: 120_200, rtxMs: 60_000 };

async function health(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Ask /healthz until it answers `status` (the store probes at most every couple of seconds). */
async function healthBecomes(url: string, status: number, withinMs = 8000): Promise<Record<string, unknown>> {
  const until = Date.now() + withinMs;
  for (;;) {
    const h = await health(url);
    if (h.status === status) return h.body;
    if (Date.now() > until) throw new Error(`/healthz still answers ${h.status} ${JSON.stringify(h.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The first hello/join/resume answer for `msg` on a fresh connection. */
async function firstAnswer(wsUrl: string, msg: unknown): Promise<Msg> {
  const c = await connect(wsUrl);
  clients.push(c);
  c.send(msg);
  return c.waitFor((m) => m.type === 'welcome' || m.type === 'error', 5000, 'an answer');
}

describe('/healthz', () => {
  it('answers 200 with the name and protocol only: not how many rooms are live', async () => {
    const srv = await startServer({ ...quiet, dataDir: freshDir() });
    servers.push(srv);
    await openRoom(srv.url);
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ ok: true, name: 'SYN/ACK', protocol: PROTOCOL_VERSION });
  });

  it('answers 503 with the reason while writes fail, and 200 again once they work', async () => {
    // A real refusal by the kernel: chmod does not stop root, so the test lowers the server
    // process's file-size limit (RLIMIT_FSIZE, the soft one: raising it back needs no
    // privilege) to 1 byte. Every write past the first byte of a regular file then fails
    // with EFBIG, as writes fail with ENOSPC on a full disk: SQLite cannot append to its
    // -wal either way. Node ignores SIGXFSZ, so the process lives on.
    const srv = await startServerChild(freshDir());
    const pid = String(srv.proc.pid);
    try {
      const room = await openRoom(srv.url);
      expect(await health(srv.url)).toEqual({ status: 200, body: { ok: true, name: 'SYN/ACK', protocol: PROTOCOL_VERSION } });

      execFileSync('prlimit', ['--pid', pid, '--fsize=1:unlimited']);
      // Nothing was written since: the probe write health makes finds out by itself.
      const down = await healthBecomes(srv.url, 503);
      expect(down).toMatchObject({ ok: false, name: 'SYN/ACK', protocol: PROTOCOL_VERSION });
      expect(down.store).toMatch(/^the last write failed: .+ \(SQLITE_(IOERR\w*|FULL)\)$/);
      const refused = await fetch(`${srv.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"class"}' });
      expect(refused.status).toBe(500);
      expect(await refused.json()).toMatchObject({ code: 'server/internal' });
      expect((await health(srv.url)).status).toBe(503);
      // Reading still works: the room is still there.
      expect((await fetch(`${srv.url}/api/rooms/${room.code}`)).status).toBe(200);

      execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:unlimited']);
      // No request writes anything: the probe sees writes work again.
      expect(await healthBecomes(srv.url, 200)).toEqual({ ok: true, name: 'SYN/ACK', protocol: PROTOCOL_VERSION });
      expect((await fetch(`${srv.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"class"}' })).status).toBe(201);
      expect(srv.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      await stop(srv);
    }
  }, 40_000);

  it('answers 503 while the database file is damaged (started anyway)', async () => {
    const dataDir = freshDir();
    seedPagedStore(dataDir);
    garbleMiddleOfRoomB(dataDir);
    const srv = await startServer({ ...quiet, dataDir, startDamaged: true, warn: () => {} });
    servers.push(srv);
    const h = await health(srv.url);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({ ok: false, store: expect.stringMatching(/^the database file is damaged: .*SQLITE_CORRUPT/) });
  });
});

describe('room/damaged', () => {
  it('a room whose log cannot be read answers room/damaged over HTTP and the WebSocket; the others work', async () => {
    const dataDir = freshDir();
    seedPagedStore(dataDir);
    garbleMiddleOfRoomB(dataDir);
    const warnings: string[] = [];
    const srv = await startServer({ ...quiet, dataDir, startDamaged: true, warn: (m) => { warnings.push(m); } });
    servers.push(srv);
    expect(srv.recovered.failed.map((f) => f.code)).toEqual(['BBBBBB']);

    const info = await fetch(`${srv.url}/api/rooms/bbb-bbb`);
    expect(info.status).toBe(500);
    const infoBody = await info.text();
    expect(JSON.parse(infoBody)).toMatchObject({ type: 'error', code: 'room/damaged' });
    const log = await fetch(`${srv.url}/api/rooms/BBBBBB/log`, { headers: { authorization: `Bearer ${seededKey('BBBBBB')}` } });
    expect(log.status).toBe(500);
    const logBody = await log.text();
    expect(JSON.parse(logBody)).toMatchObject({ type: 'error', code: 'room/damaged' });
    for (const body of [infoBody, logBody]) expect(body).not.toMatch(/SqliteError|SQLITE|\bat \S+:\d+/);

    for (const msg of [
      { type: 'hello', v: PROTOCOL_VERSION, code: 'BBBBBB', key: seededKey('BBBBBB') },
      { type: 'join', v: PROTOCOL_VERSION, code: 'BBBBBB', nickname: 'Newcomer' },
      { type: 'resume', v: PROTOCOL_VERSION, code: 'BBBBBB', token: seededToken('BBBBBB', 3), lastSeq: 0 },
    ]) {
      const m = await firstAnswer(srv.wsUrl, msg);
      expect(m, msg.type).toMatchObject({ type: 'error', code: 'room/damaged', ref: msg.type });
      expect(m.message).not.toMatch(/SQLITE|malformed/);
    }

    // The rooms beside it were rebuilt and work.
    expect(await (await fetch(`${srv.url}/api/rooms/AAAAAA`)).json()).toEqual({ code: 'AAAAAA', kind: 'class', open: true });
    const aLog = await fetch(`${srv.url}/api/rooms/AAAAAA/log`, { headers: { authorization: `Bearer ${seededKey('AAAAAA')}` } });
    expect(((await aLog.json()) as { events: unknown[] }).events).toHaveLength(41);
    expect((await firstAnswer(srv.wsUrl, { type: 'hello', v: PROTOCOL_VERSION, code: 'CCCCCC', key: seededKey('CCCCCC') })).type).toBe('welcome');
    // Without the key the log stays closed, damaged or not.
    expect((await fetch(`${srv.url}/api/rooms/BBBBBB/log`)).status).toBe(401);
  });

  it('so does a room whose log reads but cannot be replayed (on start, or when a key holder looks it up)', async () => {
    const dataDir = freshDir();
    let srv = await startServer({ ...quiet, dataDir });
    const broken = await openRoom(srv.url);
    const closedBroken = await openRoom(srv.url);
    const t = await teacher(srv.wsUrl, closedBroken.code, closedBroken.key);
    t.send({ type: 'room/close' });
    await t.closed;
    await srv.close();
    // Rows the reducer refuses: a move by a seat that never joined.
    const store = openSqliteStore(dataDir);
    const bad: RoomEvent = { type: 'move', pairId: 'p1', seatId: 's9', stateSeq: 1, segment: { from: 'client', flags: ['SYN'], seq: 1, ack: 0, len: 0 } };
    store.appendEvent(broken.code, { seq: 2, at: 1, actor: 'seat:s9', event: bad });
    store.appendEvent(closedBroken.code, { seq: 3, at: 1, actor: 'seat:s9', event: bad });
    store.close();

    const warnings: string[] = [];
    srv = await startServer({ ...quiet, dataDir, warn: (m) => { warnings.push(m); } });
    servers.push(srv);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^1 room\\(s\\) could not be rebuilt from the log and answer room/damaged: ${broken.code} \\(`));
    // The file is fine; only that log is wrong.
    expect((await health(srv.url)).status).toBe(200);
    const res = await fetch(`${srv.url}/api/rooms/${broken.code}`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ code: 'room/damaged' });
    expect(await firstAnswer(srv.wsUrl, { type: 'join', v: PROTOCOL_VERSION, code: broken.code, nickname: 'Ada' })).toMatchObject({ type: 'error', code: 'room/damaged' });

    // A closed room is not rebuilt on start; the key holder's room list replays it and finds it damaged.
    expect(await (await fetch(`${srv.url}/api/rooms/${closedBroken.code}`)).json()).toMatchObject({ open: false });
    await fetch(`${srv.url}/api/rooms/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keys: [closedBroken.key] }) });
    const after = await fetch(`${srv.url}/api/rooms/${closedBroken.code}`);
    expect(after.status).toBe(500);
    expect(await after.json()).toMatchObject({ code: 'room/damaged' });
    const log = await fetch(`${srv.url}/api/rooms/${closedBroken.code}/log`, { headers: { authorization: `Bearer ${closedBroken.key}` } });
    expect(await log.json()).toMatchObject({ code: 'room/damaged' });
  });
});
