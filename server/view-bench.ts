/**
 * `npm run bench:views`: how long one push costs the server in views alone — every student
 * view and the teacher's of a class of BENCH_PAIRS pairs (default 30) in the middle of a
 * lifecycle, built and serialised as the room runtime does. Pure, in one process; prints
 * figures, asserts nothing.
 */
import { RoomSim } from '../shared/game/sim.ts';
import { viewFor, viewShared } from '../shared/game/view-for.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 30);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 300);

const sim = new RoomSim();
for (let i = 0; i < PAIRS * 2; i++) sim.join(`s${i + 1}`, `N${i + 1}`);
for (let p = 0; p < PAIRS; p++) sim.pair(`p${p + 1}`, `s${2 * p + 1}`, `s${2 * p + 2}`);
sim.start('lifecycle', 1);
for (let p = 0; p < PAIRS; p++) {
  const pid = `p${p + 1}`;
  const c = `s${2 * p + 1}`;
  const s = `s${2 * p + 2}`;
  sim.play(c, ['SYN']); sim.deliverAll(pid);
  sim.play(s, ['SYN', 'ACK']); sim.deliverAll(pid);
  sim.play(c, ['ACK']); sim.deliverAll(pid);
  sim.play(c, ['ACK', 'PSH'], 5); sim.deliverAll(pid);
  sim.play(s, ['ACK', 'PSH'], 3);
}
let bytes = 0;
let teacherBytes = 0;
for (let run = 1; run <= 3; run++) {
  const t0 = performance.now();
  for (let i = 0; i < PUSHES; i++) {
    bytes = 0;
    const shared = viewShared(sim.room);
    for (const seat of sim.room.seats) bytes += JSON.stringify(viewFor(sim.room, { role: 'student', seatId: seat.id }, [], shared)).length;
    teacherBytes = JSON.stringify(viewFor(sim.room, { role: 'teacher' }, [], shared)).length;
    bytes += teacherBytes;
  }
  const ms = (performance.now() - t0) / PUSHES;
  console.log(`run ${run}: one push of ${PAIRS * 2} student views and the teacher's: ${ms.toFixed(2)} ms, ${(bytes / 1024).toFixed(1)} KB (the teacher's view: ${(teacherBytes / 1024).toFixed(1)} KB)`);
}
