/**
 * Bots on the real server (127.0.0.1, a real SQLite file, real WebSocket clients): two bots
 * a teacher adds play every scenario at every level to its goal with no refused move; a
 * student plays alone against one; a bot goes on playing after the server restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SCENARIO_IDS } from '../shared/game/model.ts';
import { minTimeWaitMs, timeWaitProblem } from '../shared/game/timings.ts';
import { DEFAULTS, startServer, type RunningServer } from './server.ts';
import { lastView, openRoom, play, resume, student, teacher, waitView, type Msg, type TestClient } from './test-client.ts';

const latencyMs = 40;
const rtxMs = 300;
/** Quick, and keeping the 2MSL rule (shared/game/timings.ts), as the server insists for lost final ACK. */
const fast = { latencyMs, rtxMs, timeWaitMs: minTimeWaitMs({ latencyMs, rtxMs }) + 20, botThinkMs: 10 };

let dataDir: string;
let srv: RunningServer;
const warnings: string[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synack-bot-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, ...fast, warn: (m) => { warnings.push(m); } });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await srv.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function logOf(base: string, code: string, key: string): Promise<{ seq: number; at: number; actor: string; event: Msg }[]> {
  const res = await fetch(`${base}/api/rooms/${code}/log`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: { seq: number; at: number; actor: string; event: Msg }[] }).events;
}

/** A failed wait says how the game went: the states, the latest move and loss, what is in flight. */
function gameSummary(view: Msg['view']): string {
  const g = view?.pairs?.[0]?.game;
  if (!g) return 'no game';
  const seg = (s: Msg) => `${s.from} ${s.flags.join('+')}`;
  const last = g.lastMove === null ? 'none' : g.lastMove.kind === 'sent' ? seg(g.lastMove.segment.segment) : `refused ${seg(g.lastMove.segment)} (${g.lastMove.code})`;
  const wire = [...g.connection.wire.client, ...g.connection.wire.server].map((f: Msg) => seg(f.segment)).join(', ') || 'nothing';
  return `now ${g.connection.client.state}/${g.connection.server.state}; last move ${last}; lost ${g.lost ? `#${g.lost.id}` : 'none'}; in flight ${wire}; ${g.mistakes} refused`;
}

