/**
 * `npm run bench:joins`: how long a join costs as a class room fills. JOINS students
 * (default 200) join one class room one after another over real sockets on 127.0.0.1, a
 * teacher watching; for each join it times join → the teacher's view with that seat, and
 * the server's CPU spent on it. Prints figures at a few seat counts; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.ts';
import { openRoom, student, teacher, type Student } from './test-client.ts';

const JOINS = Number(process.env.BENCH_JOINS ?? 200);
const dataDir = mkdtempSync(path.join(tmpdir(), 'synack-joins-'));
// The limits are for strangers; here one address is the whole class, on purpose.
const limits = { joinsPerMinute: 1_000_000, maxPendingPerAddress: 1_000_000 };
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, warn: () => {}, ws: { heartbeatMs: 600_000 }, maxSeats: Math.max(JOINS, 200), limits });
try {
  const { code, key } = await openRoom(server.url);
  const t = await teacher(server.wsUrl, code, key);
  const students: Student[] = [];
  const rows: { seat: number; ms: number; cpuMs: number }[] = [];
  for (let i = 1; i <= JOINS; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const s = await student(server.wsUrl, code, `student${i}`);
    await t.waitFor((m) => m.type === 'view' && m.view.seats.length === i, 30_000, `teacher sees seat ${i}`);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(cpu0);
    rows.push({ seat: i, ms, cpuMs: (c.user + c.system) / 1000 });
    students.push(s);
  }
  const at = (n: number) => {
    const win = rows.filter((r) => r.seat > n - 5 && r.seat <= n);
    const avg = (f: (r: (typeof rows)[number]) => number) => win.reduce((a, r) => a + f(r), 0) / win.length;
    return `seat ${String(n).padStart(4)}: join → teacher sees it ${avg((r) => r.ms).toFixed(1)} ms, process CPU ${avg((r) => r.cpuMs).toFixed(1)} ms (mean of joins ${n - 4}–${n}; server and clients in one process)`;
  };
  console.log(`joins: ${JOINS} students into one class room, one at a time, teacher watching`);
  for (const n of [5, 50, 100, 200, 500].filter((n) => n <= JOINS)) console.log(at(n));
  const total = rows.reduce((a, r) => a + r.ms, 0);
  console.log(`total ${(total / 1000).toFixed(2)} s for ${JOINS} joins`);
  for (const s of students) s.c.terminate();
  t.terminate();
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
