/**
 * The abuse limits against the real server over real sockets on 127.0.0.1: each limit
 * refuses what it must, lets a class through, and the room plays on after it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/protocol.ts';
import { startServer, type RunningServer, type ServerOptions } from './server.ts';
import { classWithPair as playingPair, connect, openRoom, play, resume, student, teacher, waitView, type Msg, type Student, type TestClient } from './test-client.ts';

const servers: { srv: RunningServer; dir: string }[] = [];
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T): T => { clients.push(c); return c; };

async function server(opts: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'synack-limits-'));
  const srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, latencyMs: 30, timeWaitMs: 300, rtxMs: 60_000, warn: () => {}, ...opts });
  servers.push({ srv, dir });
  return srv;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  for (const { srv, dir } of servers.splice(0)) {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A class with a pair in a running handshake round; its connections are closed after the test. */
async function classWithPair(srv: RunningServer) {
  const table = await playingPair(srv.url, srv.wsUrl);
  for (const c of [table.t, table.a.c, table.b.c]) track(c);
  return table;
}

/** The pair still plays: the client's SYN is accepted and reaches the server. */
async function stillPlays(a: Student, b: Student): Promise<void> {
  const r = await play(a.c, ['SYN']);
  expect(r).toMatchObject({ type: 'move/result', verdict: { ok: true } });
  await waitView(b.c, (v) => v.pair.game.endpoint.state === 'SYN_RECEIVED');
}

/** Send a message and wait for the error (or welcome) it earns. */
async function answer(c: TestClient, msg: object): Promise<Msg> {
  const from = c.messages.length;
  c.send(msg);
  return c.waitFor((m) => m.type === 'error' || m.type === 'welcome', 5000, 'answer', from);
}

/** Open a WebSocket (optionally with headers) and report how the upgrade went. */
function tryUpgrade(url: string, headers: Record<string, string> = {}): Promise<{ ok: true; ws: WebSocket } | { ok: false; status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ok: true, ws }));
    ws.once('unexpected-response', (_req, res) => { resolve({ ok: false, status: res.statusCode ?? 0 }); ws.terminate(); });
    ws.once('error', (e) => reject(e));
  });
}

describe('sockets that never join', () => {
  it('are closed with join/timeout after JOIN_TIMEOUT_MS; joined ones stay', async () => {
    // Long enough for the players' own joins on a busy machine; without the limit the idle
    // socket is never closed and the test times out.
    const srv = await server({ limits: { joinTimeoutMs: 1000 } });
    const { a, b } = await classWithPair(srv);
    const idle = track(await connect(srv.wsUrl));
    const closed = await idle.closed;
    expect(closed).toEqual({ code: CLOSE_CODES['join/timeout'], reason: 'join/timeout' });
    // Well past the timeout, the joined players are still connected and still play.
    expect(a.c.isClosed() || b.c.isClosed()).toBe(false);
    await stillPlays(a, b);
  });

  it('an address may hold MAX_PENDING_PER_ADDRESS of them; the next upgrade is HTTP 429; joined sockets are not capped', async () => {
    const srv = await server({ limits: { maxPendingPerAddress: 5 } });
    const { code, a, b } = await classWithPair(srv);
    const idle: TestClient[] = [];
    for (let i = 0; i < 5; i++) idle.push(track(await connect(srv.wsUrl)));
    expect(await tryUpgrade(srv.wsUrl)).toEqual({ ok: false, status: 429 });
    // One of them joins: its slot is free again.
    expect(await answer(idle[0]!, { type: 'join', v: PROTOCOL_VERSION, code, nickname: 'Sam' })).toMatchObject({ type: 'welcome' });
    const next = await tryUpgrade(srv.wsUrl);
    expect(next.ok).toBe(true);
    if (next.ok) next.ws.terminate();
    // One that closes gives its slot back too.
    idle[1]!.terminate();
    await idle[1]!.closed;
    await expect.poll(async () => {
      const r = await tryUpgrade(srv.wsUrl);
      if (r.ok) r.ws.terminate();
      return r.ok;
    }, { timeout: 5000, interval: 50 }).toBe(true);
    // A whole class from this one address joins: twelve joined sockets, far over five.
    const many: Student[] = [];
    for (let i = 0; i < 12; i++) many.push(await student(srv.wsUrl, code, `class-${i}`));
    for (const s of many) track(s.c);
    expect(many.every((s) => !s.c.isClosed())).toBe(true);
    await stillPlays(a, b);
  });

  it('behind TRUST_PROXY the forwarded address is counted; without it the header is ignored', async () => {
    const trusted = await server({ limits: { maxPendingPerAddress: 2, trustProxy: 'loopback' } });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const held: WebSocket[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await tryUpgrade(trusted.wsUrl, from('203.0.113.7'));
      expect(r.ok).toBe(true);
      if (r.ok) held.push(r.ws);
    }
    expect(await tryUpgrade(trusted.wsUrl, from('203.0.113.7'))).toEqual({ ok: false, status: 429 });
    const other = await tryUpgrade(trusted.wsUrl, from('203.0.113.8'));
    expect(other.ok).toBe(true);
    if (other.ok) held.push(other.ws);

    const plain = await server({ limits: { maxPendingPerAddress: 2 } });
    for (const ip of ['203.0.113.1', '203.0.113.2']) {
      const r = await tryUpgrade(plain.wsUrl, from(ip));
      expect(r.ok).toBe(true);
      if (r.ok) held.push(r.ws);
    }
    // Every socket is 127.0.0.1's when the proxy is not trusted.
    expect(await tryUpgrade(plain.wsUrl, from('203.0.113.3'))).toEqual({ ok: false, status: 429 });
    for (const ws of held) ws.terminate();
  });
});

