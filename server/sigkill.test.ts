/**
 * Durability: a real server process is killed with SIGKILL in the middle of a round, then
 * started again on the same DATA_DIR. Every move acknowledged before the kill is in the log,
 * the round resumes, and the players resume their seats with their tokens.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  lastView, openRoom, play, resume, student, teacher, waitState, waitView, type Msg, type TestClient,
} from './test-client.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcess[] = [];
const clients: TestClient[] = [];
let dataDir = '';

interface Child { proc: ChildProcess; port: number; url: string; wsUrl: string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

/** Start `node --import tsx server/main.ts` on a free port and wait for its "listening" line. */
function startChild(dir: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, WIRE_LATENCY_MS: '1000', TIME_WAIT_MS: '124000', RTX_MS: '60000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in time: ${out} ${err}`)), 20_000);
    proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on \S+ \(port (\d+)\)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({ proc, port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, exited });
      }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}): ${err}`)); });
  });
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGKILL mid-round', () => {
  it('keeps every acknowledged move; the round and the seats resume after a restart', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'synack-kill-'));
    const first = await startChild(dataDir);
    const { code, key } = await openRoom(first.url);
    const t = await teacher(first.wsUrl, code, key);
    const a = await student(first.wsUrl, code, 'Ada');
    const b = await student(first.wsUrl, code, 'Lin');
    clients.push(t, a.c, b.c);
    t.send({ type: 'pair/set', client: a.seatId, server: b.seatId });
    t.send({ type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false });
    for (const s of [a, b]) await waitView(s.c, (v) => v.round.status === 'running' && v.pair?.game != null);

    // The SYN goes on the wire (1 s of latency: it is still in flight at the kill).
    expect((await play(a.c, ['SYN'])).verdict.ok).toBe(true);
    const before = lastView(a.c);
    // Then a burst of (refused) moves, and the kill lands in the middle of it.
    const stateSeq = before.pair.game.stateSeq;
    for (let i = 0; i < 30; i++) a.c.send({ type: 'move', stateSeq, segment: { flags: ['SYN', 'ACK'], seq: 100, ack: 1000 + i, len: 0 } });
    await a.c.waitFor(() => a.c.messages.filter((m) => m.type === 'move/result').length >= 10, 10_000, 'ten answers');
    first.proc.kill('SIGKILL');
    const how = await first.exited;
    expect(how.signal).toBe('SIGKILL');
    const acked = a.c.messages.filter((m) => m.type === 'move/result');
    for (const c of [t, a.c, b.c]) expect((await c.closed).code).toBe(1006);

    const second = await startChild(dataDir);
    const res = await fetch(`${second.url}/api/rooms/${code}/log`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const log = ((await res.json()) as { events: { event: Msg }[] }).events;
    const loggedMoves = log.filter((e) => e.event.type === 'move');
    console.log(`SIGKILL: ${acked.length} moves acknowledged before the kill; ${loggedMoves.length} moves in the log after the restart`);
    expect(loggedMoves.length).toBeGreaterThanOrEqual(acked.length);
    // The acknowledged moves are the first ones logged, in order, with the verdicts their senders got.
    acked.forEach((m, i) => {
      const ev = loggedMoves[i]!.event;
      if (i === 0) expect(ev.segment.flags).toEqual(['SYN']);
      else expect(ev.segment.ack).toBe(1000 + i - 1);
      expect(m.verdict.ok).toBe(i === 0);
    });

    // The clients come back with their tokens and carry on.
    const t2 = await teacher(second.wsUrl, code, key);
    const a2 = await resume(second.wsUrl, code, a.token, before.seq);
    clients.push(t2, a2);
    const aw = a2.messages.find((m) => m.type === 'welcome')!;
    expect(aw.you.seatId).toBe(a.seatId);
    expect(aw.view.round.status).toBe('running');
    expect(aw.view.pair.game.endpoint.state).toBe('SYN_SENT');
    expect(aw.view.pair.game.wire.mine.map((s: Msg) => s.flags)).toEqual([['SYN']]);
    expect(aw.view.you.mistakes).toBe(loggedMoves.length - 1);
    const b2 = await resume(second.wsUrl, code, b.token);
    clients.push(b2);
    // The SYN that was in flight at the kill arrives once both players are back.
    await waitState(b2, 'SYN_RECEIVED', 10_000);
    expect((await play(b2, ['SYN', 'ACK'])).verdict.ok).toBe(true);
    await waitState(a2, 'ESTABLISHED', 10_000);
    expect((await play(a2, ['ACK'])).verdict.ok).toBe(true);
    await waitState(b2, 'ESTABLISHED', 10_000);
    const tv = await waitView(t2, (v) => v.pairs[0]?.game?.handshakeDone === true, 10_000);
    expect(tv.seats.map((s: Msg) => s.connected)).toEqual([true, true]);

    // SIGTERM shuts down cleanly; the clients are told to reconnect.
    second.proc.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect((await a2.closed).code).toBe(4000);
  }, 60_000);
});
