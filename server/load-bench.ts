/**
 * `npm run bench -- --students N [--closed] [--seconds S]`: the load benchmark of issue 10.
 * N students in classes of 30, each with its teacher, play the real protocol against the
 * real server in its own process: every student plays the move its own view offers (the
 * level-1 hand's first correct move, as a real client would pick it), at one tick a second
 * (open loop) or as fast as answers come (--closed); teachers restart a pair's game when it
 * reaches its goal, so play goes on. Then the same N against a bare ws relay that forwards
 * each 150-byte card to the partner and copies it to the teacher. Prints figures side by side
 * with their ratios; asserts nothing. The server and this generator share the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import WebSocket from 'ws';
import { applyTeacherUpdate } from '../shared/game/teacher-feed.ts';
import type { TeacherPair, TeacherView } from '../shared/game/views.ts';
import type { ServerMessage } from '../shared/protocol.ts';
import { PROTOCOL_VERSION } from '../shared/protocol-constants.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const STUDENTS = arg('students', 300);
const SECONDS = arg('seconds', 15);
const WARMUP_S = arg('warmup', 3);
const CLOSED = process.argv.includes('--closed');
const CLASS = 30;
const CLK_TCK = 100;

// ---------------------------------------------------------------------------------------
// Processes and figures
// ---------------------------------------------------------------------------------------

async function spawnServer(mode: 'game' | 'relay'): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_PROFILE=DIR: the game server writes a V8 CPU profile there when it stops.
  const prof = mode === 'game' && process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  // --expose-gc: memory is read after a full collection (collectGarbage), not with the garbage of the joins still in it.
  // BENCH_SERVER_FLAGS: more flags for node in the server's process (say, a young generation size to compare).
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...prof, ...flags, '--expose-gc', '--import', 'tsx', 'server/load-bench-server.ts', mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited (${code}) before listening`)));
  });
  return { child, port };
}

/** Ask a bench server to collect its garbage, and wait until it has. */
function collectGarbage(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      const line = d.toString();
      if (!line.includes('GC done')) return;
      if (process.env.BENCH_MEMORY) process.stderr.write(line);
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    child.stdin!.write('gc\n');
  });
}

/** This generator's CPU since `from`, in % of one core over the measured seconds (it shares the machine with the server). */
function generatorCpu(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (100 * (d.user + d.system)) / 1e6 / SECONDS;
}

/**
 * Join every class (8 at a time) and measure joins/s and memory per idle student. Memory is
 * the growth from half the classes to all of them, after a full collection each time (and
 * `settleMs` for the last views to go out): what one more student costs, not the process's
 * fixed overhead.
 */
async function joinAll(
  child: ChildProcess, classes: number, joinClass: (c: number) => Promise<void>, joined: () => number, joinStart: number, settleMs: number,
): Promise<Pick<Figures, 'joinsPerS' | 'rssPerIdle'>> {
  const half = Math.max(1, Math.floor(classes / 2));
  await inBatches(half, 8, joinClass);
  await collectGarbage(child);
  const mid = { rss: procStats(child.pid!).rss, students: joined() };
  await inBatches(classes - half, 8, (c) => joinClass(half + c));
  const joinsPerS = joined() / ((performance.now() - joinStart) / 1000);
  await new Promise((r) => setTimeout(r, settleMs));
  await collectGarbage(child);
  return { joinsPerS, rssPerIdle: (procStats(child.pid!).rss - mid.rss) / Math.max(1, joined() - mid.students) };
}

/** CPU seconds (user + system) and RSS bytes of a process, from /proc. */
function procStats(pid: number): { cpu: number; rss: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  return { cpu, rss };
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

interface Figures {
  offered: number; accepted: number; refused: number; errors: number;
  /** Error messages by code. */
  errorCodes: Map<string, number>;
  ack: number[]; partner: number[]; teacher: number[];
  bytesIn: number; cpuPct: number; genCpuPct: number; rssPerIdle: number; joinsPerS: number; seconds: number;
}
const empty = (): Figures => ({ offered: 0, accepted: 0, refused: 0, errors: 0, errorCodes: new Map(), ack: [], partner: [], teacher: [], bytesIn: 0, cpuPct: 0, genCpuPct: 0, rssPerIdle: 0, joinsPerS: 0, seconds: SECONDS });

/** Count only what happens inside the measurement window. */
let measuring = false;

function openSocket(url: string, onMessage: (text: string) => void, fig: { bytesIn: number }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('message', (d: Buffer) => { if (measuring) fig.bytesIn += d.length; onMessage(d.toString()); });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Connect `count` things with at most `width` at once. */
async function inBatches<T>(count: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) { const i = next++; out[i] = await make(i); }
  }));
  return out;
}

// ---------------------------------------------------------------------------------------
// The game
// ---------------------------------------------------------------------------------------

