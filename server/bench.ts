/**
 * `npm run bench`: a class of PAIRS pairs (default 30) plays ROUNDS full lifecycles
 * (handshake, data both ways, teardown: 9 moves a pair) over real sockets on 127.0.0.1,
 * with a teacher watching. Prints moves/s, move acknowledgement latency (p50/p99/max) and
 * memory. Figures only; nothing is asserted.
 *
 * Environment: BENCH_PAIRS (30), BENCH_ROUNDS (3), BENCH_LATENCY_MS (wire latency, 0),
 * BENCH_DATA_DIR (a fresh temporary directory, removed after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.ts';
import { lastView, openRoom, student, teacher, waitView, type Msg, type Student, type TestClient } from './test-client.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 0);
const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

const ackMs: number[] = [];
let moves = 0;

/** Send a level-1 card from the latest view, time its acknowledgement, then wait for the view that follows. */
async function move(c: TestClient, flags: string[], len = 0): Promise<void> {
  const view = lastView(c);
  const game = view.pair.game;
  const key = (['SYN', 'ACK', 'RST'] as const).filter((f) => flags.includes(f)).join('+') || 'none';
  const n = game.hints.auto[key];
  const t0 = performance.now();
  c.send({ type: 'move', stateSeq: game.stateSeq, segment: { flags, seq: n.seq, ack: n.ack, len } });
  const r = await c.waitFor((m) => m.type === 'move/result' || m.type === 'error', 10_000, 'move answer');
  ackMs.push(performance.now() - t0);
  if (r.type !== 'move/result' || !r.verdict.ok) throw new Error(`move ${flags.join('+')} failed: ${JSON.stringify(r)}`);
  moves++;
  await c.waitFor((m) => m.type === 'view', 10_000, 'view after move');
}

const state = (c: TestClient, s: string) => waitView(c, (v) => v?.pair?.game?.endpoint?.state === s, 20_000, s);

async function lifecycle(a: TestClient, b: TestClient): Promise<void> {
  await move(a, ['SYN']);
  await state(b, 'SYN_RECEIVED');
  await move(b, ['SYN', 'ACK']);
  await state(a, 'ESTABLISHED');
  await move(a, ['ACK']);
  await state(b, 'ESTABLISHED');
  await move(a, ['ACK', 'PSH'], 5);
  await waitView(b, (v) => v.pair.game.endpoint.bytesReceived === 5, 20_000);
  await move(b, ['ACK', 'PSH'], 3);
  await waitView(a, (v) => v.pair.game.endpoint.bytesReceived === 3, 20_000);
  await move(a, ['FIN', 'ACK']);
  await state(b, 'CLOSE_WAIT');
  await move(b, ['ACK']);
  await state(a, 'FIN_WAIT_2');
  await move(b, ['FIN', 'ACK']);
  await state(a, 'TIME_WAIT');
  await move(a, ['ACK']);
  await waitView(a, (v) => v.pair.game.finished, 20_000);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main(): Promise<void> {
  const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'synack-bench-'));
  const srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, latencyMs: LATENCY, timeWaitMs: 5000, rtxMs: 60_000, warn: () => {} });
  const clients: TestClient[] = [];
  try {
    const { code, key } = await openRoom(srv.url);
    const t = await teacher(srv.wsUrl, code, key);
    clients.push(t);
    const students: Student[] = [];
    for (let i = 0; i < PAIRS * 2; i++) {
      const s = await student(srv.wsUrl, code, `p${i}`);
      students.push(s);
      clients.push(s.c);
    }
    t.send({ type: 'pair/auto' });
    await waitView(t, (v) => v.pairs.length === PAIRS, 20_000, 'pairs');
    const pairs: [TestClient, TestClient][] = [];
    for (const p of lastView(t).pairs as Msg[]) {
      const byId = (id: string) => students.find((s) => s.seatId === id)!.c;
      pairs.push([byId(p.seats.client), byId(p.seats.server)]);
    }
    console.log(`bench: ${PAIRS} pairs × ${ROUNDS} rounds of the full lifecycle, wire latency ${LATENCY} ms, data in ${dataDir}`);
    const rss0 = process.memoryUsage().rss;
    const start = performance.now();
    for (let r = 0; r < ROUNDS; r++) {
      if (r > 0) t.send({ type: 'round/end' });
      t.send({ type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false });
      await Promise.all(pairs.flat().map((c) => waitView(c, (v) => v.round.number === r + 1 && v.round.status === 'running' && v.pair?.game?.ladder.length === 0, 20_000)));
      await Promise.all(pairs.map(([a, b]) => lifecycle(a, b)));
      if (process.env.BENCH_VERBOSE) console.log(`round ${r + 1} done: ${moves} moves`);
    }
    const secs = (performance.now() - start) / 1000;
    const mem = process.memoryUsage();
    const log = await fetch(`${srv.url}/api/rooms/${code}/log`, { headers: { authorization: `Bearer ${key}` } });
    const events = ((await log.json()) as { events: unknown[] }).events.length;
    console.log(`moves: ${moves} in ${secs.toFixed(2)} s = ${(moves / secs).toFixed(0)} moves/s (${events} logged events, ${(events / secs).toFixed(0)} events/s, each fsynced)`);
    console.log(`move acknowledgement: p50 ${pct(ackMs, 50).toFixed(1)} ms, p99 ${pct(ackMs, 99).toFixed(1)} ms, max ${Math.max(...ackMs).toFixed(1)} ms`);
    const views = (c: TestClient) => c.messages.filter((m) => m.type === 'view').length;
    const sizeKB = (v: unknown) => (JSON.stringify(v).length / 1024).toFixed(1);
    console.log(`views pushed: teacher ${views(t)} (last ${sizeKB(lastView(t))} KB), one student ${views(pairs[0]![0])} (last ${sizeKB(lastView(pairs[0]![0]))} KB)`);
    console.log(`memory (one process: server and ${clients.length} clients): rss ${MB(mem.rss)} (${MB(rss0)} before the rounds), heap used ${MB(mem.heapUsed)}`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await srv.close();
    if (!process.env.BENCH_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
