/**
 * Every kind of bad input against the real server: each gets its error code (or, for abuse,
 * its close code), and afterwards the room still plays on and other rooms are untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLOSE_CODES, MAX_FRAME_BYTES, NICKNAME_MAX, PROTOCOL_VERSION } from '../shared/protocol.ts';
import { startServer, type RunningServer } from './server.ts';
import { WS_MAX_PAYLOAD } from './ws.ts';
import {
  classWithPair, connect, lastView, play, student, waitState, waitView,
  type Msg, type Student, type TestClient,
} from './test-client.ts';

let dataDir: string;
let srv: RunningServer;
const clients: TestClient[] = [];
const track = <T extends TestClient>(c: T): T => { clients.push(c); return c; };

/** The room the bad input is thrown at, with a round running, and a second room beside it. */
let room: { code: string; key: string; t: TestClient; a: Student; b: Student };
let other: { code: string; t: TestClient; a: Student; b: Student };

async function setUp(): Promise<typeof room> {
  const table = await classWithPair(srv.url, srv.wsUrl, 'lifecycle');
  for (const c of [table.t, table.a.c, table.b.c]) track(c);
  return table;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synack-bad-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, latencyMs: 50, timeWaitMs: 300, rtxMs: 60_000, warn: () => {} });
  room = await setUp();
  other = await setUp();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await srv.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Send raw text and wait for the error it earns. */
async function errorFor(c: TestClient, frame: string | Buffer | object): Promise<Msg> {
  const from = c.messages.length;
  if (typeof frame === 'string' || Buffer.isBuffer(frame)) c.sendRaw(frame);
  else c.send(frame);
  return c.waitFor((m) => m.type === 'error', 3000, 'error', from);
}

async function fresh(): Promise<TestClient> {
  return track(await connect(srv.wsUrl));
}

describe('bad frames are answered, not fatal', () => {
  it('malformed JSON, non-objects, binary frames, unknown types and schema violations get their error codes on an open connection', async () => {
    const c = await fresh();
    expect((await errorFor(c, '{"type": "join", ')).code).toBe('frame/not-json');
    expect((await errorFor(c, 'hello')).code).toBe('frame/not-json');
    expect((await errorFor(c, Buffer.from([0xff, 0x00, 0x7b]))).code).toBe('frame/not-json');
    expect((await errorFor(c, '[1,2,3]')).code).toBe('frame/invalid');
    expect((await errorFor(c, '42')).code).toBe('frame/invalid');
    expect((await errorFor(c, '{"kind":"join"}')).code).toBe('frame/invalid');
    const unknown = await errorFor(c, { type: 'teleport', to: 'ESTABLISHED' });
    expect(unknown).toMatchObject({ code: 'message/unknown-type', ref: 'teleport' });
    expect((await errorFor(c, { type: '__proto__' })).code).toBe('message/unknown-type');
    expect((await errorFor(c, { type: 'join', v: PROTOCOL_VERSION, code: room.code })).code).toBe('frame/invalid');
    expect((await errorFor(c, { type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname: 7 })).code).toBe('frame/invalid');
    expect((await errorFor(c, { type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname: 'x', admin: true })).code).toBe('frame/invalid');
    expect((await errorFor(c, { type: 'join', v: 99, code: room.code, nickname: 'Zed' })).code).toBe('protocol/version');
    expect((await errorFor(c, { type: 'move', stateSeq: 1, segment: { flags: ['SYN', 'SYN'], seq: 1, ack: 0, len: 0 } })).code).toBe('frame/invalid');
    expect((await errorFor(c, { type: 'move', stateSeq: 1, segment: { flags: ['SYN'], seq: -1, ack: 0, len: 0 } })).code).toBe('frame/invalid');
    expect((await errorFor(c, { type: 'move', stateSeq: 1, segment: { flags: ['URG'], seq: 1, ack: 0, len: 0 } })).code).toBe('frame/invalid');
    // Not joined yet: nothing but hello, join, resume and ping.
    expect((await errorFor(c, { type: 'move', stateSeq: 1, segment: { flags: ['SYN'], seq: 1, ack: 0, len: 0 } })).code).toBe('auth/not-joined');
    expect((await errorFor(c, { type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false })).code).toBe('auth/not-joined');
    c.send({ type: 'ping', t: 5 });
    expect(await c.waitFor((m) => m.type === 'pong')).toEqual({ type: 'pong', t: 5 });
    expect(c.isClosed()).toBe(false);
  });

  it('closes an oversize frame with abuse/too-large, and a huge one in ws itself', async () => {
    const c = await fresh();
    const big = JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname: 'x'.repeat(MAX_FRAME_BYTES) });
    c.sendRaw(big);
    const e = await c.waitFor((m) => m.type === 'error');
    expect(e.code).toBe('frame/too-large');
    expect((await c.closed).code).toBe(CLOSE_CODES['abuse/too-large']);
    // Multi-byte characters count as bytes: 1500 × 3 bytes is over the limit though only 1500 UTF-16 units.
    const d = await fresh();
    d.sendRaw(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname: '中'.repeat(1500) }));
    expect((await d.closed).code).toBe(CLOSE_CODES['abuse/too-large']);
    const huge = await fresh();
    huge.sendRaw('x'.repeat(WS_MAX_PAYLOAD + 1));
    expect((await huge.closed).code).toBe(1009);
  });

  it('closes a flooding connection with abuse/flooding after a rate/limited error', async () => {
    const c = await fresh();
    for (let i = 0; i < 200; i++) c.send({ type: 'ping' });
    const closed = await c.closed;
    expect(closed.code).toBe(CLOSE_CODES['abuse/flooding']);
    expect(c.messages.some((m) => m.type === 'error' && m.code === 'rate/limited')).toBe(true);
    expect(c.messages.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(41);
  });
});

