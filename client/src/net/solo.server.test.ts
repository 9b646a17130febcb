/**
 * The browser's own session code (RoomSession, joinRoom, startSolo) against the real server
 * on 127.0.0.1 with a temporary DATA_DIR: a player alone seats a bot and starts a round on the
 * one connection they joined with, the bot plays, and between rounds the player swaps roles
 * and starts another scenario. The browser's WebSocket is the `ws` package's.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { StudentView } from '../../../shared/game/views.ts';
import { startServer, type RunningServer } from '../../../server/server.ts';
import { sendAndWait } from './commands.ts';
import { joinRoom } from './join.ts';
import type { RoomSession, SessionState } from './session.ts';
import { startSolo } from './solo.ts';

let dataDir: string;
let srv: RunningServer;
const sessions: RoomSession[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synack-solo-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, latencyMs: 30, timeWaitMs: 1000, rtxMs: 60_000, botThinkMs: 20, warn: () => {} });
  vi.stubGlobal('WebSocket', WebSocket);
  vi.stubGlobal('location', { protocol: 'http:', host: new URL(srv.url).host });
  vi.stubGlobal('addEventListener', () => {});
  vi.stubGlobal('removeEventListener', () => {});
});

afterAll(async () => {
  for (const s of sessions) s.close();
  vi.unstubAllGlobals();
  await srv.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function practiceRoom(): Promise<string> {
  const res = await fetch(`${srv.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"practice"}' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { code: string }).code;
}

async function joined(code: string, nickname: string): Promise<RoomSession> {
  const r = await joinRoom(code, nickname);
  if (!r.ok) throw new Error(`join: ${r.code} ${r.message}`);
  sessions.push(r.session);
  return r.session;
}

const studentView = (s: SessionState): StudentView | null => (s.view?.role === 'student' ? s.view : null);

describe('playing alone against a bot, with the browser session over a real socket', () => {
  it('pairs the player with a bot on the other side, starts the round at once, and the bot plays', async () => {
    const code = await practiceRoom();
    const session = await joined(code, 'Ada');
    const r = await startSolo(session, { side: 'server', scenario: 'handshake', level: 1 }, 5000);
    expect(r).toMatchObject({ ok: true });
    const v = studentView(session.state)!;
    expect(v.pair).toMatchObject({ side: 'server', partner: { bot: true } });
    expect(v.round).toMatchObject({ status: 'running', scenario: 'handshake', level: 1, speedBonus: false, number: 1 });

    // The bot is the client: its SYN reaches the player's listening server.
    const synArrived = await sendAndWait(session, [], (s) => !!studentView(s)?.pair?.game?.ladder.some(
      (e) => e.kind === 'arrived' && e.arrival.segment.from === 'client' && e.arrival.segment.flags.includes('SYN'),
    ), 5000);
    expect(synArrived.ok).toBe(true);
    expect(studentView(session.state)!.pair!.game!.endpoint.state).toBe('SYN_RECEIVED');
  });

  it('between rounds the player swaps roles with the bot and starts another scenario and level', async () => {
    const code = await practiceRoom();
    const session = await joined(code, 'Lin');
    expect(await startSolo(session, { side: 'client', scenario: 'handshake', level: 1 }, 5000)).toMatchObject({ ok: true });
    const pairId = studentView(session.state)!.pair!.pairId;
    const ended = await sendAndWait(session, [{ type: 'round/end' }], (s) => studentView(s)?.round.status === 'ended', 5000);
    expect(ended.ok).toBe(true);
    const next = await sendAndWait(session, [
      { type: 'pair/swap', pairId },
      { type: 'round/start', scenario: 'teardown', level: 3, speedBonus: false },
    ], (s) => {
      const v = studentView(s);
      return v?.round.number === 2 && v.round.status === 'running' && v.pair?.side === 'server' && !!v.pair.game;
    }, 5000);
    expect(next).toMatchObject({ ok: true });
    expect(studentView(session.state)!.round).toMatchObject({ scenario: 'teardown', level: 3 });
  });

  it('a refused command is answered with its code and the command it answers', async () => {
    const code = await practiceRoom();
    const session = await joined(code, 'Sam');
    expect(await startSolo(session, { side: 'client', scenario: 'handshake', level: 1 }, 5000)).toMatchObject({ ok: true });
    // A second solo start in the same room: a second bot does not fit (a practice room seats two).
    expect(await startSolo(session, { side: 'client', scenario: 'abort', level: 1 }, 5000)).toMatchObject({ ok: false, code: 'room/full', ref: 'bot/add' });
    const start = await sendAndWait(session, [{ type: 'round/start', scenario: 'abort', level: 1, speedBonus: false }], () => false, 5000);
    expect(start).toMatchObject({ ok: false, code: 'round/already-running', ref: 'round/start' });
  });
});
