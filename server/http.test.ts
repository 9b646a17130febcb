/** The HTTP API against the real server: rooms, lookup, the public room page data, the log, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { existsSync } from 'node:fs';
import { CLIENT_DIR } from './app.ts';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/protocol.ts';
import { ROOM_CODE_ALPHABET } from './secrets.ts';
import { startServer, type RunningServer } from './server.ts';
import { connect, openRoom, student, teacher, waitView, type TestClient } from './test-client.ts';

let dataDir: string;
let srv: RunningServer;
const clients: TestClient[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synack-http-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, latencyMs: 50, timeWaitMs: 300, rtxMs: 60_000, warn: () => {}, ws: { heartbeatMs: 200 } });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await srv.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${srv.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('HTTP API', () => {
  it('GET /healthz answers 200 with a small JSON body', async () => {
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, protocol: PROTOCOL_VERSION });
  });

  it('POST /api/rooms opens class and practice rooms with six-character codes without look-alikes', async () => {
    for (const kind of ['class', 'practice'] as const) {
      const res = await post('/api/rooms', { kind });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { code: string; key: string; kind: string };
      expect(body.kind).toBe(kind);
      expect(body.code).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
      expect(body.code).not.toMatch(/[01OIL]/);
      expect(body.key.length).toBeGreaterThanOrEqual(24);
      const info = await fetch(`${srv.url}/api/rooms/${body.code.toLowerCase()}`);
      expect(await info.json()).toEqual({ code: body.code, kind, open: true });
    }
  });

  it('refuses bad bodies with JSON errors from the code table', async () => {
    const cases: [Response, number, string][] = [
      [await post('/api/rooms', { kind: 'party' }), 400, 'frame/invalid'],
      [await post('/api/rooms', '{"kind":'), 400, 'frame/not-json'],
      [await post('/api/rooms', { kind: 'class', pad: 'x'.repeat(20_000) }), 413, 'frame/too-large'],
      [await post('/api/rooms/lookup', { keys: 'abc' }), 400, 'frame/invalid'],
      [await post('/api/rooms/lookup', { keys: Array.from({ length: 101 }, (_, i) => `k${i}`) }), 400, 'frame/invalid'],
      [await fetch(`${srv.url}/api/rooms/NOPE22`), 404, 'room/not-found'],
      [await fetch(`${srv.url}/api/nothing-here`), 404, 'message/unknown-type'],
    ];
    for (const [res, status, code] of cases) {
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ type: 'error', code });
    }
  });

  it('POST /api/rooms/lookup lists the rooms the keys open, with seat count and round status', async () => {
    const r1 = await openRoom(srv.url);
    const r2 = await openRoom(srv.url, 'practice');
    const t = await teacher(srv.wsUrl, r1.code, r1.key);
    const s = await student(srv.wsUrl, r1.code, 'Ada');
    clients.push(t, s.c);
    const res = await post('/api/rooms/lookup', { keys: [r1.key, r2.key, 'not-a-key'] });
    expect(res.status).toBe(200);
    const { rooms } = (await res.json()) as { rooms: { code: string; seats: number; kind: string; closed: boolean; round: { status: string } }[] };
    expect(rooms.map((r) => r.code).sort()).toEqual([r1.code, r2.code].sort());
    expect(rooms.find((r) => r.code === r1.code)).toMatchObject({ kind: 'class', seats: 1, closed: false, round: { status: 'lobby' } });
    expect(rooms.find((r) => r.code === r2.code)).toMatchObject({ kind: 'practice', seats: 0 });
    expect((await (await post('/api/rooms/lookup', { keys: [] })).json())).toEqual({ rooms: [] });
  });

  it('GET /api/rooms/:code/log needs the key as a Bearer token', async () => {
    const r = await openRoom(srv.url);
    const other = await openRoom(srv.url);
    const url = `${srv.url}/api/rooms/${r.code}/log`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${other.key}` } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: r.key } })).status).toBe(401);
    expect((await fetch(`${srv.url}/api/rooms/ZZZZZZ/log`, { headers: { authorization: `Bearer ${r.key}` } })).status).toBe(404);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${r.key}` } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { events: { seq: number; actor: string; event: { type: string; keyHash: string } }[] };
    expect(body.events).toHaveLength(1);
    expect(body.events[0]).toMatchObject({ seq: 1, actor: 'teacher', event: { type: 'room/created' } });
    // The key itself is never stored: only its SHA-256.
    expect(JSON.stringify(body)).not.toContain(r.key);
  });

  it('closing a room ends its connections, refuses joins and shows it closed', async () => {
    const r = await openRoom(srv.url);
    const t = await teacher(srv.wsUrl, r.code, r.key);
    const s = await student(srv.wsUrl, r.code, 'Ada');
    clients.push(t, s.c);
    t.send({ type: 'room/close' });
    expect((await s.c.closed).code).toBe(CLOSE_CODES['room/closed']);
    expect((await t.closed).code).toBe(CLOSE_CODES['room/closed']);
    expect(await (await fetch(`${srv.url}/api/rooms/${r.code}`)).json()).toEqual({ code: r.code, kind: 'class', open: false });
    const c = await connect(srv.wsUrl);
    clients.push(c);
    c.send({ type: 'join', v: PROTOCOL_VERSION, code: r.code, nickname: 'Late' });
    expect((await c.waitFor((m) => m.type === 'error')).code).toBe('room/closed');
    const { rooms } = (await (await post('/api/rooms/lookup', { keys: [r.key] })).json()) as { rooms: { closed: boolean; seats: number }[] };
    expect(rooms[0]).toMatchObject({ closed: true, seats: 1 });
    // The log stays readable for review.
    expect((await fetch(`${srv.url}/api/rooms/${r.code}/log`, { headers: { authorization: `Bearer ${r.key}` } })).status).toBe(200);
  });

  it('heartbeats end a connection that stops answering pings, and the teacher sees the seat away', async () => {
    const r = await openRoom(srv.url);
    const t = await teacher(srv.wsUrl, r.code, r.key);
    clients.push(t);
    const dead = new WebSocket(srv.wsUrl, { autoPong: false });
    await new Promise((res, rej) => { dead.once('open', res); dead.once('error', rej); });
    dead.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, code: r.code, nickname: 'Ghost' }));
    await waitView(t, (v) => v.seats[0]?.connected === true, 5000, 'ghost connected');
    const code = await new Promise<number>((res) => dead.once('close', (c) => res(c)));
    expect(code).toBe(1006);
    await waitView(t, (v) => v.seats[0]?.connected === false, 5000, 'ghost away');
  });

  it.runIf(existsSync(CLIENT_DIR))('serves the built client, with the app shell for client routes and 404 for missing files', async () => {
    for (const p of ['/', '/join/K7QM2X']) {
      const res = await fetch(`${srv.url}${p}`, { headers: { accept: 'text/html' } });
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
    expect((await fetch(`${srv.url}/assets/missing-file.js`)).status).toBe(404);
  });
});