describe('joining with bad credentials or nicknames', () => {
  it('refuses a wrong room code, a wrong teacher key, bad tokens and a second join on one connection', async () => {
    const c = await fresh();
    expect((await errorFor(c, { type: 'join', v: PROTOCOL_VERSION, code: 'ZZZZZZ', nickname: 'Ann' })).code).toBe('room/not-found');
    expect((await errorFor(c, { type: 'hello', v: PROTOCOL_VERSION, code: 'QQQQQQ', key: 'whatever' })).code).toBe('room/not-found');
    expect((await errorFor(c, { type: 'hello', v: PROTOCOL_VERSION, code: room.code, key: 'not-the-key' })).code).toBe('auth/bad-key');
    expect((await errorFor(c, { type: 'hello', v: PROTOCOL_VERSION, code: other.code, key: room.key })).code).toBe('auth/bad-key');
    expect((await errorFor(c, { type: 'resume', v: PROTOCOL_VERSION, code: room.code, token: 'forged-token', lastSeq: 0 })).code).toBe('auth/bad-token');
    // A real token, but of another room.
    expect((await errorFor(c, { type: 'resume', v: PROTOCOL_VERSION, code: room.code, token: other.a.token, lastSeq: 0 })).code).toBe('auth/bad-token');
    // Codes are typed by people: case, spaces and dashes do not matter.
    const loose = `${room.code.slice(0, 3).toLowerCase()}-${room.code.slice(3)}`;
    c.send({ type: 'join', v: PROTOCOL_VERSION, code: loose, nickname: 'Ann' });
    const w = await c.waitFor((m) => m.type === 'welcome' || m.type === 'error');
    expect(w.type).toBe('welcome');
    expect((await errorFor(c, { type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname: 'Ann2' })).code).toBe('auth/already-joined');
    expect((await errorFor(c, { type: 'hello', v: PROTOCOL_VERSION, code: room.code, key: room.key })).code).toBe('auth/already-joined');
  });

  it('checks nicknames: empty, too long, control or invisible characters, taken case-insensitively', async () => {
    const cases: [string, string][] = [
      ['', 'nickname/empty'],
      ['    ', 'nickname/empty'],
      ['x'.repeat(NICKNAME_MAX + 1), 'nickname/too-long'],
      ['bad\u0007bell', 'nickname/bad-characters'],
      ['new\nline', 'nickname/bad-characters'],
      ['zero\u200bwidth', 'nickname/bad-characters'],
      ['ADA', 'nickname/taken'],
      ['  ada ', 'nickname/taken'],
    ];
    const c = await fresh();
    for (const [nickname, code] of cases) {
      expect((await errorFor(c, { type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname })).code, JSON.stringify(nickname)).toBe(code);
    }
    // Twenty characters, some of them not Latin, is fine (and the connection is still usable after all those errors).
    c.send({ type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname: '  李雷 and 韩梅梅 — 12345 ' });
    const w = await c.waitFor((m) => m.type === 'welcome' || m.type === 'error');
    expect(w.type, JSON.stringify(w)).toBe('welcome');
    expect(w.view.you.nickname).toBe('李雷 and 韩梅梅 — 12345');
  });

  it('a removed seat is closed, its token stops working, and its nickname stays taken', async () => {
    const s = await student(srv.wsUrl, room.code, 'Sam');
    track(s.c);
    room.t.send({ type: 'seat/remove', seatId: s.seatId });
    expect((await s.c.closed).code).toBe(CLOSE_CODES['seat/removed']);
    const c = await fresh();
    expect((await errorFor(c, { type: 'resume', v: PROTOCOL_VERSION, code: room.code, token: s.token, lastSeq: 0 })).code).toBe('seat/removed');
    const c2 = await fresh();
    expect((await errorFor(c2, { type: 'join', v: PROTOCOL_VERSION, code: room.code, nickname: 'sam' })).code).toBe('nickname/taken');
    const other = await student(srv.wsUrl, room.code, 'Sam W');
    track(other.c);
    expect(other.seatId).not.toBe(s.seatId);
  });
});