interface Student { ws: WebSocket; code: string; view: any; awaiting: number | null; lastLog: number; sentWith: unknown }

async function runGame(): Promise<Figures> {
  const fig = empty();
  const { child, port } = await spawnServer('game');
  const base = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/ws`;
  const classes = Math.ceil(STUDENTS / CLASS);
  /**
   * key (room:pair:segment id) → when it was sent, and when the partner and the teacher first
   * saw it. Views are read incrementally (the partner's ladder entries with a newer log seq,
   * the teacher's last move: see teacherLast), and a key is forgotten once both have seen it,
   * so a restarted game may reuse segment ids.
   */
  const sentAt = new Map<string, number>();
  const seenBy = new Map<string, { partner?: number; teacher?: number; done?: number }>();
  const settle = (key: string) => {
    const t0 = sentAt.get(key);
    const seen = seenBy.get(key);
    if (t0 === undefined || !seen) return;
    for (const who of ['partner', 'teacher'] as const) {
      const at = seen[who];
      if (at === undefined || Number.isNaN(at)) continue;
      if (measuring) fig[who].push(at - t0);
      seen[who] = Number.NaN;
      seen.done = (seen.done ?? 0) + 1;
    }
    if (seen.done === 2) { sentAt.delete(key); seenBy.delete(key); }
  };
  const saw = (key: string, who: 'partner' | 'teacher') => {
    const s = seenBy.get(key) ?? {};
    if (s[who] === undefined) s[who] = performance.now();
    seenBy.set(key, s);
    settle(key);
  };
  const students: Student[] = [];
  const teachers: WebSocket[] = [];
  /** Closed loop: students play only once everyone has joined (joins and memory are measured first). */
  let playing = false;
  let joined = 0;
  const joinStart = performance.now();
  const joinClass = async (c: number): Promise<void> => {
    const res = await fetch(`${base}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'class' }) });
    const { code, key } = (await res.json()) as { code: string; key: string };
    /** Per pair, the game (its ISNs) the teacher last restarted. */
    const restarted = new Map<string, string>();
    /**
     * Per pair, the latest move the teacher was shown (its log seq and segment id) and the
     * game it was in (its ISNs: a restart draws fresh ones). The view carries the last move
     * only, and pushes are coalesced; but a game's segment ids are given in order from 1, one
     * per move sent, so a last move with id K shows every segment up to K not shown before.
     * (A restart that drew the same ISNs, 1 in 81 at level 1, is still seen: its ids start
     * again below the last one shown.)
     */
    const teacherLast = new Map<string, { logSeq: number; id: number; game: string }>();
    let teacherView: TeacherView | null = null;
    const teacherSaw = (pairs: readonly TeacherPair[]) => {
      for (const p of pairs) {
        const g = p.game;
        if (!g) continue;
        const move = g.lastMove;
        const game = `${g.isn.client}/${g.isn.server}`;
        const last = teacherLast.get(p.pairId);
        if (move?.kind === 'sent' && (!last || move.logSeq > last.logSeq)) {
          const from = last && last.game === game && last.id < move.segment.id ? last.id : 0;
          for (let id = from + 1; id <= move.segment.id; id++) saw(`${code}:${p.pairId}:${id}`, 'teacher');
          teacherLast.set(p.pairId, { logSeq: move.logSeq, id: move.segment.id, game });
        }
        // Once per game (pushes are coalesced: a fast pair may finish its next game before the
        // teacher is shown it unfinished, so "finished again" is told apart by the game's ISNs).
        if (g.finished && restarted.get(p.pairId) !== game) { restarted.set(p.pairId, game); teacherWs.send(JSON.stringify({ type: 'pair/restart', pairId: p.pairId })); }
      }
    };
    let teacherWs: WebSocket;
    const teacherWelcome = new Promise<void>((resolve) => {
      void openSocket(wsUrl, (text) => {
        const msg = JSON.parse(text) as ServerMessage;
        if (msg.type === 'welcome' || msg.type === 'view') {
          if (msg.view?.role !== 'teacher') return;
          teacherView = msg.view;
          if (msg.type === 'welcome') resolve();
          teacherSaw(msg.view.pairs);
        } else if (msg.type === 'teacher/update' && teacherView) {
          // Merged as the host page does, though only the pairs in the update can show a new move.
          teacherView = applyTeacherUpdate(teacherView, msg);
          if (msg.pairs) teacherSaw(msg.pairs);
        }
      }, fig).then((ws) => { teacherWs = ws; teachers.push(ws); ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, code, key })); });
    });
    await teacherWelcome;
    const size = Math.min(CLASS, STUDENTS - c * CLASS);
    await inBatches(size, size, async (i) => {
      const st: Student = { ws: null as unknown as WebSocket, code, view: null, awaiting: null, lastLog: 0, sentWith: null };
      await new Promise<void>((resolve) => {
        void openSocket(wsUrl, (text) => {
          const msg = JSON.parse(text) as { type: string; view?: any; verdict?: any; code?: string };
          if (msg.type === 'welcome') { joined++; resolve(); }
          if (msg.view) {
            st.view = msg.view;
            const g = msg.view.pair?.game;
            if (g) {
              for (const e of g.ladder as any[]) {
                if (e.logSeq > st.lastLog && e.kind === 'sent' && e.segment.from !== msg.view.pair.side) saw(`${code}:${msg.view.pair.pairId}:${e.segment.id}`, 'partner');
              }
              st.lastLog = Math.max(st.lastLog, g.ladder.at(-1)?.logSeq ?? 0);
            }
            if (CLOSED && playing) play(st);
          } else if (msg.type === 'move/result') {
            if (st.awaiting !== null && measuring) fig.ack.push(performance.now() - st.awaiting);
            if (msg.verdict.ok) {
              if (measuring) fig.accepted++;
              const k = `${code}:${st.view.pair.pairId}:${msg.verdict.segmentId}`;
              sentAt.set(k, st.awaiting ?? performance.now());
              settle(k);
            } else if (measuring) fig.refused++;
            st.awaiting = null;
          } else if (msg.type === 'error') {
            if (measuring) { fig.errors++; fig.errorCodes.set(msg.code ?? '?', (fig.errorCodes.get(msg.code ?? '?') ?? 0) + 1); }
            st.awaiting = null;
            // Closed loop: a newer view that came while the refused move was out is not waited for again.
            if (CLOSED && playing && st.view !== st.sentWith) play(st);
          }
        }, fig).then((ws) => { st.ws = ws; ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, code, nickname: `s${c}-${i}` })); });
      });
      students.push(st);
    });
    teacherWs!.send(JSON.stringify({ type: 'pair/auto' }));
    teacherWs!.send(JSON.stringify({ type: 'round/start', scenario: 'lifecycle', level: 1, speedBonus: false }));
  };
  Object.assign(fig, await joinAll(child, classes, joinClass, () => joined, joinStart, 1000));

  function play(st: Student): void {
    if (st.awaiting !== null) return;
    const g = st.view?.pair?.game;
    const m = g?.hints?.moves?.[0];
    if (!g || g.finished || !m || st.view.round.status !== 'running') return;
    st.awaiting = performance.now();
    st.sentWith = st.view;
    if (measuring) fig.offered++;
    st.ws.send(JSON.stringify({ type: 'move', stateSeq: g.stateSeq, segment: { flags: m.flags, seq: m.seq, ack: m.ack, len: m.len } }));
  }
  const timers = CLOSED
    ? []
    : students.map((st) => {
      const phase = Math.random() * 1000;
      let iv: NodeJS.Timeout | null = null;
      const t = setTimeout(() => { play(st); iv = setInterval(() => play(st), 1000); }, phase);
      return () => { clearTimeout(t); if (iv) clearInterval(iv); };
    });
  playing = true;
  if (CLOSED) for (const st of students) play(st);
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const start = procStats(child.pid!);
  const gen = process.cpuUsage();
  measuring = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const end = procStats(child.pid!);
  fig.cpuPct = (100 * (end.cpu - start.cpu)) / SECONDS;
  fig.genCpuPct = generatorCpu(gen);
  for (const stop of timers) stop();
  for (const ws of [...teachers, ...students.map((s) => s.ws)]) ws.terminate();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited; // (the CPU profile is written on the way out)
  return fig;
}

