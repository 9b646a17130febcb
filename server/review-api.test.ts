/**
 * Review over HTTP after a class played over real sockets: the report adds up and matches
 * the live room, a pair's replay is the live room's history, its trace is judged the same,
 * the CSV grade book is safe for Excel, deletion leaves nothing, idle rooms close by
 * themselves and closed ones can expire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/protocol.ts';
import { replayTrace, type Trace } from '../shared/tcp/trace.ts';
import type { ClassExport } from '../shared/api.ts';
import type { ClassReport, Replay } from '../shared/review/types.ts';
import { startServer, type RunningServer } from './server.ts';
import { realClock } from './scheduler.ts';
import { connect, openRoom, play, student, teacher, waitState, waitView, type Student, type TestClient } from './test-client.ts';

let dir: string;
let srv: RunningServer;
let code: string;
let key: string;
let t: TestClient;
const seats: Record<string, Student> = {};
const auth = () => ({ authorization: `Bearer ${key}` });
const get = (p: string, headers: Record<string, string> = auth()) => fetch(`${srv.url}/api${p}`, { headers });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'synack-review-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, latencyMs: 20, timeWaitMs: 121_000, rtxMs: 60_000, warn: () => {} });
  ({ code, key } = await openRoom(srv.url));
  t = await teacher(srv.wsUrl, code, key);
  for (const nick of ['Ada', '=1+2', '张伟', 'Kim']) seats[nick] = await student(srv.wsUrl, code, nick);
  const [a, b, c, d] = ['Ada', '=1+2', '张伟', 'Kim'].map((n) => seats[n]!) as [Student, Student, Student, Student];
  t.send({ type: 'pair/set', client: a.seatId, server: b.seatId });
  t.send({ type: 'pair/set', client: c.seatId, server: d.seatId });
  t.send({ type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false });
  for (const s of [a, b, c, d]) await waitView(s.c, (v) => v.round.status === 'running' && v.pair?.game != null);
  const legal = async (s: Student, flags: string[], len = 0) => {
    const r = await play(s.c, flags, len);
    expect(r, flags.join('+')).toMatchObject({ type: 'move/result', verdict: { ok: true } });
  };
  // Pair 1: a whole lifecycle, with one refused move (an ACK before the SYN+ACK came).
  await legal(a, ['SYN']);
  expect(await play(a.c, ['ACK'])).toMatchObject({ verdict: { ok: false, code: 'segment/ack-before-synack' } });
  await waitState(b.c, 'SYN_RECEIVED');
  await legal(b, ['SYN', 'ACK']);
  await waitState(a.c, 'ESTABLISHED');
  await legal(a, ['ACK']);
  await waitState(b.c, 'ESTABLISHED');
  await legal(a, ['ACK', 'PSH'], 5);
  await waitView(b.c, (v) => v.pair.game.endpoint.bytesReceived === 5);
  await legal(b, ['ACK', 'PSH'], 3);
  await waitView(a.c, (v) => v.pair.game.endpoint.bytesReceived === 3);
  await legal(a, ['FIN', 'ACK']);
  await waitState(b.c, 'CLOSE_WAIT');
  await legal(b, ['ACK']);
  await waitState(a.c, 'FIN_WAIT_2');
  await legal(b, ['FIN', 'ACK']);
  await waitState(a.c, 'TIME_WAIT');
  await legal(a, ['ACK']);
  await waitView(a.c, (v) => v.pair.game.finished, 5000);
  // Pair 2: a handshake only.
  await legal(c, ['SYN']);
  await waitState(d.c, 'SYN_RECEIVED');
  await legal(d, ['SYN', 'ACK']);
  await waitState(c.c, 'ESTABLISHED');
  await legal(c, ['ACK']);
  await waitState(d.c, 'ESTABLISHED');
}, 60_000);

afterAll(async () => {
  for (const s of Object.values(seats)) s.c.terminate();
  t?.terminate();
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the report', () => {
  it('needs the key', async () => {
    expect((await get(`/rooms/${code}/report`, {})).status).toBe(401);
    expect((await get(`/rooms/${code}/report`, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get('/rooms/ZZZZZZ/report')).status).toBe(404);
  });

  it('matches the live room and adds up', async () => {
    const report = await (await get(`/rooms/${code}/report`)).json() as ClassReport;
    const live = srv.hub.live(code)!.room;
    for (const seat of live.seats) {
      const s = report.students.find((x) => x.seatId === seat.id)!;
      expect(s.nickname).toBe(seat.nickname);
      expect(s.score).toBe(seat.score);
      expect(s.moves).toBe(seat.legalMoves + seat.mistakes);
    }
    for (const pr of report.rounds[0]!.pairs) {
      const sum = [pr.seats.client, pr.seats.server].map((id) => report.students.find((s) => s.seatId === id)!.scoreByRound['1'] ?? 0);
      expect(pr.score).toBe(sum[0]! + sum[1]!);
    }
    expect(report.rounds[0]!.pairs.find((p) => p.nicknames.client === 'Ada')!.goalMs).toBeGreaterThan(0);
    expect(report.misconceptions).toEqual([expect.objectContaining({ id: 'ack-before-arrival', count: 1, students: [expect.objectContaining({ nickname: 'Ada' })] })]);
  });
});

describe('a pair\'s replay and trace', () => {
  it('the replay is the live room\'s history, step by step, and ends where the room is', async () => {
    const live = srv.hub.live(code)!.room;
    for (const pair of live.pairs) {
      const res = await get(`/rooms/${code}/pairs/${pair.id}/replay?round=1`);
      expect(res.status).toBe(200);
      const replay = await res.json() as Replay;
      const game = pair.game!;
      expect(replay.steps.slice(1).map((s) => s.logSeq)).toEqual(game.history.map((h) => h.logSeq));
      expect(replay.steps.slice(1).map((s) => s.event?.kind)).toEqual(game.history.map((h) => ({ sent: 'send', refused: 'send', arrived: 'deliver', dropped: 'drop', timer: 'timeout' })[h.kind]));
      const last = replay.steps.at(-1)!;
      for (const side of ['client', 'server'] as const) {
        expect(last.endpoints[side].state).toBe(game.connection[side].state);
        expect(last.endpoints[side].rcvNxt).toBe(game.connection[side].rcvNxt);
        expect(last.wire[side].map((w) => w.id)).toEqual(game.connection.wire[side].map((w) => w.id));
      }
    }
  });

  it('the trace is judged by replay with the players\' verdicts', async () => {
    const pairId = srv.hub.live(code)!.room.pairs[0]!.id;
    const res = await get(`/rooms/${code}/pairs/${pairId}/trace?round=1`);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const trace = await res.json() as Trace;
    const judged = replayTrace(trace);
    expect(judged.lines.filter((l) => !l.ok).map((l) => l.reason)).toEqual(['segment/ack-before-synack']);
    const game = srv.hub.live(code)!.room.pairs[0]!.game!;
    expect([judged.connection.client.state, judged.connection.server.state]).toEqual([game.connection.client.state, game.connection.server.state]);
  });

  it('an unknown round or pair is 404 with a code; a missing round is 400', async () => {
    expect(await (await get(`/rooms/${code}/pairs/p1/replay?round=9`)).json()).toMatchObject({ code: 'round/not-found' });
    expect(await (await get(`/rooms/${code}/pairs/p9/replay?round=1`)).json()).toMatchObject({ code: 'pair/not-found' });
    expect((await get(`/rooms/${code}/pairs/p1/replay`)).status).toBe(400);
  });
});

describe('exports', () => {
  it('the CSV grade book: BOM, header, a row per student, formulas neutralised, Chinese intact', async () => {
    const res = await get(`/rooms/${code}/export.csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^nickname,seat,removed,score,moves/);
    expect(lines).toHaveLength(1 + 4);
    const formula = lines.find((l) => l.includes('1+2'))!;
    expect(formula.startsWith("'=1+2,")).toBe(true);
    expect(lines.some((l) => l.startsWith('张伟,'))).toBe(true);
    const ada = lines.find((l) => l.startsWith('Ada,'))!.split(',');
    const report = await (await get(`/rooms/${code}/report`)).json() as ClassReport;
    expect(Number(ada[3])).toBe(report.students.find((s) => s.nickname === 'Ada')!.score);
  });

  it('the JSON export holds the report and the whole log', async () => {
    const doc = await (await get(`/rooms/${code}/export.json`)).json() as ClassExport;
    expect(doc.format).toBe('synack-class/1');
    expect(doc.log[0]!.event.type).toBe('room/created');
    expect(doc.log.length).toBe(srv.hub.live(code)!.room.seq);
    expect(doc.report.students).toHaveLength(4);
  });
});

describe('deleting a class', () => {
  it('answers 204, closes its connections, and afterwards every endpoint says room/not-found', async () => {
    const other = await openRoom(srv.url);
    const tt = await teacher(srv.wsUrl, other.code, other.key);
    const s = await student(srv.wsUrl, other.code, 'Sam');
    const hdr = { authorization: `Bearer ${other.key}` };
    const del = (h: Record<string, string>) => fetch(`${srv.url}/api/rooms/${other.code}`, { method: 'DELETE', headers: h });
    expect((await del({})).status).toBe(401);
    expect((await del(hdr)).status).toBe(204);
    expect((await s.c.closed).code).toBe(CLOSE_CODES['room/closed']);
    expect((await tt.closed).code).toBe(CLOSE_CODES['room/closed']);
    for (const p of [`/rooms/${other.code}`, `/rooms/${other.code}/log`, `/rooms/${other.code}/report`, `/rooms/${other.code}/export.csv`]) {
      const r = await get(p, hdr);
      expect(r.status, p).toBe(404);
      expect(await r.json(), p).toMatchObject({ code: 'room/not-found' });
    }
    const c = await connect(srv.wsUrl);
    c.send({ type: 'hello', v: PROTOCOL_VERSION, code: other.code, key: other.key });
    expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'room/not-found' });
    c.terminate();
    expect(srv.hub.store.eventsOf(other.code)).toEqual([]);
    // The class beside it is untouched.
    expect((await get(`/rooms/${code}/report`)).status).toBe(200);
  });
});

describe('idle rooms and retention', () => {
  it('a room idle past the limit is closed by the server (logged), and stays reviewable', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'synack-idle-'));
    // The server's clock jumps past the idle limit once the teacher is in, so a slow machine
    // cannot close the room before the teacher arrives.
    let ahead = 0;
    const clock = { now: () => Date.now() + ahead, setTimeout: realClock.setTimeout, clearTimeout: realClock.clearTimeout };
    const s2 = await startServer({ port: 0, host: '127.0.0.1', dataDir: d, clock, idleCloseMs: 3600_000, housekeepingMs: 50, warn: () => {} });
    try {
      const room = await openRoom(s2.url);
      const tt = await teacher(s2.wsUrl, room.code, room.key);
      expect(tt.isClosed()).toBe(false);
      ahead = 3600_000;
      expect((await tt.closed).code).toBe(CLOSE_CODES['room/closed']);
      const log = s2.hub.store.eventsOf(room.code);
      expect(log.at(-1)).toMatchObject({ actor: 'server', event: { type: 'room/closed', by: 'server' } });
      const r = await fetch(`${s2.url}/api/rooms/${room.code}/report`, { headers: { authorization: `Bearer ${room.key}` } });
      expect(await r.json()).toMatchObject({ code: room.code, closed: true });
    } finally {
      await s2.close();
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('at start an idle room is closed instead of rebuilt; with a retention, old closed rooms are deleted', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'synack-idle2-'));
    try {
      const a = await startServer({ port: 0, host: '127.0.0.1', dataDir: d, warn: () => {} });
      const room = await openRoom(a.url);
      await a.close();
      const b = await startServer({ port: 0, host: '127.0.0.1', dataDir: d, idleCloseMs: 1, warn: () => {} });
      expect(b.recovered).toMatchObject({ rooms: 0, idleClosed: [room.code] });
      expect(b.hub.live(room.code)).toBeUndefined();
      await b.close();
      const c = await startServer({ port: 0, host: '127.0.0.1', dataDir: d, retentionMs: 1, warn: () => {} });
      expect(c.hub.store.room(room.code)).toBeUndefined();
      await c.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