describe('moves and teacher messages from the wrong person', () => {
  it('refuses teacher messages from students, moves from the teacher, unpaired moves, stale moves and moves out of turn', async () => {
    const { a, b, t } = room;
    for (const msg of [
      { type: 'round/end' }, { type: 'pair/auto' }, { type: 'seat/remove', seatId: b.seatId },
      { type: 'seat/rename', seatId: b.seatId, nickname: 'Loser' }, { type: 'wire/drop', pairId: 'p1' }, { type: 'room/close' },
    ]) {
      expect((await errorFor(a.c, msg)).code, msg.type).toBe('auth/not-teacher');
    }
    // The teacher has no seat to move for.
    expect((await errorFor(t, { type: 'move', stateSeq: 0, segment: { flags: ['SYN'], seq: 1, ack: 0, len: 0 } })).code).toBe('move/not-your-seat');
    // A student cannot name a seat, a pair or a side: the seat comes from the connection.
    expect((await errorFor(a.c, { type: 'move', stateSeq: 0, seatId: b.seatId, segment: { flags: ['SYN'], seq: 1, ack: 0, len: 0 } })).code).toBe('frame/invalid');
    expect((await errorFor(a.c, { type: 'move', stateSeq: 0, segment: { from: 'server', flags: ['SYN'], seq: 1, ack: 0, len: 0 } })).code).toBe('frame/invalid');
    // Not in a pair.
    const loner = await student(srv.wsUrl, room.code, 'Loner');
    track(loner.c);
    expect((await errorFor(loner.c, { type: 'move', stateSeq: 0, segment: { flags: ['SYN'], seq: 1, ack: 0, len: 0 } })).code).toBe('move/not-paired');
    // Out of turn: the server answers a SYN that never came.
    const early = await play(b.c, ['SYN', 'ACK'], 0, { seq: 1000, ack: 101 });
    expect(early.verdict).toMatchObject({ ok: false, code: 'segment/synack-without-syn' });
    // Stale: a move made against an older state of the mover's side.
    const staleSeq = lastView(a.c).pair.game.stateSeq;
    expect((await play(a.c, ['SYN'])).verdict.ok).toBe(true);
    const stale = await play(a.c, ['ACK'], 0, { stateSeq: staleSeq });
    expect(stale).toMatchObject({ type: 'error', code: 'move/stale-state' });
    // Unknown pair / seat for the teacher.
    expect((await errorFor(t, { type: 'pair/swap', pairId: 'p99' })).code).toBe('pair/not-found');
    expect((await errorFor(t, { type: 'seat/rename', seatId: 's99', nickname: 'X' })).code).toBe('seat/not-found');
    expect((await errorFor(t, { type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false })).code).toBe('round/already-running');
  });
});

describe('after all of that', () => {
  it('the room still plays on, and the other room was never disturbed', async () => {
    for (const r of [room, other]) {
      const { a, b } = r;
      if (lastView(a.c).pair.game.endpoint.state === 'CLOSED') expect((await play(a.c, ['SYN'])).verdict.ok).toBe(true);
      await waitState(b.c, 'SYN_RECEIVED');
      expect((await play(b.c, ['SYN', 'ACK'])).verdict.ok).toBe(true);
      await waitState(a.c, 'ESTABLISHED');
      expect((await play(a.c, ['ACK'])).verdict.ok).toBe(true);
      await waitState(b.c, 'ESTABLISHED');
      const tv = await waitView(r.t, (v) => v.pairs[0]?.game?.handshakeDone === true);
      expect(tv.pairs[0].game.connection.server.state).toBe('ESTABLISHED');
    }
    const health = await fetch(`${srv.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