// ---------------------------------------------------------------------------------------
// The bare relay
// ---------------------------------------------------------------------------------------

async function runRelay(): Promise<Figures> {
  const fig = empty();
  const { child, port } = await spawnServer('relay');
  const url = `ws://127.0.0.1:${port}`;
  const classes = Math.ceil(STUDENTS / CLASS);
  const sentAt = new Map<string, number>();
  const pad = 'x'.repeat(96);
  const sockets: WebSocket[] = [];
  const senders: (() => void)[] = [];
  let joined = 0;
  const joinStart = performance.now();
  const joinClass = async (c: number): Promise<void> => {
    const room = `r${c}`;
    const teacher = await openSocket(url, (text) => {
      const m = JSON.parse(text) as { type: string; id?: number; from?: number };
      if (m.type === 'card') { const t0 = sentAt.get(`${room}:${m.from}:${m.id}`); if (t0 !== undefined && measuring) fig.teacher.push(performance.now() - t0); }
    }, fig);
    teacher.send(JSON.stringify({ type: 'hello', room, teacher: true }));
    sockets.push(teacher);
    const size = Math.min(CLASS, STUDENTS - c * CLASS);
    await inBatches(size, size, async (seat) => {
      let n = 0;
      let awaiting: number | null = null;
      let ws: WebSocket;
      const send = () => {
        if (awaiting !== null) return;
        const id = ++n;
        awaiting = performance.now();
        sentAt.set(`${room}:${seat}:${id}`, awaiting);
        if (measuring) fig.offered++;
        ws.send(JSON.stringify({ type: 'card', from: seat, id, pad }));
      };
      await new Promise<void>((resolve) => {
        void openSocket(url, (text) => {
          const m = JSON.parse(text) as { type: string; id?: number; from?: number };
          if (m.type === 'welcome') { joined++; resolve(); } else if (m.type === 'ack') {
            if (measuring) { fig.ack.push(performance.now() - awaiting!); fig.accepted++; }
            awaiting = null;
            if (CLOSED) send();
          } else if (m.type === 'card') {
            const t0 = sentAt.get(`${room}:${m.from}:${m.id}`);
            if (t0 !== undefined && measuring) fig.partner.push(performance.now() - t0);
          }
        }, fig).then((s) => { ws = s; sockets.push(s); s.send(JSON.stringify({ type: 'hello', room, seat })); });
      });
      senders.push(send);
    });
  };
  Object.assign(fig, await joinAll(child, classes, joinClass, () => joined, joinStart, 500));
  const stops = CLOSED ? [] : senders.map((send) => {
    let iv: NodeJS.Timeout | null = null;
    const t = setTimeout(() => { send(); iv = setInterval(send, 1000); }, Math.random() * 1000);
    return () => { clearTimeout(t); if (iv) clearInterval(iv); };
  });
  if (CLOSED) for (const send of senders) send();
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const start = procStats(child.pid!);
  const gen = process.cpuUsage();
  measuring = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  fig.cpuPct = (100 * (procStats(child.pid!).cpu - start.cpu)) / SECONDS;
  fig.genCpuPct = generatorCpu(gen);
  for (const stop of stops) stop();
  for (const s of sockets) s.terminate();
  child.kill('SIGTERM');
  return fig;
}