describe('bots', () => {
  it('two bots a teacher adds reach the goal of every scenario at every level, with no refused move', async () => {
    const results = await Promise.all(SCENARIO_IDS.map(async (scenario) => {
      const { code, key } = await openRoom(srv.url);
      const t = await teacher(srv.wsUrl, code, key);
      clients.push(t);
      t.send({ type: 'bot/add' });
      t.send({ type: 'bot/add' });
      t.send({ type: 'pair/auto' });
      const seen: string[] = [];
      for (const level of [1, 2, 3] as const) {
        t.send({ type: 'round/start', scenario, level, speedBonus: false });
        const v = await waitView(t, (view) => view.round.level === level && view.round.status === 'running' && view.pairs[0]?.game?.finished === true, 15_000, `${scenario} level ${level} finished`)
          .catch((e: Error) => { throw new Error(`${e.message}; the game: ${gameSummary(lastView(t))}`); });
        const game = v.pairs[0].game;
        seen.push(`${scenario}/${level}: ${game.mistakes} refused, ${game.connection.client.state}/${game.connection.server.state}`);
        expect(game.mistakes, `${scenario} level ${level}`).toBe(0);
        t.send({ type: 'round/end' });
        await waitView(t, (view) => view.round.status === 'ended', 5000, 'round ended');
      }
      const log = await logOf(srv.url, code, key);
      // Logged as bots, and their moves are seats' moves like a student's.
      const joined = log.filter((e) => e.event.type === 'seat/joined');
      expect(joined.map((e) => e.event.bot)).toEqual([true, true]);
      const moves = log.filter((e) => e.event.type === 'move');
      expect(moves.length).toBeGreaterThan(0);
      for (const m of moves) expect(['seat:s1', 'seat:s2']).toContain(m.actor);
      return seen;
    }));
    expect(results.flat()).toHaveLength(SCENARIO_IDS.length * 3);
    expect(warnings.filter((w) => w.includes('bot'))).toEqual([]);
  }, 60_000);

  it('a student plays alone against a bot in a practice room: the bot answers the handshake and the teardown', async () => {
    const { code } = await openRoom(srv.url, 'practice');
    const me = await student(srv.wsUrl, code, 'Ada');
    clients.push(me.c);
    me.c.send({ type: 'bot/add', side: 'server' });
    me.c.send({ type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false });
    let v = await waitView(me.c, (view) => view.round.status === 'running' && view.pair?.game != null, 5000, 'round with a bot');
    expect(v.pair.side).toBe('client');
    expect(v.pair.partner).toMatchObject({ nickname: 'Bot 1', bot: true, connected: true });
    // The bot's own state is as hidden as a person's.
    expect(JSON.stringify(v)).not.toContain('SYN_RECEIVED');
    expect((await play(me.c, ['SYN'])).verdict.ok).toBe(true);
    await waitView(me.c, (view) => view.pair.game.endpoint.state === 'ESTABLISHED' || view.pair.game.hints.moves[0]?.why === 'acknowledge', 5000, 'SYN+ACK from the bot');
    for (const flags of [['ACK'], ['ACK', 'PSH']]) {
      const r = await play(me.c, flags, flags.includes('PSH') ? 5 : 0);
      expect(r.verdict.ok, flags.join('+')).toBe(true);
    }
    // The bot sends its data; the hand then says to acknowledge it, and to close.
    v = await waitView(me.c, (view) => view.pair.game.hints.moves.some((m: { why: string }) => m.why === 'close'), 5000, 'time to close');
    const close = v.pair.game.hints.moves.find((m: { why: string }) => m.why === 'close');
    expect((await play(me.c, close.flags, 0, { seq: close.seq, ack: close.ack })).verdict.ok).toBe(true);
    v = await waitView(me.c, (view) => view.pair.game.hints.moves[0]?.why === 'acknowledge' && view.pair.game.endpoint.state === 'TIME_WAIT', 5000, 'the bot\'s FIN');
    expect((await play(me.c, ['ACK'])).verdict.ok).toBe(true);
    v = await waitView(me.c, (view) => view.pair.game.finished, 5000, 'goal');
    expect(v.pair.game.endpoint.state).toBe('TIME_WAIT');
    expect(v.you.mistakes).toBe(0);
  }, 20_000);

  it('a bot survives a restart: its seat is in the log, and it answers after the server comes back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synack-bot-restart-'));
    // A long pause, so the server is down before the bot could have answered.
    const opts = { host: '127.0.0.1', dataDir: dir, ...fast, botThinkMs: 1500, warn: () => {} };
    let s = await startServer({ ...opts, port: 0 });
    try {
      const { code, key } = await openRoom(s.url, 'practice');
      const me = await student(s.wsUrl, code, 'Ada');
      me.c.send({ type: 'bot/add', side: 'server' });
      me.c.send({ type: 'round/start', scenario: 'handshake', level: 1, speedBonus: false });
      await waitView(me.c, (view) => view.round.status === 'running' && view.pair?.game != null, 5000, 'round with a bot');
      expect((await play(me.c, ['SYN'])).verdict.ok).toBe(true);
      await s.close();
      const downAt = Date.now();
      s = await startServer({ ...opts, port: 0 });
      const c = await resume(s.wsUrl, code, me.token);
      const v = await waitView(c, (view) => view.pair?.game?.hints?.moves?.[0]?.why === 'acknowledge', 10_000, 'SYN+ACK after the restart');
      expect(v.pair.partner.bot).toBe(true);
      const log = await logOf(s.url, code, key);
      const botMove = log.find((e) => e.actor === 'seat:s2' && e.event.type === 'move');
      expect(botMove?.event.segment.flags).toEqual(['SYN', 'ACK']);
      expect(botMove!.at).toBeGreaterThanOrEqual(downAt);
      expect((await play(c, ['ACK'])).verdict.ok).toBe(true);
      await waitView(c, (view) => view.pair.game.finished, 5000, 'goal');
      await c.close();
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('timings that break the 2MSL rule are named at start in one line, and a lost-final-ack round is refused with a code that says why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synack-timings-'));
    const said: string[] = [];
    const s = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, latencyMs: 1500, rtxMs: 5000, timeWaitMs: 4000, warn: (m) => { said.push(m); } });
    try {
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/^TIME_WAIT_MS 4000 is too short for RTX_MS 5000 and WIRE_LATENCY_MS 1500: .*16000 ms/);
      expect(said[0]).not.toContain('\n');
      const { code, key } = await openRoom(s.url);
      const t = await teacher(s.wsUrl, code, key);
      t.send({ type: 'round/start', scenario: 'lost-final-ack', level: 1, speedBonus: false });
      const e = await t.waitFor((m) => m.type === 'error', 5000, 'refusal');
      expect(e).toMatchObject({ code: 'round/time-wait-too-short', ref: 'round/start' });
      // Every other scenario starts.
      t.send({ type: 'round/start', scenario: 'teardown', level: 1, speedBonus: false });
      await waitView(t, (v) => v.round.status === 'running' && v.round.scenario === 'teardown', 5000, 'teardown round');
      await t.close();
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // These tests' timings and the defaults keep the rule: nothing is said.
    expect(warnings.filter((w) => w.startsWith('TIME_WAIT_MS'))).toEqual([]);
    expect(timeWaitProblem(DEFAULTS)).toBeNull();
  });
});