describe('joins per address', () => {
  it('a class of 60 behind one NAT joins in the same second with the default limit', async () => {
    const srv = await server();
    const { code, key } = await openRoom(srv.url);
    const t = track(await teacher(srv.wsUrl, code, key));
    const joined = await Promise.all(Array.from({ length: 60 }, (_, i) => student(srv.wsUrl, code, `kid-${i}`)));
    for (const s of joined) track(s.c);
    expect(new Set(joined.map((s) => s.seatId)).size).toBe(60);
    await waitView(t, (v) => v.seats.length === 60);
  });

  it('over JOINS_PER_MINUTE a join is refused with rate/limited, and the room plays on', async () => {
    const srv = await server({ limits: { joinsPerMinute: 4 } });
    const { code, a, b } = await classWithPair(srv); // two joins
    track((await student(srv.wsUrl, code, 'Sam')).c);
    track((await student(srv.wsUrl, code, 'Kim')).c);
    const fifth = track(await connect(srv.wsUrl));
    const r = await answer(fifth, { type: 'join', v: PROTOCOL_VERSION, code, nickname: 'Eve' });
    expect(r).toMatchObject({ type: 'error', code: 'rate/limited', ref: 'join' });
    expect(r.message).toMatch(/try again in \d+ s/);
    // Resumes are not joins: a reloading student is never limited.
    const back = track(await resume(srv.wsUrl, code, a.token));
    expect(back.messages[0]).toMatchObject({ type: 'welcome' });
    await waitView(back, (v) => v.pair?.game != null);
    a.c = back;
    await stillPlays(a, b);
  });
});