// ---------------------------------------------------------------------------------------

const ms = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(1)} ms`);
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—');

const game = await runGame();
const relay = await runRelay();
const rows: [string, string, string, string][] = [];
const row = (name: string, g: number, r: number, fmt: (x: number) => string) => rows.push([name, fmt(g), fmt(r), ratio(g, r)]);
const perS = (x: number) => `${(x / SECONDS).toFixed(0)}/s`;
row('moves offered', game.offered, relay.offered, perS);
row('moves accepted', game.accepted, relay.accepted, perS);
row('ack p50', pct(game.ack, 50), pct(relay.ack, 50), ms);
row('ack p99', pct(game.ack, 99), pct(relay.ack, 99), ms);
row('partner sees it p50', pct(game.partner, 50), pct(relay.partner, 50), ms);
row('partner sees it p99', pct(game.partner, 99), pct(relay.partner, 99), ms);
row('teacher sees it p99', pct(game.teacher, 99), pct(relay.teacher, 99), ms);
row('bytes sent per move', game.bytesIn / Math.max(1, game.accepted), relay.bytesIn / Math.max(1, relay.accepted), (x) => `${(x / 1024).toFixed(1)} KB`);
row('server CPU', game.cpuPct, relay.cpuPct, (x) => `${x.toFixed(0)} %`);
row('generator CPU', game.genCpuPct, relay.genCpuPct, (x) => `${x.toFixed(0)} %`);
row('RSS per idle student', game.rssPerIdle, relay.rssPerIdle, (x) => `${(x / 1024).toFixed(1)} KB`);
row('joins', game.joinsPerS, relay.joinsPerS, (x) => `${x.toFixed(0)}/s`);
console.log(`${STUDENTS} students in classes of ${CLASS} (+1 teacher each), ${CLOSED ? 'closed loop' : 'open loop, one tick a second per student'}, ${SECONDS} s measured after ${WARMUP_S} s;`);
console.log(`server and this generator on one machine with ${cpus().length} cores; wire latency 0`);
const codes = [...game.errorCodes].map(([c, n]) => `${c} ×${n}`).join(', ');
console.log(`game: ${game.refused} refused, ${game.errors} errors${codes ? ` (${codes})` : ''}, ${(100 * game.accepted / Math.max(1, game.offered)).toFixed(1)} % of the moves offered accepted; relay: ${relay.errors} errors`);
const w = [24, 14, 14, 8];
console.log(['figure', 'game', 'relay', 'game/relay'].map((s, i) => s.padEnd(w[i]!)).join(' '));
for (const r of rows) console.log(r.map((s, i) => s.padEnd(w[i]!)).join(' '));
process.exit(0);