describe('wrong room codes', () => {
  it('over HTTP: a few mistakes are fine; past CODE_GUESSES_PER_HOUR every code is 429 with Retry-After', async () => {
    const srv = await server({ limits: { codeGuessesPerHour: 5 } });
    const { code } = await openRoom(srv.url);
    const get = (c: string) => fetch(`${srv.url}/api/rooms/${c}`);
    // A student who mistypes twice and then gets it right.
    expect((await get('ZZZZZ2')).status).toBe(404);
    expect((await get('ZZZZZ3')).status).toBe(404);
    expect((await get(code)).status).toBe(200);
    for (const c of ['ZZZZZ4', 'ZZZZZ5', 'ZZZZZ6']) expect((await get(c)).status).toBe(404);
    const limited = await get('ZZZZZ7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ type: 'error', code: 'rate/limited' });
    // Now even the right code is refused, so guessing gains nothing.
    expect((await get(code)).status).toBe(429);
  });

  it('on the WebSocket join, resume and hello count against the same guesses, and the room plays on', async () => {
    const srv = await server({ limits: { codeGuessesPerHour: 3 } });
    const { code, key, a, b } = await classWithPair(srv);
    const c = track(await connect(srv.wsUrl));
    expect(await answer(c, { type: 'join', v: PROTOCOL_VERSION, code: 'QQQQQ2', nickname: 'X' })).toMatchObject({ code: 'room/not-found' });
    expect(await answer(c, { type: 'resume', v: PROTOCOL_VERSION, code: 'QQQQQ3', token: 't', lastSeq: 0 })).toMatchObject({ code: 'room/not-found' });
    expect(await answer(c, { type: 'hello', v: PROTOCOL_VERSION, code: 'QQQQQ4', key: 'k' })).toMatchObject({ code: 'room/not-found' });
    expect(await answer(c, { type: 'join', v: PROTOCOL_VERSION, code: 'QQQQQ5', nickname: 'X' })).toMatchObject({ code: 'rate/limited' });
    expect(await answer(c, { type: 'hello', v: PROTOCOL_VERSION, code, key })).toMatchObject({ code: 'rate/limited' });
    expect((await fetch(`${srv.url}/api/rooms/${code}`)).status).toBe(429);
    await stillPlays(a, b);
  });
});

describe('a class room\'s size and lock', () => {
  it('MAX_SEATS: the join past it is room/full; a removed seat frees a place', async () => {
    const srv = await server({ maxSeats: 3 });
    const { code, t, a, b } = await classWithPair(srv);
    const sam = await student(srv.wsUrl, code, 'Sam');
    track(sam.c);
    const c = track(await connect(srv.wsUrl));
    expect(await answer(c, { type: 'join', v: PROTOCOL_VERSION, code, nickname: 'Kim' })).toMatchObject({ code: 'room/full' });
    t.send({ type: 'seat/remove', seatId: sam.seatId });
    await sam.c.closed;
    expect(await answer(c, { type: 'join', v: PROTOCOL_VERSION, code, nickname: 'Kim' })).toMatchObject({ type: 'welcome' });
    await stillPlays(a, b);
  });

  it('a locked room refuses new joins with room/locked, lets seats resume, shows the lock to the teacher, and opens again', async () => {
    const srv = await server();
    const { code, t, a, b } = await classWithPair(srv);
    t.send({ type: 'room/lock' });
    await waitView(t, (v) => v.room.locked === true);
    const c = track(await connect(srv.wsUrl));
    expect(await answer(c, { type: 'join', v: PROTOCOL_VERSION, code, nickname: 'Late' })).toMatchObject({ code: 'room/locked', ref: 'join' });
    expect(await answer(t, { type: 'room/lock' })).toMatchObject({ code: 'room/locked', ref: 'room/lock' });
    // A student cannot unlock it.
    expect(await answer(a.c, { type: 'room/unlock' })).toMatchObject({ code: 'auth/not-teacher' });
    // A seat that exists comes back after a drop.
    b.c.terminate();
    const back = track(await resume(srv.wsUrl, code, b.token));
    expect(back.messages[0]).toMatchObject({ type: 'welcome' });
    b.c = back;
    await waitView(b.c, (v) => v.pair?.game != null);
    await stillPlays(a, b);
    t.send({ type: 'room/unlock' });
    await waitView(t, (v) => v.room.locked === false);
    expect(await answer(c, { type: 'join', v: PROTOCOL_VERSION, code, nickname: 'Late' })).toMatchObject({ type: 'welcome' });
  });

  it('the lock survives a restart (it is in the log)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synack-lock-'));
    try {
      const first = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, warn: () => {} });
      const { code, key } = await openRoom(first.url);
      const t = await teacher(first.wsUrl, code, key);
      t.send({ type: 'room/lock' });
      await waitView(t, (v) => v.room.locked === true);
      t.terminate();
      await first.close();
      const second = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, warn: () => {} });
      try {
        const c = await connect(second.wsUrl);
        expect(await answer(c, { type: 'join', v: PROTOCOL_VERSION, code, nickname: 'Late' })).toMatchObject({ code: 'room/locked' });
        c.terminate();
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('/healthz', () => {
  it('tells strangers nothing about the rooms', async () => {
    const srv = await server();
    await classWithPair(srv);
    const body = await (await fetch(`${srv.url}/healthz`)).json() as Record<string, unknown>;
    expect(body).not.toHaveProperty('rooms');
    expect(JSON.stringify(body)).not.toMatch(/room/i);
  });
});
